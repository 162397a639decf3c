//! Suspending a person of this instance, as Mastodon does: a moderator suspends
//! them (admin API, page or command line); nothing of them is shown to anyone
//! else through any route (timelines, statuses, their profile, search,
//! ActivityPub, pages), their apps are signed out and cannot sign in again,
//! and on the pages they reach only their archive and the deletion of their
//! account. Lifting the suspension restores everything; after 30 days the
//! account is deleted as its owner's own deletion would. Other servers are
//! told with an `Update` of the actor saying `suspended`.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use staffroom_domain::media::MediaStore;
use staffroom_domain::moderation::local_suspension::RETENTION;
use staffroom_domain::posts::post::Visibility;
use staffroom_federation::suspension;
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;
use staffroom_tests::{TestInstance, eventually};

const PASSWORD: &str = "correct horse battery";

/// What `client` sees of alice's post `id` (and alice, `alice_id`) through the
/// API: in home, in the local, federated and tag timelines, by its address, in
/// her posts, and alice herself in a search.
async fn seen(client: &ApiClient, id: &str, alice_id: &str, home: bool) -> Vec<bool> {
    let mut found = Vec::new();
    let mut paths = vec![
        "/api/v1/timelines/public?local=true".to_owned(),
        "/api/v1/timelines/public".to_owned(),
        "/api/v1/timelines/tag/assembly".to_owned(),
        format!("/api/v1/accounts/{alice_id}/statuses"),
    ];
    if home {
        paths.push("/api/v1/timelines/home".to_owned());
    }
    for path in paths {
        found.push(
            client
                .get(&path)
                .await
                .expect(200)
                .ids()
                .contains(&id.to_owned()),
        );
    }
    found.push(client.get(&format!("/api/v1/statuses/{id}")).await.status == 200);
    found.push(
        client
            .get(&format!("/api/v1/statuses/{id}/context"))
            .await
            .status
            == 200,
    );
    let search = client
        .get("/api/v2/search?q=alice&type=accounts")
        .await
        .expect(200)
        .body;
    found.push(
        search["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == alice_id),
    );
    found
}

/// A password grant for `username`: the status and the body.
async fn password_grant(instance: &TestInstance, username: &str) -> (u16, Value) {
    let app: Value = instance
        .http
        .post(format!("{}/api/v1/apps", instance.base))
        .json(&json!({"client_name": "tests", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .json(&json!({
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": username,
            "password": PASSWORD,
            "scope": "read",
        }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_suspended_person_is_hidden_everywhere_and_restored_when_unsuspended() {
    let instance = TestInstance::start_for_apps().await;
    let root = instance.admin("root").await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let visitor = instance.anonymous();
    let alice_id = bob.lookup("alice").await["id"].as_str().unwrap().to_owned();
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    let post = alice.status("Our assembly on belonging #Assembly").await;
    let id = post["id"].as_str().unwrap().to_owned();
    let uri = post["uri"].as_str().unwrap().to_owned();
    let page = format!("/@alice/{id}");

    assert_eq!(seen(&bob, &id, &alice_id, true).await, vec![true; 8]);
    assert_eq!(seen(&visitor, &id, &alice_id, false).await, vec![true; 7]);
    assert!(instance.get(&page).await.status().is_success());

    // Nobody but staff may suspend; bob is refused.
    bob.post(
        &format!("/api/v1/admin/accounts/{alice_id}/action"),
        json!({"type": "suspend"}),
    )
    .await
    .expect(403);
    let done = root
        .post(
            &format!("/api/v1/admin/accounts/{alice_id}/action"),
            json!({"type": "suspend", "text": "Spam in the staffroom"}),
        )
        .await
        .expect(200);
    assert_eq!(done.body, json!({}));
    let admin_view = root
        .get(&format!("/api/v1/admin/accounts/{alice_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(admin_view["suspended"], true);

    // Nothing of her is seen, by bob (who follows her) or by a visitor.
    assert_eq!(seen(&bob, &id, &alice_id, true).await, vec![false; 8]);
    assert_eq!(seen(&visitor, &id, &alice_id, false).await, vec![false; 7]);
    // Her profile says she is suspended, and nothing else.
    let profile = bob
        .get(&format!("/api/v1/accounts/{alice_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(profile["suspended"], true, "{profile}");
    assert_eq!(profile["display_name"], "");
    assert_eq!(profile["note"], "");
    let looked_up = visitor.lookup("alice").await;
    assert_eq!(looked_up["suspended"], true);
    // Over ActivityPub: the note is gone, the actor says it is suspended.
    let note = instance
        .http
        .get(&uri)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(note.status().as_u16(), 404);
    let actor = instance
        .get_activity(&format!("{}/users/alice", instance.base))
        .await;
    assert_eq!(actor["suspended"], true, "{actor}");
    assert_eq!(actor["name"], "");
    let outbox = instance
        .get_activity(&format!("{}/users/alice/outbox", instance.base))
        .await;
    assert_eq!(outbox["totalItems"], 0, "{outbox}");
    // On the pages.
    assert_eq!(instance.get(&page).await.status().as_u16(), 404);
    let profile_page = instance.get("/@alice").await.text().await.unwrap();
    assert!(!profile_page.contains("Our assembly on belonging"));
    assert!(profile_page.contains("This account is suspended"));
    let bob_browser = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    let home = bob_browser.get("/home").await;
    assert_eq!(home.status, 200);
    assert!(!home.body.contains("Our assembly on belonging"));

    // Her app is signed out and cannot sign in again.
    assert_eq!(
        alice
            .get("/api/v1/accounts/verify_credentials")
            .await
            .status,
        401
    );
    let (status, body) = password_grant(&instance, "alice").await;
    assert!(status >= 400, "{status} {body}");
    assert!(
        body.to_string()
            .contains("Your login is currently disabled"),
        "{body}"
    );

    // She signs in on the pages, but reaches only her archive and the deletion
    // of her account.
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    for path in ["/home", "/publish", "/settings/profile", "/oauth/authorize"] {
        let refused = browser.get(path).await;
        assert_eq!(refused.status, 303, "{path}");
        assert_eq!(refused.location.as_deref(), Some("/account/suspended"));
    }
    let told = browser.get("/account/suspended").await;
    assert_eq!(told.status, 200);
    assert!(told.body.contains("Your account is suspended"));
    assert!(told.body.contains("Spam in the staffroom"));
    assert_eq!(browser.get("/settings/export").await.status, 200);
    assert_eq!(browser.get("/settings/delete").await.status, 200);

    // The command line lists her.
    let listed = instance.cli(&["admin", "account", "suspended"], "").await;
    assert!(
        listed.stdout.contains("alice  (here, deleted on"),
        "{}",
        listed.stdout
    );

    // Lifting the suspension restores everything.
    let lifted = root
        .post(
            &format!("/api/v1/admin/accounts/{alice_id}/unsuspend"),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(lifted["suspended"], false);
    root.post(
        &format!("/api/v1/admin/accounts/{alice_id}/unsuspend"),
        json!({}),
    )
    .await
    .expect(404);
    assert_eq!(seen(&bob, &id, &alice_id, true).await, vec![true; 8]);
    assert_eq!(seen(&visitor, &id, &alice_id, false).await, vec![true; 7]);
    let actor = instance
        .get_activity(&format!("{}/users/alice", instance.base))
        .await;
    assert!(actor.get("suspended").is_none(), "{actor}");
    assert_eq!(browser.get("/home").await.status, 200);
    let (status, body) = password_grant(&instance, "alice").await;
    assert_eq!(status, 200, "{body}");

    // The command line suspends and lifts too.
    let out = instance
        .cli(
            &["admin", "account", "suspend", "alice", "--reason", "again"],
            "",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(seen(&visitor, &id, &alice_id, false).await, vec![false; 7]);
    let out = instance
        .cli(&["admin", "account", "unsuspend", "alice"], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(seen(&visitor, &id, &alice_id, false).await, vec![true; 7]);
    instance.shut_down().await;
}

#[tokio::test]
async fn staff_suspend_from_the_people_page_but_not_themselves_nor_an_administrator() {
    let instance = TestInstance::start_for_apps().await;
    instance.admin("root").await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    instance.user("carol").await;
    let modo = Browser::signed_in(&instance.base, "modo", PASSWORD).await;
    let users = modo.get("/admin/users").await;
    assert_eq!(users.status, 200);
    let csrf = users.csrf();
    let form = |extra: &[(&str, &str)]| {
        let mut fields = vec![
            ("authenticity_token".to_owned(), csrf.clone()),
            ("return_to".to_owned(), "/admin/users".to_owned()),
        ];
        fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        fields
    };
    let done = modo
        .post("/admin/users/carol/suspend", &form(&[("reason", "Rude")]))
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let users = modo.get("/admin/users").await;
    assert!(
        users.body.contains("suspended (deleted on"),
        "{}",
        users.body
    );
    assert_eq!(
        instance.anonymous().lookup("carol").await["suspended"],
        true
    );
    // A moderator may not suspend an administrator, nor themselves.
    assert_eq!(
        modo.post("/admin/users/root/suspend", &form(&[]))
            .await
            .status,
        403
    );
    assert_eq!(
        modo.post("/admin/users/modo/suspend", &form(&[]))
            .await
            .status,
        403
    );
    let done = modo.post("/admin/users/carol/unsuspend", &form(&[])).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        instance
            .anonymous()
            .lookup("carol")
            .await
            .get("suspended")
            .is_none()
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn a_person_suspended_for_thirty_days_is_deleted_as_their_own_deletion_would() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let alice_id = bob.lookup("alice").await["id"].as_str().unwrap().to_owned();
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    alice.status("Before the suspension").await;
    let out = instance
        .cli(&["admin", "account", "suspend", "alice"], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);

    let data = instance.running().federation().to_request_data();
    let store =
        MediaStore::local(std::path::Path::new(&instance.env["STAFFROOM_DATA_DIR"]).join("media"));
    let now = Utc::now();
    // Not before the retention period is over.
    let erased = suspension::erase_expired(&data, &store, now + TimeDelta::days(29), RETENTION)
        .await
        .unwrap();
    assert_eq!(erased, 0);
    assert_eq!(
        instance.anonymous().lookup("alice").await["suspended"],
        true
    );
    // A shorter period may be asked for (the upkeep uses `RETENTION`).
    let erased = suspension::erase_expired(&data, &store, now + TimeDelta::days(31), RETENTION)
        .await
        .unwrap();
    assert_eq!(erased, 1);
    assert_eq!(
        instance
            .anonymous()
            .get("/api/v1/accounts/lookup?acct=alice")
            .await
            .status,
        404
    );
    assert_eq!(instance.get("/users/alice").await.status().as_u16(), 410);
    let bob_me = bob
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200);
    assert_eq!(bob_me.body["following_count"], 0);
    // The username stays taken.
    let again = instance
        .cli(
            &[
                "admin",
                "create-user",
                "--username",
                "alice",
                "--email",
                "alice2@example.org",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        )
        .await;
    assert_ne!(again.status, 0);
    // Nothing is left to erase.
    let erased = suspension::erase_expired(&data, &store, now + TimeDelta::days(60), RETENTION)
        .await
        .unwrap();
    assert_eq!(erased, 0);
    instance.shut_down().await;
}

#[tokio::test]
async fn another_server_hides_a_suspended_person_and_shows_them_again() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    a.create_user("alice", &[]).await;
    let bob = b.user("bob").await;
    let alice = format!("{}/users/alice", a.base);
    let acct = format!("alice@{}", a.domain());

    b.follow_as("bob", &alice).await;
    eventually("alice accepts bob", || async {
        crate::two_instances::total(&a, "/users/alice/followers").await == 1
    })
    .await;
    let post = a
        .post_as("alice", "Hello from trust A", Visibility::Public)
        .await;
    eventually("alice's post reaches B", || async {
        b.remote_posts().await.iter().any(|p| p.1 == post)
    })
    .await;
    let local_id = b
        .remote_posts()
        .await
        .into_iter()
        .find(|p| p.1 == post)
        .unwrap()
        .0;
    let status = format!("/api/v1/statuses/{local_id}");
    bob.get(&status).await.expect(200);

    let out = a.cli(&["admin", "account", "suspend", "alice"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    eventually("B hears of the suspension", || async {
        bob.get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await
            .body["suspended"]
            == true
    })
    .await;
    bob.get(&status).await.expect(404);
    assert!(
        !bob.get("/api/v1/timelines/home")
            .await
            .expect(200)
            .ids()
            .contains(&local_id.to_string())
    );
    // The follow stays, so that lifting the suspension restores everything.
    assert_eq!(
        crate::two_instances::total(&a, "/users/alice/followers").await,
        1
    );

    let out = a.cli(&["admin", "account", "unsuspend", "alice"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    eventually("B hears the suspension is lifted", || async {
        bob.get(&status).await.status == 200
    })
    .await;
    assert!(
        bob.get(&format!("/api/v1/accounts/lookup?acct={acct}"))
            .await
            .body
            .get("suspended")
            .is_none()
    );
    b.shut_down().await;
    a.shut_down().await;
}
