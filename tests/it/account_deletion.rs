//! Deleting an account: by its owner at `/settings/delete`, by an administrator
//! on the people page or from the command line. Everything of the account goes,
//! nothing of it is served again, its actor answers `410 Gone` and its username
//! is never given again; other servers are told (see `two_instances.rs`).

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;

use crate::media::{png, upload};
use crate::sign_up::{app_token, application, sign_up};
use crate::web_admin::{field, send};

const PASSWORD: &str = "correct horse battery";

/// Every `(table, column)` whose foreign key points at `accounts`, read from the
/// schema itself so that a table added later is checked too.
async fn columns_referring_to_accounts(instance: &TestInstance) -> Vec<(String, String)> {
    let db = instance.running().db();
    let sql = if instance.database().is_postgres() {
        "SELECT kcu.table_name, kcu.column_name \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
         JOIN information_schema.constraint_column_usage ccu \
           ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'accounts' \
           AND tc.table_schema = current_schema()"
    } else {
        "SELECT m.name, p.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p \
         WHERE m.type = 'table' AND p.\"table\" = 'accounts'"
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<String>(0).unwrap(),
                row.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect()
}

/// How many rows of each table refer to the account `id`, the tables with none
/// left out.
async fn rows_referring_to(instance: &TestInstance, id: &str) -> Vec<(String, String, i64)> {
    let db = instance.running().db();
    let mut found = Vec::new();
    for (table, column) in columns_referring_to_accounts(instance).await {
        // The tombstone gets a row of numbers when it is made: it may stay,
        // but every number in it must be nothing.
        let sql = if table == "account_stats" {
            format!(
                "SELECT COUNT(*) FROM {table} WHERE {column} = {id} AND (posts_count <> 0 \
                 OR last_post_id IS NOT NULL OR followers_count <> 0 OR following_count <> 0)"
            )
        } else {
            format!("SELECT COUNT(*) FROM {table} WHERE {column} = {id}")
        };
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        let count: i64 = row.try_get_by_index(0).unwrap();
        if count > 0 {
            found.push((table, column, count));
        }
    }
    found
}

async fn count(instance: &TestInstance, sql: &str) -> i64 {
    let db = instance.running().db();
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index(0)
    .unwrap()
}

fn media_files(instance: &TestInstance) -> usize {
    std::fs::read_dir(instance.database().dir().join("data").join("media"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_person_deletes_their_account_and_nothing_of_it_is_served_again() {
    let instance = TestInstance::start_with(&[
        ("STAFFROOM_PASSWORD_GRANT", "true"),
        ("STAFFROOM_REGISTRATIONS", "open"),
    ])
    .await;
    let alice_token = instance
        .sign_up_and_in("alice", PASSWORD, "read write follow push")
        .await;
    let alice = ApiClient::new(&instance.base, Some(alice_token.clone()));
    let bob = instance.user("bob").await;
    let alice_id = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bob_id = bob.lookup("bob").await["id"].as_str().unwrap().to_owned();

    // Alice posts (one with a picture), follows bob, favourites, bookmarks and
    // boosts his post and keeps a list; bob follows her, boosts and favourites
    // her post.
    let before_upload = media_files(&instance);
    let medium = upload(&instance, &alice_token, png(64, 48)).await;
    assert!(media_files(&instance) > before_upload);
    let with_picture = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "With a picture", "media_ids": [medium["id"]]}),
        )
        .await
        .expect(200)
        .body;
    let hers = alice.status("Our maths results are in").await;
    let his = bob.status("Staff meeting at four").await;
    let his_id = his["id"].as_str().unwrap();
    let hers_id = hers["id"].as_str().unwrap();
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    for action in ["favourite", "bookmark", "reblog"] {
        alice
            .post(&format!("/api/v1/statuses/{his_id}/{action}"), json!({}))
            .await
            .expect(200);
    }
    for action in ["favourite", "reblog"] {
        bob.post(&format!("/api/v1/statuses/{hers_id}/{action}"), json!({}))
            .await
            .expect(200);
    }
    let list = alice
        .post("/api/v1/lists", json!({"title": "Heads"}))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    alice
        .post(
            &format!("/api/v1/lists/{list}/accounts"),
            json!({"account_ids": [bob_id]}),
        )
        .await
        .expect(200);
    assert!(!rows_referring_to(&instance, &alice_id).await.is_empty());

    // A wrong username or password deletes nothing.
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = browser.get("/settings/delete").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("name=\"code\""), "{}", page.body);
    let wrong_name = send(
        &browser,
        &page,
        "/settings/delete",
        &[("username", "bob"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(wrong_name.status, 422, "{}", wrong_name.body);
    assert!(wrong_name.body.contains("The username typed is not yours."));
    let wrong_password = send(
        &browser,
        &page,
        "/settings/delete",
        &[("username", "alice"), ("password", "not the password")],
    )
    .await;
    assert_eq!(wrong_password.status, 422, "{}", wrong_password.body);
    assert!(wrong_password.body.contains("The password is not right."));
    alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200);

    let done = send(
        &browser,
        &page,
        "/settings/delete",
        &[("username", "Alice"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body.contains("Your account is deleted"),
        "{}",
        done.body
    );

    // Nothing of hers is left in any table, and her files are gone.
    assert_eq!(rows_referring_to(&instance, &alice_id).await, Vec::new());
    assert_eq!(media_files(&instance), before_upload);
    assert_eq!(
        count(
            &instance,
            &format!("SELECT COUNT(*) FROM posts WHERE reblog_of_id = {hers_id}")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &instance,
            &format!("SELECT COUNT(*) FROM accounts WHERE id = {alice_id}")
        )
        .await,
        1,
        "the tombstone keeps the name"
    );

    // Her sessions and tokens no longer work.
    assert_eq!(browser.get("/home").await.status, 303);
    alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(401);

    // Nothing of her is served: the API, the pages, WebFinger, ActivityPub.
    bob.get(&format!("/api/v1/accounts/{alice_id}"))
        .await
        .expect(404);
    bob.get("/api/v1/accounts/lookup?acct=alice")
        .await
        .expect(404);
    bob.get(&format!("/api/v1/statuses/{hers_id}"))
        .await
        .expect(404);
    bob.get(&format!(
        "/api/v1/statuses/{}",
        with_picture["id"].as_str().unwrap()
    ))
    .await
    .expect(404);
    let search = bob.get("/api/v2/search?q=alice&resolve=false").await;
    assert_eq!(search.expect(200).body["accounts"], json!([]));
    let home = bob.get("/api/v1/timelines/home").await.expect(200).body;
    assert!(
        !home.to_string().contains("maths results"),
        "the home timeline still shows her: {home}"
    );
    let public = bob.get("/api/v1/timelines/public").await.expect(200).body;
    assert!(!public.to_string().contains("maths results"), "{public}");
    assert_eq!(
        bob.get(&format!("/api/v1/accounts/{bob_id}/following"))
            .await
            .expect(200)
            .body,
        json!([])
    );
    let webfinger = instance
        .get(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            instance.domain()
        ))
        .await;
    assert_eq!(webfinger.status(), StatusCode::GONE);
    let bobs = instance
        .get(&format!(
            "/.well-known/webfinger?resource=acct:bob@{}",
            instance.domain()
        ))
        .await;
    assert_eq!(bobs.status(), StatusCode::OK, "the same question about bob");
    let profile = instance.get("/@alice").await;
    assert_eq!(profile.status(), StatusCode::GONE);
    assert!(
        profile
            .text()
            .await
            .unwrap()
            .contains("This account is gone")
    );
    let actor = instance
        .http
        .get(format!("{}/users/alice", instance.base))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(actor.status(), StatusCode::GONE);
    let tombstone: serde_json::Value = actor.json().await.unwrap();
    assert_eq!(tombstone["type"], "Tombstone", "{tombstone}");
    assert_eq!(tombstone["id"], format!("{}/users/alice", instance.base));
    for path in [
        "/users/alice/outbox",
        "/users/alice/followers",
        &format!("/users/alice/statuses/{hers_id}"),
    ] {
        let answer = instance
            .http
            .get(format!("{}{path}", instance.base))
            .header("accept", "application/activity+json")
            .send()
            .await
            .unwrap();
        assert!(
            answer.status() == StatusCode::NOT_FOUND || answer.status() == StatusCode::GONE,
            "{path}: {}",
            answer.status()
        );
    }

    // The username is never given again, by sign-up or by the command line.
    let token = app_token(&instance, "read write:accounts").await;
    let (status, body) = sign_up(&instance, &token, &application("ALICE")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["details"]["username"][0]["error"], "ERR_RESERVED",
        "{body}"
    );
    let out = instance
        .cli(
            &[
                "admin",
                "create-user",
                "--username",
                "alice",
                "--email",
                "alice2@example.org",
            ],
            "",
        )
        .await;
    assert_eq!(out.status, 1, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("the username 'alice' belonged to an account that was deleted"),
        "{}",
        out.stderr
    );
    // Her email address is free again.
    let mut again = application("alice_again");
    again["email"] = json!("alice@example.org");
    assert_eq!(sign_up(&instance, &token, &again).await.0, 200);
    instance.shut_down().await;
}

#[tokio::test]
async fn with_two_factor_on_deleting_takes_a_current_code() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let (secret, recovery_codes) = crate::two_factor::turn_on(&browser).await;
    let page = browser.get("/settings/delete").await;
    assert!(page.body.contains("name=\"code\""), "{}", page.body);
    let without = send(
        &browser,
        &page,
        "/settings/delete",
        &[("username", "alice"), ("password", PASSWORD), ("code", "")],
    )
    .await;
    assert_eq!(without.status, 422, "{}", without.body);
    let wrong_code = crate::two_factor::wrong_code(&secret);
    let wrong = send(
        &browser,
        &page,
        "/settings/delete",
        &[
            ("username", "alice"),
            ("password", PASSWORD),
            ("code", &wrong_code),
        ],
    )
    .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(
        wrong.body.contains("The code is not right"),
        "{}",
        wrong.body
    );
    assert_eq!(instance.get("/@alice").await.status(), StatusCode::OK);

    let done = send(
        &browser,
        &page,
        "/settings/delete",
        &[
            ("username", "alice"),
            ("password", PASSWORD),
            ("code", &recovery_codes[0]),
        ],
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(instance.get("/@alice").await.status(), StatusCode::GONE);
    instance.shut_down().await;
}

#[tokio::test]
async fn administrators_delete_accounts_on_the_people_page_and_from_the_command_line() {
    let instance = TestInstance::start().await;
    instance
        .create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    instance.create_user("carol", &["--password-stdin"]).await;
    instance.create_user("dave", &["--password-stdin"]).await;

    // A moderator may not; an administrator confirms by typing the name.
    let modo = Browser::signed_in(&instance.base, "modo", PASSWORD).await;
    assert!(
        !modo
            .get("/admin/users")
            .await
            .body
            .contains("/admin/users/carol/delete")
    );
    assert_eq!(modo.get("/admin/users/carol/delete").await.status, 403);
    let boss = Browser::signed_in(&instance.base, "boss", PASSWORD).await;
    assert!(
        boss.get("/admin/users")
            .await
            .body
            .contains("href=\"/admin/users/carol/delete\"")
    );
    let page = boss.get("/admin/users/carol/delete").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mistyped = send(
        &boss,
        &page,
        "/admin/users/carol/delete",
        &[("confirm", "carl")],
    )
    .await;
    assert_eq!(mistyped.status, 422, "{}", mistyped.body);
    assert_eq!(instance.get("/@carol").await.status(), StatusCode::OK);
    let forged = boss
        .post(
            "/admin/users/carol/delete",
            &[
                field("authenticity_token", &"x".repeat(43)),
                field("confirm", "carol"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(instance.get("/@carol").await.status(), StatusCode::OK);
    let deleted = send(
        &boss,
        &page,
        "/admin/users/carol/delete",
        &[("confirm", "carol")],
    )
    .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    assert_eq!(instance.get("/@carol").await.status(), StatusCode::GONE);
    assert_eq!(boss.get("/admin/users/carol/delete").await.status, 404);
    assert!(!boss.get("/admin/users").await.body.contains("carol"));

    // From the command line, as the operator.
    let out = instance.cli(&["admin", "delete-user", "dave"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("dave"), "{}", out.stdout);
    assert_eq!(instance.get("/@dave").await.status(), StatusCode::GONE);
    let again = instance.cli(&["admin", "delete-user", "dave"], "").await;
    assert_eq!(again.status, 1);
    assert!(
        again.stderr.contains("there is no user called 'dave'"),
        "{}",
        again.stderr
    );

    // Both are in the audit log, with who did it.
    let log = boss.get("/admin/audit").await;
    assert!(log.body.contains("deleted the account of"), "{}", log.body);
    assert!(log.body.contains("carol") && log.body.contains("dave"));
    instance.shut_down().await;
}
