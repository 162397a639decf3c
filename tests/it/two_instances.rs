//! Two Staffroom instances on loopback, each with its own database, federating over
//! real HTTP with signatures and the delivery queue.

use staffroom_domain::accounts::deletion;
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::{TestInstance, eventually};

pub(crate) async fn total(instance: &TestInstance, path: &str) -> u64 {
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

    b.edit_as("bob", &public, "Hello from trust B, edited #edited")
        .await;
    eventually("the edit reaches A", || async {
        a.remote_posts()
            .await
            .iter()
            .any(|p| p.1 == public && p.2.contains("edited"))
    })
    .await;

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

#[tokio::test]
async fn replies_mentions_hashtags_and_direct_posts_cross_over() {
    let a = TestInstance::start().await;
    let b = TestInstance::start().await;
    a.create_user("alice", &[]).await;
    b.create_user("bob", &[]).await;
    let alice_handle = format!("@alice@{}", a.domain());
    let bob_handle = format!("@bob@{}", b.domain());

    // Bob asks, tagging the monthly challenge and mentioning alice (so A gets it).
    let question = b
        .compose_as(
            "bob",
            &format!("{alice_handle} what works for #AmbitionFeed?"),
            Visibility::Public,
            None,
        )
        .await;
    eventually("bob's question reaches A", || async {
        a.remote_posts().await.iter().any(|p| p.1 == question)
    })
    .await;
    let note: serde_json::Value = b
        .http
        .get(&question)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tags = note["tag"].as_array().unwrap();
    assert!(
        tags.iter()
            .any(|t| t["type"] == "Hashtag" && t["name"] == "#ambitionfeed"),
        "{note}"
    );
    assert!(
        tags.iter()
            .any(|t| t["type"] == "Mention" && t["href"] == format!("{}/users/alice", a.base)),
        "{note}"
    );
    assert!(
        note["content"]
            .as_str()
            .unwrap()
            .contains("class=\"u-url mention\""),
        "{note}"
    );
    eventually("alice is told she was mentioned", || async {
        a.notifications("alice")
            .await
            .iter()
            .any(|n| n.0 == "mention")
    })
    .await;

    // Alice answers; her reply threads under the question on B.
    let answer = a
        .compose_as(
            "alice",
            &format!("{bob_handle} careers week, every year"),
            Visibility::Public,
            Some(&question),
        )
        .await;
    eventually("alice's reply reaches B", || async {
        b.remote_posts().await.iter().any(|p| p.1 == answer)
    })
    .await;
    let question_id: i64 = question.rsplit('/').next().unwrap().parse().unwrap();
    let reply = b
        .remote_posts()
        .await
        .into_iter()
        .find(|p| p.1 == answer)
        .unwrap();
    assert_eq!(reply.4, Some(question_id), "threaded under bob's post");

    // A direct post reaches only the person it mentions, and stays direct.
    let direct = b
        .compose_as(
            "bob",
            &format!("{alice_handle} just between us"),
            Visibility::Direct,
            None,
        )
        .await;
    eventually("the direct post reaches A", || async {
        a.remote_posts().await.iter().any(|p| p.1 == direct)
    })
    .await;
    let stored = a
        .remote_posts()
        .await
        .into_iter()
        .find(|p| p.1 == direct)
        .unwrap();
    assert_eq!(stored.3, "direct");
    b.shut_down().await;
    a.shut_down().await;
}

/// How many deleted accounts of `instance` still hold a private key.
async fn private_keys_of_deleted_accounts(instance: &TestInstance) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = instance.running().db();
    db.query_one_raw(sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT COUNT(*) FROM accounts WHERE deleted_at IS NOT NULL AND private_key_pem IS NOT NULL",
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index(0)
    .unwrap()
}

#[tokio::test]
async fn a_deleted_account_and_its_posts_disappear_from_the_servers_that_knew_it() {
    let mut a = TestInstance::start().await;
    let b = TestInstance::start().await;
    a.create_user("alice", &[]).await;
    b.create_user("bob", &[]).await;
    let alice = format!("{}/users/alice", a.base);
    let lookup = format!("/api/v1/accounts/lookup?acct=alice@{}", a.domain());

    b.follow_as("bob", &alice).await;
    eventually("alice accepts bob", || async {
        total(&a, "/users/alice/followers").await == 1
    })
    .await;
    let post = a
        .post_as("alice", "Hello from trust A", Visibility::Public)
        .await;
    eventually("alice's post reaches B", || async {
        b.remote_posts().await.iter().any(|p| p.1 == post)
    })
    .await;
    assert_eq!(b.get_json(&lookup).await.0, 200);
    assert_eq!(total(&b, "/users/bob/following").await, 1);

    // The deletion is queued while A delivers nothing, and survives a restart:
    // the queued `Delete` is still signed with alice's key.
    a.stop_workers().await;
    let out = a.cli(&["admin", "delete-user", "alice"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        b.remote_posts().await.iter().any(|p| p.1 == post),
        "B heard of the deletion before A sent it"
    );
    assert_eq!(
        deletion::forget_spent_keys(a.running().db()).await.unwrap(),
        0,
        "the key is kept while the Delete waits"
    );
    assert_eq!(private_keys_of_deleted_accounts(&a).await, 1);
    let a = a.restart().await;
    eventually("the deletion reaches B", || async {
        b.remote_posts().await.is_empty()
    })
    .await;
    // Forgotten by the upkeep that runs as the instance starts, or by this call.
    eventually(
        "the key is forgotten once the Delete is delivered",
        || async {
            deletion::forget_spent_keys(a.running().db()).await.unwrap();
            private_keys_of_deleted_accounts(&a).await == 0
        },
    )
    .await;
    assert_eq!(b.get_json(&lookup).await.0, 404);
    assert_eq!(total(&b, "/users/bob/following").await, 0);
    b.shut_down().await;
    a.shut_down().await;
}
