//! Scheduled posts: `POST /api/v1/statuses` with `scheduled_at` keeps the post
//! until its time (shown to nobody, its uploads held for it), the author lists,
//! moves and calls off what waits, and at its time the post is published as any
//! post; mistakes and limits are refused at once, with reasons. On the pages, a
//! post is scheduled from the compose form in the writer's own time and called
//! off from `/scheduled`.

use serde_json::{Value, json};
use staffroom_domain::media::{self, MediaStore};
use staffroom_tests::browser::{Browser, Page};
use staffroom_tests::{TestInstance, eventually};

use crate::media::{png, upload};

fn in_hours(hours: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::hours(hours)).to_rfc3339()
}

/// Makes the scheduled post `id` on `instance` due a minute ago, as if its time
/// had come.
async fn make_due(instance: &TestInstance, id: &str) {
    let due = chrono::Utc::now() - chrono::TimeDelta::minutes(1);
    instance
        .set_time(
            "scheduled_posts",
            "scheduled_at",
            "id",
            id.parse().unwrap(),
            due,
        )
        .await;
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_scheduled_post_waits_unseen_with_its_upload_held_and_is_published_at_its_time() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let token = alice.token.clone().unwrap();
    let picture = upload(&instance, &token, png(16, 16)).await;
    let at = in_hours(1);

    let scheduled = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Inset day reminder: #ambitionfeed reading list",
                   "visibility": "unlisted", "spoiler_text": "Staff only",
                   "media_ids": [picture["id"]], "scheduled_at": at}),
        )
        .await
        .expect(200)
        .body;
    let id = text(&scheduled["id"]).to_owned();
    assert!(
        scheduled.get("content").is_none(),
        "a ScheduledStatus, not a Status"
    );
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(text(&scheduled["scheduled_at"]))
            .unwrap()
            .timestamp(),
        chrono::DateTime::parse_from_rfc3339(&at)
            .unwrap()
            .timestamp()
    );
    assert_eq!(
        scheduled["params"]["text"],
        "Inset day reminder: #ambitionfeed reading list"
    );
    assert_eq!(scheduled["params"]["visibility"], "unlisted");
    assert_eq!(scheduled["params"]["spoiler_text"], "Staff only");
    assert_eq!(scheduled["params"]["media_ids"], json!([picture["id"]]));
    assert_eq!(scheduled["media_attachments"][0]["id"], picture["id"]);

    // Nobody sees it yet, the author included, anywhere posts are shown.
    let me = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    let statuses = format!("/api/v1/accounts/{}/statuses", text(&me["id"]));
    assert!(alice.get(&statuses).await.expect(200).items().is_empty());
    assert!(
        bob.get("/api/v1/timelines/public")
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    assert_eq!(me["statuses_count"], 0);

    // The author's list and the post itself; someone else's answers 404.
    let listed = alice.get("/api/v1/scheduled_statuses").await.expect(200);
    assert_eq!(listed.ids(), vec![id.clone()]);
    alice
        .get(&format!("/api/v1/scheduled_statuses/{id}"))
        .await
        .expect(200);
    bob.get(&format!("/api/v1/scheduled_statuses/{id}"))
        .await
        .expect(404);
    bob.delete(&format!("/api/v1/scheduled_statuses/{id}"))
        .await
        .expect(404);
    assert!(
        bob.get("/api/v1/scheduled_statuses")
            .await
            .expect(200)
            .items()
            .is_empty()
    );

    // Its upload is held: no other post takes it, and the upkeep of unused
    // uploads leaves it, however long it waits.
    let taken = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Now", "media_ids": [picture["id"]]}),
        )
        .await
        .expect(422);
    assert!(taken.body["error"].as_str().unwrap().contains("media_ids"));
    let store =
        MediaStore::local(std::path::Path::new(&instance.env["STAFFROOM_DATA_DIR"]).join("media"));
    let much_later = chrono::Utc::now() + chrono::TimeDelta::days(30);
    assert_eq!(
        media::remove_stale_unattached(instance.running().db(), &store, much_later)
            .await
            .unwrap(),
        0
    );

    // Moved to another time; not to one too soon.
    let later = in_hours(3);
    let moved = alice
        .put(
            &format!("/api/v1/scheduled_statuses/{id}"),
            json!({"scheduled_at": later}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(text(&moved["scheduled_at"]))
            .unwrap()
            .timestamp(),
        chrono::DateTime::parse_from_rfc3339(&later)
            .unwrap()
            .timestamp()
    );
    let soon = (chrono::Utc::now() + chrono::TimeDelta::minutes(1)).to_rfc3339();
    let refused = alice
        .put(
            &format!("/api/v1/scheduled_statuses/{id}"),
            json!({"scheduled_at": soon}),
        )
        .await
        .expect(422);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("5 minutes")
    );

    // Its time comes: published as written, with its picture, and gone from the list.
    make_due(&instance, &id).await;
    eventually("the scheduled post published", || async {
        alice.get(&statuses).await.expect(200).items().len() == 1
    })
    .await;
    let published = &alice.get(&statuses).await.expect(200).items()[0];
    assert!(text(&published["content"]).contains("Inset day reminder"));
    assert_eq!(published["visibility"], "unlisted");
    assert_eq!(published["spoiler_text"], "Staff only");
    assert_eq!(published["media_attachments"][0]["id"], picture["id"]);
    assert_eq!(published["tags"][0]["name"], "ambitionfeed");
    assert!(
        alice
            .get("/api/v1/scheduled_statuses")
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    alice
        .get(&format!("/api/v1/scheduled_statuses/{id}"))
        .await
        .expect(404);
    let shown = bob
        .get(&format!("/api/v1/statuses/{}", text(&published["id"])))
        .await
        .expect(200)
        .body;
    assert!(text(&shown["content"]).contains("Inset day reminder"));
}

#[tokio::test]
async fn scheduled_posts_are_refused_with_reasons_and_can_be_called_off() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let token = alice.token.clone().unwrap();

    for (body, reason) in [
        (
            json!({"status": "Too soon", "scheduled_at": (chrono::Utc::now() + chrono::TimeDelta::minutes(2)).to_rfc3339()}),
            "at least 5 minutes",
        ),
        (
            json!({"status": "In the past", "scheduled_at": "2020-01-01T09:00:00Z"}),
            "at least 5 minutes",
        ),
        (
            json!({"status": "Whenever", "scheduled_at": "next tuesday"}),
            "scheduled_at must be a time",
        ),
        (
            json!({"status": "", "scheduled_at": in_hours(1)}),
            "must not be empty",
        ),
        (
            json!({"status": "x".repeat(5_001), "scheduled_at": in_hours(1)}),
            "too long",
        ),
        (
            json!({"status": "Which?", "scheduled_at": in_hours(1),
                   "poll": {"options": ["Only one"], "expires_in": 3600}}),
            "poll",
        ),
    ] {
        let refused = alice.post("/api/v1/statuses", body).await.expect(422);
        let error = refused.body["error"].as_str().unwrap();
        assert!(error.contains(reason), "{error} should say {reason}");
    }
    assert!(
        alice
            .get("/api/v1/scheduled_statuses")
            .await
            .expect(200)
            .items()
            .is_empty()
    );

    // A poll waits with its post; the form names of `poll[...]` work too.
    let with_poll = alice
        .send_form(
            reqwest::Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "Which day for the network meeting?"),
                ("poll[options][]", "Tuesday"),
                ("poll[options][]", "Thursday"),
                ("poll[expires_in]", "86400"),
                ("scheduled_at", &in_hours(2)),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        with_poll["params"]["poll"]["options"],
        json!(["Tuesday", "Thursday"])
    );

    // At most 25 for one day.
    let day = (chrono::Utc::now() + chrono::TimeDelta::days(2))
        .date_naive()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_utc();
    for n in 0..25 {
        let at = (day + chrono::TimeDelta::minutes(n)).to_rfc3339();
        alice
            .post(
                "/api/v1/statuses",
                json!({"status": format!("Tip {n}"), "scheduled_at": at}),
            )
            .await
            .expect(200);
    }
    let too_many = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Tip 26", "scheduled_at": (day + chrono::TimeDelta::hours(5)).to_rfc3339()}),
        )
        .await
        .expect(422);
    assert!(too_many.body["error"].as_str().unwrap().contains("25"));
    let next_day = (day + chrono::TimeDelta::days(1)).to_rfc3339();
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Tip for the next day", "scheduled_at": next_day}),
        )
        .await
        .expect(200);

    // Paged newest first, with a Link header.
    let first = alice
        .get("/api/v1/scheduled_statuses?limit=10")
        .await
        .expect(200);
    assert_eq!(first.items().len(), 10);
    let next = first.link_to("next").expect("a next page");
    let second = alice.get(&next).await.expect(200);
    assert_eq!(second.items().len(), 10);
    assert!(second.ids().iter().all(|id| !first.ids().contains(id)));

    // Called off: gone, and its upload free for another post.
    let picture = upload(&instance, &token, png(16, 16)).await;
    let waiting = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Photo of the week", "media_ids": [picture["id"]],
                   "scheduled_at": in_hours(4)}),
        )
        .await
        .expect(200)
        .body;
    let id = text(&waiting["id"]);
    alice
        .delete(&format!("/api/v1/scheduled_statuses/{id}"))
        .await
        .expect(200);
    alice
        .get(&format!("/api/v1/scheduled_statuses/{id}"))
        .await
        .expect(404);
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Photo of the week, now", "media_ids": [picture["id"]]}),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn a_post_is_scheduled_from_the_compose_page_in_the_writers_own_time_and_called_off() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", "correct horse battery").await;
    let home = browser.get("/home").await;
    assert!(home.body.contains("name=\"scheduled_at\""), "{}", home.body);

    // 09:30 tomorrow on a clock an hour east of UTC is 08:30 UTC.
    let tomorrow = (chrono::Utc::now() + chrono::TimeDelta::days(1)).date_naive();
    let fields = |page: &Page, text: &str, at: &str| {
        vec![
            ("authenticity_token".to_owned(), page.csrf()),
            ("return_to".to_owned(), "/home".to_owned()),
            ("status".to_owned(), text.to_owned()),
            ("visibility".to_owned(), "public".to_owned()),
            ("spoiler_text".to_owned(), String::new()),
            ("scheduled_at".to_owned(), at.to_owned()),
            ("utc_offset".to_owned(), "60".to_owned()),
        ]
    };
    let done = browser
        .post_multipart(
            "/publish",
            &fields(
                &home,
                "Staff briefing moved to the hall",
                &format!("{tomorrow}T09:30"),
            ),
            &[],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/scheduled"));
    let waiting = browser.get("/scheduled").await;
    assert!(waiting.body.contains("Staff briefing moved to the hall"));
    let utc = tomorrow.and_hms_opt(8, 30, 0).unwrap().and_utc();
    assert!(
        waiting
            .body
            .contains(&utc.format("%-d %b %Y, %H:%M UTC").to_string()),
        "{}",
        waiting.body
    );
    let (status, public) = instance.get_json("/api/v1/timelines/public").await;
    assert_eq!(status, 200);
    assert_eq!(public, serde_json::json!([]), "not published yet");

    // Too soon: the form again, with what was typed and why.
    let soon = (chrono::Utc::now() + chrono::TimeDelta::minutes(1)).format("%Y-%m-%dT%H:%M");
    let refused = browser
        .post_multipart(
            "/publish",
            &[
                fields(&home, "Right now", &soon.to_string())[..5].to_vec(),
                vec![("scheduled_at".to_owned(), soon.to_string())],
            ]
            .concat(),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("at least 5 minutes"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(&soon.to_string()),
        "what was typed stays"
    );

    // Called off from the list, with the page's CSRF token.
    let id = waiting
        .body
        .split("action=\"/scheduled/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a call-off button")
        .to_owned();
    let forged = browser.post(&format!("/scheduled/{id}/cancel"), &[]).await;
    assert_eq!(forged.status, 403, "not without the CSRF token");
    let cancelled = browser
        .post(
            &format!("/scheduled/{id}/cancel"),
            &[("authenticity_token".to_owned(), waiting.csrf())],
        )
        .await;
    assert_eq!(cancelled.status, 303);
    assert!(
        browser
            .get("/scheduled")
            .await
            .body
            .contains("No posts are waiting.")
    );
}
