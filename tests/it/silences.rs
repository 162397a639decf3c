//! Silenced accounts: a moderator keeps an account out of the public and hashtag
//! timelines (the API's and the pages') of those who do not follow it, while its
//! followers still read it at home and its posts stay reachable by address; the
//! admin API, the command line and who may do it.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;

const PASSWORD: &str = "correct horse battery";

/// The ids of a timeline `path` as `client` reads it.
async fn timeline(client: &ApiClient, path: &str) -> Vec<String> {
    client.get(path).await.expect(200).ids()
}

/// Whether the post `post` is in each public timeline `client` reads: local,
/// federated, the tag's.
async fn in_public_timelines(client: &ApiClient, post: &Value) -> [bool; 3] {
    let id = post["id"].as_str().unwrap().to_owned();
    let mut found = [false; 3];
    let paths = [
        "/api/v1/timelines/public?local=true",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/assembly",
    ];
    for (seen, path) in found.iter_mut().zip(paths) {
        *seen = timeline(client, path).await.contains(&id);
    }
    found
}

#[tokio::test]
async fn a_silenced_account_leaves_public_timelines_but_not_its_followers_home() {
    let instance = TestInstance::start_for_apps().await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    let modo = ApiClient::new(
        &instance.base,
        Some(
            instance
                .sign_in("modo", PASSWORD, "read write admin:read admin:write")
                .await,
        ),
    );
    let loud = instance.user("loud").await;
    let fan = instance.user("fan").await;
    let stranger = instance.user("stranger").await;
    let visitor = instance.anonymous();
    let loud_id = fan.lookup("loud").await["id"].as_str().unwrap().to_owned();
    fan.post(&format!("/api/v1/accounts/{loud_id}/follow"), json!({}))
        .await
        .expect(200);
    let post = loud.status("Our assembly on belonging #Assembly").await;
    let post_id = post["id"].as_str().unwrap().to_owned();

    for (who, client) in [("visitor", &visitor), ("stranger", &stranger)] {
        assert_eq!(
            in_public_timelines(client, &post).await,
            [true; 3],
            "{who} reads it before the silence"
        );
    }

    // Someone without a staff role may not silence, by the API or the page.
    stranger
        .post(
            &format!("/api/v1/admin/accounts/{loud_id}/action"),
            json!({"type": "silence"}),
        )
        .await
        .expect(403);
    let browser = Browser::signed_in(&instance.base, "stranger", PASSWORD).await;
    let home = browser.get("/home").await;
    let refused = browser
        .post(
            "/admin/users/loud/silence",
            &[("authenticity_token".to_owned(), home.csrf())],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(in_public_timelines(&visitor, &post).await, [true; 3]);

    modo.post(
        &format!("/api/v1/admin/accounts/{loud_id}/action"),
        json!({"type": "silence"}),
    )
    .await
    .expect(200);
    let seen = modo
        .get(&format!("/api/v1/admin/accounts/{loud_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["silenced"], true, "{seen}");

    for (who, client) in [("visitor", &visitor), ("stranger", &stranger)] {
        assert_eq!(
            in_public_timelines(client, &post).await,
            [false; 3],
            "{who} no longer reads it in public timelines"
        );
    }
    let later = loud.status("And again #assembly").await;
    assert_eq!(in_public_timelines(&stranger, &later).await, [false; 3]);
    assert!(
        timeline(&fan, "/api/v1/timelines/home")
            .await
            .contains(&post_id),
        "a follower still reads it at home"
    );
    assert_eq!(
        in_public_timelines(&fan, &later).await,
        [true; 3],
        "and in public timelines"
    );
    assert_eq!(in_public_timelines(&loud, &later).await, [true; 3]);
    visitor
        .get(&format!("/api/v1/statuses/{post_id}"))
        .await
        .expect(200);
    let local_page = instance.get("/public/local").await.text().await.unwrap();
    assert!(local_page.contains("Local timeline"), "{local_page}");
    assert!(!local_page.contains("Our assembly on belonging"));
    let tag_page = instance.get("/tags/assembly").await.text().await.unwrap();
    assert!(
        !tag_page.contains("Our assembly on belonging"),
        "{tag_page}"
    );
    let strangers_page = browser.get("/public/local").await.body;
    assert!(!strangers_page.contains("Our assembly on belonging"));
    let fan_browser = Browser::signed_in(&instance.base, "fan", PASSWORD).await;
    assert!(
        fan_browser
            .get("/public/local")
            .await
            .body
            .contains("Our assembly on belonging")
    );

    let lifted = modo
        .post(
            &format!("/api/v1/admin/accounts/{loud_id}/unsilence"),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(lifted["silenced"], false, "{lifted}");
    assert_eq!(in_public_timelines(&visitor, &post).await, [true; 3]);
    assert!(
        instance
            .get("/public/local")
            .await
            .text()
            .await
            .unwrap()
            .contains("Our assembly on belonging")
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn the_command_line_silences_and_the_audit_log_says_so() {
    let instance = TestInstance::start_for_apps().await;
    let loud = instance.user("loud").await;
    let post = loud.status("Staff meeting notes #assembly").await;
    let visitor = instance.anonymous();

    let out = instance
        .cli(&["admin", "account", "silence", "loud"], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("loud is silenced"), "{}", out.stdout);
    assert_eq!(in_public_timelines(&visitor, &post).await, [false; 3]);
    let unknown = instance
        .cli(&["admin", "account", "silence", "nobody"], "")
        .await;
    assert_eq!(unknown.status, 1);
    assert!(unknown.stderr.contains("nobody"), "{}", unknown.stderr);

    let out = instance
        .cli(&["admin", "account", "unsilence", "loud"], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(in_public_timelines(&visitor, &post).await, [true; 3]);

    instance
        .create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;
    let boss = Browser::signed_in(&instance.base, "boss", PASSWORD).await;
    let log = boss.get("/admin/audit").await.body;
    assert!(log.contains("silenced"), "{log}");
    assert!(log.contains("unsilenced"), "{log}");
    instance.shut_down().await;
}
