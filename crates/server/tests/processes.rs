//! Several `staffroom serve` processes on one database, as behind a reverse proxy:
//! each holds its own id node, so that posts written through both at once never
//! get the same id, and (on PostgreSQL) a listener of one process hears what was
//! written through the other. On SQLite by default; on PostgreSQL when
//! `STAFFROOM_TEST_DATABASE_URL` names a server where databases may be created.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_staffroom");
const PASSWORD: &str = "a long enough staffroom password";
/// How long each process is written to.
const WRITING: Duration = Duration::from_secs(4);
/// Connections writing to each process at once.
const WRITERS: usize = 4;

/// The database both processes share: a SQLite file, or a PostgreSQL database made
/// for this test and dropped afterwards.
struct SharedDatabase {
    url: String,
    drop: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl SharedDatabase {
    /// A database of its own for the test `test` (tests run at once).
    async fn new(test: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        match std::env::var("STAFFROOM_TEST_DATABASE_URL") {
            Ok(server) if !server.is_empty() => {
                let name = format!("staffroom_processes_{test}_{}", std::process::id());
                let admin = Database::connect(&server).await.unwrap();
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                    .await
                    .unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .unwrap();
                let (base, _) = server.rsplit_once('/').unwrap();
                Self {
                    url: format!("{base}/{name}"),
                    drop: Some((server, name)),
                    _dir: dir,
                }
            }
            _ => Self {
                url: format!("sqlite://{}", dir.path().join("staffroom.db").display()),
                drop: None,
                _dir: dir,
            },
        }
    }

    async fn remove(self) {
        if let Some((server, name)) = &self.drop {
            let admin = Database::connect(server).await.unwrap();
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .unwrap();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `staffroom ARGS` on the shared database with the test's settings.
fn staffroom(db: &SharedDatabase, dir: &std::path::Path, bind: &str) -> Command {
    let mut command = Command::new(BINARY);
    command
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", &db.url)
        .env("STAFFROOM_DATA_DIR", dir.join("data"))
        .env("STAFFROOM_BIND", bind)
        .env("STAFFROOM_DOMAIN", "staffroom.test")
        .env("STAFFROOM_PASSWORD_GRANT", "true")
        .env("STAFFROOM_RATE_LIMIT", "0")
        .env("STAFFROOM_LOG", "warn");
    command
}

/// A running `staffroom serve`, killed if the test ends before stopping it.
struct Server(Option<Child>);

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

/// Starts `staffroom serve` and waits until it answers.
fn serve(db: &SharedDatabase, dir: &std::path::Path, bind: &str) -> Server {
    let mut child = staffroom(db, dir, bind)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let started = Instant::now();
    let mut printed = String::new();
    while !printed.contains("Staffroom is running at") {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve ended early: {printed}"
        );
        printed.push_str(&line);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
    }
    Server(Some(child))
}

/// Stops `server` as an operator does, with SIGTERM.
fn stop(mut server: Server) {
    let mut child = server.0.take().unwrap();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Makes the user `writer` on `db`, then starts two processes on it: their
/// addresses, and the processes.
fn start_two(db: &SharedDatabase, dir: &std::path::Path) -> ([String; 2], [Server; 2]) {
    let mut create = staffroom(db, dir, "127.0.0.1:0")
        .args(["admin", "create-user", "--username", "writer"])
        .args(["--email", "writer@example.org", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(create.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(create.wait().unwrap().success(), "the user is created");
    let (a, b) = (
        format!("127.0.0.1:{}", free_port()),
        format!("127.0.0.1:{}", free_port()),
    );
    let servers = [serve(db, dir, &a), serve(db, dir, &b)];
    ([a, b], servers)
}

async fn token(client: &reqwest::Client, origin: &str) -> String {
    let app: Value = client
        .post(format!("{origin}/api/v1/apps"))
        .form(&[
            ("client_name", "two processes"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let answer: Value = client
        .post(format!("{origin}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("username", "writer@example.org"),
            ("password", PASSWORD),
            ("scope", "read write"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {answer}"))
        .to_owned()
}

/// Posts through `origin` as fast as it answers for [`WRITING`]: the ids of the
/// posts, and any answer that was not a success.
async fn write_posts(
    client: reqwest::Client,
    origin: String,
    token: String,
) -> (Vec<i64>, Vec<String>) {
    let started = Instant::now();
    let (mut ids, mut failures) = (Vec::new(), Vec::new());
    let mut n = 0;
    while started.elapsed() < WRITING {
        n += 1;
        let answer = client
            .post(format!("{origin}/api/v1/statuses"))
            .bearer_auth(&token)
            .form(&[
                ("status", format!("post {n}")),
                ("visibility", "public".into()),
            ])
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let body: Value = answer.json().await.unwrap_or_default();
        match body["id"].as_str().and_then(|id| id.parse().ok()) {
            Some(id) if status.is_success() => ids.push(id),
            _ => failures.push(format!("{status}: {body}")),
        }
    }
    (ids, failures)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_writing_at_once_never_make_the_same_id() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = SharedDatabase::new("ids").await;
    let dir = tempfile::tempdir().unwrap();
    let ([a, b], [first, second]) = start_two(&db, dir.path());
    let client = reqwest::Client::new();
    let token = token(&client, &format!("http://{a}")).await;

    let mut writers = tokio::task::JoinSet::new();
    for (which, origin) in [(0, &a), (1, &b)] {
        for _ in 0..WRITERS {
            let (client, origin, token) =
                (client.clone(), format!("http://{origin}"), token.clone());
            writers.spawn(async move { (which, write_posts(client, origin, token).await) });
        }
    }
    let mut by_process = [Vec::new(), Vec::new()];
    let mut failures = Vec::new();
    while let Some(done) = writers.join_next().await {
        let (which, (ids, failed)) = done.unwrap();
        by_process[which].extend(ids);
        failures.extend(failed);
    }
    assert!(failures.is_empty(), "every post was stored: {failures:?}");
    let [from_a, from_b] = &by_process;
    assert!(
        from_a.len() > 20 && from_b.len() > 20,
        "both wrote: {} and {}",
        from_a.len(),
        from_b.len()
    );
    let all: HashSet<i64> = from_a.iter().chain(from_b).copied().collect();
    assert_eq!(
        all.len(),
        from_a.len() + from_b.len(),
        "no id was made twice"
    );
    let nodes = |ids: &[i64]| -> HashSet<u16> {
        ids.iter()
            .map(|&id| staffroom_domain::id::node_of(id))
            .collect()
    };
    assert_eq!(nodes(from_a).len(), 1, "one process, one node");
    assert_eq!(nodes(from_b).len(), 1, "one process, one node");
    assert_ne!(nodes(from_a), nodes(from_b), "each process its own node");

    let me: Value = client
        .get(format!("http://{b}/api/v1/accounts/verify_credentials"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["statuses_count"].as_u64(),
        Some(all.len() as u64),
        "every post is stored once"
    );

    stop(first);
    stop(second);
    db.remove().await;
}

/// An open Server-Sent Events stream of one process.
struct EventStream {
    answer: reqwest::Response,
    buffer: String,
}

impl EventStream {
    async fn open(client: &reqwest::Client, origin: &str, token: &str, path: &str) -> Self {
        let answer = client
            .get(format!("{origin}/api/v1/streaming/{path}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "the stream opens");
        Self {
            answer,
            buffer: String::new(),
        }
    }

    /// The id of the next post the stream tells of (`update` events only).
    async fn next_update(&mut self) -> i64 {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if !block.lines().any(|line| line == "event: update") {
                    continue;
                }
                let data = block
                    .lines()
                    .find_map(|line| line.strip_prefix("data: "))
                    .unwrap();
                let status: Value = serde_json::from_str(data).unwrap();
                return status["id"].as_str().unwrap().parse().unwrap();
            }
            let chunk = tokio::time::timeout(Duration::from_secs(30), self.answer.chunk())
                .await
                .expect("an event within 30 s")
                .unwrap()
                .expect("the stream stays open");
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

async fn post(client: &reqwest::Client, origin: &str, token: &str, text: &str) -> i64 {
    let status: Value = client
        .post(format!("{origin}/api/v1/statuses"))
        .bearer_auth(token)
        .form(&[("status", text), ("visibility", "public")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    status["id"].as_str().unwrap().parse().unwrap()
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_through_one_process_reaches_listeners_of_both_once() {
    if !std::env::var("STAFFROOM_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty()) {
        eprintln!(
            "skipped: streaming across processes is PostgreSQL's (LISTEN/NOTIFY); \
             on SQLite each process streams its own events \
             (set STAFFROOM_TEST_DATABASE_URL to run it)"
        );
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let db = SharedDatabase::new("streaming").await;
    let dir = tempfile::tempdir().unwrap();
    let ([a, b], [first, second]) = start_two(&db, dir.path());
    let (a, b) = (format!("http://{a}"), format!("http://{b}"));
    let client = reqwest::Client::new();
    let token = token(&client, &a).await;
    let mut on_a = EventStream::open(&client, &a, &token, "public/local").await;
    let mut on_b = EventStream::open(&client, &b, &token, "user").await;

    // Each stream hears every post once, whichever process it was written through:
    // a process does not tell its own events again when they come back from the
    // database (they would come before the next post's).
    for (n, origin) in [&a, &b, &a].into_iter().enumerate() {
        let posted = post(&client, origin, &token, &format!("Post {n}")).await;
        assert_eq!(on_a.next_update().await, posted, "A's listener, post {n}");
        assert_eq!(on_b.next_update().await, posted, "B's listener, post {n}");
    }

    drop((on_a, on_b));
    stop(first);
    stop(second);
    db.remove().await;
}
