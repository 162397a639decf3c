//! Trending posts (`/api/v1/trends/statuses`): the public posts of the last days
//! favourited and boosted the most.

use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

async fn post(author: &ApiClient, body: serde_json::Value) -> String {
    author.post("/api/v1/statuses", body).await.expect(200).body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_most_favourited_and_boosted_public_posts_trend() {
    let instance = TestInstance::start_for_apps().await;
    let author = instance.user("author").await;
    let fans = [
        instance.user("fan1").await,
        instance.user("fan2").await,
        instance.user("fan3").await,
    ];
    let author_id = author.lookup("author").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for fan in &fans {
        fan.post(&format!("/api/v1/accounts/{author_id}/follow"), json!({}))
            .await
            .expect(200);
    }
    let liked = post(&author, json!({"status": "Liked a little"})).await;
    let loved = post(&author, json!({"status": "Loved"})).await;
    let _ignored = post(&author, json!({"status": "Nobody cared"})).await;
    let unlisted = post(
        &author,
        json!({"status": "Unlisted", "visibility": "unlisted"}),
    )
    .await;
    let private = post(
        &author,
        json!({"status": "Followers", "visibility": "private"}),
    )
    .await;
    let sensitive = post(&author, json!({"status": "Sensitive", "sensitive": true})).await;
    let local_only = post(&author, json!({"status": "Ours", "local_only": true})).await;
    for id in [&loved, &unlisted, &private, &sensitive, &local_only] {
        for fan in &fans {
            fan.post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
                .await
                .expect(200);
        }
    }
    fans[0]
        .post(&format!("/api/v1/statuses/{liked}/favourite"), json!({}))
        .await
        .expect(200);
    fans[1]
        .post(&format!("/api/v1/statuses/{liked}/reblog"), json!({}))
        .await
        .expect(200);
    fans[2]
        .post(&format!("/api/v1/statuses/{loved}/reblog"), json!({}))
        .await
        .expect(200);

    // Loved (3 favourites and a boost), then liked (one of each); the others
    // are not public and listed, or are sensitive or local-only.
    let reader = instance.user("reader").await;
    let trends = reader.get("/api/v1/trends/statuses").await.expect(200);
    assert_eq!(trends.ids(), [loved.clone(), liked.clone()]);
    assert_eq!(trends.items()[0]["favourites_count"], 3);
    assert_eq!(trends.items()[0]["reblogs_count"], 1);
    let anonymous = instance
        .anonymous()
        .get("/api/v1/trends/statuses")
        .await
        .expect(200);
    assert_eq!(anonymous.ids(), [loved.clone(), liked.clone()]);
    let second = reader
        .get("/api/v1/trends/statuses?offset=1&limit=1")
        .await
        .expect(200);
    assert_eq!(second.ids(), vec![liked.clone()]);
    reader
        .get("/api/v1/trends/statuses?limit=x")
        .await
        .expect(400);

    // Someone who mutes the author sees none of their posts trend.
    reader
        .post(&format!("/api/v1/accounts/{author_id}/mute"), json!({}))
        .await
        .expect(200);
    assert!(
        reader
            .get("/api/v1/trends/statuses")
            .await
            .expect(200)
            .ids()
            .is_empty()
    );
    instance.shut_down().await;
}
