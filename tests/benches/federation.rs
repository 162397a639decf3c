//! Federation benchmarks (run with `cargo bench -p staffroom-tests --bench federation`;
//! set `STAFFROOM_TEST_DATABASE_URL` to measure PostgreSQL). Figures go to
//! `docs/benchmarks.md`; nothing here asserts a time.
//!
//! 1. RSA-2048 signing rate on one core: the ceiling of outgoing federation.
//! 2. Fan-out: one post to 1,000 remote followers (50 sink servers on loopback,
//!    20 inboxes each): deliveries per second through the persistent queue.
//! 3. Inbox: signed `Create(Note)` activities from a followed peer, signed ahead of
//!    time and posted 16 at a time: activities applied per second.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use staffroom_domain::graph::follow_request;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::json;
use sha2::{Digest, Sha256};
use staffroom_domain::accounts::remote::{self, RemoteActor};
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::TestInstance;
use staffroom_tests::peer::Peer;
use tokio::net::TcpListener;

const FOLLOWERS: usize = 1_000;
const SINKS: usize = 50;
const INBOX_ACTIVITIES: usize = 2_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let engine = if std::env::var("STAFFROOM_TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        println!("engine: {engine}");
        signing_rate().await;
        fan_out().await;
        inbox().await;
    });
}

async fn signing_rate() {
    let pem = staffroom_domain::accounts::keys::KeyPair::generate()
        .await
        .unwrap()
        .private_key_pem;
    let key = RsaPrivateKey::from_pkcs8_pem(&pem).unwrap();
    let message = "(request-target): post /inbox\nhost: example.org\ndate: Mon, 23 Nov 2026 12:00:00 GMT\ndigest: SHA-256=x";
    let started = Instant::now();
    let mut count = 0;
    while started.elapsed() < Duration::from_secs(3) {
        let digest = Sha256::digest(message.as_bytes());
        key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
        count += 1;
    }
    let rate = f64::from(count) / started.elapsed().as_secs_f64();
    println!("signing (RustCrypto rsa): {rate:.0} RSA-2048 signatures/s on one core");

    let der = pem_body(&pem);
    let pair = ring::rsa::KeyPair::from_pkcs8(&der).unwrap();
    let rng = ring::rand::SystemRandom::new();
    let mut signature = vec![0; pair.public().modulus_len()];
    let started = Instant::now();
    let mut count = 0;
    while started.elapsed() < Duration::from_secs(3) {
        pair.sign(
            &ring::signature::RSA_PKCS1_SHA256,
            &rng,
            message.as_bytes(),
            &mut signature,
        )
        .unwrap();
        count += 1;
    }
    let rate = f64::from(count) / started.elapsed().as_secs_f64();
    println!("signing (ring): {rate:.0} RSA-2048 signatures/s on one core");
}

/// The DER bytes of a PEM document.
fn pem_body(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

/// A sink server that counts what it is sent and answers 202.
async fn sink(hits: Arc<AtomicUsize>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new().route(
        "/inbox/{n}",
        post(move || {
            let hits = hits.clone();
            async move {
                hits.fetch_add(1, Ordering::Relaxed);
                axum::http::StatusCode::ACCEPTED
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

async fn fan_out() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let alice = instance.account("alice").await;
    let db = instance.running().db();
    let hits = Arc::new(AtomicUsize::new(0));
    let key = instance.account("alice").await.public_key_pem;
    let mut n = 0;
    for _ in 0..SINKS {
        let port = sink(hits.clone()).await;
        for _ in 0..FOLLOWERS / SINKS {
            n += 1;
            let uri = format!("http://localhost:{port}/users/f{n}");
            let follower = remote::upsert(
                db,
                RemoteActor {
                    uri: uri.clone(),
                    username: format!("f{n}"),
                    domain: format!("localhost:{port}"),
                    display_name: String::new(),
                    note: String::new(),
                    locked: false,
                    bot: false,
                    group: false,
                    discoverable: false,
                    public_key_pem: key.clone(),
                    inbox: format!("http://localhost:{port}/inbox/{n}"),
                    shared_inbox: None,
                    outbox: None,
                    followers: None,
                    following: None,
                    url: None,
                    fields: Vec::new(),
                    avatar_url: None,
                    header_url: None,
                },
                chrono::Utc::now(),
            )
            .await
            .unwrap();
            follow_request::request(
                db,
                &follower,
                &alice,
                Some(format!("{uri}#follow")),
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        }
    }
    let started = Instant::now();
    instance
        .post_as(
            "alice",
            "One post to a thousand followers",
            Visibility::Public,
        )
        .await;
    let queued = started.elapsed();
    while hits.load(Ordering::Relaxed) < FOLLOWERS {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "fan-out stalled at {}",
            hits.load(Ordering::Relaxed)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "fan-out: {FOLLOWERS} deliveries to {SINKS} servers in {elapsed:.2} s ({:.0} deliveries/s; queuing took {:.0} ms)",
        FOLLOWERS as f64 / elapsed,
        queued.as_secs_f64() * 1000.0
    );
    instance.shut_down().await;
}

async fn inbox() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);
    instance.follow_as("alice", &peer.actor_id).await;
    let follow = peer
        .wait_for(Duration::from_secs(20), |a| a["type"] == "Follow")
        .await;
    let accept = json!({"id": peer.new_id("accept"), "type": "Accept", "actor": peer.actor_id, "object": follow["id"]});
    assert_eq!(peer.send(&inbox, &accept).await, 202);

    let mut requests = Vec::with_capacity(INBOX_ACTIVITIES);
    for n in 0..INBOX_ACTIVITIES {
        let activity = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": peer.new_id("create"),
            "type": "Create",
            "actor": peer.actor_id,
            "object": {
                "id": format!("{}/notes/{n}", peer.base),
                "type": "Note",
                "attributedTo": peer.actor_id,
                "content": format!("<p>Note {n} from the peer, with <a href=\"https://example.org\">a link</a></p>"),
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
            },
        });
        requests.push(peer.signed_request(&inbox, &activity).await);
    }
    let client = reqwest::Client::new();
    let queue = Arc::new(tokio::sync::Mutex::new(requests));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let queue = queue.clone();
        let client = client.clone();
        workers.spawn(async move {
            loop {
                let Some(request) = queue.lock().await.pop() else {
                    break;
                };
                let status = client.execute(request).await.unwrap().status();
                assert_eq!(status, 202);
            }
        });
    }
    while workers.join_next().await.is_some() {}
    let elapsed = started.elapsed().as_secs_f64();
    let stored = instance.remote_posts().await.len();
    assert_eq!(stored, INBOX_ACTIVITIES);
    println!(
        "inbox: {INBOX_ACTIVITIES} signed Create(Note) activities in {elapsed:.2} s ({:.0} activities/s, 16 at a time)",
        INBOX_ACTIVITIES as f64 / elapsed
    );
    instance.shut_down().await;
}
