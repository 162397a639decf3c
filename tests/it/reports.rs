//! Reports: a person reports an account and some of its posts; bad reports are
//! refused and store nothing; moderators read them through the admin API and the
//! command line and mark them resolved; a report about an account elsewhere is
//! forwarded to its server as a `Flag`, where it reaches that server's
//! moderators.

use serde_json::{Value, json};
use staffroom_tests::{TestInstance, eventually};

#[tokio::test]
async fn a_report_reaches_the_moderators_who_resolve_it() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let mallory = a.user("mallory").await;
    let bob = a.user("bob").await;
    let moderator = a.admin("modo").await;
    let spam = mallory.status("Buy essays, cheap").await;
    let spam_id = spam["id"].as_str().unwrap().to_owned();
    let hidden = mallory
        .post(
            "/api/v1/statuses",
            json!({"status": "@bob between us", "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    let mallory_id = mallory.lookup("mallory").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bob_post = bob.status("An ordinary day").await;

    // Bad reports are refused with a reason, and store nothing.
    for (body, status) in [
        (json!({}), 422),
        (json!({"account_id": "1"}), 404),
        (json!({"account_id": alice_id}), 422),
        (json!({"account_id": mallory_id, "category": "rude"}), 422),
        (
            json!({"account_id": mallory_id, "comment": "x".repeat(1001)}),
            422,
        ),
        // A post alice cannot see is as if it did not exist ...
        (
            json!({"account_id": mallory_id, "status_ids": [hidden["id"]]}),
            404,
        ),
        // ... and so is a post of someone else.
        (
            json!({"account_id": mallory_id, "status_ids": [bob_post["id"]]}),
            404,
        ),
    ] {
        let answer = alice.post("/api/v1/reports", body.clone()).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.body);
        assert!(answer.body["error"].is_string(), "{}", answer.body);
    }
    assert_eq!(
        moderator
            .get("/api/v1/admin/reports")
            .await
            .expect(200)
            .items(),
        Vec::<Value>::new()
    );

    // A good one, as Mastodon answers it.
    let report = alice
        .post(
            "/api/v1/reports",
            json!({
                "account_id": mallory_id,
                "status_ids": [spam_id],
                "comment": "Advertising essay mills",
                "category": "spam",
                "forward": true,
            }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(report["action_taken"], false);
    assert_eq!(report["category"], "spam");
    assert_eq!(report["comment"], "Advertising essay mills");
    assert_eq!(report["status_ids"], json!([spam_id]));
    assert_eq!(report["target_account"]["id"], mallory_id.as_str());
    // Forwarding means nothing for an account of this instance.
    assert_eq!(report["forwarded"], false);
    let report_id = report["id"].as_str().unwrap().to_owned();

    // The moderators are notified (an app shows `admin.report`); others are not.
    let told = moderator
        .get("/api/v1/notifications?types[]=admin.report")
        .await
        .expect(200)
        .items();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["type"], "admin.report");
    assert_eq!(told[0]["report"]["id"], report_id.as_str());
    assert_eq!(told[0]["account"]["username"], "alice");
    assert!(told[0].get("status").is_some_and(Value::is_null));
    assert!(
        alice
            .get("/api/v1/notifications?types[]=admin.report")
            .await
            .items()
            .is_empty()
    );

    // People without the moderators' role or scopes cannot read reports.
    assert_eq!(alice.get("/api/v1/admin/reports").await.status, 403);
    let plain_admin_token = a
        .sign_in("modo", "correct horse battery", "read write")
        .await;
    let plain = staffroom_tests::api::ApiClient::new(&a.base, Some(plain_admin_token));
    assert_eq!(plain.get("/api/v1/admin/reports").await.status, 403);

    // The moderator reads it, with who reported whom and the post ...
    let open = moderator.get("/api/v1/admin/reports").await.expect(200);
    let [listed] = open.items().try_into().unwrap();
    assert_eq!(listed["id"], report_id.as_str());
    assert_eq!(listed["account"]["username"], "alice");
    assert_eq!(listed["target_account"]["username"], "mallory");
    assert_eq!(
        listed["target_account"]["account"]["id"],
        mallory_id.as_str()
    );
    assert_eq!(listed["statuses"][0]["id"], spam_id.as_str());
    // ... also at the command line.
    let cli = a.cli(&["admin", "reports", "list"], "").await;
    assert_eq!(cli.status, 0, "{}", cli.stderr);
    assert!(cli.stdout.contains("alice -> mallory"), "{}", cli.stdout);
    assert!(
        cli.stdout.contains("Advertising essay mills"),
        "{}",
        cli.stdout
    );

    // Resolved, it leaves the open list; opened again, it is back.
    let resolved = moderator
        .post(
            &format!("/api/v1/admin/reports/{report_id}/resolve"),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(resolved["action_taken"], true);
    assert_eq!(resolved["action_taken_by_account"]["username"], "modo");
    assert!(
        moderator
            .get("/api/v1/admin/reports")
            .await
            .items()
            .is_empty()
    );
    assert_eq!(
        moderator
            .get("/api/v1/admin/reports?resolved=true")
            .await
            .items()
            .len(),
        1
    );
    let cli = a.cli(&["admin", "reports", "reopen", &report_id], "").await;
    assert_eq!(cli.status, 0, "{}", cli.stderr);
    assert_eq!(
        moderator.get("/api/v1/admin/reports").await.items().len(),
        1
    );
    assert_eq!(moderator.get("/api/v1/admin/reports/1").await.status, 404);
    let unknown = a.cli(&["admin", "reports", "resolve", "1"], "").await;
    assert_ne!(unknown.status, 0);
}

#[tokio::test]
async fn a_report_about_an_account_elsewhere_is_forwarded_to_its_server() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let mallory = a.user("mallory").await;
    let moderator = a.admin("modo").await;
    let carol = b.user("carol").await;
    let spam = mallory.status("Buy essays, cheap").await;
    let uri = spam["uri"].as_str().unwrap().to_owned();

    // Carol, on B, finds the post and reports its author, asking to forward.
    let found = carol
        .get(&format!(
            "/api/v2/search?q={uri}&resolve=true&type=statuses"
        ))
        .await
        .expect(200);
    let post_on_b = found.body["statuses"][0]["id"].as_str().unwrap().to_owned();
    let mallory_on_b = found.body["statuses"][0]["account"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let report = carol
        .post(
            "/api/v1/reports",
            json!({
                "account_id": mallory_on_b,
                "status_ids": [post_on_b],
                "comment": "Essay mill spam",
                "forward": "true",
            }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(report["forwarded"], true);

    // A's moderators receive it from B's instance actor (Carol is not named),
    // about their own account and post.
    eventually("the report reaches A", || async {
        !moderator
            .get("/api/v1/admin/reports")
            .await
            .items()
            .is_empty()
    })
    .await;
    let [received] = moderator
        .get("/api/v1/admin/reports")
        .await
        .items()
        .try_into()
        .unwrap();
    assert_eq!(received["target_account"]["username"], "mallory");
    assert_eq!(received["target_account"]["domain"], Value::Null);
    assert_eq!(received["account"]["domain"], b.domain());
    assert_ne!(received["account"]["username"], "carol");
    assert_eq!(received["comment"], "Essay mill spam");
    assert_eq!(received["statuses"][0]["uri"], uri.as_str());
    let told = moderator
        .get("/api/v1/notifications?types[]=admin.report")
        .await
        .items();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["report"]["target_account"]["username"], "mallory");
    // B keeps its own copy for its moderators too.
    let b_moderator = b.admin("bmod").await;
    let [kept] = b_moderator
        .get("/api/v1/admin/reports")
        .await
        .items()
        .try_into()
        .unwrap();
    assert_eq!(kept["account"]["username"], "carol");
    assert_eq!(kept["forwarded"], true);
}
