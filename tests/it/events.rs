//! Events: organised through the project's API and refused with reasons, shown in
//! Mastodon apps as a status with the date, place and link, answered going,
//! interested or not going, with a waiting list at capacity and the organiser's
//! approval when they restrict it; their iCalendar files and feeds; the reminder
//! the day before; the pages; and across two instances, an event federated as
//! Mobilizon's `Event`, joined from the other side (`Join`, `Accept`, `Reject`,
//! `Leave`).

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;
use staffroom_tests::{TestInstance, eventually, two_instances};

const EVENTS: &str = "/api/staffroom/v1/events";

fn at(from_now: Duration) -> String {
    (Utc::now() + from_now).to_rfc3339()
}

/// A residential ten days from now, with `extra` fields.
fn residential(extra: Value) -> Value {
    let mut body = json!({
        "title": "Spring residential for new heads",
        "description": "Two days on curriculum and culture.\n\nBring your school development plan.",
        "starts_at": at(Duration::days(10)),
        "ends_at": at(Duration::days(11)),
        "timezone": "Europe/London",
        "place_name": "Kenn Centre",
        "address": "Exeter EX6 7TW",
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

async fn organise(client: &ApiClient, extra: Value) -> Value {
    client
        .post(EVENTS, residential(extra))
        .await
        .expect(200)
        .body
}

async fn rsvp(client: &ApiClient, id: &str, status: &str) -> Value {
    client
        .post(&format!("{EVENTS}/{id}/rsvp"), json!({ "status": status }))
        .await
        .expect(200)
        .body
}

#[tokio::test]
async fn an_event_is_organised_shown_as_a_status_and_refused_with_reasons() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let made = organise(&alice, json!({"capacity": 30})).await;
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["title"], "Spring residential for new heads");
    assert_eq!(made["timezone"], "Europe/London");
    assert_eq!(made["place"]["name"], "Kenn Centre");
    assert_eq!(made["capacity"], 30);
    assert_eq!(made["remaining"], 30);
    assert_eq!(made["join_mode"], "free");
    assert_eq!(made["organiser"]["acct"], "alice");
    assert_eq!(made["counts"]["going"], 0);
    assert_eq!(made["rsvp"], Value::Null);
    assert_eq!(
        made["url"],
        format!("{}/events/{id}", instance.base.trim_end_matches('/'))
    );
    assert!(made["when"].as_str().unwrap().contains("(Europe/London)"));

    // In Mastodon apps it is a status: title, when, where, and a link to its page.
    let status = alice
        .get(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200)
        .body;
    let content = status["content"].as_str().unwrap();
    assert!(
        content.starts_with("<p><strong>Spring residential for new heads</strong></p><p>When: ")
    );
    assert!(content.contains(made["when"].as_str().unwrap()));
    assert!(content.contains("Where: Kenn Centre, Exeter EX6 7TW"));
    assert!(content.contains("<p>Bring your school development plan.</p>"));
    assert!(content.contains(&format!("href=\"{}\"", made["url"].as_str().unwrap())));
    assert_eq!(status["visibility"], "public");

    // Served to other servers as an `Event`, as Mobilizon writes one.
    let object = instance.get_activity(made["uri"].as_str().unwrap()).await;
    assert_eq!(object["type"], "Event");
    assert_eq!(object["name"], "Spring residential for new heads");
    assert_eq!(object["timezone"], "Europe/London");
    assert_eq!(object["joinMode"], "free");
    assert_eq!(object["maximumAttendeeCapacity"], 30);
    assert_eq!(object["participantCount"], 0);
    assert_eq!(object["location"]["type"], "Place");
    assert_eq!(
        object["location"]["address"]["streetAddress"],
        "Exeter EX6 7TW"
    );
    assert!(object["startTime"].is_string() && object["endTime"].is_string());
    assert_eq!(object["url"], made["url"]);

    // Listed among the events to come, also to visitors.
    let listed = instance.anonymous().get(EVENTS).await.expect(200).body;
    assert_eq!(listed[0]["id"], id.as_str());

    for (extra, wanted) in [
        (json!({"title": " "}), "title must not be blank"),
        (json!({"timezone": "Mars/Olympus"}), "known time zone"),
        (json!({"ends_at": at(Duration::days(9))}), "after starts_at"),
        (
            json!({"starts_at": at(-Duration::days(3)), "ends_at": at(-Duration::days(2))}),
            "already past",
        ),
        (
            json!({"place_name": "", "address": null}),
            "place is missing",
        ),
        (json!({"capacity": 0}), "capacity must be from 1"),
        (json!({"capacity": "many"}), "whole number"),
        (json!({"join_mode": "lottery"}), "join_mode"),
        (json!({"join_mode": "external"}), "external_url"),
        (json!({"online_url": "javascript:alert(1)"}), "web address"),
        (json!({"starts_at": "soon"}), "starts_at must be a date"),
        (json!({"title": "x".repeat(201)}), "title is too long"),
    ] {
        let refused = alice.post(EVENTS, residential(extra)).await.expect(422);
        let error = refused.body["error"].as_str().unwrap().to_owned();
        assert!(error.contains(wanted), "{error} should say {wanted}");
    }
    // Without a token nothing is organised.
    instance
        .anonymous()
        .post(EVENTS, residential(json!({})))
        .await
        .expect(401);
    // A local time is read in the time zone given.
    let local = organise(
        &alice,
        json!({"starts_at": "2030-07-01T09:00", "ends_at": "2030-07-01T16:00"}),
    )
    .await;
    assert_eq!(local["starts_at"], "2030-07-01T08:00:00.000Z");
    assert_eq!(
        local["when"],
        "Mon 1 July 2030, 09:00–16:00 (Europe/London)"
    );
}

#[tokio::test]
async fn answers_fill_the_places_then_the_waiting_list_which_moves_up() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let dan = instance.user("dan").await;
    let made = organise(&alice, json!({"capacity": 2})).await;
    let id = made["id"].as_str().unwrap().to_owned();

    assert_eq!(rsvp(&bob, &id, "going").await["rsvp"], "going");
    assert_eq!(rsvp(&carol, &id, "going").await["rsvp"], "going");
    let full = rsvp(&dan, &id, "going").await;
    assert_eq!(full["rsvp"], "waiting");
    assert_eq!(full["counts"]["going"], 2);
    assert_eq!(full["counts"]["waiting"], 1);
    assert_eq!(full["remaining"], 0);
    // Asking again changes nothing.
    assert_eq!(rsvp(&dan, &id, "going").await["rsvp"], "waiting");
    assert_eq!(
        rsvp(&alice, &id, "interested").await["counts"]["interested"],
        1
    );

    // Bob no longer goes: dan moves up from the waiting list.
    let left = rsvp(&bob, &id, "not_going").await;
    assert_eq!(left["rsvp"], "not_going");
    assert_eq!(left["counts"]["going"], 2);
    assert_eq!(left["counts"]["waiting"], 0);
    let seen_by_dan = dan.get(&format!("{EVENTS}/{id}")).await.expect(200).body;
    assert_eq!(seen_by_dan["rsvp"], "going");

    // The organiser sees who goes; others may not.
    let going = alice
        .get(&format!("{EVENTS}/{id}/participants"))
        .await
        .expect(200)
        .body;
    let accts: Vec<&str> = going
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["account"]["acct"].as_str().unwrap())
        .collect();
    assert_eq!(accts, vec!["carol", "dan"]);
    bob.get(&format!("{EVENTS}/{id}/participants"))
        .await
        .expect(403);

    bob.post(&format!("{EVENTS}/{id}/rsvp"), json!({"status": "maybe"}))
        .await
        .expect(422);
    bob.post(&format!("{EVENTS}/999999/rsvp"), json!({"status": "going"}))
        .await
        .expect(404);

    // A followers-only event cannot be seen, or answered, by others.
    let private = organise(&alice, json!({"visibility": "private"})).await;
    let private_id = private["id"].as_str().unwrap();
    bob.post(
        &format!("{EVENTS}/{private_id}/rsvp"),
        json!({"status": "going"}),
    )
    .await
    .expect(404);
    let listed = instance.anonymous().get(EVENTS).await.expect(200).body;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"] != private_id)
    );

    // Booked elsewhere: no going here, interest only.
    let external = organise(
        &alice,
        json!({"join_mode": "external", "external_url": "https://tickets.example/heads"}),
    )
    .await;
    let external_id = external["id"].as_str().unwrap();
    let refused = bob
        .post(
            &format!("{EVENTS}/{external_id}/rsvp"),
            json!({"status": "going"}),
        )
        .await
        .expect(422);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("tickets.example")
    );
    rsvp(&bob, external_id, "interested").await;

    // Deleting its status deletes the event.
    alice
        .delete(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200);
    bob.get(&format!("{EVENTS}/{id}")).await.expect(404);
}

#[tokio::test]
async fn the_organiser_approves_or_declines_when_they_restrict_it() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let made = organise(&alice, json!({"join_mode": "restricted", "capacity": 1})).await;
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(rsvp(&bob, &id, "going").await["rsvp"], "pending");
    assert_eq!(rsvp(&carol, &id, "going").await["rsvp"], "pending");
    let pending = alice
        .get(&format!("{EVENTS}/{id}/participants?status=pending"))
        .await
        .expect(200)
        .body;
    assert_eq!(pending.as_array().unwrap().len(), 2);
    let bob_id = pending[0]["account"]["id"].as_str().unwrap().to_owned();
    let carol_id = pending[1]["account"]["id"].as_str().unwrap().to_owned();

    // Only the organiser decides.
    carol
        .post(
            &format!("{EVENTS}/{id}/participants/{bob_id}/approve"),
            json!({}),
        )
        .await
        .expect(403);
    let approved = alice
        .post(
            &format!("{EVENTS}/{id}/participants/{bob_id}/approve"),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(approved["counts"]["going"], 1);
    assert_eq!(
        bob.get(&format!("{EVENTS}/{id}")).await.body["rsvp"],
        "going"
    );
    // Approved when full: the waiting list.
    alice
        .post(
            &format!("{EVENTS}/{id}/participants/{carol_id}/approve"),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        carol.get(&format!("{EVENTS}/{id}")).await.body["rsvp"],
        "waiting"
    );
    // Declined, she cannot ask again.
    alice
        .post(
            &format!("{EVENTS}/{id}/participants/{carol_id}/reject"),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        carol.get(&format!("{EVENTS}/{id}")).await.body["rsvp"],
        "rejected"
    );
    carol
        .post(&format!("{EVENTS}/{id}/rsvp"), json!({"status": "going"}))
        .await
        .expect(403);
    // Nothing left to decide.
    alice
        .post(
            &format!("{EVENTS}/{id}/participants/{bob_id}/reject"),
            json!({}),
        )
        .await
        .expect(422);
    // The organiser heard of each request; each asker of each decision.
    let mut asked = told(&alice, "event_request", &made).await;
    asked.sort();
    assert_eq!(asked, ["bob", "carol"]);
    assert_eq!(told(&bob, "event_accepted", &made).await, ["alice"]);
    assert!(told(&bob, "event_rejected", &made).await.is_empty());
    assert_eq!(told(&carol, "event_rejected", &made).await, ["alice"]);
}

/// Who told `client` of the event `made` in notifications of `kind`.
async fn told(client: &ApiClient, kind: &str, made: &Value) -> Vec<String> {
    client
        .get(&format!("/api/v1/notifications?types[]={kind}"))
        .await
        .expect(200)
        .items()
        .iter()
        .map(|n| {
            assert_eq!(n["status"]["id"], made["id"], "{n}");
            n["account"]["username"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// `text` with its folded lines joined again (RFC 5545, 3.1).
fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

#[tokio::test]
async fn events_are_calendar_files_and_feeds() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let made = organise(
        &alice,
        json!({"title": "Heads' conference; day one, keynote", "starts_at": "2030-07-01T09:00", "ends_at": "2030-07-01T16:00", "online_url": "https://meet.example/heads"}),
    )
    .await;
    let id = made["id"].as_str().unwrap().to_owned();
    let private = organise(
        &alice,
        json!({"title": "Trustees only", "visibility": "private"}),
    )
    .await;

    let reply = instance.get(&format!("/events/{id}.ics")).await;
    assert_eq!(reply.status(), 200);
    assert!(
        reply.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = reply.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line} is longer than 75 octets");
    }
    let ics = unfold(&ics);
    assert!(ics.contains("\r\nDTSTART:20300701T080000Z\r\n"), "{ics}");
    assert!(ics.contains("\r\nDTEND:20300701T150000Z\r\n"));
    assert!(ics.contains("\r\nSUMMARY:Heads' conference\\; day one\\, keynote\r\n"));
    assert!(ics.contains("\r\nLOCATION:Kenn Centre\\, Exeter EX6 7TW\\, Online\r\n"));
    assert!(ics.contains(&format!("\r\nUID:{}\r\n", made["uri"].as_str().unwrap())));
    assert!(ics.contains(&format!("\r\nURL:{}\r\n", made["url"].as_str().unwrap())));
    assert!(ics.contains("Online: https://meet.example/heads"));
    assert!(ics.contains("ORGANIZER;CN="));

    // The person's and the instance's feeds hold the public events only.
    for path in ["/@alice/events.ics", "/events.ics"] {
        let feed = unfold(&instance.get(path).await.text().await.unwrap());
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 1, "{path}: {feed}");
        assert!(!feed.contains("Trustees only"));
    }
    let private_id = private["id"].as_str().unwrap();
    assert_eq!(
        instance
            .get(&format!("/events/{private_id}.ics"))
            .await
            .status(),
        404
    );
    assert_eq!(instance.get("/@nobody/events.ics").await.status(), 404);
}

#[tokio::test]
async fn those_going_are_reminded_the_day_before() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let soon = organise(
        &alice,
        json!({"starts_at": at(Duration::hours(3)), "ends_at": at(Duration::hours(6))}),
    )
    .await;
    let later = organise(&alice, json!({})).await;
    let soon_id = soon["id"].as_str().unwrap();
    rsvp(&bob, soon_id, "going").await;
    rsvp(&bob, later["id"].as_str().unwrap(), "going").await;
    rsvp(&carol, soon_id, "interested").await;
    eventually("bob is reminded", || async {
        bob.get("/api/v1/notifications?types[]=event_reminder")
            .await
            .items()
            .iter()
            .any(|n| n["status"]["id"] == soon_id)
    })
    .await;
    // Once, for the event that starts within a day, and only to those going.
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let reminders = bob
        .get("/api/v1/notifications?types[]=event_reminder")
        .await
        .items();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0]["type"], "event_reminder");
    assert_eq!(reminders[0]["account"]["acct"], "alice");
    assert!(
        carol
            .get("/api/v1/notifications?types[]=event_reminder")
            .await
            .items()
            .is_empty()
    );
}

#[tokio::test]
async fn events_are_organised_and_answered_on_the_web_pages() {
    let instance = TestInstance::start_for_apps().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    instance.create_user("bob", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", "correct horse battery").await;
    let form = alice.get("/events/new").await;
    assert_eq!(form.status, 200);
    // Every input has its label.
    for id in [
        "event-title",
        "event-description",
        "event-starts",
        "event-ends",
        "event-timezone",
        "event-place",
        "event-address",
        "event-online",
        "event-capacity",
        "event-free",
        "event-restricted",
        "event-external",
        "event-booking",
        "event-visibility",
    ] {
        assert!(
            form.body.contains(&format!("for=\"{id}\"")),
            "{id} has no label"
        );
    }
    let fields = |title: &str, ends: &str| -> Vec<(String, String)> {
        vec![
            ("authenticity_token".into(), form.csrf()),
            ("title".into(), title.into()),
            (
                "description".into(),
                "A morning in a partner school.".into(),
            ),
            ("starts_at".into(), "2030-03-04T09:00".into()),
            ("ends_at".into(), ends.into()),
            ("timezone".into(), "Europe/London".into()),
            ("place_name".into(), "Oak Primary".into()),
            ("address".into(), String::new()),
            ("online_url".into(), String::new()),
            ("capacity".into(), "1".into()),
            ("join_mode".into(), "restricted".into()),
            ("external_url".into(), String::new()),
            ("visibility".into(), "public".into()),
        ]
    };
    let refused = alice
        .post("/events", &fields("School visit", "2030-03-04T08:00"))
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("ends_at must be after starts_at"));
    assert!(
        refused.body.contains("value=\"School visit\""),
        "typed text kept"
    );

    let made = alice
        .post("/events", &fields("School visit", "2030-03-04T12:00"))
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.location.clone().unwrap();
    let page = alice.get(&path).await;
    assert!(page.body.contains("School visit"));
    assert!(
        page.body
            .contains("Mon 4 March 2030, 09:00–12:00 (Europe/London)")
    );
    assert!(page.body.contains(".ics\">Add to your calendar"));

    let bob = Browser::signed_in(&instance.base, "bob", "correct horse battery").await;
    let listed = bob.get("/events").await;
    assert!(listed.body.contains(&format!("href=\"{path}\"")));
    let page = bob.get(&path).await;
    assert!(page.body.contains("for=\"rsvp-going\""));
    let answered = bob
        .post(
            &format!("{path}/rsvp"),
            &[
                ("authenticity_token".into(), page.csrf()),
                ("status".into(), "going".into()),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    assert!(
        bob.get(&path)
            .await
            .body
            .contains("(now: waiting for the organiser)")
    );
    // Without the form's token nothing is taken.
    let forged = bob
        .post(
            &format!("{path}/rsvp"),
            &[("status".into(), "going".into())],
        )
        .await;
    assert_eq!(forged.status, 403);

    // The organiser approves bob from the page.
    let page = alice.get(&path).await;
    assert!(page.body.contains("Requests to go"), "{}", page.body);
    let action = page
        .body
        .split("action=\"")
        .find(|rest| rest.contains("/participants/"))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let decided = alice
        .post(
            &action,
            &[
                ("authenticity_token".into(), page.csrf()),
                ("decision".into(), "approve".into()),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    assert!(bob.get(&path).await.body.contains("(now: going)"));
    assert!(alice.get(&path).await.body.contains("1 of 1 places"));
}

/// The id on b of alice's event `made`, once it arrived.
async fn arrived(bob: &ApiClient, made: &Value) -> String {
    let find = || async {
        bob.get("/api/v1/timelines/home")
            .await
            .items()
            .into_iter()
            .find(|s| s["uri"] == made["uri"])
    };
    eventually("the event reaches bob's home", || async {
        find().await.is_some()
    })
    .await;
    find().await.unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_event_is_joined_and_left_from_another_instance() {
    let (_a, _b, alice, bob) = two_instances().await;
    let made = organise(&alice, json!({"capacity": 10})).await;
    let id_on_a = made["id"].as_str().unwrap().to_owned();
    let id_on_b = arrived(&bob, &made).await;

    // On b it is an event too, shown in apps with its date and place.
    let seen = bob
        .get(&format!("{EVENTS}/{id_on_b}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["title"], made["title"]);
    assert_eq!(seen["starts_at"], made["starts_at"]);
    assert_eq!(seen["timezone"], "Europe/London");
    assert_eq!(seen["place"]["name"], "Kenn Centre");
    assert_eq!(seen["capacity"], 10);
    assert_eq!(seen["local"], false);
    let status = bob.get(&format!("/api/v1/statuses/{id_on_b}")).await.body;
    let content = status["content"].as_str().unwrap();
    assert!(content.contains("When: "), "{content}");
    assert!(content.contains("Where: Kenn Centre, Exeter EX6 7TW"));
    assert!(content.contains(made["url"].as_str().unwrap()));

    // Bob goes: a Join, accepted by alice's server.
    assert_eq!(rsvp(&bob, &id_on_b, "going").await["rsvp"], "pending");
    eventually("alice's server accepts bob's join", || async {
        bob.get(&format!("{EVENTS}/{id_on_b}")).await.body["rsvp"] == "going"
    })
    .await;
    let on_a = alice.get(&format!("{EVENTS}/{id_on_a}")).await.body;
    assert_eq!(on_a["counts"]["going"], 1);
    let going = alice
        .get(&format!("{EVENTS}/{id_on_a}/participants"))
        .await
        .body;
    assert!(
        going[0]["account"]["acct"]
            .as_str()
            .unwrap()
            .starts_with("bob@")
    );

    // He leaves: a Leave.
    assert_eq!(rsvp(&bob, &id_on_b, "not_going").await["rsvp"], "not_going");
    eventually("alice's server hears bob leave", || async {
        alice.get(&format!("{EVENTS}/{id_on_a}")).await.body["counts"]["going"] == 0
    })
    .await;
}

#[tokio::test]
async fn a_restricted_event_elsewhere_is_approved_or_declined_by_its_organiser() {
    let (_a, b, alice, bob) = two_instances().await;
    let carol = b.user("carol").await;
    let made = organise(&alice, json!({"join_mode": "restricted"})).await;
    let id_on_a = made["id"].as_str().unwrap().to_owned();
    let id_on_b = arrived(&bob, &made).await;
    assert_eq!(
        bob.get(&format!("{EVENTS}/{id_on_b}")).await.body["join_mode"],
        "restricted"
    );

    assert_eq!(rsvp(&bob, &id_on_b, "going").await["rsvp"], "pending");
    assert_eq!(rsvp(&carol, &id_on_b, "going").await["rsvp"], "pending");
    let pending = || async {
        alice
            .get(&format!("{EVENTS}/{id_on_a}/participants?status=pending"))
            .await
            .body
    };
    eventually("both requests reach alice", || async {
        pending().await.as_array().unwrap().len() == 2
    })
    .await;
    let requests = pending().await;
    let id_of = |name: &str| {
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["account"]["acct"].as_str().unwrap().starts_with(name))
            .unwrap()["account"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    alice
        .post(
            &format!("{EVENTS}/{id_on_a}/participants/{}/approve", id_of("bob@")),
            json!({}),
        )
        .await
        .expect(200);
    alice
        .post(
            &format!("{EVENTS}/{id_on_a}/participants/{}/reject", id_of("carol@")),
            json!({}),
        )
        .await
        .expect(200);
    eventually("bob is accepted", || async {
        bob.get(&format!("{EVENTS}/{id_on_b}")).await.body["rsvp"] == "going"
    })
    .await;
    eventually("carol is declined", || async {
        carol.get(&format!("{EVENTS}/{id_on_b}")).await.body["rsvp"] == "rejected"
    })
    .await;
}

#[tokio::test]
async fn an_edited_event_is_sent_again_to_other_instances() {
    let (_a, _b, alice, bob) = two_instances().await;
    let made = organise(&alice, json!({"capacity": 10})).await;
    let id_on_a = made["id"].as_str().unwrap().to_owned();
    let id_on_b = arrived(&bob, &made).await;
    rsvp(&alice, &id_on_a, "going").await;

    let moved = residential(json!({
        "title": "Spring residential, moved",
        "place_name": "Dartington Hall",
        "starts_at": at(Duration::days(12)),
        "ends_at": at(Duration::days(13)),
        "capacity": 20,
    }));
    let edited = alice
        .put(&format!("{EVENTS}/{id_on_a}"), moved.clone())
        .await
        .expect(200)
        .body;
    assert_eq!(edited["title"], "Spring residential, moved");
    assert_eq!(edited["place"]["name"], "Dartington Hall");
    assert_eq!(edited["capacity"], 20);
    assert_eq!(edited["counts"]["going"], 1, "who answered stays");
    let status = alice.get(&format!("/api/v1/statuses/{id_on_a}")).await.body;
    assert!(
        status["content"]
            .as_str()
            .unwrap()
            .contains("Dartington Hall")
    );
    assert!(status["edited_at"].is_string());

    eventually("bob's server hears the new place", || async {
        let seen = bob.get(&format!("{EVENTS}/{id_on_b}")).await.body;
        seen["title"] == "Spring residential, moved"
            && seen["place"]["name"] == "Dartington Hall"
            && seen["starts_at"] == edited["starts_at"]
    })
    .await;

    // Only the organiser edits it, and an edit is checked as a new event is.
    bob.put(&format!("{EVENTS}/{id_on_b}"), moved.clone())
        .await
        .expect(404);
    let backwards = residential(json!({
        "starts_at": at(Duration::days(12)),
        "ends_at": at(Duration::days(11)),
    }));
    alice
        .put(&format!("{EVENTS}/{id_on_a}"), backwards)
        .await
        .expect(422);
}
