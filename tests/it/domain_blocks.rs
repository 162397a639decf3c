//! `/api/v1/domain_blocks`: a person blocks servers for themself, lists them a
//! page at a time with the `Link` header, and lifts a block, as on Mastodon;
//! the blocked server's accounts stop following them and their notifications
//! are hidden.

use serde_json::json;
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::{TestInstance, eventually};

use crate::two_instances::total;

#[tokio::test]
async fn a_person_blocks_lists_and_unblocks_servers() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    assert!(
        alice
            .get("/api/v1/domain_blocks")
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    for domain in ["one.example", "Two.Example", "three.example"] {
        alice
            .post("/api/v1/domain_blocks", json!({"domain": domain}))
            .await
            .expect(200);
    }
    // Blocking again changes nothing; bad input is refused.
    alice
        .post("/api/v1/domain_blocks", json!({"domain": "one.example"}))
        .await
        .expect(200);
    alice
        .post("/api/v1/domain_blocks", json!({}))
        .await
        .expect(422);
    alice
        .post("/api/v1/domain_blocks", json!({"domain": "not a domain"}))
        .await
        .expect(422);
    alice
        .post("/api/v1/domain_blocks", json!({"domain": "x".repeat(300)}))
        .await
        .expect(422);
    alice
        .post(
            "/api/v1/domain_blocks",
            json!({"domain": instance.domain()}),
        )
        .await
        .expect(422);

    let all = alice.get("/api/v1/domain_blocks").await.expect(200);
    let strings = |reply: &staffroom_tests::api::Reply| -> Vec<String> {
        reply
            .items()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        strings(&all),
        ["three.example", "two.example", "one.example"]
    );
    // Paging with the Link header.
    let first = alice.get("/api/v1/domain_blocks?limit=2").await.expect(200);
    assert_eq!(strings(&first), ["three.example", "two.example"]);
    let next = first.link_to("next").expect("a next link");
    let second = alice.get(&next).await.expect(200);
    assert_eq!(strings(&second), ["one.example"]);

    // Another person's list is their own; reading needs a token.
    let bob = instance.user("bob").await;
    assert!(
        bob.get("/api/v1/domain_blocks")
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    instance
        .anonymous()
        .get("/api/v1/domain_blocks")
        .await
        .expect(401);

    // Unblocking, by the query as Mastodon's apps send it, or the body.
    alice
        .delete("/api/v1/domain_blocks?domain=two.example")
        .await
        .expect(200);
    alice
        .send(
            reqwest::Method::DELETE,
            "/api/v1/domain_blocks",
            Some(json!({"domain": "ONE.example"})),
        )
        .await
        .expect(200);
    let left = alice.get("/api/v1/domain_blocks").await.expect(200);
    assert_eq!(strings(&left), ["three.example"]);
    instance.shut_down().await;
}

/// Whether a notification came from an account of `domain`.
fn from_server(notification: &serde_json::Value, domain: &str) -> bool {
    notification["account"]["acct"]
        .as_str()
        .is_some_and(|acct| acct.ends_with(&format!("@{domain}")))
}

#[tokio::test]
async fn a_blocked_server_loses_its_follows_and_its_notifications_are_hidden() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start().await;
    let alice = a.user("alice").await;
    let dan = a.user("dan").await;
    b.create_user("carol", &[]).await;
    let alice_uri = format!("{}/users/alice", a.base);

    b.follow_as("carol", &alice_uri).await;
    eventually("carol follows alice", || async {
        total(&b, "/users/carol/following").await == 1
    })
    .await;
    b.compose_as(
        "carol",
        &format!("@alice@{} are you coming on Friday?", a.domain()),
        Visibility::Public,
        None,
    )
    .await;
    eventually("alice hears of carol", || async {
        let items = alice.get("/api/v1/notifications").await.expect(200).items();
        items.iter().any(|n| n["type"] == "mention") && items.iter().any(|n| n["type"] == "follow")
    })
    .await;
    // A follower here stays.
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    dan.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    assert_eq!(total(&a, "/users/alice/followers").await, 2);

    alice
        .post("/api/v1/domain_blocks", json!({"domain": b.domain()}))
        .await
        .expect(200);

    // Carol's notifications are hidden, dan's stay; the badge counts only his.
    let items = alice.get("/api/v1/notifications").await.expect(200).items();
    assert!(
        items.iter().all(|n| !from_server(n, b.domain())),
        "{items:?}"
    );
    assert!(
        items.iter().any(|n| n["account"]["acct"] == "dan"),
        "{items:?}"
    );
    // Carol no longer follows alice, here and on her own server.
    assert_eq!(total(&a, "/users/alice/followers").await, 1);
    eventually(
        "carol's server hears she no longer follows alice",
        || async { total(&b, "/users/carol/following").await == 0 },
    )
    .await;

    // Lifting the block shows the notifications again; the follow stays ended.
    alice
        .delete(&format!("/api/v1/domain_blocks?domain={}", b.domain()))
        .await
        .expect(200);
    let items = alice.get("/api/v1/notifications").await.expect(200).items();
    assert!(
        items.iter().any(|n| from_server(n, b.domain())),
        "{items:?}"
    );
    assert_eq!(total(&a, "/users/alice/followers").await, 1);
    b.shut_down().await;
    a.shut_down().await;
}
