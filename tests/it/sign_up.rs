//! Signing up, from an app (`POST /api/v1/accounts`) and on the sign-up page, under
//! each registration mode.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::browser::Browser;

use crate::authorize::{PASSWORD, authorize_path, register, verify_credentials};

/// An app's own token (client credentials) with `scopes`.
pub(crate) async fn app_token(instance: &TestInstance, scopes: &str) -> String {
    let app = register(instance, &["urn:ietf:wg:oauth:2.0:oob"], scopes).await;
    let response = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("scope", scopes),
        ])
        .send()
        .await
        .unwrap();
    let token: Value = response.json().await.unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

pub(crate) fn application(username: &str) -> Value {
    json!({
        "username": username,
        "email": format!("{username}@school.example"),
        "password": PASSWORD,
        "agreement": true,
        "locale": "en",
    })
}

pub(crate) async fn sign_up(instance: &TestInstance, token: &str, body: &Value) -> (u16, Value) {
    let response = instance
        .http
        .post(format!("{}/api/v1/accounts", instance.base))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn me(instance: &TestInstance, token: &str) -> u16 {
    verify_credentials(instance, token).await.0
}

async fn exists(instance: &TestInstance, username: &str) -> bool {
    let (status, _) = instance
        .get_json(&format!("/api/v1/accounts/lookup?acct={username}"))
        .await;
    status == 200
}

/// Signs in on the plain sign-in page; the answer.
async fn sign_in_page(instance: &TestInstance, username: &str) -> u16 {
    let browser = Browser::new(&instance.base);
    let form = browser.get("/auth/sign_in").await;
    browser.sign_in(&form, username, PASSWORD).await.status
}

#[tokio::test]
async fn open_registrations_give_a_usable_account_at_once() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "open")]).await;
    let token = app_token(&instance, "read write:accounts").await;
    let (status, body) = sign_up(&instance, &token, &application("carol")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "read write:accounts");
    assert_eq!(
        me(&instance, body["access_token"].as_str().unwrap()).await,
        200
    );
    assert_eq!(sign_in_page(&instance, "carol").await, 303);

    // Form bodies, with Rails-style booleans, work too.
    let response = instance
        .http
        .post(format!("{}/api/v1/accounts", instance.base))
        .bearer_auth(&token)
        .form(&[
            ("username", "dan"),
            ("email", "dan@school.example"),
            ("password", PASSWORD),
            ("agreement", "1"),
            ("locale", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // Without the scope, or without a token, nothing happens.
    let read_only = app_token(&instance, "read").await;
    assert_eq!(
        sign_up(&instance, &read_only, &application("erin")).await.0,
        403
    );
    assert_eq!(
        sign_up(&instance, "nonsense", &application("erin")).await.0,
        401
    );
    assert!(!exists(&instance, "erin").await);
    instance.shut_down().await;
}

#[tokio::test]
async fn taken_names_and_weak_passwords_are_refused_field_by_field() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "open")]).await;
    let token = app_token(&instance, "write:accounts").await;
    assert_eq!(
        sign_up(&instance, &token, &application("carol")).await.0,
        200
    );

    let mut duplicate = application("Carol");
    duplicate["email"] = json!("CAROL@school.example");
    let (status, body) = sign_up(&instance, &token, &duplicate).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("Validation failed: "),
        "{body}"
    );
    assert_eq!(
        body["details"]["username"][0]["error"], "ERR_TAKEN",
        "{body}"
    );
    assert_eq!(body["details"]["email"][0]["error"], "ERR_TAKEN", "{body}");
    assert!(body["details"]["username"][0]["description"].is_string());

    let mut weak = application("frank");
    weak["password"] = json!("short1");
    weak["agreement"] = json!(false);
    let (status, body) = sign_up(&instance, &token, &weak).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["details"]["password"][0]["error"], "ERR_TOO_SHORT",
        "{body}"
    );
    assert_eq!(
        body["details"]["agreement"][0]["error"], "ERR_ACCEPTED",
        "{body}"
    );
    assert!(body["details"].get("username").is_none(), "{body}");
    assert!(!exists(&instance, "frank").await, "nothing was created");

    let (status, body) = sign_up(&instance, &token, &json!({"agreement": true})).await;
    assert_eq!(status, 422);
    for field in ["username", "email", "password"] {
        assert_eq!(
            body["details"][field][0]["error"], "ERR_BLANK",
            "{field}: {body}"
        );
    }
    let mut bad = application("bad name!");
    bad["email"] = json!("not-an-address");
    let (status, body) = sign_up(&instance, &token, &bad).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["details"]["username"][0]["error"], "ERR_INVALID",
        "{body}"
    );
    assert_eq!(
        body["details"]["email"][0]["error"], "ERR_INVALID",
        "{body}"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn approval_mode_accounts_wait_for_an_administrator() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "approval")]).await;
    let token = app_token(&instance, "read write:accounts").await;
    let mut body = application("grace");
    body["reason"] = json!("I lead a primary school in Leeds.");
    let (status, answer) = sign_up(&instance, &token, &body).await;
    assert_eq!(status, 200, "{answer}");
    let access = answer["access_token"].as_str().unwrap().to_owned();
    assert_eq!(me(&instance, &access).await, 403, "not approved yet");

    let browser = Browser::new(&instance.base);
    let form = browser.get("/auth/sign_in").await;
    let refused = browser.sign_in(&form, "grace", PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("approv"), "{}", refused.body);

    let out = instance.cli(&["admin", "pending-users"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("grace <grace@school.example>, signed up ")
            && out.stdout.contains("I lead a primary school in Leeds."),
        "{}",
        out.stdout
    );
    let out = instance.cli(&["admin", "approve-user", "grace"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("approved"), "{}", out.stdout);
    let out = instance.cli(&["admin", "pending-users"], "").await;
    assert_eq!(out.stdout, "Nobody is waiting for approval.\n");
    assert_eq!(me(&instance, &access).await, 200);
    assert_eq!(sign_in_page(&instance, "grace").await, 303);

    let out = instance.cli(&["admin", "approve-user", "nobody"], "").await;
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("nobody"), "{}", out.stderr);
    instance.shut_down().await;
}

#[tokio::test]
async fn invite_only_needs_an_invite_with_uses_left() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "invite-only")]).await;
    let token = app_token(&instance, "read write:accounts").await;
    let (status, body) = sign_up(&instance, &token, &application("heidi")).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["details"]["invite_code"][0]["error"], "ERR_BLANK",
        "{body}"
    );

    let out = instance
        .cli(&["admin", "create-invite", "--max-uses", "1"], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let code = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Invite code: "))
        .unwrap()
        .to_owned();
    let mut with_code = application("heidi");
    with_code["invite_code"] = json!(code);
    let (status, answer) = sign_up(&instance, &token, &with_code).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        me(&instance, answer["access_token"].as_str().unwrap()).await,
        200
    );

    let mut second = application("ivan");
    second["invite_code"] = json!(code);
    let (status, body) = sign_up(&instance, &token, &second).await;
    assert_eq!(status, 422, "the invite is used up: {body}");
    assert_eq!(
        body["details"]["invite_code"][0]["error"], "ERR_INVALID",
        "{body}"
    );
    second["invite_code"] = json!("made-up-code");
    assert_eq!(sign_up(&instance, &token, &second).await.0, 422);
    assert!(!exists(&instance, "ivan").await);
    instance.shut_down().await;
}

#[tokio::test]
async fn closed_registrations_refuse_everyone() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "closed")]).await;
    let token = app_token(&instance, "write:accounts").await;
    let (status, body) = sign_up(&instance, &token, &application("judy")).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].is_string());
    assert!(!exists(&instance, "judy").await);
    let browser = Browser::new(&instance.base);
    assert_eq!(browser.get("/auth/sign_up").await.status, 403);
    let form = browser.get("/auth/sign_in").await;
    assert!(
        !form.body.contains("/auth/sign_up"),
        "no link to a closed door"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn the_sign_up_page_follows_the_rules_and_continues_the_authorization() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "open")]).await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let oob = "urn:ietf:wg:oauth:2.0:oob";
    let app = register(&instance, &[oob], "read").await;
    let params = [
        ("response_type", "code"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", oob),
        ("scope", "read"),
    ];
    let browser = Browser::new(&instance.base);
    let sign_in = browser.get(&authorize_path(&params)).await;
    let start = sign_in.body.find("href=\"/auth/sign_up?").unwrap() + "href=\"".len();
    let end = start + sign_in.body[start..].find('"').unwrap();
    let link = sign_in.body[start..end].replace("&amp;", "&");
    let form = browser.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(
        form.hidden("return_to")
            .unwrap()
            .starts_with("/oauth/authorize?")
    );

    let fill = |username: &str, password: &str| {
        let mut fields = form.hidden_fields();
        fields.extend([
            ("username".to_owned(), username.to_owned()),
            ("email".to_owned(), format!("{username}@school.example")),
            ("password".to_owned(), password.to_owned()),
            ("agreement".to_owned(), "1".to_owned()),
        ]);
        fields
    };
    let taken = browser
        .post("/auth/sign_up", &fill("alice", PASSWORD))
        .await;
    assert_eq!(taken.status, 422);
    assert!(
        taken.body.contains("Username is already taken"),
        "{}",
        taken.body
    );
    let weak = browser.post("/auth/sign_up", &fill("kim", "short")).await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("Password is too short"), "{}", weak.body);
    assert!(!exists(&instance, "kim").await);

    let done = browser.post("/auth/sign_up", &fill("kim", PASSWORD)).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let consent = browser.get(done.location.as_deref().unwrap()).await;
    assert!(
        consent.is_consent_page() && consent.body.contains("@kim"),
        "{}",
        consent.body
    );
    let page = browser.decide(&consent, "approve").await;
    assert!(page.oob_code().is_some());
    instance.shut_down().await;
}

#[tokio::test]
async fn the_sign_up_page_in_approval_mode_says_to_wait() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "approval")]).await;
    let browser = Browser::new(&instance.base);
    let form = browser.get("/auth/sign_up").await;
    assert!(form.body.contains("name=\"reason\""));
    let mut fields = form.hidden_fields();
    fields.extend([
        ("username".to_owned(), "leo".to_owned()),
        ("email".to_owned(), "leo@school.example".to_owned()),
        ("password".to_owned(), PASSWORD.to_owned()),
        ("agreement".to_owned(), "1".to_owned()),
        ("reason".to_owned(), "Deputy head.".to_owned()),
    ]);
    let page = browser.post("/auth/sign_up", &fields).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("waiting for an administrator"),
        "{}",
        page.body
    );
    assert!(
        !page
            .set_cookies
            .iter()
            .any(|c| c.starts_with("staffroom_session="))
    );
    let form = browser.get("/auth/sign_in").await;
    assert_eq!(browser.sign_in(&form, "leo", PASSWORD).await.status, 403);
    instance.shut_down().await;
}

#[tokio::test]
async fn the_staff_are_told_of_each_sign_up() {
    let instance = TestInstance::start_with(&[
        ("STAFFROOM_REGISTRATIONS", "approval"),
        ("STAFFROOM_PASSWORD_GRANT", "true"),
    ])
    .await;
    let admin = instance.admin("head").await;
    let colleague = instance.user("olive").await;
    let token = app_token(&instance, "read write:accounts").await;
    let (status, answer) = sign_up(&instance, &token, &application("grace")).await;
    assert_eq!(status, 200, "{answer}");

    let told = admin
        .get("/api/v1/notifications?types[]=admin.sign_up")
        .await
        .expect(200)
        .items();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["type"], "admin.sign_up");
    assert_eq!(told[0]["account"]["username"], "grace");
    let grouped = admin.get("/api/v2/notifications").await.expect(200).body;
    assert_eq!(
        grouped["notification_groups"][0]["type"], "admin.sign_up",
        "{grouped}"
    );
    assert!(
        colleague
            .get("/api/v1/notifications?types[]=admin.sign_up")
            .await
            .expect(200)
            .items()
            .is_empty(),
        "only the staff are told"
    );
    instance.shut_down().await;
}
