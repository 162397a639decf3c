//! Grouped notifications (`/api/v2/notifications`, Mastodon 4.3): favourites of
//! one post, and follows, come as one group with its count and sample accounts.

use serde_json::json;
use staffroom_tests::TestInstance;

#[tokio::test]
async fn favourites_of_one_post_and_follows_come_grouped() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let post = alice.status("Assembly moved to Thursday").await;
    let post_id = post["id"].as_str().unwrap();
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for fan in [&bob, &carol] {
        fan.post(&format!("/api/v1/statuses/{post_id}/favourite"), json!({}))
            .await
            .expect(200);
        fan.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
            .await
            .expect(200);
    }
    bob.post(
        "/api/v1/statuses",
        json!({"status": "@alice see you there"}),
    )
    .await
    .expect(200);

    let page = alice.get("/api/v2/notifications").await.expect(200).body;
    let groups = page["notification_groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3, "{page}");
    assert_eq!(groups[0]["type"], "mention");
    assert!(
        groups[0]["group_key"]
            .as_str()
            .unwrap()
            .starts_with("ungrouped-")
    );
    let follows = groups.iter().find(|g| g["type"] == "follow").unwrap();
    assert_eq!(follows["notifications_count"], 2);
    assert_eq!(follows["sample_account_ids"].as_array().unwrap().len(), 2);
    let favourites = groups.iter().find(|g| g["type"] == "favourite").unwrap();
    assert_eq!(favourites["notifications_count"], 2);
    assert_eq!(favourites["status_id"], post_id);
    let key = favourites["group_key"].as_str().unwrap();
    assert!(key.starts_with(&format!("favourite-{post_id}-")));
    assert_eq!(
        page["accounts"].as_array().unwrap().len(),
        2,
        "each account once"
    );
    assert_eq!(page["statuses"].as_array().unwrap().len(), 2);

    // v1 names the same groups.
    let v1 = alice
        .get("/api/v1/notifications?types[]=favourite")
        .await
        .expect(200);
    assert!(v1.items().iter().all(|n| n["group_key"] == key));

    let one = alice
        .get(&format!("/api/v2/notifications/{key}"))
        .await
        .expect(200)
        .body;
    assert_eq!(one["notification_groups"][0]["notifications_count"], 2);
    let accounts = alice
        .get(&format!("/api/v2/notifications/{key}/accounts"))
        .await
        .expect(200);
    assert_eq!(accounts.items().len(), 2);
    let unread = alice
        .get("/api/v2/notifications/unread_count")
        .await
        .expect(200);
    assert_eq!(unread.body["count"], 3);

    alice
        .post(&format!("/api/v2/notifications/{key}/dismiss"), json!({}))
        .await
        .expect(200);
    alice
        .get(&format!("/api/v2/notifications/{key}"))
        .await
        .expect(404);
    alice
        .get("/api/v2/notifications/not-a-key")
        .await
        .expect(404);
    let page = alice.get("/api/v2/notifications?limit=1").await.expect(200);
    assert_eq!(
        page.body["notification_groups"].as_array().unwrap().len(),
        1
    );
    assert!(page.link_to("next").is_some());
    instance.shut_down().await;
}
