//! `/api/v1/statuses`: posting from an app, reading and deleting, with the entity
//! fields apps need, idempotent retries, the error shapes, and federation.

use std::time::Duration;

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::peer::Peer;

const PASSWORD: &str = "correct horse battery";

async fn instance() -> TestInstance {
    TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await
}

async fn post_status(
    instance: &TestInstance,
    token: &str,
    body: Value,
    key: Option<&str>,
) -> (u16, Value) {
    let mut request = instance
        .http
        .post(format!("{}/api/v1/statuses", instance.base))
        .bearer_auth(token)
        .json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn get_status(instance: &TestInstance, id: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = instance
        .http
        .get(format!("{}/api/v1/statuses/{id}", instance.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn a_status_posted_from_an_app_has_every_field_apps_read() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let (status, created) = post_status(
        &instance,
        &token,
        json!({"status": "Careers week for #AmbitionFeed", "visibility": "public", "language": "en"}),
        None,
    )
    .await;
    assert_eq!(status, 200, "{created}");
    for key in [
        "id",
        "uri",
        "url",
        "created_at",
        "account",
        "content",
        "visibility",
        "sensitive",
        "spoiler_text",
        "media_attachments",
        "mentions",
        "tags",
        "emojis",
        "reblogs_count",
        "favourites_count",
        "replies_count",
        "in_reply_to_id",
        "in_reply_to_account_id",
        "reblog",
        "poll",
        "card",
        "language",
        "edited_at",
        "favourited",
        "reblogged",
        "bookmarked",
        "muted",
        "pinned",
        "filtered",
    ] {
        assert!(created.get(key).is_some(), "{key} is missing: {created}");
    }
    let id = created["id"].as_str().expect("ids are strings").to_owned();
    assert_eq!(created["account"]["username"], "alice");
    assert_eq!(created["text"], "Careers week for #AmbitionFeed");
    assert_eq!(
        created["tags"],
        json!([{"name": "ambitionfeed", "url": format!("{}/tags/ambitionfeed", instance.base)}])
    );
    assert!(
        created["content"]
            .as_str()
            .unwrap()
            .contains("class=\"mention hashtag\"")
    );
    assert_eq!(
        created["uri"],
        format!("{}/users/alice/statuses/{id}", instance.base)
    );
    for null in ["in_reply_to_id", "reblog", "poll", "card", "edited_at"] {
        assert!(created[null].is_null(), "{null}");
    }
    assert_eq!(created["favourited"], false);
    let created_at = created["created_at"].as_str().unwrap();
    assert!(
        created_at.ends_with('Z') && created_at.len() == 24,
        "{created_at}"
    );

    // Anyone may read a public post; the viewer-only fields need a token.
    let (status, anonymous) = get_status(&instance, &id, None).await;
    assert_eq!(status, 200);
    assert!(anonymous.get("favourited").is_none());

    // A reply names what it answers.
    let (_, reply) = post_status(
        &instance,
        &token,
        json!({"status": "And a reply", "in_reply_to_id": id}),
        None,
    )
    .await;
    assert_eq!(reply["in_reply_to_id"], id);
    assert_eq!(reply["in_reply_to_account_id"], created["account"]["id"]);
    let (_, original) = get_status(&instance, &id, Some(&token)).await;
    assert_eq!(original["replies_count"], 1);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_retried_post_with_the_same_idempotency_key_is_made_once() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let body = json!({"status": "Posted once, sent twice"});
    let (_, first) = post_status(&instance, &token, body.clone(), Some("key-1")).await;
    let (_, again) = post_status(&instance, &token, body.clone(), Some("key-1")).await;
    let (_, other) = post_status(&instance, &token, body, Some("key-2")).await;
    assert_eq!(first["id"], again["id"]);
    assert_ne!(first["id"], other["id"]);
    let (_, nodeinfo) = instance.get_json("/nodeinfo/2.1").await;
    assert_eq!(nodeinfo["usage"]["localPosts"], 2);
    instance.shut_down().await;
}

#[tokio::test]
async fn bad_requests_get_mastodon_errors_and_store_nothing() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let reader = instance.sign_in("alice", PASSWORD, "read").await;
    let cases = [
        (json!({"status": ""}), 422),
        (json!({"status": "x".repeat(5_001)}), 422),
        (json!({"status": "hi", "visibility": "everyone"}), 422),
        (json!({"status": "hi", "in_reply_to_id": "123"}), 404),
    ];
    for (body, expected) in cases {
        let (status, error) = post_status(&instance, &token, body.clone(), None).await;
        assert_eq!(status, expected, "{body}: {error}");
        assert!(error["error"].is_string(), "{error}");
    }
    let (status, _) = post_status(&instance, &reader, json!({"status": "hi"}), None).await;
    assert_eq!(status, 403, "a read-only token cannot post");
    let unauthenticated = instance
        .http
        .post(format!("{}/api/v1/statuses", instance.base))
        .json(&json!({"status": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let (status, _) = get_status(&instance, "987654321", Some(&token)).await;
    assert_eq!(status, 404);
    let (_, nodeinfo) = instance.get_json("/nodeinfo/2.1").await;
    assert_eq!(nodeinfo["usage"]["localPosts"], 0, "nothing half-written");
    instance.shut_down().await;
}

#[tokio::test]
async fn private_posts_are_hidden_and_only_authors_delete() {
    let instance = instance().await;
    let alice = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let bob = instance.sign_up_and_in("bob", PASSWORD, "read write").await;
    let (_, private) = post_status(
        &instance,
        &alice,
        json!({"status": "For followers", "visibility": "private"}),
        None,
    )
    .await;
    let id = private["id"].as_str().unwrap();
    assert_eq!(get_status(&instance, id, None).await.0, 404);
    assert_eq!(
        get_status(&instance, id, Some(&bob)).await.0,
        404,
        "bob does not follow alice"
    );
    assert_eq!(get_status(&instance, id, Some(&alice)).await.0, 200);

    let delete = |token: String| {
        let url = format!("{}/api/v1/statuses/{id}", instance.base);
        let http = instance.http.clone();
        async move { http.delete(url).bearer_auth(token).send().await.unwrap() }
    };
    assert_eq!(delete(bob.clone()).await.status(), 404);
    let deleted = delete(alice.clone()).await;
    assert_eq!(deleted.status(), 200);
    let deleted: Value = deleted.json().await.unwrap();
    assert_eq!(deleted["text"], "For followers", "for delete and redraft");
    assert_eq!(get_status(&instance, id, Some(&alice)).await.0, 404);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_status_posted_from_an_app_federates_to_followers() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let peer = Peer::start().await;
    let follow = peer.activity("Follow", format!("{}/users/alice", instance.base));
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    peer.wait_for(Duration::from_secs(20), |a| a["type"] == "Accept")
        .await;

    let (_, created) = post_status(
        &instance,
        &token,
        json!({"status": "Hello, followers"}),
        None,
    )
    .await;
    let create = peer
        .wait_for(Duration::from_secs(20), |a| {
            a["type"] == "Create" && a["object"]["id"] == created["uri"]
        })
        .await;
    assert_eq!(create["object"]["content"], "<p>Hello, followers</p>");

    let id = created["id"].as_str().unwrap();
    let deleted = instance
        .http
        .delete(format!("{}/api/v1/statuses/{id}", instance.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    peer.wait_for(Duration::from_secs(20), |a| {
        a["type"] == "Delete" && a["object"]["id"] == created["uri"]
    })
    .await;
    instance.shut_down().await;
}

#[tokio::test]
async fn a_mention_naming_this_instances_domain_is_linked_as_a_bare_one_is() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    instance.user("bob").await;
    let post = alice
        .status(&format!("Thanks @bob@{} and @bob", instance.domain()))
        .await;
    let content = post["content"].as_str().unwrap();
    assert_eq!(
        content.matches("class=\"u-url mention\"").count(),
        2,
        "{content}"
    );
    assert_eq!(post["mentions"].as_array().unwrap().len(), 1, "{post}");
}
