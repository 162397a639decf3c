//! Full-text search benchmark (run with `cargo bench -p staffroom-tests --bench
//! search`; set `STAFFROOM_TEST_DATABASE_URL` to measure PostgreSQL and
//! `STAFFROOM_BENCH_POSTS` for another number of posts than 100,000). Figures go
//! to `docs/benchmarks.md`; nothing here asserts a time.
//!
//! A real instance on loopback with a seeded database: 1,000 accounts and
//! `STAFFROOM_BENCH_POSTS` posts (90 % public, 5 % unlisted, 5 % followers-only),
//! each of twelve words: `attainment` in every post, `term` in every other one,
//! and ten drawn from 5,000 rarer words. Then `GET /api/v2/search?type=statuses`
//! over HTTP with a reader's token (20 results, one request at a time) for: a
//! rare word, the word in every post, two words, a word with `from:`, and a word
//! found nowhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

use chrono::{TimeDelta, Utc};
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, TransactionTrait};
use staffroom_tests::TestInstance;

const ACCOUNTS: usize = 1_000;
const RARE_WORDS: u64 = 5_000;
const BATCH: usize = 500;
const SAMPLES: usize = 100;

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
        let posts: usize = std::env::var("STAFFROOM_BENCH_POSTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(100_000);
        println!("engine: {engine}");
        let instance = TestInstance::start_for_apps().await;
        let token = instance
            .sign_up_and_in("reader", "correct horse battery", "read")
            .await;
        let started = Instant::now();
        seed(&instance, posts).await;
        println!(
            "seeded {ACCOUNTS} accounts and {posts} indexed posts in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        let client = reqwest::Client::new();
        let base = format!("{}/api/v2/search?type=statuses&q=", instance.base);
        for (name, q) in [
            ("a rare word", "w1234".to_owned()),
            ("the word in every post", "attainment".to_owned()),
            ("two words", "term w77".to_owned()),
            (
                "a word and from:",
                "attainment from:leader7@bench.example".to_owned(),
            ),
            ("a word found nowhere", "ofsted".to_owned()),
        ] {
            latency(&client, &token, name, &format!("{base}{q}")).await;
        }
    });
}

/// Seeds the instance's database directly (bulk inserts, not the API), the search
/// table included.
async fn seed(instance: &TestInstance, posts: usize) {
    let db = instance.running().db();
    let now = Utc::now();
    let first_account: i64 = 1_000_000;
    let txn = db.begin().await.unwrap();
    for chunk in (0..ACCOUNTS).collect::<Vec<_>>().chunks(BATCH) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("accounts")).columns(
            [
                "id",
                "kind",
                "username",
                "domain",
                "acct",
                "display_name",
                "note",
                "locked",
                "bot",
                "discoverable",
                "uri",
                "public_key_pem",
                "created_at",
                "updated_at",
                "inbox_url",
                "fields",
            ]
            .map(Alias::new),
        );
        for &n in chunk {
            let name = format!("leader{n}");
            let domain = "bench.example";
            let values: Vec<SimpleExpr> = vec![
                (first_account + n as i64).into(),
                "person".into(),
                name.clone().into(),
                domain.into(),
                format!("{name}@{domain}").into(),
                format!("Leader {n}").into(),
                "<p>Headteacher</p>".into(),
                false.into(),
                false.into(),
                true.into(),
                format!("https://{domain}/users/{name}").into(),
                "-----BEGIN PUBLIC KEY-----".into(),
                now.into(),
                now.into(),
                format!("https://{domain}/inbox").into(),
                "[]".into(),
            ];
            insert.values_panic(values);
        }
        txn.execute(&insert).await.unwrap();
    }
    txn.commit().await.unwrap();

    let start = now - TimeDelta::days(100);
    let step = TimeDelta::days(100).num_milliseconds() / posts as i64;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for block in (0..posts).collect::<Vec<_>>().chunks(20_000) {
        let txn = db.begin().await.unwrap();
        for chunk in block.chunks(BATCH) {
            let mut insert = Query::insert();
            insert.into_table(Alias::new("posts")).columns(
                [
                    "id",
                    "account_id",
                    "kind",
                    "uri",
                    "local",
                    "visibility",
                    "content",
                    "spoiler_text",
                    "sensitive",
                    "created_at",
                ]
                .map(Alias::new),
            );
            let mut indexed = Query::insert();
            indexed
                .into_table(Alias::new("post_search"))
                .columns(["post_id", "body"].map(Alias::new));
            for &n in chunk {
                let created = start + TimeDelta::milliseconds(n as i64 * step);
                let id = (created.timestamp_millis() << 16) | (n as i64 & 0xffff);
                let author = first_account + (random() % ACCOUNTS as u64) as i64;
                let visibility = match random() % 20 {
                    0 => "unlisted",
                    1 => "private",
                    _ => "public",
                };
                let mut words = vec!["attainment".to_owned()];
                if n % 2 == 0 {
                    words.push("term".to_owned());
                }
                for _ in 0..10 {
                    words.push(format!("w{}", random() % RARE_WORDS));
                }
                let text = words.join(" ");
                let values: Vec<SimpleExpr> = vec![
                    id.into(),
                    author.into(),
                    "note".into(),
                    format!("https://bench.example/posts/{n}").into(),
                    false.into(),
                    visibility.into(),
                    format!("<p>{text}</p>").into(),
                    "".into(),
                    false.into(),
                    created.into(),
                ];
                insert.values_panic(values);
                indexed.values_panic([id.into(), text.into()]);
            }
            txn.execute(&insert).await.unwrap();
            txn.execute(&indexed).await.unwrap();
        }
        txn.commit().await.unwrap();
    }
    let upkeep = if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    db.execute_unprepared(upkeep).await.unwrap();
}

/// p50 and p99 of `SAMPLES` searches for `url`.
async fn latency(client: &reqwest::Client, token: &str, name: &str, url: &str) {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut items = 0;
    client.get(url).bearer_auth(token).send().await.unwrap();
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let response = client.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let found: serde_json::Value = response.json().await.unwrap();
        times.push(started.elapsed());
        items += found["statuses"].as_array().unwrap().len();
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{name}: p50 {:.1} ms, p99 {:.1} ms ({} statuses per answer)",
        p(0.50).as_secs_f64() * 1000.0,
        p(0.99).as_secs_f64() * 1000.0,
        items / SAMPLES
    );
}
