//! Mail from a whole instance to a real SMTP server on loopback: confirming the
//! address at sign-up, resetting and changing the password, the operator's reset
//! link, and the notices around approval. Every link is read out of the received
//! mail.

use chrono::{TimeDelta, Utc};
use staffroom_domain::access::account_token::{self, Purpose};
use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};
use staffroom_tests::smtp::SmtpServer;

pub(crate) const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a new staple, quite long";

/// An instance sending mail through `smtp`, with `extra` settings.
pub(crate) async fn instance_mailing_to(smtp: &SmtpServer, extra: &[(&str, &str)]) -> TestInstance {
    let settings = smtp.settings();
    let mut all: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.extend_from_slice(extra);
    TestInstance::start_with(&all).await
}

/// Fills the sign-up form of `browser` for `username`.
async fn sign_up(browser: &Browser, username: &str) -> Page {
    let form = browser.get("/auth/sign_up").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let mut fields = form.hidden_fields();
    fields.push(("username".into(), username.into()));
    fields.push(("email".into(), format!("{username}@example.org")));
    fields.push(("password".into(), PASSWORD.into()));
    fields.push(("agreement".into(), "1".into()));
    fields.push(("reason".into(), "I lead a primary school".into()));
    browser.post("/auth/sign_up", &fields).await
}

/// Signs `username` in with `password` on a fresh browser; the answer.
async fn try_sign_in(instance: &TestInstance, username: &str, password: &str) -> (Browser, Page) {
    let browser = Browser::new(&instance.base);
    let form = browser.get("/auth/sign_in").await;
    let answer = browser.sign_in(&form, username, password).await;
    (browser, answer)
}

/// The token at the end of `link`.
pub(crate) fn token_of(link: &str) -> &str {
    link.rsplit("token=").next().unwrap()
}

#[tokio::test]
async fn sign_up_mails_a_link_that_confirms_the_address_once() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[("STAFFROOM_REGISTRATIONS", "open")]).await;
    let browser = Browser::new(&instance.base);
    let answer = sign_up(&browser, "amina").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.body.contains("We sent a link to amina@example.org"),
        "{}",
        answer.body
    );

    let (_, refused) = try_sign_in(&instance, "amina", PASSWORD).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("not confirmed"), "{}", refused.body);

    let mail = smtp.wait_for("amina@example.org", 1).await;
    assert!(
        mail.subject().contains("Confirm your email address"),
        "{}",
        mail.data
    );
    assert!(mail.data.contains("text/plain") && mail.data.contains("text/html"));
    assert!(mail.data.contains("Staffroom"), "{}", mail.data);
    let link = mail.link(&format!("{}/auth/confirmation?token=", instance.base));
    assert!(
        mail.data.contains(&format!("href=\"{link}\"")),
        "{}",
        mail.data
    );

    let confirmed = browser.get(&link).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert!(confirmed.body.contains("Your address is confirmed"));
    let again = browser.get(&link).await;
    assert_eq!(again.status, 404, "{}", again.body);

    let (_, signed_in) = try_sign_in(&instance, "amina", PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
}

#[tokio::test]
async fn a_confirmation_link_expires() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[("STAFFROOM_REGISTRATIONS", "open")]).await;
    sign_up(&Browser::new(&instance.base), "bea").await;
    let mail = smtp.wait_for("bea@example.org", 1).await;
    let link = mail.link(&format!("{}/auth/confirmation?token=", instance.base));
    let db = instance.running().db();
    let later = Utc::now() + Purpose::ConfirmEmail.lifetime() + TimeDelta::minutes(1);
    assert!(
        account_token::check(db, token_of(&link), Purpose::ConfirmEmail, later)
            .await
            .is_err()
    );
    assert!(
        account_token::check(db, token_of(&link), Purpose::ConfirmEmail, Utc::now())
            .await
            .is_ok()
    );
}

/// Asks for a reset link for `email` on `browser`; the answer.
async fn ask_for_reset(browser: &Browser, email: &str) -> Page {
    let form = browser.get("/auth/password/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let mut fields = form.hidden_fields();
    fields.push(("email".into(), email.into()));
    browser.post("/auth/password/new", &fields).await
}

/// Sets `password` on the reset page at `link`; the answer.
async fn set_password(browser: &Browser, link: &str, password: &str) -> Page {
    let form = browser.get(link).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let mut fields = form.hidden_fields();
    fields.push(("password".into(), password.into()));
    fields.push(("password_confirmation".into(), password.into()));
    browser.post("/auth/password/edit", &fields).await
}

#[tokio::test]
async fn a_mailed_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    instance.create_user("carys", &["--password-stdin"]).await;
    let signed_in = Browser::signed_in(&instance.base, "carys", PASSWORD).await;
    let token = instance.sign_in("carys", PASSWORD, "read").await;

    let browser = Browser::new(&instance.base);
    let known = ask_for_reset(&browser, "carys@example.org").await;
    let unknown = ask_for_reset(&browser, "nobody@example.org").await;
    assert_eq!(known.status, 200);
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
    assert!(known.body.contains("If an account here has this address"));

    let mail = smtp.wait_for("carys@example.org", 1).await;
    assert!(
        mail.subject().contains("Reset your password"),
        "{}",
        mail.data
    );
    let link = mail.link(&format!("{}/auth/password/edit?token=", instance.base));

    let weak = set_password(&browser, &link, "short").await;
    assert_eq!(weak.status, 422, "{}", weak.body);
    assert!(weak.body.contains("too short"), "{}", weak.body);
    let done = set_password(&browser, &link, NEW_PASSWORD).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(browser.get(&link).await.status, 404, "the link works once");

    let (_, old) = try_sign_in(&instance, "carys", PASSWORD).await;
    assert_eq!(old.status, 401, "{}", old.body);
    let (_, new) = try_sign_in(&instance, "carys", NEW_PASSWORD).await;
    assert_eq!(new.status, 303, "{}", new.body);
    let settings = signed_in.get("/settings/password").await;
    assert_eq!(settings.status, 303, "the old session has ended");
    let app = instance
        .http
        .get(format!(
            "{}/api/v1/accounts/verify_credentials",
            instance.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(app.status(), 401, "the app's token is revoked");
    assert!(smtp.messages_to("nobody@example.org").is_empty());
}

/// Sends the password form of `browser` with these values; the answer.
async fn change_password(
    browser: &Browser,
    current: &str,
    new: &str,
    sign_out_others: bool,
) -> Page {
    let form = browser.get("/settings/password").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let mut fields = vec![("authenticity_token".to_owned(), form.csrf())];
    fields.push(("current_password".into(), current.into()));
    fields.push(("password".into(), new.into()));
    fields.push(("password_confirmation".into(), new.into()));
    if sign_out_others {
        fields.push(("sign_out_others".into(), "true".into()));
    }
    browser.post("/settings/password", &fields).await
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_can_sign_out_elsewhere() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    instance.create_user("dev", &["--password-stdin"]).await;
    let here = Browser::signed_in(&instance.base, "dev", PASSWORD).await;
    let elsewhere = Browser::signed_in(&instance.base, "dev", PASSWORD).await;
    let token = instance.sign_in("dev", PASSWORD, "read").await;
    assert!(
        here.get("/settings/profile")
            .await
            .body
            .contains("/settings/password")
    );

    let wrong = change_password(&here, "not my password", NEW_PASSWORD, true).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(
        wrong.body.contains("The current password is not right"),
        "{}",
        wrong.body
    );
    assert!(
        wrong
            .body
            .contains("name=\"sign_out_others\" value=\"true\" checked"),
        "{}",
        wrong.body
    );
    let weak = change_password(&here, PASSWORD, "short", false).await;
    assert_eq!(weak.status, 422, "{}", weak.body);
    assert!(weak.body.contains("too short"), "{}", weak.body);

    let done = change_password(&here, PASSWORD, NEW_PASSWORD, true).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/settings/password?saved"));
    assert_eq!(
        here.get("/settings/password").await.status,
        200,
        "this browser stays in"
    );
    assert_eq!(
        elsewhere.get("/settings/password").await.status,
        303,
        "the other is out"
    );
    let app = instance
        .http
        .get(format!(
            "{}/api/v1/accounts/verify_credentials",
            instance.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(app.status(), 401);
    let (_, new) = try_sign_in(&instance, "dev", NEW_PASSWORD).await;
    assert_eq!(new.status, 303);
    let notice = smtp.wait_for("dev@example.org", 1).await;
    assert!(
        notice
            .subject()
            .contains("password on Staffroom was changed"),
        "{}",
        notice.data
    );
}

#[tokio::test]
async fn the_operator_prints_a_reset_link_without_smtp() {
    let instance = TestInstance::start().await;
    instance.create_user("efa", &["--password-stdin"]).await;
    let out = instance.cli(&["admin", "reset-password", "efa"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let prefix = format!("{}/auth/password/edit?token=", instance.base);
    let link = out
        .stdout
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no link: {}", out.stdout))
        .to_owned();
    let browser = Browser::new(&instance.base);
    assert_eq!(
        set_password(&browser, &link, NEW_PASSWORD).await.status,
        303
    );
    let (_, new) = try_sign_in(&instance, "efa", NEW_PASSWORD).await;
    assert_eq!(new.status, 303, "{}", new.body);
    let unknown = instance
        .cli(&["admin", "reset-password", "nobody"], "")
        .await;
    assert_ne!(unknown.status, 0);
}

#[tokio::test]
async fn moderators_hear_of_sign_ups_awaiting_approval_and_the_person_of_approval() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[("STAFFROOM_REGISTRATIONS", "approval")]).await;
    instance
        .create_user("gwen", &["--password-stdin", "--role", "moderator"])
        .await;
    instance.create_user("huw", &["--password-stdin"]).await;
    let answer = sign_up(&Browser::new(&instance.base), "ifor").await;
    assert_eq!(answer.status, 200, "{}", answer.body);

    let notice = smtp.wait_for("gwen@example.org", 1).await;
    assert!(
        notice.subject().contains("ifor asks to join"),
        "{}",
        notice.data
    );
    assert!(
        notice.data.contains("I lead a primary school"),
        "{}",
        notice.data
    );
    let confirmation = smtp.wait_for("ifor@example.org", 1).await;
    let link = confirmation.link(&format!("{}/auth/confirmation?token=", instance.base));
    let confirmed = Browser::new(&instance.base).get(&link).await;
    assert!(
        confirmed.body.contains("waiting for an administrator"),
        "{}",
        confirmed.body
    );
    let (_, waiting) = try_sign_in(&instance, "ifor", PASSWORD).await;
    assert_eq!(waiting.status, 403);

    let out = instance.cli(&["admin", "approve-user", "ifor"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let welcome = smtp.wait_for("ifor@example.org", 2).await;
    assert!(
        welcome.subject().contains("Welcome to Staffroom"),
        "{}",
        welcome.data
    );
    let (_, signed_in) = try_sign_in(&instance, "ifor", PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert!(
        smtp.messages_to("huw@example.org").is_empty(),
        "only moderators and admins"
    );
}

#[tokio::test]
async fn signing_up_with_an_address_in_use_answers_as_a_new_sign_up_and_tells_its_owner() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[("STAFFROOM_REGISTRATIONS", "open")]).await;
    instance.create_user("hana", &["--password-stdin"]).await;

    // The page: a new address and one in use get the same answer.
    let browser = Browser::new(&instance.base);
    let new = sign_up(&browser, "jonah").await;
    let form = browser.get("/auth/sign_up").await;
    let mut fields = form.hidden_fields();
    fields.push(("username".into(), "kofi".into()));
    fields.push(("email".into(), "Hana@Example.org".into()));
    fields.push(("password".into(), PASSWORD.into()));
    fields.push(("agreement".into(), "1".into()));
    fields.push(("reason".into(), "I lead a primary school".into()));
    let in_use = browser.post("/auth/sign_up", &fields).await;
    assert_eq!(new.status, 200, "{}", new.body);
    assert_eq!(in_use.status, new.status, "{}", in_use.body);
    assert_eq!(
        in_use.body.replace("hana@example.org", "ADDRESS"),
        new.body.replace("jonah@example.org", "ADDRESS"),
    );
    // No account was made; the owner hears of it, with a reset link that works.
    let (status, _) = instance.get_json("/api/v1/accounts/lookup?acct=kofi").await;
    assert_eq!(status, 404);
    let mail = smtp.wait_for("hana@example.org", 1).await;
    assert!(mail.subject().contains("tried to sign up"), "{}", mail.data);
    let link = mail.link(&format!("{}/auth/password/edit?token=", instance.base));
    let done = set_password(&Browser::new(&instance.base), &link, NEW_PASSWORD).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, signed_in) = try_sign_in(&instance, "hana", NEW_PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);

    // The API: a token-shaped answer either way, and the owner told again.
    let token = crate::sign_up::app_token(&instance, "read write:accounts").await;
    let (new_status, new_body) =
        crate::sign_up::sign_up(&instance, &token, &crate::sign_up::application("lior")).await;
    let mut taken = crate::sign_up::application("mira");
    taken["email"] = "hana@example.org".into();
    let (taken_status, taken_body) = crate::sign_up::sign_up(&instance, &token, &taken).await;
    assert_eq!(new_status, 200, "{new_body}");
    assert_eq!(taken_status, new_status, "{taken_body}");
    let keys = |body: &serde_json::Value| {
        let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&taken_body), keys(&new_body));
    assert_eq!(taken_body["scope"], new_body["scope"]);
    assert_eq!(
        taken_body["access_token"].as_str().unwrap().len(),
        new_body["access_token"].as_str().unwrap().len()
    );
    smtp.wait_for("hana@example.org", 2).await;
    let (status, _) = instance.get_json("/api/v1/accounts/lookup?acct=mira").await;
    assert_eq!(status, 404);
    // A username in use is still refused: names are public anyway.
    let (status, body) =
        crate::sign_up::sign_up(&instance, &token, &crate::sign_up::application("hana")).await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn a_reset_request_takes_as_long_for_a_known_address_as_for_an_unknown_one() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[]).await;
    instance.create_user("ines", &["--password-stdin"]).await;
    let browser = Browser::new(&instance.base);
    let floor = std::time::Duration::from_millis(400);
    for email in ["ines@example.org", "nobody@example.org", "INES@example.org"] {
        let form = browser.get("/auth/password/new").await;
        let mut fields = form.hidden_fields();
        fields.push(("email".into(), email.into()));
        let started = std::time::Instant::now();
        let answer = browser.post("/auth/password/new", &fields).await;
        let took = started.elapsed();
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert!(took >= floor, "{email}: answered in {took:?}");
    }
    smtp.wait_for("ines@example.org", 2).await;
    assert!(smtp.messages_to("nobody@example.org").is_empty());
}
