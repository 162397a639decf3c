//! Favourites, boosts, bookmarks, edits, threads and notifications through the
//! client API.

use serde_json::json;
use staffroom_tests::TestInstance;

#[tokio::test]
async fn favourites_boosts_and_bookmarks_count_show_and_list() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let bob_id = carol.lookup("bob").await["id"].as_str().unwrap().to_owned();
    carol
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    let post = alice.status("Worth sharing").await;
    let id = post["id"].as_str().unwrap();

    let favourited = bob
        .post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(favourited["favourited"], true);
    assert_eq!(favourited["favourites_count"], 1);
    bob.post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
        .await
        .expect(200);
    let boost = bob
        .post(&format!("/api/v1/statuses/{id}/reblog"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(boost["reblog"]["id"], id);
    assert_eq!(boost["reblog"]["reblogs_count"], 1);
    assert_eq!(boost["reblogged"], true);
    assert_eq!(boost["account"]["username"], "bob");
    let bookmarked = bob
        .post(&format!("/api/v1/statuses/{id}/bookmark"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(bookmarked["bookmarked"], true);

    // The boost reaches bob's follower carol, the boosted post inside it.
    let home = carol.get("/api/v1/timelines/home").await.expect(200);
    assert_eq!(home.items()[0]["reblog"]["id"], id);
    // Others see the counts, and their own flags.
    let seen = carol
        .get(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["favourites_count"], 1);
    assert_eq!(seen["reblogs_count"], 1);
    assert_eq!(seen["favourited"], false);
    assert_eq!(seen["bookmarked"], false);
    let by = instance
        .anonymous()
        .get(&format!("/api/v1/statuses/{id}/favourited_by"))
        .await
        .expect(200);
    assert_eq!(by.ids(), [bob_id.as_str()]);
    let by = instance
        .anonymous()
        .get(&format!("/api/v1/statuses/{id}/reblogged_by"))
        .await
        .expect(200);
    assert_eq!(by.ids(), [bob_id.as_str()]);
    assert_eq!(bob.get("/api/v1/favourites").await.expect(200).ids(), [id]);
    assert_eq!(bob.get("/api/v1/bookmarks").await.expect(200).ids(), [id]);
    assert!(
        alice.get("/api/v1/bookmarks").await.ids().is_empty(),
        "bookmarks are private"
    );

    // Alice hears of the favourite and the boost, once each.
    let notifications = alice.get("/api/v1/notifications").await.expect(200);
    let kinds = notifications.strings("type");
    assert_eq!(kinds, ["reblog", "favourite"]);
    let first = &notifications.items()[0];
    assert_eq!(first["account"]["username"], "bob");
    assert_eq!(first["status"]["id"], id);

    // Taking back.
    let undone = bob
        .post(&format!("/api/v1/statuses/{id}/unreblog"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(undone["reblogged"], false);
    assert_eq!(undone["reblogs_count"], 0);
    bob.post(&format!("/api/v1/statuses/{id}/unfavourite"), json!({}))
        .await
        .expect(200);
    bob.post(&format!("/api/v1/statuses/{id}/unbookmark"), json!({}))
        .await
        .expect(200);
    let seen = bob
        .get(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["favourites_count"], 0);
    assert_eq!(seen["bookmarked"], false);
    assert!(carol.get("/api/v1/timelines/home").await.ids().is_empty());

    // Followers-only posts cannot be boosted; unknown ones are 404.
    let private = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Just for followers", "visibility": "private"}),
        )
        .await
        .expect(200)
        .body;
    alice
        .post(
            &format!(
                "/api/v1/statuses/{}/reblog",
                private["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(403);
    bob.post("/api/v1/statuses/42/favourite", json!({}))
        .await
        .expect(404);
}

#[tokio::test]
async fn notifications_filter_by_type_and_can_be_dismissed() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let alice_id = bob.lookup("alice").await["id"].as_str().unwrap().to_owned();
    bob.post(
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({"notify": true}),
    )
    .await
    .expect(200);
    let mention = bob.status("Hello @alice").await;
    let post = alice.status("Alice writes").await;
    bob.post(
        &format!(
            "/api/v1/statuses/{}/favourite",
            post["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await
    .expect(200);

    let all = alice.get("/api/v1/notifications").await.expect(200);
    let kinds = all.strings("type");
    assert_eq!(kinds, ["favourite", "mention", "follow"]);
    let mentions = alice
        .get("/api/v1/notifications?types[]=mention")
        .await
        .expect(200);
    assert_eq!(mentions.items().len(), 1);
    assert_eq!(mentions.items()[0]["status"]["id"], mention["id"]);
    let others = alice
        .get("/api/v1/notifications?exclude_types[]=mention&exclude_types[]=favourite")
        .await
        .expect(200);
    assert_eq!(others.items()[0]["type"], "follow");
    assert!(others.items()[0]["status"].is_null());

    // bob asked to hear of alice's posts.
    let told = bob
        .get("/api/v1/notifications?types[]=status")
        .await
        .expect(200);
    assert_eq!(told.items()[0]["status"]["id"], post["id"]);

    let one = all.ids()[0].clone();
    alice
        .get(&format!("/api/v1/notifications/{one}"))
        .await
        .expect(200);
    bob.get(&format!("/api/v1/notifications/{one}"))
        .await
        .expect(404);
    alice
        .post(&format!("/api/v1/notifications/{one}/dismiss"), json!({}))
        .await
        .expect(200);
    assert_eq!(alice.get("/api/v1/notifications").await.items().len(), 2);
    alice
        .post("/api/v1/notifications/clear", json!({}))
        .await
        .expect(200);
    assert!(alice.get("/api/v1/notifications").await.ids().is_empty());
}

#[tokio::test]
async fn edits_keep_history_and_threads_have_context() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let root = alice.status("First draft #ideas").await;
    let id = root["id"].as_str().unwrap();
    let reply = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "@alice a reply", "in_reply_to_id": id}),
        )
        .await
        .expect(200)
        .body;
    let deeper = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "@bob and back", "in_reply_to_id": reply["id"]}),
        )
        .await
        .expect(200)
        .body;
    bob.post(&format!("/api/v1/statuses/{id}/reblog"), json!({}))
        .await
        .expect(200);

    let edited = alice
        .put(
            &format!("/api/v1/statuses/{id}"),
            json!({"status": "Second draft #plans", "spoiler_text": "Long"}),
        )
        .await
        .expect(200)
        .body;
    let content = edited["content"].as_str().unwrap();
    assert!(content.starts_with("<p>Second draft "), "{content}");
    assert!(content.contains("#<span>plans</span>"), "{content}");
    assert!(edited["edited_at"].is_string());
    assert_eq!(edited["spoiler_text"], "Long");
    assert_eq!(edited["sensitive"], true);
    assert_eq!(edited["tags"][0]["name"], "plans");
    let history = alice
        .get(&format!("/api/v1/statuses/{id}/history"))
        .await
        .expect(200);
    let versions = history.items();
    assert_eq!(versions.len(), 2);
    assert!(
        versions[0]["content"]
            .as_str()
            .unwrap()
            .contains("First draft")
    );
    assert!(
        versions[1]["content"]
            .as_str()
            .unwrap()
            .contains("Second draft")
    );
    assert_eq!(versions[1]["spoiler_text"], "Long");
    let source = alice
        .get(&format!("/api/v1/statuses/{id}/source"))
        .await
        .expect(200)
        .body;
    assert_eq!(source["text"], "Second draft #plans");
    // Only the author edits; the booster hears of the edit.
    bob.put(
        &format!("/api/v1/statuses/{id}"),
        json!({"status": "Mine now"}),
    )
    .await
    .expect(404);
    bob.get(&format!("/api/v1/statuses/{id}/source"))
        .await
        .expect(404);
    let updates = bob
        .get("/api/v1/notifications?types[]=update")
        .await
        .expect(200);
    assert_eq!(updates.items()[0]["status"]["id"], id);
    alice
        .put(&format!("/api/v1/statuses/{id}"), json!({"status": ""}))
        .await
        .expect(422);

    let context = instance
        .anonymous()
        .get(&format!(
            "/api/v1/statuses/{}/context",
            reply["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(context["ancestors"][0]["id"], id);
    assert_eq!(context["descendants"][0]["id"], deeper["id"]);
    let whole = instance
        .anonymous()
        .get(&format!("/api/v1/statuses/{id}/context"))
        .await
        .expect(200)
        .body;
    assert!(whole["ancestors"].as_array().unwrap().is_empty());
    assert_eq!(whole["descendants"][0]["id"], reply["id"]);
    assert_eq!(whole["descendants"][1]["id"], deeper["id"]);
}

#[tokio::test]
async fn unread_notifications_count_from_the_reading_position() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    bob.status("Hello @alice").await;
    bob.status("Hello again @alice").await;
    let unread = alice
        .get("/api/v1/notifications/unread_count")
        .await
        .expect(200);
    assert_eq!(unread.body["count"], 2);
    let oldest = alice.get("/api/v1/notifications").await.ids()[1].clone();
    alice
        .post(
            "/api/v1/markers",
            json!({"notifications": {"last_read_id": oldest}}),
        )
        .await
        .expect(200);
    let unread = alice
        .get("/api/v1/notifications/unread_count")
        .await
        .expect(200);
    assert_eq!(unread.body["count"], 1);
}
