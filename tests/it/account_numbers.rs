//! The numbers on an account (posts, the last post's day, followers, following),
//! which the database keeps as posts and follows come and go: each change is
//! counted once, and taking it back uncounts it.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

async fn id_of(client: &ApiClient, username: &str) -> String {
    client
        .get(&format!("/api/v1/accounts/lookup?acct={username}"))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `(statuses, followers, following, last_status_at)` of `id`, as anyone sees them.
async fn numbers(client: &ApiClient, id: &str) -> (u64, u64, u64, Value) {
    let account = client
        .get(&format!("/api/v1/accounts/{id}"))
        .await
        .expect(200)
        .body;
    (
        account["statuses_count"].as_u64().unwrap(),
        account["followers_count"].as_u64().unwrap(),
        account["following_count"].as_u64().unwrap(),
        account["last_status_at"].clone(),
    )
}

#[tokio::test]
async fn posts_and_follows_are_counted_once_and_uncounted_when_taken_back() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let alice_id = id_of(&bob, "alice").await;
    let bob_id = id_of(&alice, "bob").await;
    assert_eq!(numbers(&bob, &alice_id).await, (0, 0, 0, Value::Null));

    // Posts, a boost and a deletion.
    let first = alice.status("The first post").await;
    alice.status("The second post").await;
    let bobs = bob.status("Bob writes").await;
    alice
        .post(
            &format!("/api/v1/statuses/{}/reblog", bobs["id"].as_str().unwrap()),
            json!({}),
        )
        .await
        .expect(200);
    let (posts, _, _, last) = numbers(&bob, &alice_id).await;
    assert_eq!(posts, 3, "two posts and a boost");
    assert!(last.is_string(), "the day of the last post: {last}");
    alice
        .delete(&format!(
            "/api/v1/statuses/{}",
            first["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    alice
        .post(
            &format!("/api/v1/statuses/{}/unreblog", bobs["id"].as_str().unwrap()),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(numbers(&bob, &alice_id).await.0, 1);

    // A request to a locked account is not a follow until it is accepted.
    bob.patch(
        "/api/v1/accounts/update_credentials",
        json!({"locked": true}),
    )
    .await
    .expect(200);
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    carol
        .post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    let (_, followers, following, _) = numbers(&carol, &bob_id).await;
    assert_eq!((followers, following), (0, 0), "only asked");
    let (_, followers, following, _) = numbers(&carol, &alice_id).await;
    assert_eq!((followers, following), (1, 0), "carol follows alice");
    bob.post(
        &format!("/api/v1/follow_requests/{alice_id}/authorize"),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(numbers(&carol, &bob_id).await.1, 1, "accepted");
    assert_eq!(numbers(&carol, &alice_id).await.2, 1);

    // Unfollowing and a block that ends a follow uncount them.
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/unfollow"), json!({}))
        .await
        .expect(200);
    let carol_id = id_of(&alice, "carol").await;
    alice
        .post(&format!("/api/v1/accounts/{carol_id}/block"), json!({}))
        .await
        .expect(200);
    assert_eq!(numbers(&bob, &bob_id).await.1, 0);
    let (_, followers, following, _) = numbers(&bob, &alice_id).await;
    assert_eq!((followers, following), (0, 0));
    assert_eq!(numbers(&bob, &carol_id).await.2, 0);
}
