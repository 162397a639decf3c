//! `/api/v1/domain_blocks`: a person blocks servers for themself, lists them a
//! page at a time with the `Link` header, and lifts a block, as on Mastodon.

use serde_json::json;
use staffroom_tests::TestInstance;

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
