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

#[tokio::test]
async fn the_rules_texts_peers_activity_and_blocked_servers_are_told_to_apps() {
    let a = TestInstance::start_with(&[
        ("STAFFROOM_TITLE", "Northern Heads"),
        (
            "STAFFROOM_DESCRIPTION",
            "Heads of the north.\n\nWe meet <monthly>.",
        ),
        (
            "STAFFROOM_RULES",
            "Be kind: we are colleagues first.\n\n  No advertising.  \n",
        ),
        ("STAFFROOM_PASSWORD_GRANT", "true"),
    ])
    .await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    b.user("bob").await;
    alice
        .get(&format!(
            "/api/v2/search?q=@bob@{}&resolve=true",
            b.domain()
        ))
        .await
        .expect(200);
    alice.status("Our first week").await;

    let visitor = a.anonymous();
    let rules = visitor.get("/api/v1/instance/rules").await.expect(200).body;
    assert_eq!(
        rules,
        serde_json::json!([
            {"id": "1", "text": "Be kind: we are colleagues first.", "hint": ""},
            {"id": "2", "text": "No advertising.", "hint": ""},
        ])
    );
    let v2 = visitor.get("/api/v2/instance").await.expect(200).body;
    assert_eq!(v2["rules"], rules, "the instance entity carries them too");

    let about = visitor
        .get("/api/v1/instance/extended_description")
        .await
        .expect(200)
        .body;
    assert_eq!(
        about["content"],
        "<p>Heads of the north.</p><p>We meet &lt;monthly&gt;.</p>"
    );
    assert!(chrono::DateTime::parse_from_rfc3339(about["updated_at"].as_str().unwrap()).is_ok());
    let policy = visitor
        .get("/api/v1/instance/privacy_policy")
        .await
        .expect(200)
        .body;
    let policy = policy["content"].as_str().unwrap();
    assert!(policy.starts_with("<p>Northern Heads keeps"), "{policy}");
    assert!(policy.contains("delete your account"));

    let peers = visitor.get("/api/v1/instance/peers").await.expect(200).body;
    assert_eq!(peers, serde_json::json!([b.domain()]));

    let activity = visitor
        .get("/api/v1/instance/activity")
        .await
        .expect(200)
        .body;
    let weeks = activity.as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks[0]["statuses"], "1");
    assert_eq!(weeks[0]["registrations"], "1");
    assert_eq!(weeks[0]["logins"], "1");
    assert_eq!(weeks[1]["statuses"], "0");
    let this_week: i64 = weeks[0]["week"].as_str().unwrap().parse().unwrap();
    let last_week: i64 = weeks[1]["week"].as_str().unwrap().parse().unwrap();
    assert_eq!(this_week - last_week, 7 * 24 * 3600);
    assert!(this_week <= chrono::Utc::now().timestamp());

    // A blocked server is listed, with its digest, and is no longer a peer.
    let blocked = a.cli(&["admin", "domain", "block", b.domain()], "").await;
    assert_eq!(blocked.status, 0, "{}", blocked.stderr);
    let blocks = visitor
        .get("/api/v1/instance/domain_blocks")
        .await
        .expect(200)
        .body;
    assert_eq!(blocks[0]["domain"], b.domain());
    assert_eq!(blocks[0]["severity"], "suspend");
    assert_eq!(blocks[0]["digest"].as_str().unwrap().len(), 64);
    let peers = visitor.get("/api/v1/instance/peers").await.expect(200).body;
    assert_eq!(peers, serde_json::json!([]));
}
