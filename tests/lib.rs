//! The test harness: a fresh database for every test (SQLite always; PostgreSQL when
//! `STAFFROOM_TEST_DATABASE_URL` names a server to create databases on), whole
//! instances on loopback, and the command line run in-process.
//!
//! Tests drive instances over HTTP and the command line, as users would. Until the
//! client API exists, [`TestInstance::post_as`] and its neighbours stand in for a
//! user's app by calling the same use cases in-process.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

pub mod api;
pub mod browser;
pub mod lemmy;
pub mod peer;
pub mod smtp;

use staffroom_domain::posts::write;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::ConnectionTrait;
use serde_json::Value;
use staffroom::cli::{self, Io};
use staffroom::{Env, RunningInstance};
use staffroom_domain::accounts::account;
use staffroom_domain::posts::post::{self, Visibility};
use staffroom_federation::{publish, relationships};
use tempfile::TempDir;
use tokio::net::TcpListener;

/// The variable naming a PostgreSQL server on which each test creates its own
/// database, e.g. `postgres://postgres:postgres@127.0.0.1:5432/postgres`.
pub const POSTGRES_VARIABLE: &str = "STAFFROOM_TEST_DATABASE_URL";

static DATABASES: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test, removed when dropped.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    /// Holds the SQLite file (and the instance's data directory).
    dir: TempDir,
    /// For PostgreSQL: the server URL and the database name to drop.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A fresh, empty database on the engine the test run is for.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        match std::env::var(POSTGRES_VARIABLE)
            .ok()
            .filter(|v| !v.is_empty())
        {
            Some(server) => {
                let name = format!(
                    "staffroom_test_{}_{}_{}",
                    std::process::id(),
                    DATABASES.fetch_add(1, Ordering::Relaxed),
                    rand_suffix()
                );
                let admin = sea_orm::Database::connect(&server)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("cannot reach PostgreSQL at {POSTGRES_VARIABLE}: {e}")
                    });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("CREATE DATABASE");
                admin.close().await.ok();
                let mut url = url::Url::parse(&server).expect("a database URL");
                url.set_path(&format!("/{name}"));
                Self {
                    url: url.to_string(),
                    dir,
                    postgres: Some((server, name)),
                }
            }
            None => Self {
                url: format!("sqlite://{}", dir.path().join("staffroom.db").display()),
                dir,
                postgres: None,
            },
        }
    }

    /// Another handle on the same database, which does not drop it.
    fn share(&self) -> Self {
        Self {
            url: self.url.clone(),
            dir: tempfile::tempdir().expect("a temporary directory"),
            postgres: None,
        }
    }

    /// The database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether this run tests PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// A directory that lives as long as the database.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime: drop the database from a thread of
        // its own with its own small runtime.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                if let Ok(admin) = sea_orm::Database::connect(&server).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                }
            });
        })
        .join();
    }
}

fn rand_suffix() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    nanos % 1_000_000
}

/// Waits (up to 20 seconds) until `check` is true, polling.
pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = std::time::Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "never happened: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// What a command printed and how it ended.
#[derive(Debug)]
pub struct CliOutput {
    pub status: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `staffroom ARGS` in-process with environment `env` and `stdin` as input.
pub async fn run_cli(args: &[&str], env: &Env, stdin: &str) -> CliOutput {
    let mut input = std::io::Cursor::new(stdin.as_bytes().to_vec());
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let io = Io {
        stdin: &mut input,
        stdout: &mut stdout,
        stderr: &mut stderr,
        init_logging: false,
    };
    let argv = std::iter::once("staffroom").chain(args.iter().copied());
    let status = cli::run(argv, env, io).await;
    CliOutput {
        status,
        stdout: String::from_utf8(stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(stderr).expect("UTF-8 output"),
    }
}

/// A whole instance on a loopback port with its own database.
#[derive(Debug)]
pub struct TestInstance {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The environment the instance was configured from.
    pub env: Env,
    pub http: reqwest::Client,
    instance: Option<RunningInstance>,
    db: TestDatabase,
}

impl TestInstance {
    /// Starts an instance with the default configuration.
    pub async fn start() -> Self {
        Self::start_with(&[]).await
    }

    /// Starts an instance whose users sign in from tests with the password grant.
    pub async fn start_for_apps() -> Self {
        Self::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await
    }

    /// Starts an instance with extra `STAFFROOM_*` settings. It is named
    /// `localhost:PORT` and federates in test mode (plain http, loopback).
    pub async fn start_with(settings: &[(&str, &str)]) -> Self {
        let db = TestDatabase::new().await;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let mut env = environment(&db);
        env.insert(
            "STAFFROOM_DOMAIN".into(),
            format!("localhost:{}", addr.port()),
        );
        env.insert("STAFFROOM_BIND".into(), addr.to_string());
        env.insert("STAFFROOM_FEDERATION_TEST_MODE".into(), "true".into());
        for (key, value) in settings {
            env.insert((*key).to_owned(), (*value).to_owned());
        }
        let instance = Self::run(&env, listener).await;
        Self {
            base: format!("http://localhost:{}", addr.port()),
            env,
            http: reqwest::Client::new(),
            instance: Some(instance),
            db,
        }
    }

    async fn run(env: &Env, listener: TcpListener) -> RunningInstance {
        let config = staffroom::config::load(None, env).expect("a valid configuration");
        RunningInstance::start(&config, Some(listener))
            .await
            .expect("the instance starts")
    }

    /// A second server process on this instance's database and domain, listening on
    /// a port of its own (as behind a load balancer).
    pub async fn second_process(&self) -> Self {
        self.second_process_with(&[]).await
    }

    /// A second server process on this instance's database and domain with
    /// extra settings, such as a data directory of its own (as on another
    /// machine).
    pub async fn second_process_with(&self, settings: &[(&str, &str)]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let mut env = self.env.clone();
        for (key, value) in settings {
            env.insert((*key).to_owned(), (*value).to_owned());
        }
        env.insert(
            "STAFFROOM_BIND".into(),
            listener.local_addr().expect("an address").to_string(),
        );
        let instance = Self::run(&env, listener).await;
        Self {
            base: self.base.clone(),
            env,
            http: reqwest::Client::new(),
            instance: Some(instance),
            db: self.db.share(),
        }
    }

    /// Stops the instance and starts it again on the same address and database, as
    /// after a deployment or a crash.
    pub async fn restart(mut self) -> Self {
        let addr = self.running().local_addr();
        if let Some(instance) = self.instance.take() {
            instance.shut_down().await;
        }
        let listener = TcpListener::bind(addr).await.expect("the same port again");
        self.instance = Some(Self::run(&self.env, listener).await);
        self
    }

    /// The instance's domain (`127.0.0.1:PORT`).
    pub fn domain(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// The test database under the instance.
    pub fn database(&self) -> &TestDatabase {
        &self.db
    }

    /// The running instance.
    pub fn running(&self) -> &RunningInstance {
        self.instance.as_ref().expect("the instance is running")
    }

    /// Sets the time `column` of the row of `table` whose `key` column is `id` to
    /// `at`, as if time had passed: a poll's end, a scheduled post's time.
    pub async fn set_time(
        &self,
        table: &str,
        column: &str,
        key: &str,
        id: i64,
        at: chrono::DateTime<chrono::Utc>,
    ) {
        use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
        let db = self.running().db();
        let update = Query::update()
            .table(Alias::new(table))
            .value(Alias::new(column), sea_orm::Value::from(at))
            .and_where(Expr::col(Alias::new(key)).eq(id))
            .to_owned();
        let done = db
            .execute_raw(db.get_database_backend().build(&update))
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1, "the {table} row {id} exists");
    }

    /// Stops the instance's background workers (it keeps answering requests).
    pub async fn stop_workers(&mut self) {
        self.instance
            .as_mut()
            .expect("the instance is running")
            .stop_workers()
            .await;
    }

    /// Runs `staffroom ARGS` against this instance's configuration.
    pub async fn cli(&self, args: &[&str], stdin: &str) -> CliOutput {
        run_cli(args, &self.env, stdin).await
    }

    /// Creates the user `username` (email `username@example.org`) from the command
    /// line, and checks that it worked.
    pub async fn create_user(&self, username: &str, extra: &[&str]) -> CliOutput {
        let email = format!("{username}@example.org");
        let mut args = vec![
            "admin",
            "create-user",
            "--username",
            username,
            "--email",
            &email,
        ];
        args.extend_from_slice(extra);
        let out = self.cli(&args, "correct horse battery\n").await;
        assert_eq!(out.status, 0, "create-user {username}: {}", out.stderr);
        out
    }

    /// Posts `text` as the local user `username` and federates it, as a client app
    /// will through the API; returns the post's ActivityPub id.
    pub async fn post_as(&self, username: &str, text: &str, visibility: Visibility) -> String {
        self.compose_as(username, text, visibility, None).await
    }

    /// Posts `text` (its `@mentions` found, remote ones by WebFinger) as `username`,
    /// answering the post `in_reply_to` (an ActivityPub id) if given, and federates it.
    pub async fn compose_as(
        &self,
        username: &str,
        text: &str,
        visibility: Visibility,
        in_reply_to: Option<&str>,
    ) -> String {
        let running = self.running();
        let db = running.db();
        let federation = running.federation();
        let author = account::find_local(db, username)
            .await
            .unwrap()
            .expect("the author exists");
        let in_reply_to_id = match in_reply_to {
            Some(uri) => Some(match uri.strip_prefix(&format!("{}/users/", self.base)) {
                Some(local) => local.rsplit('/').next().unwrap().parse().unwrap(),
                None => {
                    post::find_by_uri(db, uri)
                        .await
                        .unwrap()
                        .expect("the answered post is stored")
                        .id
                }
            }),
            None => None,
        };
        let draft = publish::Draft {
            text: text.to_owned(),
            visibility,
            spoiler_text: String::new(),
            sensitive: false,
            language: Some("en".into()),
            in_reply_to_id,
            media_ids: Vec::new(),
            poll: None,
            event: None,
            article: None,
            local_only: false,
        };
        let post = publish::create_post(&federation.to_request_data(), &author, draft)
            .await
            .expect("the post is made");
        federation.urls.post(username, post.id)
    }

    /// Creates `username` with `password` and signs them in through the API (an app
    /// registration and the password grant, which the instance must allow); returns
    /// the access token.
    pub async fn sign_up_and_in(&self, username: &str, password: &str, scopes: &str) -> String {
        self.create_user(username, &["--password-stdin"]).await;
        self.sign_in(username, password, scopes).await
    }

    /// Creates `username` and signs them in with every scope (the instance must
    /// allow the password grant): their API client.
    pub async fn user(&self, username: &str) -> api::ApiClient {
        let token = self
            .sign_up_and_in(username, "correct horse battery", "read write follow push")
            .await;
        api::ApiClient::new(&self.base, Some(token))
    }

    /// Creates `username` as an administrator of the instance and signs them in
    /// with every scope, the admin ones included: their API client.
    pub async fn admin(&self, username: &str) -> api::ApiClient {
        self.create_user(username, &["--password-stdin", "--role", "admin"])
            .await;
        let token = self
            .sign_in(
                username,
                "correct horse battery",
                "read write follow push admin:read admin:write",
            )
            .await;
        api::ApiClient::new(&self.base, Some(token))
    }

    /// A visitor without a token.
    pub fn anonymous(&self) -> api::ApiClient {
        api::ApiClient::new(&self.base, None)
    }

    /// Signs `username` in through the API with the password grant; the token.
    pub async fn sign_in(&self, username: &str, password: &str, scopes: &str) -> String {
        let app: Value = self
            .http
            .post(format!("{}/api/v1/apps", self.base))
            .json(&serde_json::json!({"client_name": "tests", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": scopes}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token: Value = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .json(&serde_json::json!({
                "grant_type": "password",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "username": username,
                "password": password,
                "scope": scopes,
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        token["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {token}"))
            .to_owned()
    }

    /// The local account `username`.
    pub async fn account(&self, username: &str) -> account::Account {
        account::find_local(self.running().db(), username)
            .await
            .unwrap()
            .expect("the account exists")
    }

    /// `username` follows the remote actor `uri`, as a client app will ask through
    /// the API.
    pub async fn follow_as(&self, username: &str, uri: &str) {
        let running = self.running();
        let data = running.federation().to_request_data();
        let target = relationships::resolve_actor(&data, uri)
            .await
            .expect("the actor resolves");
        let follower = self.account(username).await;
        relationships::follow_remote(running.federation(), &follower, &target)
            .await
            .expect("the follow is queued");
    }

    /// `username` stops following the remote actor `uri`.
    pub async fn unfollow_as(&self, username: &str, uri: &str) {
        let running = self.running();
        let data = running.federation().to_request_data();
        let target = relationships::resolve_actor(&data, uri)
            .await
            .expect("the actor resolves");
        let follower = self.account(username).await;
        relationships::unfollow_remote(running.federation(), &follower, &target)
            .await
            .expect("the undo is queued");
    }

    /// Locks `username`: followers need approval.
    pub async fn lock(&self, username: &str) {
        let account = self.account(username).await;
        account::set_locked(self.running().db(), account.id, true)
            .await
            .unwrap();
    }

    /// The locked `username` answers the request of the remote actor `uri`.
    pub async fn answer_request_as(&self, username: &str, uri: &str, accepted: bool) {
        let running = self.running();
        let target = self.account(username).await;
        let follower = staffroom_domain::accounts::remote::find_by_uri(running.db(), uri)
            .await
            .unwrap()
            .expect("the follower is known");
        relationships::answer_request(running.federation(), &target, &follower, accepted)
            .await
            .expect("the answer is queued");
    }

    /// The notifications of `username`, newest first: (kind, who, post id).
    pub async fn notifications(&self, username: &str) -> Vec<(String, String, Option<i64>)> {
        let db = self.running().db();
        let account = self.account(username).await;
        let mut out = Vec::new();
        for n in staffroom_domain::notifications::notification::recent(db, account.id, 40)
            .await
            .unwrap()
        {
            let from = account::get(db, n.from_account_id).await.unwrap();
            out.push((n.kind.name().to_owned(), from.acct(), n.post_id));
        }
        out
    }

    /// How many favourites and boosts the post `uri` (of this instance) has.
    pub async fn interaction_counts(&self, uri: &str) -> (u64, u64) {
        let db = self.running().db();
        let id: i64 = uri.rsplit('/').next().unwrap().parse().unwrap();
        (
            staffroom_domain::posts::interaction::favourites_count(db, id)
                .await
                .unwrap(),
            staffroom_domain::posts::interaction::reblogs_count(db, id)
                .await
                .unwrap(),
        )
    }

    /// Changes the text of the local post `uri` of `username` and federates the edit.
    pub async fn edit_as(&self, username: &str, uri: &str, text: &str) {
        let running = self.running();
        let author = self.account(username).await;
        let id: i64 = uri.rsplit('/').next().unwrap().parse().unwrap();
        publish::edit_post(
            &running.federation().to_request_data(),
            &author,
            id,
            write::Revision {
                text: text.to_owned(),
                ..Default::default()
            },
        )
        .await
        .expect("the post is edited");
    }

    /// Deletes the local post `uri` of `username` and federates the deletion.
    pub async fn delete_post_as(&self, username: &str, uri: &str) {
        let running = self.running();
        let author = self.account(username).await;
        let id: i64 = uri.rsplit('/').next().unwrap().parse().unwrap();
        publish::delete_post(running.federation(), &author, id)
            .await
            .expect("the post is deleted");
    }

    /// The posts stored from other servers: (id, uri, content, visibility, in_reply_to_id).
    pub async fn remote_posts(&self) -> Vec<(i64, String, String, String, Option<i64>)> {
        let db = self.running().db();
        db.query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id, uri, content, visibility, in_reply_to_id FROM posts WHERE local = false ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get_by_index(0).unwrap(),
                row.try_get_by_index(1).unwrap(),
                row.try_get_by_index(2).unwrap(),
                row.try_get_by_index(3).unwrap(),
                row.try_get_by_index(4).unwrap(),
            )
        })
        .collect()
    }

    /// `GET path`, answered.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// `GET path` with its status and JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let body = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: the body is not JSON: {e}"));
        (status, body)
    }

    /// The ActivityPub document at `url` (an absolute URL), fetched unsigned.
    pub async fn get_activity(&self, url: &str) -> Value {
        self.http
            .get(url)
            .header("accept", "application/activity+json")
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: the body is not JSON: {e}"))
    }

    /// Stops the instance gracefully.
    pub async fn shut_down(mut self) {
        if let Some(instance) = self.instance.take() {
            instance.shut_down().await;
        }
    }
}

/// The environment that points a command at `db`, with test-friendly settings.
pub fn environment(db: &TestDatabase) -> Env {
    let mut env = Env::new();
    env.insert("DATABASE_URL".into(), db.url().to_owned());
    env.insert(
        "STAFFROOM_DATA_DIR".into(),
        db.dir().join("data").display().to_string(),
    );
    env.insert("STAFFROOM_DOMAIN".into(), "staff.test".into());
    // Tests make many requests from one address: limits high enough never to
    // bite, so that their headers are still sent (tests of the limits set theirs).
    env.insert("STAFFROOM_RATE_LIMIT".into(), "1000000".into());
    env.insert(
        "STAFFROOM_INBOX_PER_SERVER_PER_MINUTE".into(),
        "1000000".into(),
    );
    env
}

/// `follower` (a client of one instance) follows the account `address`
/// (`name@domain`) of another, and waits until it is accepted; the followed
/// account's id on the follower's instance.
pub async fn follow_across(follower: &api::ApiClient, address: &str) -> String {
    let found = follower
        .get(&format!("/api/v2/search?q=@{address}&resolve=true"))
        .await
        .expect(200);
    let remote = found.body["accounts"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{address} is found"))
        .to_owned();
    follower
        .post(
            &format!("/api/v1/accounts/{remote}/follow"),
            serde_json::json!({}),
        )
        .await
        .expect(200);
    eventually(&format!("{address} accepts the follow"), || async {
        follower
            .get(&format!("/api/v1/accounts/relationships?id[]={remote}"))
            .await
            .items()[0]["following"]
            == true
    })
    .await;
    remote
}

/// Two instances for apps, a with `alice` and b with `bob`, bob following alice.
pub async fn two_instances() -> (TestInstance, TestInstance, api::ApiClient, api::ApiClient) {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    follow_across(&bob, &format!("alice@{}", a.domain())).await;
    (a, b, alice, bob)
}
