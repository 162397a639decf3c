//! Accounts suggested to follow (`/api/v1/suggestions`, `/api/v2/suggestions`)
//! and dismissing one.

use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

async fn id_of(client: &ApiClient, username: &str) -> String {
    client.lookup(username).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The usernames of the v2 suggestions, each with its `source` and `sources`.
async fn suggested(client: &ApiClient) -> Vec<(String, String, String)> {
    client
        .get("/api/v2/suggestions")
        .await
        .expect(200)
        .items()
        .iter()
        .map(|s| {
            assert_eq!(s["sources"].as_array().unwrap().len(), 1, "{s}");
            (
                s["account"]["username"].as_str().unwrap().to_owned(),
                s["source"].as_str().unwrap().to_owned(),
                s["sources"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn names(found: &[(String, String, String)]) -> Vec<&str> {
    found.iter().map(|(name, _, _)| name.as_str()).collect()
}

#[tokio::test]
async fn suggestions_are_friends_of_friends_then_the_most_active_people() {
    let instance = TestInstance::start_for_apps().await;
    let reader = instance.user("reader").await;
    let friend = instance.user("friend").await;
    let other_friend = instance.user("otherfriend").await;
    let _popular = instance.user("popular").await;
    let _known = instance.user("known").await;
    let busy = instance.user("busy").await;
    let active = instance.user("active").await;
    let _quiet = instance.user("quiet").await;
    let blocked = instance.user("blocked").await;
    let muted = instance.user("muted").await;
    let hidden = instance.user("hidden").await;
    for (who, whom) in [
        (&reader, "friend"),
        (&reader, "otherfriend"),
        (&friend, "popular"),
        (&other_friend, "popular"),
        (&friend, "known"),
    ] {
        let id = id_of(who, whom).await;
        who.post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await
            .expect(200);
    }
    for (who, posts) in [
        (&busy, 3),
        (&active, 1),
        (&blocked, 5),
        (&muted, 5),
        (&hidden, 5),
        (&friend, 5),
    ] {
        for n in 0..posts {
            who.status(&format!("Post {n}")).await;
        }
    }
    reader
        .post(
            &format!("/api/v1/accounts/{}/block", id_of(&reader, "blocked").await),
            json!({}),
        )
        .await
        .expect(200);
    reader
        .post(
            &format!("/api/v1/accounts/{}/mute", id_of(&reader, "muted").await),
            json!({}),
        )
        .await
        .expect(200);
    hidden
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"discoverable": false}),
        )
        .await
        .expect(200);

    // Followed by two, then by one of those the reader follows; then by posts
    // these days. Not the reader, nor whom they follow, block or mute, nor
    // someone who is not discoverable, nor someone quiet and unknown.
    let found = suggested(&reader).await;
    assert_eq!(names(&found), ["popular", "known", "busy", "active"]);
    for (_, source, sources) in &found[..2] {
        assert_eq!(
            (source.as_str(), sources.as_str()),
            ("past_interactions", "friends_of_friends")
        );
    }
    for (_, source, sources) in &found[2..] {
        assert_eq!(
            (source.as_str(), sources.as_str()),
            ("global", "most_interactions")
        );
    }
    let v1 = reader.get("/api/v1/suggestions?limit=2").await.expect(200);
    assert_eq!(v1.strings("username"), ["popular", "known"]);

    // Dismissed, or followed, it is suggested no more.
    let known_id = id_of(&reader, "known").await;
    let dismissed = reader
        .delete(&format!("/api/v1/suggestions/{known_id}"))
        .await
        .expect(200);
    assert_eq!(dismissed.body, json!({}));
    let busy_id = id_of(&reader, "busy").await;
    reader
        .post(&format!("/api/v1/accounts/{busy_id}/follow"), json!({}))
        .await
        .expect(200);
    assert_eq!(names(&suggested(&reader).await), ["popular", "active"]);
    instance
        .anonymous()
        .get("/api/v2/suggestions")
        .await
        .expect(401);
    instance.shut_down().await;
}
