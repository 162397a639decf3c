//! Two Staffroom instances on loopback, each with its own database, federating over
//! real HTTP with signatures and the delivery queue.

use staffroom_domain::post::Visibility;
use staffroom_tests::{TestInstance, eventually};

async fn total(instance: &TestInstance, path: &str) -> u64 {
    let (_, collection) = instance.get_json(path).await;
    collection["totalItems"].as_u64().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn two_staffroom_instances_follow_post_and_delete_across() {
    let a = TestInstance::start().await;
    let b = TestInstance::start().await;
    a.create_user("alice", &[]).await;
    b.create_user("bob", &[]).await;
    let bob = format!("{}/users/bob", b.base);

    a.follow_as("alice", &bob).await;
    eventually("bob accepts alice", || async {
        total(&a, "/users/alice/following").await == 1
    })
    .await;
    assert_eq!(total(&b, "/users/bob/followers").await, 1);

    let public = b
        .post_as("bob", "Hello from trust B", Visibility::Public)
        .await;
    let private = b
        .post_as("bob", "For my followers", Visibility::Private)
        .await;
    eventually("both posts reach A", || async {
        a.remote_posts().await.len() == 2
    })
    .await;
    let stored = a.remote_posts().await;
    let by_uri = |uri: &str| stored.iter().find(|p| p.1 == uri).cloned().unwrap();
    assert_eq!(by_uri(&public).2, "<p>Hello from trust B</p>");
    assert_eq!(by_uri(&public).3, "public");
    assert_eq!(by_uri(&private).3, "private");

    b.delete_post_as("bob", &public).await;
    eventually("the deletion reaches A", || async {
        a.remote_posts().await.iter().all(|p| p.1 != public)
    })
    .await;

    a.unfollow_as("alice", &bob).await;
    eventually("bob loses his follower", || async {
        total(&b, "/users/bob/followers").await == 0
    })
    .await;
    let after = b
        .post_as("bob", "After the unfollow", Visibility::Public)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(a.remote_posts().await.iter().all(|p| p.1 != after));
    b.shut_down().await;
    a.shut_down().await;
}
