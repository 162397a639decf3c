//! Memory with many streaming listeners (run with
//! `SR_BIN=target/release/staffroom cargo bench -p staffroom-tests --bench listeners`).
//! Figures go to `docs/benchmarks.md`; nothing here asserts a time or a size.
//!
//! The server runs as its own process (`SR_BIN`, the release binary), so its
//! resident memory is its alone: 125 accounts sign up through the API, each opens
//! 8 WebSockets on `public:local` (1,000 listeners, the most the instance allows
//! per token), one account writes 10 public posts, and every listener must hear
//! all 10. The server's resident set is read from `/proc` before the listeners
//! connect, once they are all connected, and after the posts were heard.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;
use staffroom_federation::client;
use staffroom_federation::guard::{GuardedResolver, Reach};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

const ACCOUNTS: usize = 125;
const PER_ACCOUNT: usize = 8;
const POSTS: usize = 10;
const PASSWORD: &str = "Bench-Passw0rd!2026-listeners";

/// The server process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The resident set of process `pid`, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    kib / 1024.0
}

/// A free loopback port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn main() {
    let binary = std::env::var("SR_BIN")
        .expect("set SR_BIN to the staffroom binary to measure (the release build)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(&binary));
}

async fn run(binary: &str) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = Server(
        Command::new(binary)
            .arg("serve")
            .env("STAFFROOM_DOMAIN", format!("127.0.0.1:{port}"))
            .env("STAFFROOM_BIND", format!("127.0.0.1:{port}"))
            .env("STAFFROOM_DATA_DIR", dir.path())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/staffroom.db?mode=rwc", dir.path().display()),
            )
            .env("STAFFROOM_RATE_LIMIT", "0")
            .env("STAFFROOM_REGISTRATIONS", "open")
            .env("STAFFROOM_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("the server starts"),
    );
    let pid = server.0.id();
    // The instance's own client (it sets up the TLS provider reqwest needs), let
    // onto loopback.
    let http = client::build_with(
        "Staffroom listeners benchmark",
        GuardedResolver::new(Reach::for_test_mode(true)),
    )
    .unwrap();
    let started = Instant::now();
    while http
        .get(format!("{base}/api/v1/instance"))
        .send()
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server answers"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let tokens = sign_up(&http, &base).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = rss_mib(pid);

    let heard = Arc::new(AtomicUsize::new(0));
    let connected = Arc::new(AtomicUsize::new(0));
    let mut listeners = Vec::new();
    // Small buffers on the client side keep the measuring process light.
    let config = WebSocketConfig::default().read_buffer_size(4096);
    for token in &tokens {
        for _ in 0..PER_ACCOUNT {
            let url = format!(
                "ws://127.0.0.1:{port}/api/v1/streaming?stream=public:local&access_token={token}"
            );
            let (mut socket, _) =
                tokio_tungstenite::connect_async_with_config(url, Some(config), false)
                    .await
                    .expect("the listener connects");
            connected.fetch_add(1, Ordering::Relaxed);
            let heard = heard.clone();
            listeners.push(tokio::spawn(async move {
                let mut updates = 0;
                while let Some(Ok(message)) = socket.next().await {
                    if let Message::Text(text) = message {
                        let frame: Value = serde_json::from_str(&text).unwrap();
                        if frame["event"] == "update" {
                            updates += 1;
                            heard.fetch_add(1, Ordering::Relaxed);
                            if updates == POSTS {
                                break;
                            }
                        }
                    }
                }
            }));
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_listeners = rss_mib(pid);

    let author = &tokens[0];
    let posted = Instant::now();
    for n in 0..POSTS {
        post_form(
            &http,
            format!("{base}/api/v1/statuses"),
            Some(author),
            &[
                ("status", format!("Listener check {n}")),
                ("visibility", "public".into()),
            ],
        )
        .await;
    }
    let expected = POSTS * tokens.len() * PER_ACCOUNT;
    while heard.load(Ordering::Relaxed) < expected && posted.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let all_heard = posted.elapsed();
    let after = rss_mib(pid);
    let count = heard.load(Ordering::Relaxed);
    println!(
        "listeners: {} connected on public:local ({} accounts x {PER_ACCOUNT})",
        connected.load(Ordering::Relaxed),
        tokens.len()
    );
    println!(
        "heard: {count} of {expected} updates ({POSTS} posts) in {:.2} s",
        all_heard.as_secs_f64()
    );
    println!(
        "server resident memory: {before:.1} MiB before, {with_listeners:.1} MiB with the listeners ({:.1} KiB a listener), {after:.1} MiB after the posts",
        (with_listeners - before) * 1024.0 / (tokens.len() * PER_ACCOUNT) as f64
    );
    for listener in listeners {
        listener.abort();
    }
    drop(server);
}

/// Posts `form` to `url` (with `token` when given); the JSON answer, which must
/// be a success.
async fn post_form<T: serde::Serialize + ?Sized>(
    http: &reqwest::Client,
    url: String,
    token: Option<&str>,
    form: &T,
) -> Value {
    let request = http.post(url).form(form);
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    request
        .send()
        .await
        .unwrap()
        .error_for_status()
        .expect("the request succeeds")
        .json()
        .await
        .unwrap()
}

/// Signs `ACCOUNTS` accounts up through the API; their tokens.
async fn sign_up(http: &reqwest::Client, base: &str) -> Vec<String> {
    let app = post_form(
        http,
        format!("{base}/api/v1/apps"),
        None,
        &[
            ("client_name", "listeners bench"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", "read write"),
        ],
    )
    .await;
    let app_token = post_form(
        http,
        format!("{base}/oauth/token"),
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", app["client_id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("scope", "read write"),
        ],
    )
    .await;
    let app_token = app_token["access_token"].as_str().unwrap().to_owned();
    let mut tokens = Vec::with_capacity(ACCOUNTS);
    for n in 0..ACCOUNTS {
        let answer = post_form(
            http,
            format!("{base}/api/v1/accounts"),
            Some(&app_token),
            &[
                ("username", format!("listener{n}")),
                ("email", format!("listener{n}@bench.test")),
                ("password", PASSWORD.to_owned()),
                ("agreement", "true".to_owned()),
                ("locale", "en".to_owned()),
            ],
        )
        .await;
        tokens.push(answer["access_token"].as_str().unwrap().to_owned());
    }
    tokens
}
