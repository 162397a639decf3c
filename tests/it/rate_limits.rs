//! Rate limits: headers on every API answer, 429 past the limit, per token and
//! per address, and federation never limited.

use serde_json::json;
use staffroom_tests::TestInstance;

#[tokio::test]
async fn clients_are_told_their_limit_and_refused_past_it() {
    let a = TestInstance::start_with(&[
        ("STAFFROOM_PASSWORD_GRANT", "true"),
        ("STAFFROOM_RATE_LIMIT", "12"),
    ])
    .await;
    let alice = a.user("alice").await;

    // Each answer says where the client stands.
    let first = a
        .http
        .get(format!("{}/api/v1/timelines/public", a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(first.headers()["x-ratelimit-limit"], "12");
    let remaining: u32 = first.headers()["x-ratelimit-remaining"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let reset = first.headers()["x-ratelimit-reset"].to_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(reset).is_ok(),
        "{reset}"
    );

    // Without a token, the address is counted: past the limit, 429.
    for _ in 0..remaining {
        a.anonymous()
            .get("/api/v1/timelines/public")
            .await
            .expect(200);
    }
    let refused = a
        .http
        .get(format!("{}/api/v1/timelines/public", a.base))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    let wait: i64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&wait), "{wait}");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "Too many requests");

    // A signed-in account has its own count; federation and pages are not limited.
    alice
        .post("/api/v1/statuses", json!({"status": "Still here"}))
        .await
        .expect(200);
    assert_eq!(a.get("/@alice").await.status(), 200);
    assert_eq!(
        a.get(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            a.domain()
        ))
        .await
        .status(),
        200
    );

    // Sign-ups are counted by address, more strictly: 12 / 60 rounds up to one.
    let sign_up = |n: u32| {
        let a = &a;
        async move {
            a.http
                .post(format!("{}/api/v1/accounts", a.base))
                .json(&json!({"username": format!("new{n}"), "email": format!("new{n}@example.org"), "password": "correct horse battery", "agreement": true}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_ne!(sign_up(1).await, 429);
    assert_eq!(sign_up(2).await, 429);
}
