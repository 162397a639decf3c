//! Profiles edited from an app: display name, note, lock, and the name/value fields
//! that other servers read as `PropertyValue`s.

use reqwest::Method;
use serde_json::json;
use staffroom_tests::{TestInstance, eventually};

#[tokio::test]
async fn profile_fields_are_edited_shown_and_federated() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    // Bob follows alice, so that B hears of her profile changes.
    let address = format!("alice@{}", a.domain());
    let found = bob
        .get(&format!(
            "/api/v2/search?q={address}&resolve=true&type=accounts"
        ))
        .await
        .expect(200);
    let remote_id = found.body["accounts"][0]["id"].as_str().unwrap().to_owned();
    bob.post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({}))
        .await
        .expect(200);
    eventually("alice has a follower on B", || async {
        alice.get("/api/v1/accounts/verify_credentials").await.body["followers_count"] == 1
    })
    .await;

    // A form body, as Mastodon.py and toot send it.
    let me = alice
        .send_form(
            Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &[
                ("display_name", "Alice Adeyemi"),
                ("fields_attributes[0][name]", "Role"),
                ("fields_attributes[0][value]", "Headteacher"),
                ("fields_attributes[1][name]", "School"),
                ("fields_attributes[1][value]", "https://greenhill.example"),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(me["display_name"], "Alice Adeyemi");
    assert_eq!(me["fields"][0]["name"], "Role");
    assert_eq!(me["fields"][0]["value"], "Headteacher");
    assert!(me["fields"][0]["verified_at"].is_null());
    let link = me["fields"][1]["value"].as_str().unwrap();
    assert!(
        link.starts_with("<a href=\"https://greenhill.example\""),
        "{link}"
    );
    assert_eq!(
        me["source"]["fields"][1]["value"], "https://greenhill.example",
        "the source keeps what was typed"
    );

    let (_, actor) = {
        let response = a
            .http
            .get(format!("{}/users/alice", a.base))
            .header("accept", "application/activity+json")
            .send()
            .await
            .unwrap();
        (
            response.status(),
            response.json::<serde_json::Value>().await.unwrap(),
        )
    };
    assert_eq!(actor["attachment"][0]["type"], "PropertyValue");
    assert_eq!(actor["attachment"][0]["name"], "Role");

    eventually("B shows alice's new profile", || async {
        let seen = bob.get(&format!("/api/v1/accounts/{remote_id}")).await.body;
        seen["display_name"] == "Alice Adeyemi" && seen["fields"][0]["value"] == "Headteacher"
    })
    .await;

    // JSON bodies may give the fields as an array; too many is refused whole.
    let too_many: Vec<_> = (0..5)
        .map(|n| json!({"name": format!("n{n}"), "value": "v"}))
        .collect();
    alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"fields_attributes": too_many, "display_name": "Changed"}),
        )
        .await
        .expect(422);
    let unchanged = alice.get("/api/v1/accounts/verify_credentials").await.body;
    assert_eq!(unchanged["display_name"], "Alice Adeyemi");
    let cleared = alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"fields_attributes": [], "note": "Leads a primary school.\n\nSheffield."}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(cleared["fields"], json!([]));
    assert_eq!(
        cleared["note"],
        "<p>Leads a primary school.</p><p>Sheffield.</p>"
    );
    alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"display_name": "x".repeat(101)}),
        )
        .await
        .expect(422);
}
