//! Polls: made through the client API (form and JSON), refused with reasons,
//! voted in once and only while they run, their totals hidden when asked, seen
//! only by readers of their post, their end told to voters and author, asked and
//! answered on the web pages; and across
//! two instances, a poll federated as a `Question`, voted in from the other side,
//! its counts sent back.

use reqwest::Method;
use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;
use staffroom_tests::{TestInstance, eventually, two_instances};

/// Makes the poll of status `id` on `instance` end a minute ago, as if its time
/// had run out.
async fn end_poll(instance: &TestInstance, id: &str) {
    let ended = chrono::Utc::now() - chrono::TimeDelta::minutes(1);
    instance
        .set_time("polls", "expires_at", "post_id", id.parse().unwrap(), ended)
        .await;
}

async fn poll_status(client: &ApiClient, body: Value) -> Value {
    client.post("/api/v1/statuses", body).await.expect(200).body
}

#[tokio::test]
async fn polls_are_made_from_json_and_forms_and_refused_with_reasons() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;

    let made = poll_status(
        &alice,
        json!({"status": "Which day for the cluster meeting?",
               "poll": {"options": ["Monday", "Tuesday"], "expires_in": 3600}}),
    )
    .await;
    let poll = &made["poll"];
    assert_eq!(poll["id"], made["id"]);
    assert_eq!(poll["multiple"], false);
    assert_eq!(poll["expired"], false);
    assert_eq!(poll["votes_count"], 0);
    assert_eq!(poll["voters_count"], 0);
    assert_eq!(poll["voted"], false);
    assert_eq!(poll["own_votes"], json!([]));
    assert_eq!(poll["emojis"], json!([]));
    assert_eq!(
        poll["options"],
        json!([{"title": "Monday", "votes_count": 0}, {"title": "Tuesday", "votes_count": 0}])
    );
    let expires = chrono::DateTime::parse_from_rfc3339(poll["expires_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let in_an_hour = chrono::Utc::now() + chrono::TimeDelta::hours(1);
    assert!((expires - in_an_hour).num_seconds().abs() < 60);

    let from_form = alice
        .send_form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "What should the INSET day cover?"),
                ("poll[options][]", "Safeguarding"),
                ("poll[options][]", "Curriculum"),
                ("poll[options][]", "Wellbeing"),
                ("poll[expires_in]", "86400"),
                ("poll[multiple]", "true"),
                ("poll[hide_totals]", "1"),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(from_form["poll"]["multiple"], true);
    assert_eq!(from_form["poll"]["options"][2]["title"], "Wellbeing");
    // Its author sees the counts even while they are hidden from others.
    assert_eq!(from_form["poll"]["options"][2]["votes_count"], 0);
    let shown = instance
        .anonymous()
        .get(&format!(
            "/api/v1/polls/{}",
            from_form["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(shown["options"][0]["votes_count"], Value::Null);
    assert!(shown.get("voted").is_none(), "no reader, no `voted`");

    for (poll, reason) in [
        (
            json!({"options": ["Only"], "expires_in": 3600}),
            "at least 2 options",
        ),
        (
            json!({"options": ["a", "b", "c", "d", "e"], "expires_in": 3600}),
            "at most 4 options",
        ),
        (
            json!({"options": ["a", "x".repeat(51)], "expires_in": 3600}),
            "at most 50 characters",
        ),
        (
            json!({"options": ["a", "b"], "expires_in": 299}),
            "at least 300 seconds",
        ),
        (
            json!({"options": ["a", "b"], "expires_in": 2_629_747}),
            "at most 2629746 seconds",
        ),
        (json!({"options": ["a", "b"]}), "expires_in is missing"),
        (
            json!({"options": "a", "expires_in": 3600}),
            "must be a list",
        ),
    ] {
        let refused = alice
            .post(
                "/api/v1/statuses",
                json!({"status": "A poll", "poll": poll}),
            )
            .await
            .expect(422)
            .body;
        let error = refused["error"].as_str().unwrap();
        assert!(
            error.starts_with("Validation failed: ") && error.contains(reason),
            "{error} should say {reason}"
        );
    }
    let refused = alice
        .send_form(
            Method::POST,
            "/api/v1/statuses",
            &[
                ("status", "Which day?"),
                ("poll[options][]", "Mon"),
                ("poll[options][]", "Tue"),
            ],
        )
        .await
        .expect(422);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("expires_in is missing")
    );
    let mine = alice.lookup("alice").await;
    assert_eq!(
        mine["statuses_count"], 2,
        "only the two good polls were posted"
    );
}

#[tokio::test]
async fn votes_count_once_and_only_while_the_poll_runs() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let single = poll_status(
        &alice,
        json!({"status": "Phonics scheme?", "poll": {"options": ["A", "B", "C"], "expires_in": 600}}),
    )
    .await;
    let single_id = single["id"].as_str().unwrap();
    let votes = format!("/api/v1/polls/{single_id}/votes");

    let voted = bob
        .post(&votes, json!({"choices": [1]}))
        .await
        .expect(200)
        .body;
    assert_eq!(voted["votes_count"], 1);
    assert_eq!(voted["voters_count"], 1);
    assert_eq!(voted["voted"], true);
    assert_eq!(voted["own_votes"], json!([1]));
    assert_eq!(voted["options"][1]["votes_count"], 1);

    for (voter, choices, reason) in [
        (&bob, json!([0]), "already has your vote"),
        (&carol, json!([0, 1]), "only one option"),
        (&carol, json!([3]), "from 0 to 2"),
        (&carol, json!([]), "at least one option"),
    ] {
        let refused = voter
            .post(&votes, json!({"choices": choices}))
            .await
            .expect(422)
            .body;
        let error = refused["error"].as_str().unwrap();
        assert!(error.contains(reason), "{error} should say {reason}");
    }
    // The author may vote in their own poll, as on Mastodon; a form works too.
    let by_form = alice
        .send_form(Method::POST, &votes, &[("choices[]", "1")])
        .await
        .expect(200)
        .body;
    assert_eq!(by_form["options"][1]["votes_count"], 2);
    let status = carol
        .get(&format!("/api/v1/statuses/{single_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(status["poll"]["votes_count"], 2);
    assert_eq!(status["poll"]["voted"], false);
    let status = bob
        .get(&format!("/api/v1/statuses/{single_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(status["poll"]["own_votes"], json!([1]));

    let multiple = poll_status(
        &alice,
        json!({"status": "Which clubs?", "poll": {"options": ["Chess", "Choir", "Coding"], "expires_in": 600, "multiple": true}}),
    )
    .await;
    let multiple_votes = format!("/api/v1/polls/{}/votes", multiple["id"].as_str().unwrap());
    let voted = carol
        .post(&multiple_votes, json!({"choices": ["0", "2", "2"]}))
        .await
        .expect(200)
        .body;
    assert_eq!(voted["own_votes"], json!([0, 2]));
    assert_eq!(voted["votes_count"], 2);
    assert_eq!(voted["voters_count"], 1);
    carol
        .post(&multiple_votes, json!({"choices": [1]}))
        .await
        .expect(422);

    end_poll(&instance, single_id).await;
    let refused = carol
        .post(&votes, json!({"choices": [0]}))
        .await
        .expect(422)
        .body;
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("has already ended")
    );
    let shown = carol
        .get(&format!("/api/v1/polls/{single_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(shown["expired"], true);
    assert_eq!(shown["votes_count"], 2);
}

#[tokio::test]
async fn hidden_totals_show_once_the_poll_ends() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let made = poll_status(
        &alice,
        json!({"status": "Uniform change?", "poll": {"options": ["Yes", "No"], "expires_in": 600, "hide_totals": true}}),
    )
    .await;
    let id = made["id"].as_str().unwrap();
    let voted = bob
        .post(
            &format!("/api/v1/polls/{id}/votes"),
            json!({"choices": [0]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(voted["options"][0]["votes_count"], Value::Null);
    assert_eq!(voted["options"][1]["votes_count"], Value::Null);
    let to_author = alice
        .get(&format!("/api/v1/polls/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(to_author["options"][0]["votes_count"], 1);
    end_poll(&instance, id).await;
    let ended = bob
        .get(&format!("/api/v1/polls/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(ended["options"][0]["votes_count"], 1);
    assert_eq!(ended["options"][1]["votes_count"], 0);
}

#[tokio::test]
async fn a_poll_is_seen_and_voted_in_only_by_readers_of_its_post() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let made = poll_status(
        &alice,
        json!({"status": "Staff only: INSET date?", "visibility": "private",
               "poll": {"options": ["June", "July"], "expires_in": 600}}),
    )
    .await;
    let id = made["id"].as_str().unwrap();
    let unseen = bob.get(&format!("/api/v1/polls/{id}")).await.expect(404);
    assert_eq!(unseen.body["error"], "Record not found");
    instance
        .anonymous()
        .get(&format!("/api/v1/polls/{id}"))
        .await
        .expect(404);
    bob.post(
        &format!("/api/v1/polls/{id}/votes"),
        json!({"choices": [0]}),
    )
    .await
    .expect(404);
    // A post without a poll has none to show.
    let plain = alice.status("No poll here").await;
    alice
        .get(&format!("/api/v1/polls/{}", plain["id"].as_str().unwrap()))
        .await
        .expect(404);
    let shown = alice.get(&format!("/api/v1/polls/{id}")).await.expect(200);
    assert_eq!(shown.body["votes_count"], 0, "no vote was counted");
}

/// Whether `client`'s reader has a `poll` notification of the status `id`.
async fn told_of_end(client: &ApiClient, id: &Value) -> bool {
    client
        .get("/api/v1/notifications?types[]=poll")
        .await
        .items()
        .iter()
        .any(|n| n["type"] == "poll" && n["status"]["id"] == *id)
}

#[tokio::test]
async fn the_end_of_a_poll_is_told_to_its_voters_and_its_author() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let made = poll_status(
        &alice,
        json!({"status": "Sports day theme?", "poll": {"options": ["Olympics", "Space"], "expires_in": 300}}),
    )
    .await;
    let id = made["id"].as_str().unwrap();
    bob.post(
        &format!("/api/v1/polls/{id}/votes"),
        json!({"choices": [1]}),
    )
    .await
    .expect(200);
    end_poll(&instance, id).await;
    let made_id = &made["id"];
    eventually("bob, who voted, is told the poll ended", || {
        told_of_end(&bob, made_id)
    })
    .await;
    eventually("alice, who asked, is told too", || {
        told_of_end(&alice, made_id)
    })
    .await;
    let notification = bob.get("/api/v1/notifications").await.items()[0].clone();
    assert_eq!(notification["account"]["username"], "alice");
    assert_eq!(notification["status"]["poll"]["expired"], true);
    assert!(!told_of_end(&carol, made_id).await, "carol did not vote");
    // Told once: a later round finds nothing new.
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let polls = bob.get("/api/v1/notifications?types[]=poll").await.items();
    assert_eq!(polls.len(), 1);
}

#[tokio::test]
async fn a_poll_crosses_to_another_instance_and_its_votes_come_back() {
    let (a, _b, alice, bob) = two_instances().await;

    let made = poll_status(
        &alice,
        json!({"status": "Trust-wide: which CPD strand?", "poll": {"options": ["Reading", "Maths", "SEND"], "expires_in": 3600}}),
    )
    .await;
    let on_a = format!("/api/v1/statuses/{}", made["id"].as_str().unwrap());
    // The post is served as a `Question` with its options.
    let question = a.get_activity(made["uri"].as_str().unwrap()).await;
    assert_eq!(question["type"], "Question");
    assert_eq!(question["oneOf"][1]["name"], "Maths");
    assert_eq!(question["oneOf"][1]["type"], "Note");
    assert_eq!(question["oneOf"][1]["replies"]["totalItems"], 0);
    assert_eq!(question["votersCount"], 0);
    assert!(question["endTime"].is_string());
    assert!(question.get("closed").is_none());

    let find_on_b = || async {
        bob.get("/api/v1/timelines/home")
            .await
            .items()
            .into_iter()
            .find(|s| s["uri"] == made["uri"])
    };
    eventually("the poll reaches bob's home", || async {
        find_on_b().await.is_some()
    })
    .await;
    let seen_on_b = find_on_b().await.unwrap();
    let poll_on_b = &seen_on_b["poll"];
    assert_eq!(poll_on_b["options"][2]["title"], "SEND");
    assert_eq!(poll_on_b["multiple"], false);
    assert_eq!(poll_on_b["voted"], false);
    let id_on_b = seen_on_b["id"].as_str().unwrap().to_owned();

    let voted = bob
        .post(
            &format!("/api/v1/polls/{id_on_b}/votes"),
            json!({"choices": [1]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(voted["voted"], true);
    assert_eq!(voted["own_votes"], json!([1]));
    eventually("alice's poll counts bob's vote", || async {
        let poll = alice.get(&on_a).await.body["poll"].clone();
        poll["options"][1]["votes_count"] == 1 && poll["voters_count"] == 1
    })
    .await;
    eventually("bob's server hears the new counts", || async {
        let poll = bob.get(&format!("/api/v1/polls/{id_on_b}")).await.body;
        poll["options"][1]["votes_count"] == 1 && poll["votes_count"] == 1
    })
    .await;
    // The vote is no reply: nothing new is stored or shown on either side.
    let on_a_now = alice.get(&on_a).await.body;
    assert_eq!(on_a_now["replies_count"], 0);
    let context = alice.get(&format!("{on_a}/context")).await.body;
    assert_eq!(context["descendants"], json!([]));
    assert!(
        a.remote_posts().await.is_empty(),
        "alice's server stored no post of bob's"
    );
    bob.post(
        &format!("/api/v1/polls/{id_on_b}/votes"),
        json!({"choices": [0]}),
    )
    .await
    .expect(422);

    // When it ends, its closed `Question` goes out, and bob, who voted, is told.
    end_poll(&a, made["id"].as_str().unwrap()).await;
    eventually("bob's server hears the poll has ended", || async {
        bob.get(&format!("/api/v1/polls/{id_on_b}")).await.body["expired"] == true
    })
    .await;
    eventually("bob is told the poll ended", || async {
        bob.get("/api/v1/notifications?types[]=poll")
            .await
            .items()
            .iter()
            .any(|n| n["status"]["id"] == id_on_b.as_str())
    })
    .await;
    let question = a.get_activity(made["uri"].as_str().unwrap()).await;
    assert!(question["closed"].is_string());
    assert_eq!(question["oneOf"][1]["replies"]["totalItems"], 1);
}

#[tokio::test]
async fn a_poll_is_asked_and_answered_on_the_web_pages() {
    let instance = TestInstance::start_for_apps().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", "correct horse battery").await;
    let publish_page = browser.get("/publish").await;
    assert!(publish_page.body.contains("name=\"poll_option\""));
    let fields: Vec<(String, String)> = vec![
        ("authenticity_token".into(), publish_page.csrf()),
        ("return_to".into(), "/publish".into()),
        ("status".into(), "Break duty rota: which slot?".into()),
        ("visibility".into(), "public".into()),
        ("spoiler_text".into(), String::new()),
        ("poll_option".into(), "Morning".into()),
        ("poll_option".into(), "Lunch".into()),
        ("poll_option".into(), String::new()),
        ("poll_option".into(), String::new()),
        ("poll_expires_in".into(), "300".into()),
    ];
    let made = browser.post_multipart("/publish", &fields, &[]).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let page_path = made.location.clone().unwrap();
    let id = page_path.rsplit('/').next().unwrap().to_owned();
    let status = instance
        .anonymous()
        .get(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(status["poll"]["options"][1]["title"], "Lunch");
    assert_eq!(status["poll"]["options"].as_array().unwrap().len(), 2);

    let page = browser.get(&page_path).await;
    assert!(
        page.body
            .contains(&format!("action=\"/statuses/{id}/vote\"")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("type=\"radio\" name=\"choices[]\" value=\"1\"")
    );
    let voted = browser
        .post(
            &format!("/statuses/{id}/vote"),
            &[
                ("authenticity_token".into(), page.csrf()),
                ("return_to".into(), page_path.clone()),
                ("choices[]".into(), "1".into()),
            ],
        )
        .await;
    assert_eq!(voted.status, 303, "{}", voted.body);
    let page = browser.get(&page_path).await;
    assert!(!page.body.contains("/vote\""), "voted: no form any more");
    assert!(page.body.contains("Lunch (your choice)"), "{}", page.body);
    assert!(page.body.contains("100%"));
    assert!(page.body.contains("1 person voted"));
    // A visitor sees the results, and no form.
    let visitor = Browser::new(&instance.base).get(&page_path).await;
    assert!(visitor.body.contains("Morning"));
    assert!(!visitor.body.contains("/vote\""));
    end_poll(&instance, &id).await;
    assert!(browser.get(&page_path).await.body.contains("Ended"));
}
