//! Rate limits: headers on every API answer, 429 past the limit, per token and
//! per address; inbox deliveries limited per sending server.

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

#[tokio::test]
async fn a_noisy_server_is_slowed_at_the_inbox_while_others_are_served() {
    use staffroom_tests::peer::Peer;

    let instance =
        TestInstance::start_with(&[("STAFFROOM_INBOX_PER_SERVER_PER_MINUTE", "5")]).await;
    instance.create_user("alice", &[]).await;
    let inbox = format!("{}/inbox", instance.base);
    let noisy = Peer::start().await;
    let quiet = Peer::start().await;
    let view = |peer: &Peer| peer.activity("View", format!("{}/users/alice", instance.base));

    // Deliveries whose signature fails are not the named server's: they use
    // none of its allowance.
    for _ in 0..3 {
        let status = noisy
            .send_altered(&inbox, &view(&noisy), |request| {
                *request.body_mut() = Some(b"{\"forged\":true}".to_vec().into());
            })
            .await;
        assert_eq!(status, 401);
    }
    // Within the minute (a slow machine may cross a minute's turn once, which
    // gives the server a fresh allowance), five deliveries pass and the next is
    // refused.
    let mut accepted = 0;
    let refused = loop {
        let status = noisy.send(&inbox, &view(&noisy)).await;
        if status == 202 {
            accepted += 1;
            assert!(accepted <= 10, "never refused");
            continue;
        }
        break status;
    };
    assert_eq!(refused, 429);
    assert!(accepted >= 5, "{accepted} accepted before the limit");
    // The refusal says when to come back, within the minute.
    let response = reqwest::Client::new()
        .post(&inbox)
        .header("content-type", "application/activity+json")
        .header(
            "signature",
            format!(
                "keyId=\"{}#main-key\",algorithm=\"rsa-sha256\",headers=\"date\",signature=\"x\"",
                noisy.actor_id
            ),
        )
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"].is_string());

    // Another server is not slowed by it.
    for _ in 0..3 {
        assert_eq!(quiet.send(&inbox, &view(&quiet)).await, 202);
    }
    instance.shut_down().await;
}
