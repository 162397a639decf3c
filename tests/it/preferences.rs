//! Posting preferences: who sees a person's posts and their language when they say
//! nothing else, set from an app (`source[privacy]`, `source[language]`,
//! `source[sensitive]`, as a form or JSON) or the settings page, shown back to
//! apps, and applied to posts written through the API and to the web app's
//! compose form; `sensitive` said on a post itself.

use reqwest::Method;
use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::browser::Browser;

#[tokio::test]
async fn an_apps_posting_defaults_apply_to_posts_that_say_nothing_else() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let preferences = alice.get("/api/v1/preferences").await.expect(200).body;
    assert_eq!(preferences["posting:default:visibility"], "public");
    assert!(preferences["posting:default:language"].is_null());

    // A form, as Mastodon.py sends it.
    let changed = alice
        .send_form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &[("source[privacy]", "private"), ("source[language]", "CY")],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["source"]["privacy"], "private");
    assert_eq!(changed["source"]["language"], "cy");
    let post = alice
        .post("/api/v1/statuses", json!({"status": "For my followers"}))
        .await
        .expect(200)
        .body;
    assert_eq!(post["visibility"], "private");
    assert_eq!(post["language"], "cy");
    // Said, it wins.
    let post = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "For everyone", "visibility": "public", "language": "en"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(post["visibility"], "public");
    assert_eq!(post["language"], "en");

    // JSON, as masto sends it; what is left out stays.
    let changed = alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"source": {"privacy": "unlisted"}}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["source"]["privacy"], "unlisted");
    assert_eq!(changed["source"]["language"], "cy");
    let preferences = alice.get("/api/v1/preferences").await.expect(200).body;
    assert_eq!(preferences["posting:default:visibility"], "unlisted");
    assert_eq!(preferences["posting:default:language"], "cy");

    // Bad values are refused and change nothing.
    for body in [
        json!({"source": {"privacy": "secret"}}),
        json!({"source": {"language": "english"}}),
    ] {
        let refused = alice
            .patch("/api/v1/accounts/update_credentials", body.clone())
            .await;
        assert_eq!(refused.status, 422, "{body}: {}", refused.body);
        assert!(refused.body["error"].is_string());
    }
    let me = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    assert_eq!(me["source"]["privacy"], "unlisted");
    assert_eq!(me["source"]["language"], "cy");
    instance.shut_down().await;
}

#[tokio::test]
async fn the_settings_page_sets_the_default_the_compose_form_starts_with() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let browser = Browser::signed_in(&instance.base, "alice", "correct horse battery").await;
    let home = browser.get("/home").await;
    assert!(
        home.body.contains("value=\"public\" selected"),
        "{}",
        home.body
    );

    let form = browser.get("/settings/preferences").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let refused = browser
        .post(
            "/settings/preferences",
            &[
                ("authenticity_token".into(), form.csrf()),
                ("visibility".into(), "private".into()),
                ("language".into(), "klingon".into()),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("value=\"klingon\""),
        "what was typed stays"
    );
    let saved = browser
        .post(
            "/settings/preferences",
            &[
                ("authenticity_token".into(), form.csrf()),
                ("visibility".into(), "private".into()),
                ("language".into(), "en".into()),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let home = browser.get("/home").await;
    assert!(
        home.body.contains("value=\"private\" selected"),
        "{}",
        home.body
    );
    let me = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    assert_eq!(me["source"]["privacy"], "private");
    assert_eq!(me["source"]["language"], "en");
    instance.shut_down().await;
}

#[tokio::test]
async fn sensitive_is_honoured_on_a_post_and_as_a_default() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let said = |body: serde_json::Value| {
        let alice = alice.clone();
        async move { alice.post("/api/v1/statuses", body).await.expect(200).body }
    };
    assert_eq!(said(json!({"status": "a"})).await["sensitive"], false);
    assert_eq!(
        said(json!({"status": "b", "sensitive": true})).await["sensitive"],
        true
    );
    // As a form, as Mastodon.py sends it.
    let form = alice
        .send_form(
            Method::POST,
            "/api/v1/statuses",
            &[("status", "c"), ("sensitive", "1")],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(form["sensitive"], true);
    let bad = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "d", "sensitive": "maybe"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body["error"].is_string());

    // The default, set from an app, shown back, and applied.
    let changed = alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"source": {"sensitive": true}}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["source"]["sensitive"], true);
    assert_eq!(changed["source"]["privacy"], "public", "the rest stays");
    let me = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    assert_eq!(me["source"]["sensitive"], true);
    let preferences = alice.get("/api/v1/preferences").await.expect(200).body;
    assert_eq!(preferences["posting:default:sensitive"], true);
    assert_eq!(said(json!({"status": "e"})).await["sensitive"], true);
    assert_eq!(
        said(json!({"status": "f", "sensitive": false})).await["sensitive"],
        false,
        "what the post says wins"
    );
    let form = alice
        .send_form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &[("source[sensitive]", "false")],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(form["source"]["sensitive"], false);
    assert_eq!(said(json!({"status": "g"})).await["sensitive"], false);
}
