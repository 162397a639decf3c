//! OAuth 2 for client apps: registering an app, getting and revoking tokens, and the
//! token and scope checks every API call makes.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;

async fn register(instance: &TestInstance, scopes: &str) -> (String, String) {
    let response = instance
        .http
        .post(format!("{}/api/v1/apps", instance.base))
        .form(&[
            ("client_name", "Test app"),
            ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob"),
            ("scopes", scopes),
            ("website", "https://app.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let app: Value = response.json().await.unwrap();
    (
        app["client_id"].as_str().unwrap().to_owned(),
        app["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// `POST /oauth/token` with the JSON `body`: the status and the answer.
pub async fn token(instance: &TestInstance, body: Value) -> (u16, Value) {
    let response = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn password_token(
    instance: &TestInstance,
    client: &(String, String),
    username: &str,
    password: &str,
    scope: &str,
) -> (u16, Value) {
    token(
        instance,
        json!({
            "grant_type": "password",
            "client_id": client.0,
            "client_secret": client.1,
            "username": username,
            "password": password,
            "scope": scope,
        }),
    )
    .await
}

async fn get_with(instance: &TestInstance, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = instance.http.get(format!("{}{path}", instance.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn apps_register_with_any_redirect_uri_shape() {
    let instance = TestInstance::start().await;
    let response = instance
        .http
        .post(format!("{}/api/v1/apps", instance.base))
        .json(&json!({
            "client_name": "Phanpy",
            "redirect_uris": ["com.example.app:/callback", "https://app.example/cb"],
            "scopes": "read write follow push",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let app: Value = response.json().await.unwrap();
    for key in [
        "id",
        "name",
        "website",
        "scopes",
        "redirect_uri",
        "redirect_uris",
        "client_id",
        "client_secret",
        "client_secret_expires_at",
    ] {
        assert!(app.get(key).is_some(), "{key}: {app}");
    }
    assert_eq!(
        app["redirect_uris"],
        json!(["com.example.app:/callback", "https://app.example/cb"])
    );
    assert_eq!(app["scopes"], json!(["follow", "push", "read", "write"]));
    assert_eq!(app["client_secret_expires_at"], 0);

    let lines = instance
        .http
        .post(format!("{}/api/v1/apps", instance.base))
        .form(&[
            ("client_name", "toot"),
            (
                "redirect_uris",
                "urn:ietf:wg:oauth:2.0:oob\nhttps://x.example/cb",
            ),
        ])
        .send()
        .await
        .unwrap();
    let app: Value = lines.json().await.unwrap();
    assert_eq!(app["redirect_uris"].as_array().unwrap().len(), 2);
    assert_eq!(app["scopes"], json!(["read"]), "read by default");

    for (body, message) in [
        (
            json!({"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}),
            "client_name",
        ),
        (json!({"client_name": "x"}), "redirect_uris"),
        (
            json!({"client_name": "x", "redirect_uris": "not a uri"}),
            "redirect_uris",
        ),
        (
            json!({"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read everything"}),
            "scope",
        ),
    ] {
        let response = instance
            .http
            .post(format!("{}/api/v1/apps", instance.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(
            error["error"].as_str().unwrap().contains(message),
            "{error}"
        );
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn the_password_grant_is_off_unless_switched_on() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let client = register(&instance, "read write").await;
    let (status, error) = password_token(&instance, &client, "alice", "x", "read").await;
    assert_eq!(status, 400);
    assert_eq!(error["error"], "unsupported_grant_type");
    let (_, metadata) = instance
        .get_json("/.well-known/oauth-authorization-server")
        .await;
    assert!(
        !metadata["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("password"))
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn a_token_signs_in_and_its_scopes_are_enforced() {
    let instance = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    let out = instance
        .cli(
            &[
                "admin",
                "create-user",
                "--username",
                "alice",
                "--email",
                "alice@example.org",
                "--display-name",
                "Alice",
                "--password-stdin",
            ],
            "correct horse battery\n",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let client = register(&instance, "read write follow").await;
    let (_, metadata) = instance
        .get_json("/.well-known/oauth-authorization-server")
        .await;
    assert!(
        metadata["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("password"))
    );
    assert_eq!(
        metadata["token_endpoint"],
        format!("{}/oauth/token", instance.base)
    );

    // Email or username, and the wrong password or client.
    let (status, granted) = password_token(
        &instance,
        &client,
        "alice@example.org",
        "correct horse battery",
        "read write",
    )
    .await;
    assert_eq!(status, 200, "{granted}");
    assert_eq!(granted["token_type"], "Bearer");
    assert_eq!(granted["scope"], "read write");
    assert!(granted["created_at"].is_i64());
    let access = granted["access_token"].as_str().unwrap().to_owned();
    let (status, error) =
        password_token(&instance, &client, "alice", "wrong horse battery", "read").await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let wrong_client = ("nope".to_owned(), client.1.clone());
    let (status, error) = password_token(
        &instance,
        &wrong_client,
        "alice",
        "correct horse battery",
        "read",
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, error) = password_token(
        &instance,
        &client,
        "alice",
        "correct horse battery",
        "admin:read",
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_scope")),
        "more than the app registered for"
    );

    // The token works; no token, a wrong token and a narrow token do not.
    let (status, me) = get_with(
        &instance,
        "/api/v1/accounts/verify_credentials",
        Some(&access),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["username"], "alice");
    assert_eq!(me["display_name"], "Alice");
    assert_eq!(me["source"]["privacy"], "public");
    assert!(me["source"]["fields"].is_array() && me["role"].is_object());
    let (status, error) = get_with(&instance, "/api/v1/accounts/verify_credentials", None).await;
    assert_eq!(status, 401);
    assert_eq!(error, json!({"error": "The access token is invalid"}));
    assert_eq!(
        get_with(
            &instance,
            "/api/v1/accounts/verify_credentials",
            Some("nonsense")
        )
        .await
        .0,
        401
    );
    let (_, narrow) = password_token(
        &instance,
        &client,
        "alice",
        "correct horse battery",
        "write",
    )
    .await;
    let (status, error) = get_with(
        &instance,
        "/api/v1/accounts/verify_credentials",
        narrow["access_token"].as_str(),
    )
    .await;
    assert_eq!(status, 403);
    assert!(error["error"].is_string());

    // The client may authenticate with HTTP Basic instead, as the metadata offers.
    let basic = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .basic_auth(&client.0, Some(&client.1))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);
    let wrong = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .basic_auth(&client.0, Some("not the secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    // An app's own token knows the app, not a person.
    let (status, own) = token(&instance, json!({"grant_type": "client_credentials", "client_id": client.0, "client_secret": client.1})).await;
    assert_eq!(status, 200);
    let own = own["access_token"].as_str().unwrap().to_owned();
    let (status, app) = get_with(&instance, "/api/v1/apps/verify_credentials", Some(&own)).await;
    assert_eq!(status, 200);
    assert_eq!(app["name"], "Test app");
    assert!(app.get("client_secret").is_none());
    assert_eq!(
        get_with(&instance, "/api/v1/accounts/verify_credentials", Some(&own))
            .await
            .0,
        422
    );

    // Revoked, or its user disabled: the token stops working.
    let revoked = instance
        .http
        .post(format!("{}/oauth/revoke", instance.base))
        .form(&[
            ("client_id", client.0.as_str()),
            ("client_secret", client.1.as_str()),
            ("token", own.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        get_with(&instance, "/api/v1/apps/verify_credentials", Some(&own))
            .await
            .0,
        401
    );
    instance.cli(&["admin", "disable-user", "alice"], "").await;
    assert_eq!(
        get_with(
            &instance,
            "/api/v1/accounts/verify_credentials",
            Some(&access)
        )
        .await
        .0,
        403
    );
    instance.shut_down().await;
}

/// The OAuth error code of a token request that must be refused (400, with a
/// description).
async fn refusal(instance: &TestInstance, body: Value) -> String {
    let (status, error) = token(instance, body).await;
    assert_eq!(status, 400, "{error}");
    assert!(error["error_description"].is_string(), "{error}");
    error["error"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_refresh_token_trades_the_pair_for_a_new_one_once() {
    let instance = TestInstance::start_for_apps().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let client = register(&instance, "read write").await;
    let (status, first) =
        password_token(&instance, &client, "alice", "correct horse battery", "read").await;
    assert_eq!(status, 200, "{first}");
    let first_refresh = first["refresh_token"].as_str().unwrap().to_owned();
    let first_access = first["access_token"].as_str().unwrap().to_owned();
    let refresh = |refresh_token: &str, client: &(String, String), scope: Option<&str>| {
        let mut body = json!({
            "grant_type": "refresh_token",
            "client_id": client.0,
            "client_secret": client.1,
            "refresh_token": refresh_token,
        });
        if let Some(scope) = scope {
            body["scope"] = json!(scope);
        }
        body
    };

    // Another app cannot use it, nor ask for more than the token had.
    let other = register(&instance, "read write").await;
    assert_eq!(
        refusal(&instance, refresh(&first_refresh, &other, None)).await,
        "invalid_grant"
    );
    assert_eq!(
        refusal(&instance, refresh(&first_refresh, &client, Some("write"))).await,
        "invalid_scope"
    );

    // The app gets a new pair with the same scopes; the old pair stops working.
    let (status, second) = token(&instance, refresh(&first_refresh, &client, None)).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["token_type"], "Bearer");
    assert_eq!(second["scope"], "read");
    let second_access = second["access_token"].as_str().unwrap();
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(second_access, first_access);
    assert_ne!(second_refresh, first_refresh);
    let me = staffroom_tests::api::ApiClient::new(&instance.base, Some(second_access.into()));
    let account = me
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200);
    assert_eq!(account.body["username"], "alice");
    let old = staffroom_tests::api::ApiClient::new(&instance.base, Some(first_access.clone()));
    old.get("/api/v1/accounts/verify_credentials")
        .await
        .expect(401);

    // A refresh token works once; an unknown one is refused in OAuth's words.
    assert_eq!(
        refusal(&instance, refresh(&first_refresh, &client, None)).await,
        "invalid_grant"
    );
    assert_eq!(
        refusal(&instance, refresh("not-a-refresh-token", &client, None)).await,
        "invalid_grant"
    );
    assert_eq!(
        refusal(
            &instance,
            json!({"grant_type": "refresh_token", "client_id": client.0, "client_secret": client.1})
        )
        .await,
        "invalid_request"
    );

    // The new refresh token asks for fewer scopes; a revoked token's refresh
    // token is spent with it.
    let (status, third) = token(
        &instance,
        refresh(second_refresh, &client, Some("read:accounts")),
    )
    .await;
    assert_eq!(status, 200, "{third}");
    assert_eq!(third["scope"], "read:accounts");
    let response = instance
        .http
        .post(format!("{}/oauth/revoke", instance.base))
        .form(&[
            ("client_id", client.0.as_str()),
            ("client_secret", client.1.as_str()),
            ("token", third["access_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        refusal(
            &instance,
            refresh(third["refresh_token"].as_str().unwrap(), &client, None)
        )
        .await,
        "invalid_grant"
    );

    // An app's own token has no refresh token.
    let (status, own) = token(
        &instance,
        json!({"grant_type": "client_credentials", "client_id": client.0, "client_secret": client.1}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(own.get("refresh_token").is_none());
    let (_, metadata) = instance
        .get_json("/.well-known/oauth-authorization-server")
        .await;
    assert!(
        metadata["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("refresh_token"))
    );
    instance.shut_down().await;
}
