//! Featured hashtags: a person picks up to ten of the hashtags they write under,
//! and their profile shows them with the count of their public posts.

use serde_json::json;
use staffroom_tests::TestInstance;

#[tokio::test]
async fn a_person_features_hashtags_their_profile_shows_with_their_public_posts() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    for (text, visibility) in [
        ("Phonics week #Reading", "public"),
        ("Library open late #reading", "public"),
        ("Staff only: budget for books #reading", "private"),
        ("Times tables #maths", "public"),
    ] {
        alice
            .post(
                "/api/v1/statuses",
                json!({"status": text, "visibility": visibility}),
            )
            .await
            .expect(200);
    }

    let suggested = alice
        .get("/api/v1/featured_tags/suggestions")
        .await
        .expect(200);
    let names: Vec<String> = suggested
        .items()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["maths", "reading"], "most recently used first");

    let featured = alice
        .post("/api/v1/featured_tags", json!({"name": "#Reading"}))
        .await
        .expect(200)
        .body;
    assert_eq!(featured["name"], "reading");
    assert_eq!(
        featured["statuses_count"], 2,
        "the followers-only post is not counted"
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(featured["last_status_at"], today.as_str());
    assert!(featured["url"].as_str().unwrap().ends_with("/tags/reading"));
    // Featuring it again changes nothing.
    let again = alice
        .post("/api/v1/featured_tags", json!({"name": "reading"}))
        .await
        .expect(200)
        .body;
    assert_eq!(again["id"], featured["id"]);

    let mine = alice.get("/api/v1/featured_tags").await.expect(200);
    assert_eq!(mine.items().len(), 1);
    let left = alice
        .get("/api/v1/featured_tags/suggestions")
        .await
        .expect(200);
    assert_eq!(
        left.items()[0]["name"],
        "maths",
        "a featured one is no suggestion"
    );

    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let shown = instance
        .anonymous()
        .get(&format!("/api/v1/accounts/{alice_id}/featured_tags"))
        .await
        .expect(200);
    assert_eq!(shown.items()[0]["name"], "reading");
    assert_eq!(shown.items()[0]["statuses_count"], 2);

    // Bad names, the limit of ten, and someone else's featured tag.
    for bad in ["", "#", "not a tag!"] {
        let refused = alice
            .post("/api/v1/featured_tags", json!({"name": bad}))
            .await
            .expect(422);
        assert!(refused.body["error"].is_string(), "{bad:?}");
    }
    for n in 0..9 {
        alice
            .post(
                "/api/v1/featured_tags",
                json!({"name": format!("topic{n}")}),
            )
            .await
            .expect(200);
    }
    alice
        .post("/api/v1/featured_tags", json!({"name": "onetoomany"}))
        .await
        .expect(422);
    let id = featured["id"].as_str().unwrap();
    bob.delete(&format!("/api/v1/featured_tags/{id}"))
        .await
        .expect(404);
    alice
        .delete(&format!("/api/v1/featured_tags/{id}"))
        .await
        .expect(200);
    let after = alice.get("/api/v1/featured_tags").await.expect(200);
    assert_eq!(after.items().len(), 9);
    assert!(after.items().iter().all(|t| t["name"] != "reading"));
    instance
        .anonymous()
        .get("/api/v1/featured_tags")
        .await
        .expect(401);
    instance.shut_down().await;
}
