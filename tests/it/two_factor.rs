//! Two-factor sign-in on a whole instance, with TOTP codes computed here from the
//! secret the set-up page offers: set-up, the second step of signing in (also on
//! the way to authorising an app), recovery codes, turning it off, the operator's
//! command, the refused password grant and the requirement for staff.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};
use staffroom_tests::smtp::SmtpServer;
use totp_rs::{Algorithm, Secret, Totp};

use crate::authorize::{authorize_path, register};

const PASSWORD: &str = "correct horse battery";

/// The code of `secret` (base32) at `at` seconds after the epoch.
fn code_at(secret: &str, at: i64) -> String {
    let totp: Totp = totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    totp.generate(u64::try_from(at).unwrap()).to_string()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A six-digit code that is right in no step from one before to one after now.
pub(crate) fn wrong_code(secret: &str) -> String {
    let right: Vec<String> = [-60, -30, 0, 30, 60]
        .iter()
        .map(|d| code_at(secret, now() + d))
        .collect();
    (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| !right.contains(c))
        .unwrap()
}

/// The hidden fields of `page`, each name once (the navigation's sign-out form
/// repeats the CSRF token).
fn fields_of(page: &Page) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (name, value) in page.hidden_fields() {
        if !fields.iter().any(|(n, _)| *n == name) {
            fields.push((name, value));
        }
    }
    fields
}

/// The recovery codes listed on `page`.
fn recovery_codes(page: &Page) -> Vec<String> {
    let start = page.body.find("<ul id=\"recovery-codes\">").unwrap();
    let list = &page.body[start..];
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<code>")
        .skip(1)
        .map(|part| part[..part.find("</code>").unwrap()].to_owned())
        .collect()
}

/// `browser`, signed in, turns two-factor sign-in on: a wrong code first (refused),
/// then the right one. The secret and the recovery codes.
pub(crate) async fn turn_on(browser: &Browser) -> (String, Vec<String>) {
    let page = browser.get("/settings/two_factor").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("src=\"data:image/svg+xml;base64,"));
    let secret = page.hidden("secret").expect("a secret on offer");
    assert!(
        page.body
            .contains(&format!("<code id=\"two-factor-secret\">{secret}</code>"))
    );

    let mut fields = fields_of(&page);
    fields.push(("code".into(), wrong_code(&secret)));
    let refused = browser.post("/settings/two_factor", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("The code is not right"),
        "{}",
        refused.body
    );
    assert_eq!(refused.hidden("secret").as_deref(), Some(secret.as_str()));
    let still_off = browser.get("/settings/two_factor").await;
    assert!(still_off.hidden("secret").is_some(), "{}", still_off.body);

    let mut fields = fields_of(&refused);
    fields.push(("code".into(), code_at(&secret, now())));
    let on = browser.post("/settings/two_factor", &fields).await;
    assert_eq!(on.status, 200, "{}", on.body);
    assert!(on.body.contains("Two-factor sign-in is on"));
    let codes = recovery_codes(&on);
    assert_eq!(codes.len(), 10, "{codes:?}");
    let shown_again = browser.get("/settings/two_factor").await;
    assert!(!shown_again.body.contains(&codes[0]));
    assert!(shown_again.body.contains("10 recovery codes left"));
    (secret, codes)
}

/// Signs `username` in with the right password on a fresh browser: the browser and
/// the page asking for the code.
async fn password_step(instance: &TestInstance, username: &str, path: &str) -> (Browser, Page) {
    let browser = Browser::new(&instance.base);
    let form = browser.get(path).await;
    let asked = browser.sign_in(&form, username, PASSWORD).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(
        asked.body.contains("action=\"/auth/two_factor\""),
        "{}",
        asked.body
    );
    (browser, asked)
}

async fn send_code(browser: &Browser, asked: &Page, code: &str) -> Page {
    let mut fields = fields_of(asked);
    fields.push(("code".into(), code.into()));
    browser.post("/auth/two_factor", &fields).await
}

async fn is_signed_in(browser: &Browser) -> bool {
    browser.get("/home").await.status == 200
}

#[tokio::test]
async fn set_up_takes_a_right_code_and_sign_in_then_asks_for_one() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let (secret, codes) = turn_on(&alice).await;

    // The password alone starts no session.
    let (browser, asked) = password_step(&instance, "alice", "/auth/sign_in").await;
    assert!(!is_signed_in(&browser).await);
    let refused = send_code(&browser, &asked, &wrong_code(&secret)).await;
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(refused.body.contains("The code is not right"));
    assert!(!is_signed_in(&browser).await);

    // The code of the next step (the one of set-up is used up).
    let code = code_at(&secret, now() + 30);
    let done = send_code(&browser, &refused, &code).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/home"));
    assert!(is_signed_in(&browser).await);

    // The form's token works once.
    let mut reused: Vec<(String, String)> = refused
        .hidden_fields()
        .into_iter()
        .filter(|(name, _)| name != "authenticity_token")
        .collect();
    reused.push((
        "authenticity_token".into(),
        browser.get("/settings/two_factor").await.csrf(),
    ));
    reused.push(("code".into(), codes[0].clone()));
    let expired = browser.post("/auth/two_factor", &reused).await;
    assert_eq!(expired.status, 401, "{}", expired.body);
    assert!(expired.body.contains("expired"), "{}", expired.body);

    // A code works once.
    let (other, asked) = password_step(&instance, "alice", "/auth/sign_in").await;
    let replayed = send_code(&other, &asked, &code).await;
    assert_eq!(replayed.status, 401, "{}", replayed.body);

    // A recovery code works once, typed in capitals or not.
    let with_recovery = send_code(&other, &replayed, &codes[0].to_uppercase()).await;
    assert_eq!(with_recovery.status, 303, "{}", with_recovery.body);
    assert!(is_signed_in(&other).await);
    let (third, asked) = password_step(&instance, "alice", "/auth/sign_in").await;
    let used = send_code(&third, &asked, &codes[0]).await;
    assert_eq!(used.status, 401, "{}", used.body);
    assert!(!is_signed_in(&third).await);
    let settings = alice.get("/settings/two_factor").await;
    assert!(settings.body.contains("9 recovery codes left"));

    // The wrong password still answers as before, without asking for a code.
    let fresh = Browser::new(&instance.base);
    let form = fresh.get("/auth/sign_in").await;
    let wrong = fresh.sign_in(&form, "alice", "not the password").await;
    assert_eq!(wrong.status, 401);
    assert!(!wrong.body.contains("/auth/two_factor"));
    instance.shut_down().await;
}

#[tokio::test]
async fn authorising_an_app_asks_for_the_code() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let (secret, _) = turn_on(&alice).await;
    let app = register(&instance, &["urn:ietf:wg:oauth:2.0:oob"], "read").await;
    let path = authorize_path(&[
        ("response_type", "code"),
        ("client_id", app.client_id.as_str()),
        ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
        ("scope", "read"),
    ]);
    let (browser, asked) = password_step(&instance, "alice", &path).await;
    assert!(
        asked
            .hidden("return_to")
            .unwrap()
            .starts_with("/oauth/authorize")
    );
    let done = send_code(&browser, &asked, &code_at(&secret, now() + 30)).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let back = done.location.unwrap();
    assert!(back.starts_with("/oauth/authorize"), "{back}");
    let consent = browser.get(&back).await;
    assert!(consent.is_consent_page(), "{}", consent.body);
    let shown = browser.decide(&consent, "approve").await;
    assert!(shown.oob_code().is_some(), "{}", shown.body);
    instance.shut_down().await;
}

#[tokio::test]
async fn the_password_grant_is_refused_to_an_account_with_two_factor() {
    let instance = TestInstance::start_for_apps().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    turn_on(&alice).await;
    let app: Value = instance
        .http
        .post(format!("{}/api/v1/apps", instance.base))
        .json(&json!({"client_name": "tests", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let response = instance
        .http
        .post(format!("{}/oauth/token", instance.base))
        .json(&json!({
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": "alice",
            "password": PASSWORD,
            "scope": "read",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "invalid_grant");
    assert!(
        error["error_description"]
            .as_str()
            .unwrap()
            .contains("two-factor"),
        "{error}"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn turning_it_off_takes_the_password_and_a_code_and_mails_notices() {
    let smtp = SmtpServer::start().await;
    let settings = smtp.settings();
    let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let instance = TestInstance::start_with(&settings).await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let (secret, codes) = turn_on(&alice).await;
    let on = smtp.wait_for("alice@example.org", 1).await;
    assert!(
        on.subject().contains("Two-factor sign-in is on"),
        "{}",
        on.data
    );
    assert!(!on.data.contains(&secret));

    let page = alice.get("/settings/two_factor").await;
    let mut wrong_password = fields_of(&page);
    wrong_password.push(("password".into(), "not the password".into()));
    wrong_password.push(("code".into(), codes[1].clone()));
    let refused = alice
        .post("/settings/two_factor/disable", &wrong_password)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("The password is not right"));

    let mut wrong_code_fields = fields_of(&page);
    wrong_code_fields.push(("password".into(), PASSWORD.into()));
    wrong_code_fields.push(("code".into(), wrong_code(&secret)));
    let refused = alice
        .post("/settings/two_factor/disable", &wrong_code_fields)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("The code is not right"));
    assert!(
        alice
            .get("/settings/two_factor")
            .await
            .hidden("secret")
            .is_none()
    );

    let mut fields = fields_of(&page);
    fields.push(("password".into(), PASSWORD.into()));
    fields.push(("code".into(), codes[1].clone()));
    let off = alice.post("/settings/two_factor/disable", &fields).await;
    assert_eq!(off.status, 303, "{}", off.body);
    assert_eq!(off.location.as_deref(), Some("/settings/two_factor?off"));
    let shown = alice.get("/settings/two_factor?off").await;
    assert!(shown.body.contains("Two-factor sign-in is off"));
    let mail = smtp.wait_for("alice@example.org", 2).await;
    assert!(
        mail.subject().contains("Two-factor sign-in is off"),
        "{}",
        mail.data
    );

    // The password alone signs in again.
    Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    instance.shut_down().await;
}

#[tokio::test]
async fn the_operator_turns_it_off_for_someone_locked_out() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    turn_on(&alice).await;
    password_step(&instance, "alice", "/auth/sign_in").await;

    let out = instance.cli(&["admin", "disable-2fa", "alice"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Two-factor sign-in is off for alice"),
        "{}",
        out.stdout
    );
    Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let again = instance.cli(&["admin", "disable-2fa", "alice"], "").await;
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert!(again.stdout.contains("nothing changed"), "{}", again.stdout);
    let unknown = instance.cli(&["admin", "disable-2fa", "nobody"], "").await;
    assert_eq!(unknown.status, 1);
    assert!(
        unknown.stderr.contains("no user called 'nobody'"),
        "{}",
        unknown.stderr
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn staff_set_it_up_first_when_the_instance_requires_it() {
    let instance =
        TestInstance::start_with(&[("STAFFROOM_REQUIRE_TWO_FACTOR_FOR_STAFF", "true")]).await;
    instance
        .create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;
    instance
        .create_user("mod", &["--password-stdin", "--role", "moderator"])
        .await;
    instance.create_user("alice", &["--password-stdin"]).await;

    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    assert_eq!(alice.get("/home").await.status, 200);

    for name in ["boss", "mod"] {
        let staff = Browser::signed_in(&instance.base, name, PASSWORD).await;
        for path in ["/home", "/settings/profile", "/admin/reports"] {
            let sent = staff.get(path).await;
            assert_eq!(sent.status, 303, "{name} {path}: {}", sent.body);
            assert_eq!(sent.location.as_deref(), Some("/settings/two_factor"));
        }
        let page = staff.get("/settings/two_factor").await;
        assert!(page.body.contains("asks its moderators and administrators"));
        turn_on(&staff).await;
        assert_eq!(staff.get("/home").await.status, 200);
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn new_recovery_codes_replace_the_old_ones_given_the_password_or_a_code() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let (secret, old) = turn_on(&browser).await;

    let page = browser.get("/settings/two_factor").await;
    let mut fields = fields_of(&page);
    fields.push(("proof".into(), "not my password".into()));
    let refused = browser
        .post("/settings/two_factor/recovery_codes", &fields)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);

    let mut fields = fields_of(&page);
    fields.push(("proof".into(), PASSWORD.into()));
    let made = browser
        .post("/settings/two_factor/recovery_codes", &fields)
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let new = recovery_codes(&made);
    assert_eq!(new.len(), 10, "{new:?}");
    assert!(new.iter().all(|code| !old.contains(code)));

    // With a code from the app too (the next step's: the current one turned it
    // on, and no code works twice); then an old code no longer signs in, a new
    // one does.
    let mut fields = fields_of(&page);
    fields.push(("proof".into(), code_at(&secret, now() + 30)));
    let again = browser
        .post("/settings/two_factor/recovery_codes", &fields)
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    let newest = recovery_codes(&again);
    let (fresh, asked) = password_step(&instance, "alice", "/auth/sign_in").await;
    let _ = send_code(&fresh, &asked, &old[0]).await;
    assert!(!is_signed_in(&fresh).await);
    let _ = send_code(&fresh, &asked, &new[0]).await;
    assert!(!is_signed_in(&fresh).await);
    let (fresh, asked) = password_step(&instance, "alice", "/auth/sign_in").await;
    let _ = send_code(&fresh, &asked, &newest[0]).await;
    assert!(is_signed_in(&fresh).await);
}
