//! Accounts through the client API: looking them up in every `acct` form, and the
//! endpoints apps call on start-up, which must answer even while empty.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::peer::Peer;

async fn get(instance: &TestInstance, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = instance.http.get(format!("{}{path}", instance.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn accounts_are_found_in_every_acct_form() {
    let instance = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    let token = instance
        .sign_up_and_in("alice", "correct horse battery", "read")
        .await;
    let domain = instance.domain().to_owned();
    let mut id = None;
    for acct in [
        "alice",
        "@alice",
        "ALICE",
        &format!("alice@{domain}"),
        &format!("@alice@{domain}"),
    ] {
        let (status, account) = get(
            &instance,
            &format!("/api/v1/accounts/lookup?acct={acct}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{acct}");
        assert_eq!(account["acct"], "alice", "{acct}");
        id = Some(account["id"].as_str().unwrap().to_owned());
    }
    let id = id.unwrap();
    let (status, by_id) = get(&instance, &format!("/api/v1/accounts/{id}"), Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(by_id["username"], "alice");

    // A remote account this instance knows (the peer follows alice).
    let peer = Peer::start().await;
    let follow = peer.activity("Follow", format!("{}/users/alice", instance.base));
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    let remote = format!("peer@{}", peer.domain());
    let (status, account) = get(
        &instance,
        &format!("/api/v1/accounts/lookup?acct={remote}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(account["acct"], remote);
    assert_eq!(account["uri"], peer.actor_id);
    assert_eq!(
        account["display_name"], "Pat Peer <b>(head)</b>",
        "names are text, escaped where shown"
    );
    assert!(!account["note"].as_str().unwrap().contains("<script"));
    let (_, me) = get(&instance, &format!("/api/v1/accounts/{id}"), None).await;
    assert_eq!(me["followers_count"], 1);

    for missing in [
        "/api/v1/accounts/lookup?acct=nobody",
        "/api/v1/accounts/lookup?acct=instance.actor",
        "/api/v1/accounts/123",
        "/api/v1/accounts/abc",
    ] {
        let (status, error) = get(&instance, missing, None).await;
        assert_eq!(status, 404, "{missing}");
        assert!(error["error"].is_string());
    }
    assert_eq!(get(&instance, "/api/v1/accounts/lookup", None).await.0, 400);
    instance.shut_down().await;
}

#[tokio::test]
async fn start_up_endpoints_answer_even_while_empty() {
    let instance = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    let token = instance
        .sign_up_and_in("alice", "correct horse battery", "read")
        .await;
    let (_, me) = get(
        &instance,
        "/api/v1/accounts/verify_credentials",
        Some(&token),
    )
    .await;
    let id = me["id"].as_str().unwrap().to_owned();
    let lists = [
        "/api/v1/filters",
        "/api/v2/filters",
        "/api/v1/lists",
        "/api/v1/announcements",
        "/api/v1/followed_tags",
        &format!("/api/v1/accounts/{id}/featured_tags"),
        "/api/v1/custom_emojis",
        "/api/v1/trends/tags",
        "/api/v1/trends/statuses",
        "/api/v1/trends/links",
    ];
    for path in lists {
        let (status, body) = get(&instance, path, Some(&token)).await;
        assert_eq!((status, body), (200, json!([])), "{path}");
    }
    let (status, markers) = get(&instance, "/api/v1/markers", Some(&token)).await;
    assert_eq!((status, markers), (200, json!({})));
    let (status, preferences) = get(&instance, "/api/v1/preferences", Some(&token)).await;
    assert_eq!(status, 200);
    assert_eq!(preferences["posting:default:visibility"], "public");
    assert!(preferences["posting:default:language"].is_null());
    // Public ones answer without a token; personal ones need one.
    assert_eq!(get(&instance, "/api/v1/custom_emojis", None).await.0, 200);
    assert_eq!(get(&instance, "/api/v1/preferences", None).await.0, 401);
    assert_eq!(get(&instance, "/api/v1/lists", None).await.0, 401);
    instance.shut_down().await;
}

#[tokio::test]
async fn the_directory_lists_discoverable_people() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    bob.patch(
        "/api/v1/accounts/update_credentials",
        serde_json::json!({"discoverable": false}),
    )
    .await
    .expect(200);
    alice
        .patch(
            "/api/v1/accounts/update_credentials",
            serde_json::json!({"discoverable": true}),
        )
        .await
        .expect(200);
    let listed = instance
        .anonymous()
        .get("/api/v1/directory?local=true&order=new")
        .await
        .expect(200);
    assert_eq!(listed.strings("username"), ["alice"]);
    instance
        .anonymous()
        .get("/api/v1/directory?order=loudest")
        .await
        .expect(400);
}
