//! `GET /api/v1/instance` and `/api/v2/instance`: every field Mastodon apps read.

use serde_json::Value;
use staffroom_tests::TestInstance;

fn assert_keys(value: &Value, keys: &[&str], what: &str) {
    for key in keys {
        assert!(value.get(key).is_some(), "{what} lacks {key}: {value}");
    }
}

#[tokio::test]
async fn v1_has_the_fields_apps_read() {
    let instance = TestInstance::start_with(&[
        ("STAFFROOM_TITLE", "Northern Heads"),
        ("STAFFROOM_CONTACT_EMAIL", "admin@example.org"),
    ])
    .await;
    // Apps ask with a trailing slash; the answer is the same.
    let (status, v1) = instance.get_json("/api/v1/instance/").await;
    assert_eq!(status, 200);
    assert_keys(
        &v1,
        &[
            "uri",
            "title",
            "short_description",
            "description",
            "email",
            "version",
            "urls",
            "stats",
            "thumbnail",
            "languages",
            "registrations",
            "approval_required",
            "invites_enabled",
            "configuration",
            "contact_account",
            "rules",
        ],
        "v1",
    );
    assert_eq!(v1["uri"], instance.domain());
    assert_eq!(v1["title"], "Northern Heads");
    assert_eq!(v1["email"], "admin@example.org");
    assert!(
        v1["version"].as_str().unwrap().starts_with("4."),
        "apps parse a Mastodon version"
    );
    assert!(
        v1["version"]
            .as_str()
            .unwrap()
            .contains("compatible; Staffroom")
    );
    assert_eq!(
        v1["urls"]["streaming_api"],
        format!("ws://{}", instance.domain())
    );
    assert_eq!(v1["configuration"]["statuses"]["max_characters"], 5000);
    assert!(v1["contact_account"].is_null());
    assert_eq!(v1["stats"]["user_count"], 0);

    let thumbnail = v1["thumbnail"].as_str().unwrap().to_owned();
    let image = instance.http.get(&thumbnail).send().await.unwrap();
    assert_eq!(image.status(), 200, "{thumbnail}");
    assert_eq!(image.headers()["content-type"], "image/png");
    instance.shut_down().await;
}

#[tokio::test]
async fn v2_has_the_fields_apps_read() {
    let instance = TestInstance::start().await;
    instance.create_user("head", &["--role", "admin"]).await;
    let (status, v2) = instance.get_json("/api/v2/instance").await;
    assert_eq!(status, 200);
    assert_keys(
        &v2,
        &[
            "domain",
            "title",
            "version",
            "source_url",
            "description",
            "usage",
            "thumbnail",
            "icon",
            "languages",
            "configuration",
            "registrations",
            "api_versions",
            "contact",
            "rules",
        ],
        "v2",
    );
    assert_eq!(v2["domain"], instance.domain());
    assert_eq!(v2["api_versions"]["mastodon"], 2);
    assert_eq!(
        v2["configuration"]["urls"]["streaming"],
        format!("ws://{}", instance.domain())
    );
    assert_keys(
        &v2["configuration"],
        &[
            "urls",
            "accounts",
            "statuses",
            "media_attachments",
            "polls",
            "translation",
            "vapid",
        ],
        "configuration",
    );
    assert_eq!(v2["configuration"]["accounts"]["max_featured_tags"], 10);
    assert!(v2["thumbnail"]["url"].is_string());

    let account = &v2["contact"]["account"];
    assert_keys(
        account,
        &[
            "id",
            "username",
            "acct",
            "display_name",
            "created_at",
            "note",
            "url",
            "uri",
            "avatar",
            "avatar_static",
            "header",
            "header_static",
            "locked",
            "bot",
            "group",
            "discoverable",
            "followers_count",
            "following_count",
            "statuses_count",
            "last_status_at",
            "emojis",
            "fields",
        ],
        "account",
    );
    assert!(account["id"].is_string(), "ids are strings");
    assert_eq!(account["acct"], "head", "a local acct is the bare username");
    assert_eq!(account["uri"], format!("{}/users/head", instance.base));
    assert!(account["last_status_at"].is_null());
    let created_at = account["created_at"].as_str().unwrap();
    assert!(
        created_at.ends_with('Z') && created_at.len() == 24,
        "{created_at}"
    );
    for image in ["avatar", "header"] {
        let url = account[image].as_str().unwrap();
        let response = instance.http.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["content-type"], "image/png");
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn the_registration_mode_is_advertised() {
    for (mode, enabled, approval, invites) in [
        ("open", true, false, false),
        ("approval", true, true, false),
        ("invite-only", true, false, true),
        ("closed", false, false, false),
    ] {
        let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", mode)]).await;
        let (_, v1) = instance.get_json("/api/v1/instance").await;
        assert_eq!(v1["registrations"], enabled, "{mode}");
        assert_eq!(v1["approval_required"], approval, "{mode}");
        assert_eq!(v1["invites_enabled"], invites, "{mode}");
        let (_, v2) = instance.get_json("/api/v2/instance").await;
        assert_eq!(v2["registrations"]["enabled"], enabled, "{mode}");
        assert_eq!(v2["registrations"]["approval_required"], approval, "{mode}");
        let (_, nodeinfo) = instance.get_json("/nodeinfo/2.1").await;
        assert_eq!(nodeinfo["openRegistrations"], enabled, "{mode}");
        instance.shut_down().await;
    }
}

#[tokio::test]
async fn unknown_api_routes_get_the_mastodon_error_shape() {
    let instance = TestInstance::start().await;
    let (status, body) = instance.get_json("/api/v1/no_such_thing").await;
    assert_eq!(status, 404);
    assert_eq!(body, serde_json::json!({"error": "Record not found"}));
    let response = instance
        .http
        .post(format!("{}/api/v1/instance", instance.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].is_string());
    instance.shut_down().await;
}
