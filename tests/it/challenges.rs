//! Challenges: featured by administrators (API and command line), shown to apps as
//! announcements and trends, counted instance by instance, and, when their hashtag
//! is hosted elsewhere, gathered through that instance's feed.

use chrono::{TimeDelta, Utc};
use serde_json::json;
use staffroom_tests::{TestInstance, eventually};

fn day(offset_days: i64) -> String {
    (Utc::now() + TimeDelta::days(offset_days))
        .format("%Y-%m-%d")
        .to_string()
}

fn challenge(hashtag: &str) -> serde_json::Value {
    json!({
        "title": "Raising aspirations",
        "description": "**Share** one thing your school does for [disadvantaged pupils](https://example.org/guide). <script>alert(1)</script>",
        "hashtag": hashtag,
        "starts_at": day(-1),
        "ends_at": day(30),
        "run_by": "Northern Leaders Network",
    })
}

#[tokio::test]
async fn administrators_feature_challenges_that_apps_show_as_announcements() {
    let a = TestInstance::start_for_apps().await;
    let head = a.admin("head").await;
    let teacher = a.user("teacher").await;
    let deputy = a.user("deputy").await;

    // Only administrators feature challenges, and what they give is checked.
    teacher
        .post("/api/staffroom/v1/challenges", challenge("ambitionfeed"))
        .await
        .expect(403);
    a.create_user("keen", &["--password-stdin"]).await;
    let keen = staffroom_tests::api::ApiClient::new(
        &a.base,
        Some(
            a.sign_in("keen", "correct horse battery", "read write admin:write")
                .await,
        ),
    );
    let refused = keen
        .post("/api/staffroom/v1/challenges", challenge("ambitionfeed"))
        .await
        .expect(403);
    assert!(
        refused.body["error"].as_str().unwrap().contains("admin"),
        "{}",
        refused.body
    );
    let mut bad = challenge("not a tag!");
    head.post("/api/staffroom/v1/challenges", bad.clone())
        .await
        .expect(422);
    bad["hashtag"] = json!("ambitionfeed");
    bad["ends_at"] = json!(day(-3));
    let backwards = head
        .post("/api/staffroom/v1/challenges", bad)
        .await
        .expect(422);
    assert!(
        backwards.body["error"]
            .as_str()
            .unwrap()
            .contains("ends_at"),
        "{}",
        backwards.body
    );
    let mut untitled = challenge("ambitionfeed");
    untitled["title"] = json!("");
    head.post("/api/staffroom/v1/challenges", untitled)
        .await
        .expect(422);

    let created = head
        .post("/api/staffroom/v1/challenges", challenge("#AmbitionFeed"))
        .await
        .expect(200)
        .body;
    assert_eq!(created["hashtag"], "ambitionfeed");
    assert_eq!(created["current"], true);
    assert_eq!(created["feed_subscription"], serde_json::Value::Null);
    let html = created["description_html"].as_str().unwrap();
    assert!(html.contains("<strong>Share</strong>"), "{html}");
    assert!(!html.contains("<script>"), "{html}");

    // One that ended, featured from the command line.
    let out = a
        .cli(
            &[
                "admin",
                "create-challenge",
                "--title",
                "Reading for pleasure",
                "--hashtag",
                "readingforpleasure",
                "--starts",
                &day(-60),
                "--ends",
                &day(-31),
                "--run-by",
                "Trust A",
                "--description",
                "Books!",
            ],
            "",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let past = a
        .anonymous()
        .get("/api/staffroom/v1/challenges/past")
        .await
        .expect(200);
    assert_eq!(past.strings("title"), vec!["Reading for pleasure"]);
    let current = a
        .anonymous()
        .get("/api/staffroom/v1/challenges/current")
        .await
        .expect(200);
    assert_eq!(current.strings("title"), vec!["Raising aspirations"]);

    // Taking part is counted.
    for (who, text) in [
        (&teacher, "Our pupil panel #ambitionfeed"),
        (&teacher, "And our alumni #AmbitionFeed"),
        (&deputy, "Careers week #ambitionfeed #careers"),
        (&deputy, "Also #careers"),
    ] {
        who.post("/api/v1/statuses", json!({"status": text}))
            .await
            .expect(200);
    }
    teacher
        .post(
            "/api/v1/statuses",
            json!({"status": "Private #ambitionfeed", "visibility": "private"}),
        )
        .await
        .expect(200);
    let shown = a
        .anonymous()
        .get(&format!(
            "/api/staffroom/v1/challenges/{}",
            created["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(shown["posts"], 3);
    assert_eq!(shown["participants"], 2);
    assert_eq!(shown["participation"][0]["local"], true);
    assert_eq!(shown["participation"][0]["domain"], a.domain());

    // Apps show it as an announcement, which each person dismisses for themself.
    a.anonymous().get("/api/v1/announcements").await.expect(401);
    let announcements = teacher.get("/api/v1/announcements").await.expect(200);
    let items = announcements.items();
    assert_eq!(items.len(), 1, "{:?}", items);
    assert_eq!(items[0]["read"], false);
    assert_eq!(items[0]["tags"][0]["name"], "ambitionfeed");
    assert!(
        items[0]["content"]
            .as_str()
            .unwrap()
            .contains("Raising aspirations")
    );
    let id = items[0]["id"].as_str().unwrap();
    teacher
        .post(&format!("/api/v1/announcements/{id}/dismiss"), json!({}))
        .await
        .expect(200);
    assert_eq!(
        teacher.get("/api/v1/announcements").await.items()[0]["read"],
        true
    );
    assert_eq!(
        deputy.get("/api/v1/announcements").await.items()[0]["read"],
        false
    );
    teacher
        .post("/api/v1/announcements/12345/dismiss", json!({}))
        .await
        .expect(404);

    // Its hashtag leads the trends, before tags used by as many people.
    let trends = a.anonymous().get("/api/v1/trends/tags").await.expect(200);
    assert_eq!(trends.strings("name"), vec!["ambitionfeed", "careers"]);

    // Administrators edit it (the hashtag stays) and end it.
    let path = format!("/api/staffroom/v1/challenges/{id}");
    teacher
        .patch(&path, json!({"title": "Nope"}))
        .await
        .expect(403);
    let edited = head
        .patch(
            &path,
            json!({"title": "Raising aspirations together", "hashtag": "other"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(edited["title"], "Raising aspirations together");
    assert_eq!(edited["hashtag"], "ambitionfeed");
    head.patch(&path, json!({"ends_at": day(-5)}))
        .await
        .expect(422);
    head.patch(&path, json!({"ends_at": "soon"}))
        .await
        .expect(422);
    head.patch(&path, json!({"ends_at": Utc::now().to_rfc3339()}))
        .await
        .expect(200);
    assert!(
        teacher
            .get("/api/v1/announcements")
            .await
            .items()
            .is_empty()
    );
    let past = a.anonymous().get("/api/staffroom/v1/challenges/past").await;
    assert_eq!(
        past.strings("title"),
        vec!["Raising aspirations together", "Reading for pleasure"]
    );
    head.delete(&path).await.expect(200);
    head.delete(&path).await.expect(404);
    a.anonymous().get(&path).await.expect(404);
}

#[tokio::test]
async fn a_challenge_hosted_elsewhere_gathers_posts_from_every_instance() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let head = a.admin("head").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    bob.post(
        "/api/v1/statuses",
        json!({"status": "Starting #ambitionfeed"}),
    )
    .await
    .expect(200);

    let mut hosted = challenge("ambitionfeed");
    hosted["feed_host"] = json!(b.domain());
    let created = head
        .post("/api/staffroom/v1/challenges", hosted)
        .await
        .expect(200)
        .body;
    assert_eq!(created["feed_host"], b.domain());
    assert!(
        matches!(
            created["feed_subscription"].as_str(),
            Some("requested" | "subscribed")
        ),
        "{}",
        created["feed_subscription"]
    );
    eventually("B's feed accepts A", || async {
        head.get("/api/staffroom/v1/hashtag_feeds/subscriptions")
            .await
            .expect(200)
            .strings("state")
            == vec!["subscribed"]
    })
    .await;
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Joining in #AmbitionFeed"}),
        )
        .await
        .expect(200);
    bob.post(
        "/api/v1/statuses",
        json!({"status": "More from B #ambitionfeed"}),
    )
    .await
    .expect(200);
    let id = created["id"].as_str().unwrap().to_owned();
    eventually("A counts both instances", || async {
        let shown = a
            .anonymous()
            .get(&format!("/api/staffroom/v1/challenges/{id}"))
            .await
            .body;
        shown["participation"]
            == json!([
                {"domain": a.domain(), "local": true, "posts": 1, "participants": 1},
                {"domain": b.domain(), "local": false, "posts": 2, "participants": 1},
            ])
    })
    .await;
    eventually("alice's post reaches B through its feed", || async {
        b.anonymous()
            .get("/api/v1/timelines/tag/ambitionfeed")
            .await
            .strings("content")
            .iter()
            .any(|c| c.contains("Joining in"))
    })
    .await;

    // Subscriptions are for administrators only.
    alice
        .get("/api/staffroom/v1/hashtag_feeds/subscriptions")
        .await
        .expect(403);
    let subscriptions = head
        .get("/api/staffroom/v1/hashtag_feeds/subscriptions")
        .await;
    let feed_id = subscriptions.items()[0]["id"].as_str().unwrap().to_owned();
    head.delete(&format!(
        "/api/staffroom/v1/hashtag_feeds/subscriptions/{feed_id}"
    ))
    .await
    .expect(200);
    assert!(
        head.get("/api/staffroom/v1/hashtag_feeds/subscriptions")
            .await
            .items()
            .is_empty()
    );
    let bad = head
        .post(
            "/api/staffroom/v1/hashtag_feeds/subscriptions",
            json!({"feed": "bob"}),
        )
        .await;
    assert!(bad.status == 400 || bad.status == 422, "{}", bad.status);
}

#[tokio::test]
async fn a_trusts_admins_run_its_challenges() {
    let a = TestInstance::start_for_apps().await;
    let amara = a.admin("amara").await;
    let head = a.user("head").await;
    let tess = a.user("tess").await;
    let head_id = head.get("/api/v1/accounts/verify_credentials").await.body["id"].clone();
    let trust = amara
        .post(
            "/api/staffroom/v1/trusts",
            json!({"name": "Brookfield Learning Trust", "kind": "multi_academy_trust"}),
        )
        .await
        .expect(200)
        .body;
    let trust_id = trust["id"].as_str().unwrap().to_owned();
    amara
        .post(
            &format!("/api/staffroom/v1/trusts/{trust_id}/admins"),
            json!({"account_id": head_id}),
        )
        .await
        .expect(200);

    // A trust admin features a challenge for their trust, named after it; nobody
    // else but an instance admin may, nor may they feature one for no trust.
    let mut theirs = challenge("brookfieldreads");
    theirs["run_by"] = json!("");
    theirs["trust_id"] = json!(trust_id);
    tess.post("/api/staffroom/v1/challenges", theirs.clone())
        .await
        .expect(403);
    head.post("/api/staffroom/v1/challenges", challenge("nobodys"))
        .await
        .expect(403);
    let created = head
        .post("/api/staffroom/v1/challenges", theirs)
        .await
        .expect(200)
        .body;
    assert_eq!(created["run_by"], "Brookfield Learning Trust");
    assert_eq!(created["trust_id"], trust_id.as_str());
    let path = format!(
        "/api/staffroom/v1/challenges/{}",
        created["id"].as_str().unwrap()
    );
    tess.patch(&path, json!({"title": "Mine now"}))
        .await
        .expect(403);
    head.patch(&path, json!({"title": "Brookfield reads"}))
        .await
        .expect(200);
    amara
        .patch(&path, json!({"run_by": "Brookfield and friends"}))
        .await
        .expect(200);
    let mut unknown = challenge("elsewhere");
    unknown["trust_id"] = json!("12345");
    amara
        .post("/api/staffroom/v1/challenges", unknown)
        .await
        .expect(404);
    head.delete(&path).await.expect(200);
}
