//! The authorization-code flow in a browser: sign-in, consent, the code and its
//! exchange with PKCE, and everything that must be refused on the way.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};

use crate::oauth::token as exchange;

pub const PASSWORD: &str = "correct horse battery";
const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// A registered app.
pub struct App {
    pub client_id: String,
    pub client_secret: String,
}

/// Registers an app with `redirect_uris` and `scopes`.
pub async fn register(instance: &TestInstance, redirect_uris: &[&str], scopes: &str) -> App {
    let response = instance
        .http
        .post(format!("{}/api/v1/apps", instance.base))
        .json(&json!({"client_name": "Test app", "redirect_uris": redirect_uris, "scopes": scopes}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let app: Value = response.json().await.unwrap();
    App {
        client_id: app["client_id"].as_str().unwrap().to_owned(),
        client_secret: app["client_secret"].as_str().unwrap().to_owned(),
    }
}

/// An instance with the user alice, an app registered with `redirect_uris` and
/// `scopes`, and a fresh browser.
async fn alice_and_app(redirect_uris: &[&str], scopes: &str) -> (TestInstance, App, Browser) {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let app = register(&instance, redirect_uris, scopes).await;
    let browser = Browser::new(&instance.base);
    (instance, app, browser)
}

/// A PKCE verifier and its S256 challenge.
fn pkce(seed: &str) -> (String, String) {
    let verifier = format!("{seed}-{}", "v".repeat(50));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// `/oauth/authorize/?...` (with the trailing slash toot sends).
pub fn authorize_path(params: &[(&str, &str)]) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    format!("/oauth/authorize/?{query}")
}

/// The standard request of `app` to `redirect_uri` for `scope`, with `state`.
fn request<'a>(app: &'a App, redirect_uri: &'a str, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("response_type", "code"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", redirect_uri),
        ("scope", scope),
        ("state", "st-42"),
    ]
}

/// The query parameter `name` of `url`.
fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Signs in on the sign-in form `page` and follows the redirect back.
pub async fn sign_in_and_return(browser: &Browser, page: &Page, username: &str) -> Page {
    let signed_in = browser.sign_in(page, username, PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    browser.get(signed_in.location.as_deref().unwrap()).await
}

/// Goes through the whole browser side for `params` as `username` and approves; the
/// redirect (or the out-of-band page).
async fn approve(browser: &Browser, params: &[(&str, &str)], username: &str) -> Page {
    let mut page = browser.get(&authorize_path(params)).await;
    if page.is_sign_in_form() {
        page = sign_in_and_return(browser, &page, username).await;
    }
    browser.decide(&page, "approve").await
}

fn code_grant(app: &App, code: &str, redirect_uri: &str, verifier: Option<&str>) -> Value {
    let mut body = json!({
        "grant_type": "authorization_code",
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "code": code,
        "redirect_uri": redirect_uri,
    });
    if let Some(verifier) = verifier {
        body["code_verifier"] = json!(verifier);
    }
    body
}

/// `GET /api/v1/accounts/verify_credentials` with `token`: the status and body.
pub async fn verify_credentials(instance: &TestInstance, token: &str) -> (u16, Value) {
    let response = instance
        .http
        .get(format!(
            "{}/api/v1/accounts/verify_credentials",
            instance.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn the_code_flow_with_pkce_signs_an_app_in() {
    let callback = "https://app.example/callback?from=staffroom";
    let (instance, app, browser) = alice_and_app(&[callback, OOB], "read write").await;
    let (verifier, challenge) = pkce("flow");
    let mut params = request(&app, callback, "read write");
    params.push(("code_challenge", &challenge));
    params.push(("code_challenge_method", "S256"));

    let form = browser.get(&authorize_path(&params)).await;
    assert_eq!(form.status, 200);
    assert!(form.is_sign_in_form(), "{}", form.body);
    assert!(
        form.body.contains("href=\"/auth/sign_up?return_to="),
        "{}",
        form.body
    );
    let consent = sign_in_and_return(&browser, &form, "alice").await;
    assert_eq!(consent.status, 200);
    assert!(consent.is_consent_page(), "{}", consent.body);
    assert!(consent.body.contains("Test app") && consent.body.contains("@alice"));
    assert!(
        consent.body.contains("<code>read</code>") && consent.body.contains("<code>write</code>")
    );
    // Another site cannot frame the page to trick a click, nor a cache keep it.
    assert_eq!(consent.headers["x-frame-options"], "DENY");
    assert_eq!(consent.headers["cache-control"], "no-store");

    let back = browser.decide(&consent, "approve").await;
    assert_eq!(back.status, 302, "{}", back.body);
    let location = back.location.unwrap();
    assert!(
        location.starts_with("https://app.example/callback?from=staffroom&code="),
        "{location}"
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("st-42"));
    let code = query_param(&location, "code").unwrap();

    let (status, token) = exchange(
        &instance,
        code_grant(&app, &code, callback, Some(&verifier)),
    )
    .await;
    assert_eq!(status, 200, "{token}");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "read write");
    assert!(token["created_at"].is_i64());
    let access = token["access_token"].as_str().unwrap().to_owned();
    let (status, me) = verify_credentials(&instance, &access).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["username"], "alice");

    // A code works once; presented again, it also revokes what it gave.
    let (status, error) = exchange(
        &instance,
        code_grant(&app, &code, callback, Some(&verifier)),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error["error"], "invalid_grant");
    assert!(
        error["error_description"]
            .as_str()
            .unwrap()
            .contains("already been used")
    );
    assert_eq!(verify_credentials(&instance, &access).await.0, 401);

    let (_, metadata) = instance
        .get_json("/.well-known/oauth-authorization-server")
        .await;
    let grants = metadata["grant_types_supported"].to_string();
    assert!(grants.contains("\"authorization_code\""), "{grants}");
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256", "plain"])
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn out_of_band_apps_are_shown_the_code() {
    let (instance, app, browser) = alice_and_app(&[OOB], "read").await;
    let page = approve(&browser, &request(&app, OOB, "read"), "alice").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.location.is_none());
    let code = page
        .oob_code()
        .unwrap_or_else(|| panic!("no code: {}", page.body));
    // Form bodies work as well as JSON.
    let response = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", OOB),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let token: Value = response.json().await.unwrap();
    assert_eq!(token["scope"], "read");
    let (status, me) = verify_credentials(&instance, token["access_token"].as_str().unwrap()).await;
    assert_eq!((status, me["username"].as_str()), (200, Some("alice")));
    instance.shut_down().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_and_issues_nothing() {
    let (instance, app, browser) = alice_and_app(&[OOB], "read").await;
    let form = browser
        .get(&authorize_path(&request(&app, OOB, "read")))
        .await;
    let again = browser
        .sign_in(&form, "alice", "correct horse battery!")
        .await;
    assert_eq!(again.status, 401);
    assert!(again.is_sign_in_form(), "{}", again.body);
    assert!(again.body.contains("role=\"alert\""), "{}", again.body);
    assert!(
        again.body.contains("value=\"alice\""),
        "the username stays filled in"
    );
    assert!(
        !again
            .set_cookies
            .iter()
            .any(|c| c.starts_with("staffroom_session="))
    );
    // Still nobody is signed in: the request shows the form, and approving is refused.
    let page = browser
        .get(&authorize_path(&request(&app, OOB, "read")))
        .await;
    assert!(page.is_sign_in_form());
    let mut fields = page.hidden_fields();
    fields.extend(
        request(&app, OOB, "read")
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    fields.push(("decision".into(), "approve".into()));
    let refused = browser.post("/oauth/authorize", &fields).await;
    assert_eq!(refused.status, 401);
    assert!(refused.is_sign_in_form() && refused.oob_code().is_none());
    // An unknown user gets the same answer as a wrong password.
    let unknown = browser.sign_in(&page, "nobody", PASSWORD).await;
    assert_eq!(unknown.status, 401);
    instance.shut_down().await;
}

#[tokio::test]
async fn codes_are_refused_unless_everything_matches() {
    let callback = "https://a.example/cb";
    let other = "https://a.example/other";
    let (instance, app, browser) = alice_and_app(&[callback, other], "read write").await;
    let stranger = register(&instance, &[callback, other], "read write").await;
    let (verifier, challenge) = pkce("match");
    let mut params = request(&app, callback, "read");
    params.push(("code_challenge", &challenge));
    params.push(("code_challenge_method", "S256"));
    let back = approve(&browser, &params, "alice").await;
    let code = query_param(back.location.as_deref().unwrap(), "code").unwrap();

    let (wrong_verifier, _) = pkce("other");
    for (body, what) in [
        (
            code_grant(&app, &code, callback, Some(&wrong_verifier)),
            "a wrong verifier",
        ),
        (code_grant(&app, &code, callback, None), "no verifier"),
        (
            code_grant(&stranger, &code, callback, Some(&verifier)),
            "another app",
        ),
        (
            code_grant(&app, &code, other, Some(&verifier)),
            "another redirect URI",
        ),
        (
            code_grant(&app, "not-a-code", callback, Some(&verifier)),
            "an unknown code",
        ),
    ] {
        let (status, error) = exchange(&instance, body).await;
        assert_eq!(
            (status, error["error"].as_str()),
            (400, Some("invalid_grant")),
            "{what}: {error}"
        );
    }
    let mut wrong_secret = code_grant(&app, &code, callback, Some(&verifier));
    wrong_secret["client_secret"] = json!("nope");
    let (status, error) = exchange(&instance, wrong_secret).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (401, Some("invalid_client"))
    );

    // None of those used the code up; the right exchange works, once.
    let (status, token) = exchange(
        &instance,
        code_grant(&app, &code, callback, Some(&verifier)),
    )
    .await;
    assert_eq!(status, 200, "{token}");
    assert_eq!(
        token["scope"], "read",
        "the scopes of the request, not of the app"
    );
    let (status, error) = exchange(
        &instance,
        code_grant(&app, &code, callback, Some(&verifier)),
    )
    .await;
    assert_eq!(
        (status, error["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // A plain challenge is the verifier itself.
    let plain = "p".repeat(43);
    let mut params = request(&app, other, "write");
    params.push(("code_challenge", &plain));
    params.push(("code_challenge_method", "plain"));
    let back = approve(&browser, &params, "alice").await;
    let code = query_param(back.location.as_deref().unwrap(), "code").unwrap();
    let (status, token) = exchange(&instance, code_grant(&app, &code, other, Some(&plain))).await;
    assert_eq!(
        (status, token["scope"].as_str()),
        (200, Some("write")),
        "{token}"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn bad_apps_and_redirect_uris_get_a_page_and_other_errors_go_back() {
    let instance = TestInstance::start().await;
    let callback = "https://app.example/cb";
    let app = register(&instance, &[callback], "read").await;
    let browser = Browser::new(&instance.base);

    for params in [
        vec![
            ("response_type", "code"),
            ("client_id", "unknown"),
            ("redirect_uri", callback),
        ],
        request(&app, "https://evil.example/cb", "read"),
        request(&app, "https://app.example/cb/more", "read"),
    ] {
        let page = browser.get(&authorize_path(&params)).await;
        assert_eq!(page.status, 400, "{params:?}");
        assert!(page.location.is_none(), "never sent to an unregistered URI");
        assert!(page.body.contains("<h1>"), "an HTML page: {}", page.body);
    }

    let mut bad_method = request(&app, callback, "read");
    bad_method.push(("code_challenge", "c".repeat(43).leak()));
    bad_method.push(("code_challenge_method", "S512"));
    let mut token_type = request(&app, callback, "read");
    token_type[0] = ("response_type", "token");
    for (params, expected) in [
        (request(&app, callback, "read write"), "invalid_scope"),
        (request(&app, callback, "read everything"), "invalid_scope"),
        (token_type, "unsupported_response_type"),
        (bad_method, "invalid_request"),
    ] {
        let page = browser.get(&authorize_path(&params)).await;
        assert_eq!(page.status, 302, "{params:?}: {}", page.body);
        let location = page.location.unwrap();
        assert!(location.starts_with(callback), "{location}");
        assert_eq!(
            query_param(&location, "error").as_deref(),
            Some(expected),
            "{location}"
        );
        assert_eq!(query_param(&location, "state").as_deref(), Some("st-42"));
        assert!(query_param(&location, "code").is_none());
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn denying_sends_the_app_access_denied() {
    let callback = "com.example.app:/oauth";
    let (instance, app, browser) = alice_and_app(&[callback], "read").await;
    let form = browser
        .get(&authorize_path(&request(&app, callback, "read")))
        .await;
    let consent = sign_in_and_return(&browser, &form, "alice").await;
    let back = browser.decide(&consent, "deny").await;
    assert_eq!(back.status, 302);
    let location = back.location.unwrap();
    assert!(
        location.starts_with("com.example.app:/oauth?"),
        "{location}"
    );
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_param(&location, "state").as_deref(), Some("st-42"));
    assert!(query_param(&location, "code").is_none());
    instance.shut_down().await;
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused() {
    let (instance, app, browser) = alice_and_app(&[OOB], "read").await;
    let form = browser
        .get(&authorize_path(&request(&app, OOB, "read")))
        .await;

    let without = |page: &Page| -> Vec<(String, String)> {
        page.hidden_fields()
            .into_iter()
            .filter(|(name, _)| name != "authenticity_token")
            .collect()
    };
    let mut fields = without(&form);
    fields.push(("username".into(), "alice".into()));
    fields.push(("password".into(), PASSWORD.into()));
    let refused = browser.post("/auth/sign_in", &fields).await;
    assert_eq!(refused.status, 403);
    assert!(
        !refused
            .set_cookies
            .iter()
            .any(|c| c.starts_with("staffroom_session="))
    );

    let consent = sign_in_and_return(&browser, &form, "alice").await;
    let mut fields = without(&consent);
    fields.push(("decision".into(), "approve".into()));
    let refused = browser.post("/oauth/authorize", &fields).await;
    assert_eq!(refused.status, 403);
    assert!(refused.oob_code().is_none());
    fields.push(("authenticity_token".into(), "x".repeat(43)));
    assert_eq!(browser.post("/oauth/authorize", &fields).await.status, 403);

    // Another site's page cannot reuse the token without the cookie beside it.
    let elsewhere = Browser::new(&instance.base);
    let mut fields = consent.hidden_fields();
    fields.push(("decision".into(), "approve".into()));
    let refused = elsewhere.post("/oauth/authorize", &fields).await;
    assert_eq!(refused.status, 403);
    // With its token, the same form works.
    let page = browser.post("/oauth/authorize", &fields).await;
    assert!(page.oob_code().is_some(), "{}", page.body);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_session_skips_the_password_until_force_login_or_sign_out() {
    let (instance, app, browser) = alice_and_app(&[OOB], "read").await;
    instance.create_user("bob", &["--password-stdin"]).await;
    let params = request(&app, OOB, "read");
    let form = browser.get(&authorize_path(&params)).await;
    let signed_in = browser.sign_in(&form, "alice", PASSWORD).await;
    assert_eq!(signed_in.status, 303);
    let session = signed_in
        .set_cookies
        .iter()
        .find(|c| c.starts_with("staffroom_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{session}");
    }
    assert!(!session.contains("Secure"), "plain http: {session}");

    let again = browser.get(&authorize_path(&params)).await;
    assert!(again.is_consent_page(), "the session is remembered");
    assert!(again.body.contains("@alice"));

    let mut forced = params.clone();
    forced.push(("force_login", "true"));
    let form = browser.get(&authorize_path(&forced)).await;
    assert!(form.is_sign_in_form(), "force_login asks again");
    let consent = sign_in_and_return(&browser, &form, "bob").await;
    assert!(
        consent.is_consent_page() && consent.body.contains("@bob"),
        "{}",
        consent.body
    );

    let signed_out = browser
        .post(
            "/auth/sign_out",
            &[("authenticity_token".into(), consent.csrf())],
        )
        .await;
    assert_eq!(signed_out.status, 303);
    assert!(
        browser
            .get(&authorize_path(&params))
            .await
            .is_sign_in_form()
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_and_their_sessions_end() {
    let (instance, app, browser) = alice_and_app(&[OOB], "read").await;
    let params = request(&app, OOB, "read");
    let form = browser.get(&authorize_path(&params)).await;
    let consent = sign_in_and_return(&browser, &form, "alice").await;
    assert!(consent.is_consent_page());

    let out = instance.cli(&["admin", "disable-user", "alice"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let page = browser.decide(&consent, "approve").await;
    assert!(
        page.oob_code().is_none(),
        "the session ended: {}",
        page.body
    );
    let form = browser.get(&authorize_path(&params)).await;
    assert!(form.is_sign_in_form());
    let refused = browser.sign_in(&form, "alice", PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("disabled"), "{}", refused.body);
    instance.shut_down().await;
}
