//! Filters: made, changed and deleted through `/api/v2/filters` (JSON and forms),
//! their keywords and posts; applied where statuses are served (`hide` leaves a
//! post out, `warn` marks it in `filtered`), only in their contexts, until they
//! expire; the v1 API over the same filters; limits; and nobody else's.

use reqwest::Method;
use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

async fn make(client: &ApiClient, body: Value) -> Value {
    client.post("/api/v2/filters", body).await.expect(200).body
}

fn ids_of(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn home(client: &ApiClient) -> Vec<Value> {
    client
        .get("/api/v1/timelines/home")
        .await
        .expect(200)
        .items()
}

#[tokio::test]
async fn filters_are_made_changed_and_deleted_and_nobody_else_sees_them() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;

    let made = make(
        &alice,
        json!({
            "title": "Inspections",
            "context": ["home", "public"],
            "filter_action": "hide",
            "expires_in": 3600,
            "keywords_attributes": [
                {"keyword": "ofsted", "whole_word": true},
                {"keyword": "mock", "whole_word": false}
            ]
        }),
    )
    .await;
    assert_eq!(made["title"], "Inspections");
    assert_eq!(made["context"], json!(["home", "public"]));
    assert_eq!(made["filter_action"], "hide");
    assert!(made["expires_at"].is_string());
    assert_eq!(made["keywords"].as_array().unwrap().len(), 2);
    assert_eq!(made["statuses"], json!([]));
    let id = made["id"].as_str().unwrap().to_owned();

    // A form with Rails-style nested keys makes the same.
    let form = alice
        .send_form(
            Method::POST,
            "/api/v2/filters",
            &[
                ("title", "Budget"),
                ("context[]", "thread"),
                ("context[]", "notifications"),
                ("keywords_attributes[][keyword]", "deficit"),
                ("keywords_attributes[][whole_word]", "false"),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(form["context"], json!(["thread", "notifications"]));
    assert_eq!(form["filter_action"], "warn");
    assert_eq!(form["expires_at"], Value::Null);
    assert_eq!(form["keywords"][0]["keyword"], "deficit");
    assert_eq!(form["keywords"][0]["whole_word"], false);

    let listed = alice.get("/api/v2/filters").await.expect(200).items();
    assert_eq!(
        ids_of(&listed),
        vec![id.clone(), form["id"].as_str().unwrap().to_owned()]
    );

    // Changed: a title, an action, one keyword dropped and one added.
    let ofsted = made["keywords"][0]["id"].as_str().unwrap();
    let changed = alice
        .put(
            &format!("/api/v2/filters/{id}"),
            json!({
                "title": "Inspection season",
                "filter_action": "warn",
                "expires_in": "",
                "keywords_attributes": [
                    {"id": ofsted, "_destroy": true},
                    {"keyword": "HMI"}
                ]
            }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["title"], "Inspection season");
    assert_eq!(changed["filter_action"], "warn");
    assert_eq!(changed["expires_at"], Value::Null);
    let words: Vec<&str> = changed["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["keyword"].as_str().unwrap())
        .collect();
    assert_eq!(words, vec!["mock", "HMI"]);

    // Keywords one by one.
    let added = alice
        .post(
            &format!("/api/v2/filters/{id}/keywords"),
            json!({"keyword": "deep dive", "whole_word": false}),
        )
        .await
        .expect(200)
        .body;
    let keyword_id = added["id"].as_str().unwrap();
    let keyword_path = format!("/api/v2/filter_keywords/{keyword_id}");
    assert_eq!(
        alice.get(&keyword_path).await.expect(200).body["keyword"],
        "deep dive"
    );
    let renamed = alice
        .put(&keyword_path, json!({"keyword": "deep-dive"}))
        .await
        .expect(200)
        .body;
    assert_eq!(renamed["keyword"], "deep-dive");
    assert_eq!(
        alice
            .get(&format!("/api/v2/filters/{id}/keywords"))
            .await
            .expect(200)
            .items()
            .len(),
        3
    );

    // Bob sees none of it and can change none of it.
    assert!(
        bob.get("/api/v2/filters")
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    bob.get(&format!("/api/v2/filters/{id}")).await.expect(404);
    bob.put(&format!("/api/v2/filters/{id}"), json!({"title": "x"}))
        .await
        .expect(404);
    bob.delete(&format!("/api/v2/filters/{id}"))
        .await
        .expect(404);
    bob.get(&keyword_path).await.expect(404);
    bob.delete(&keyword_path).await.expect(404);
    instance
        .anonymous()
        .get("/api/v2/filters")
        .await
        .expect(401);

    alice.delete(&keyword_path).await.expect(200);
    alice.get(&keyword_path).await.expect(404);
    alice
        .delete(&format!("/api/v2/filters/{id}"))
        .await
        .expect(200);
    alice
        .get(&format!("/api/v2/filters/{id}"))
        .await
        .expect(404);
    assert_eq!(
        alice.get("/api/v2/filters").await.expect(200).items().len(),
        1
    );
}

#[tokio::test]
async fn bad_filters_are_refused_within_limits() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    for body in [
        json!({"context": ["home"]}),
        json!({"title": "No context"}),
        json!({"title": "Odd", "context": ["everywhere"]}),
        json!({"title": "Odd", "context": ["home"], "filter_action": "explode"}),
        json!({"title": "x".repeat(101), "context": ["home"]}),
        json!({"title": "Long", "context": ["home"], "keywords_attributes": [{"keyword": "k".repeat(101)}]}),
        json!({"title": "Empty", "context": ["home"], "keywords_attributes": [{"keyword": "  "}]}),
        json!({"title": "Never", "context": ["home"], "expires_in": -5}),
    ] {
        let answer = alice.post("/api/v2/filters", body.clone()).await;
        assert_eq!(answer.status, 422, "{body} gave {}", answer.body);
        assert!(answer.body["error"].is_string());
    }
    let too_many: Vec<Value> = (0..51)
        .map(|n| json!({"keyword": format!("w{n}")}))
        .collect();
    alice
        .post(
            "/api/v2/filters",
            json!({"title": "Many", "context": ["home"], "keywords_attributes": too_many}),
        )
        .await
        .expect(422);
    let full: Vec<Value> = (0..50)
        .map(|n| json!({"keyword": format!("w{n}")}))
        .collect();
    let made = make(
        &alice,
        json!({"title": "Full", "context": ["home"], "keywords_attributes": full}),
    )
    .await;
    alice
        .post(
            &format!("/api/v2/filters/{}/keywords", made["id"].as_str().unwrap()),
            json!({"keyword": "one more"}),
        )
        .await
        .expect(422);
    for n in 1..100 {
        make(
            &alice,
            json!({"title": format!("F{n}"), "context": ["home"]}),
        )
        .await;
    }
    alice
        .post(
            "/api/v2/filters",
            json!({"title": "F100", "context": ["home"]}),
        )
        .await
        .expect(422);
}

#[tokio::test]
async fn filters_hide_or_warn_where_statuses_are_served() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let bob_id = bob.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    let plain = bob.status("A calm day at school").await;
    let hidden = bob.status("Ofsted arrive tomorrow").await;
    let longer = bob.status("The OfstedWatch blog says otherwise").await;
    let warned = bob.status("Our budget deficit grows").await;

    make(
        &alice,
        json!({"title": "Inspections", "context": ["home", "account"], "filter_action": "hide",
               "keywords_attributes": [{"keyword": "ofsted", "whole_word": true}]}),
    )
    .await;
    let warn = make(
        &alice,
        json!({"title": "Money", "context": ["home", "public", "thread"],
               "keywords_attributes": [{"keyword": "DEFICIT"}]}),
    )
    .await;

    // Home: the whole-word match is gone, the longer word stays, the warning shows.
    let seen = home(&alice).await;
    let seen_ids = ids_of(&seen);
    assert!(!seen_ids.contains(&hidden["id"].as_str().unwrap().to_owned()));
    assert!(seen_ids.contains(&longer["id"].as_str().unwrap().to_owned()));
    assert!(seen_ids.contains(&plain["id"].as_str().unwrap().to_owned()));
    let flagged = seen.iter().find(|s| s["id"] == warned["id"]).unwrap();
    assert_eq!(flagged["filtered"][0]["filter"]["title"], "Money");
    assert_eq!(
        flagged["filtered"][0]["keyword_matches"],
        json!(["DEFICIT"])
    );
    let calm = seen.iter().find(|s| s["id"] == plain["id"]).unwrap();
    assert_eq!(calm["filtered"], json!([]));

    // Account statuses (context account): hidden there too; public: not hidden,
    // as that filter does not name public.
    let account = alice
        .get(&format!("/api/v1/accounts/{bob_id}/statuses"))
        .await
        .expect(200)
        .items();
    assert!(!ids_of(&account).contains(&hidden["id"].as_str().unwrap().to_owned()));
    let public = alice
        .get("/api/v1/timelines/public")
        .await
        .expect(200)
        .items();
    assert!(ids_of(&public).contains(&hidden["id"].as_str().unwrap().to_owned()));
    let in_public = public.iter().find(|s| s["id"] == warned["id"]).unwrap();
    assert_eq!(in_public["filtered"][0]["filter"]["id"], warn["id"]);
    // Bob, who has no filters, sees everything plainly.
    let bobs = bob
        .get("/api/v1/timelines/public")
        .await
        .expect(200)
        .items();
    assert_eq!(bobs.len(), 4);
    assert!(bobs.iter().all(|s| s["filtered"] == json!([])));

    // A post named in a filter: matched by its status entry.
    let statuses_path = format!("/api/v2/filters/{}/statuses", warn["id"].as_str().unwrap());
    let entry = alice
        .post(&statuses_path, json!({"status_id": plain["id"]}))
        .await
        .expect(200)
        .body;
    assert_eq!(entry["status_id"], plain["id"]);
    let seen = home(&alice).await;
    let calm = seen.iter().find(|s| s["id"] == plain["id"]).unwrap();
    assert_eq!(calm["filtered"][0]["status_matches"], json!([entry["id"]]));
    assert_eq!(alice.get(&statuses_path).await.expect(200).items().len(), 1);
    let entry_path = format!("/api/v2/filter_statuses/{}", entry["id"].as_str().unwrap());
    bob.delete(&entry_path).await.expect(404);
    alice.delete(&entry_path).await.expect(200);
    let seen = home(&alice).await;
    let calm = seen.iter().find(|s| s["id"] == plain["id"]).unwrap();
    assert_eq!(calm["filtered"], json!([]));

    // Threads: a warned answer in the context.
    let answer = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Deficit again?", "in_reply_to_id": plain["id"]}),
        )
        .await
        .expect(200)
        .body;
    let context = alice
        .get(&format!(
            "/api/v1/statuses/{}/context",
            plain["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(context["descendants"][0]["id"], answer["id"]);
    assert_eq!(
        context["descendants"][0]["filtered"][0]["filter"]["title"],
        "Money"
    );

    // Notifications: a hide filter there drops the mention.
    bob.post(
        "/api/v1/statuses",
        json!({"status": "@alice the Ofsted call"}),
    )
    .await
    .expect(200);
    bob.post("/api/v1/statuses", json!({"status": "@alice lunch?"}))
        .await
        .expect(200);
    let mentions = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .filter(|n| n["type"] == "mention")
            .map(|n| n["status"]["content"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        mentions(alice.get("/api/v1/notifications").await.items()).len(),
        2
    );
    make(
        &alice,
        json!({"title": "Quiet", "context": ["notifications"], "filter_action": "hide",
               "keywords_attributes": [{"keyword": "ofsted"}]}),
    )
    .await;
    let left = mentions(alice.get("/api/v1/notifications").await.items());
    assert_eq!(left.len(), 1);
    assert!(left[0].contains("lunch"));
}

#[tokio::test]
async fn an_expired_filter_no_longer_applies() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let post = alice.status("Mock exams start").await;
    make(
        &alice,
        json!({"title": "Exams", "context": ["home"], "filter_action": "hide",
               "expires_in": 1, "keywords_attributes": [{"keyword": "mock"}]}),
    )
    .await;
    assert!(!ids_of(&home(&alice).await).contains(&post["id"].as_str().unwrap().to_owned()));
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    assert!(ids_of(&home(&alice).await).contains(&post["id"].as_str().unwrap().to_owned()));
    // Still listed, with its expiry, until deleted.
    assert_eq!(
        alice.get("/api/v2/filters").await.expect(200).items().len(),
        1
    );
}

#[tokio::test]
async fn the_v1_api_reads_and_writes_the_same_filters() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    make(
        &alice,
        json!({"title": "Two words", "context": ["home"], "filter_action": "hide",
               "keywords_attributes": [{"keyword": "one"}, {"keyword": "two", "whole_word": false}]}),
    )
    .await;
    let v1 = alice.get("/api/v1/filters").await.expect(200).items();
    assert_eq!(v1.len(), 2);
    assert_eq!(v1[0]["phrase"], "one");
    assert_eq!(v1[0]["irreversible"], true);
    assert_eq!(v1[1]["whole_word"], false);

    let made = alice
        .send_form(
            Method::POST,
            "/api/v1/filters",
            &[
                ("phrase", "strike"),
                ("context[]", "public"),
                ("whole_word", "true"),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(made["phrase"], "strike");
    assert_eq!(made["context"], json!(["public"]));
    assert_eq!(made["irreversible"], false);
    let v2 = alice.get("/api/v2/filters").await.expect(200).items();
    assert_eq!(v2.len(), 2);
    assert_eq!(v2[1]["title"], "strike");
    assert_eq!(v2[1]["filter_action"], "warn");

    let path = format!("/api/v1/filters/{}", made["id"].as_str().unwrap());
    let changed = alice
        .put(
            &path,
            json!({"phrase": "strikes", "context": ["public", "home"], "irreversible": true}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["phrase"], "strikes");
    assert_eq!(changed["context"], json!(["public", "home"]));
    assert_eq!(changed["irreversible"], true);
    bob.get(&path).await.expect(404);
    alice.delete(&path).await.expect(200);
    alice.get(&path).await.expect(404);
    // Its filter had nothing else: it went with it.
    assert_eq!(
        alice.get("/api/v2/filters").await.expect(200).items().len(),
        1
    );
}

#[tokio::test]
async fn the_streams_leave_out_hidden_posts_and_mark_warned_ones() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    make(
        &alice,
        json!({"title": "Hidden", "context": ["home"], "filter_action": "hide",
               "keywords_attributes": [{"keyword": "rota"}]}),
    )
    .await;
    make(
        &alice,
        json!({"title": "Careful", "context": ["home"],
               "keywords_attributes": [{"keyword": "parents evening"}]}),
    )
    .await;
    let mut stream = crate::streaming::open(&instance, &alice, "?stream=user").await;
    alice.status("The new rota is out").await;
    let warned = alice.status("Parents evening on Thursday").await;
    // The hidden post is never told: the next frame is the warned one.
    let frame = stream.next().await;
    assert_eq!(frame.event, "update");
    assert_eq!(frame.payload["id"], warned["id"]);
    assert_eq!(frame.payload["filtered"][0]["filter"]["title"], "Careful");
    assert_eq!(
        frame.payload["filtered"][0]["keyword_matches"],
        json!(["parents evening"])
    );
}
