//! Timeline benchmarks (run with `cargo bench -p staffroom-tests --bench timelines`;
//! set `STAFFROOM_TEST_DATABASE_URL` to measure PostgreSQL). Figures go to
//! `docs/benchmarks.md`; nothing here asserts a time.
//!
//! A real instance on loopback with a seeded database: 10,000 accounts, 1,000,000
//! posts over 100 days (90 % public, 5 % unlisted, 5 % followers-only; one in 50
//! tagged `#ambitionfeed`), and a reader following 1,000 of the accounts. Then, over
//! HTTP with the reader's token:
//!
//! 1. home timeline, pages of 40: the newest page and pages at random depths;
//! 2. tag timeline (`#ambitionfeed`), the same;
//! 3. public timeline under load: 32 connections for 10 seconds, requests/second.
//!
//! Latencies are whole requests (routing, token check, query, rendering 40 statuses,
//! JSON) measured by the client, one at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Alias, OnConflict, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, TransactionTrait};
use staffroom_tests::TestInstance;

const ACCOUNTS: usize = 10_000;
const POSTS: usize = 1_000_000;
const FOLLOWED: usize = 1_000;
const TAG_EVERY: usize = 50;
const BATCH: usize = 500;
const SAMPLES: usize = 200;

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
        let instance = TestInstance::start_for_apps().await;
        let token = instance
            .sign_up_and_in("reader", "correct horse battery", "read")
            .await;
        let started = Instant::now();
        let newest_id = seed(&instance).await;
        println!(
            "seeded {ACCOUNTS} accounts, {POSTS} posts, {FOLLOWED} follows in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        let client = reqwest::Client::new();
        let home = format!("{}/api/v1/timelines/home?limit=40", instance.base);
        let tag = format!(
            "{}/api/v1/timelines/tag/ambitionfeed?limit=40",
            instance.base
        );
        latency(&client, &token, "home", &home, newest_id).await;
        latency(&client, &token, "tag", &tag, newest_id).await;
        load(&instance.base).await;
    });
}

fn at(n: usize, start: DateTime<Utc>) -> DateTime<Utc> {
    // 1,000,000 posts over 100 days: one every 8.64 s.
    start + TimeDelta::milliseconds((n as i64) * 8_640)
}

/// Seeds the instance's database directly (bulk inserts, not the API); the newest
/// post id.
async fn seed(instance: &TestInstance) -> i64 {
    let db = instance.running().db();
    let now = Utc::now();
    let reader = instance.account("reader").await;
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
            let domain = format!("trust{}.example", n % 50);
            let values: Vec<SimpleExpr> = vec![
                (first_account + n as i64).into(),
                "person".into(),
                name.clone().into(),
                domain.clone().into(),
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
    let mut follows = Query::insert();
    follows.into_table(Alias::new("follows")).columns(
        [
            "id",
            "follower_id",
            "target_id",
            "accepted",
            "created_at",
            "notify",
        ]
        .map(Alias::new),
    );
    for n in 0..FOLLOWED {
        let values: Vec<SimpleExpr> = vec![
            (first_account * 2 + n as i64).into(),
            reader.id.into(),
            (first_account + (n * (ACCOUNTS / FOLLOWED)) as i64).into(),
            true.into(),
            now.into(),
            false.into(),
        ];
        follows.values_panic(values);
    }
    txn.execute(&follows).await.unwrap();
    let tag_id: i64 = 42;
    let mut tag = Query::insert();
    tag.into_table(Alias::new("tags"))
        .columns(["id", "name", "created_at"].map(Alias::new))
        .values_panic([tag_id.into(), "ambitionfeed".into(), now.into()])
        .on_conflict(
            OnConflict::column(Alias::new("name"))
                .do_nothing()
                .to_owned(),
        );
    txn.execute(&tag).await.unwrap();
    txn.commit().await.unwrap();

    let start = now - TimeDelta::days(100);
    let mut newest = 0;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for block in (0..POSTS).collect::<Vec<_>>().chunks(20_000) {
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
            let mut tagged = Query::insert();
            tagged
                .into_table(Alias::new("post_tags"))
                .columns(["post_id", "tag_id"].map(Alias::new));
            let mut any_tagged = false;
            for &n in chunk {
                let created = at(n, start);
                let id = (created.timestamp_millis() << 16) | (n as i64 & 0xffff);
                newest = id;
                let author = first_account + (random() % ACCOUNTS as u64) as i64;
                let visibility = match random() % 20 {
                    0 => "unlisted",
                    1 => "private",
                    _ => "public",
                };
                let with_tag = n % TAG_EVERY == 0;
                let content = if with_tag {
                    format!(
                        "<p>Post {n} on <a href=\"https://x/tags/ambitionfeed\">#ambitionfeed</a></p>"
                    )
                } else {
                    format!("<p>Post {n}: what raised attainment this term</p>")
                };
                let values: Vec<SimpleExpr> = vec![
                    id.into(),
                    author.into(),
                    "note".into(),
                    format!("https://bench.example/posts/{n}").into(),
                    false.into(),
                    visibility.into(),
                    content.into(),
                    "".into(),
                    false.into(),
                    created.into(),
                ];
                insert.values_panic(values);
                if with_tag && visibility == "public" {
                    tagged.values_panic([id.into(), tag_id.into()]);
                    any_tagged = true;
                }
            }
            txn.execute(&insert).await.unwrap();
            if any_tagged {
                txn.execute(&tagged).await.unwrap();
            }
        }
        txn.commit().await.unwrap();
    }
    // The reader's home feed, as the posts would have written it arriving after the
    // follows.
    db.execute_unprepared(&format!(
        "INSERT INTO home_feed (account_id, post_id)
         SELECT f.follower_id, p.id FROM follows f JOIN posts p ON p.account_id = f.target_id
         WHERE f.follower_id = {} AND f.accepted
         UNION SELECT account_id, id FROM posts WHERE account_id = {}",
        reader.id, reader.id
    ))
    .await
    .unwrap();
    // Fresh statistics for the query planners; on PostgreSQL also the vacuum that
    // autovacuum would otherwise run in the middle of the measurements.
    let upkeep = if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    db.execute_unprepared(upkeep).await.unwrap();
    newest
}

/// p50 and p99 of `SAMPLES` requests for pages of `url`: half the newest page, half
/// at random depths (a `max_id` somewhere in the last 100 days).
async fn latency(client: &reqwest::Client, token: &str, name: &str, url: &str, newest: i64) {
    let oldest = newest - (TimeDelta::days(100).num_milliseconds() << 16);
    let mut times = Vec::with_capacity(SAMPLES);
    let mut items = 0;
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    // Warm up the caches once.
    client.get(url).bearer_auth(token).send().await.unwrap();
    for n in 0..SAMPLES {
        let target = if n % 2 == 0 {
            url.to_owned()
        } else {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let max_id = oldest + (seed % (newest - oldest) as u64) as i64;
            format!("{url}&max_id={max_id}")
        };
        let started = Instant::now();
        let response = client.get(&target).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let page: Vec<serde_json::Value> = response.json().await.unwrap();
        times.push(started.elapsed());
        items += page.len();
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{name} timeline, pages of 40: p50 {:.1} ms, p99 {:.1} ms ({} statuses per page on average)",
        p(0.50).as_secs_f64() * 1000.0,
        p(0.99).as_secs_f64() * 1000.0,
        items / SAMPLES
    );
}

/// Requests per second for the public timeline (20 statuses, anonymous) from 32
/// connections over 10 seconds.
async fn load(base: &str) {
    let url = format!("{base}/api/v1/timelines/public");
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(10);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let client = reqwest::Client::new();
        let url = url.clone();
        let done = done.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let response = client.get(&url).send().await.unwrap();
                assert_eq!(response.status(), 200);
                response.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    println!("public timeline under load (32 connections, 10 s): {rate:.0} requests/s");
}
