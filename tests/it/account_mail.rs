//! Mails about one's own account, received by a real SMTP server on loopback:
//! changing the address (confirmed by the link mailed to the new one, the old
//! one told), a sign-in from an address never seen before, and the last notice
//! of a deleted account.

use std::net::{IpAddr, Ipv4Addr};

use staffroom_tests::browser::{Browser, Page};
use staffroom_tests::smtp::SmtpServer;

use crate::mail::{PASSWORD, instance_mailing_to, token_of};

/// Sends the address form of `browser` with `email` and `password`; the answer.
async fn change_address(browser: &Browser, email: &str, password: &str) -> Page {
    let form = browser.get("/settings/email").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let fields = vec![
        ("authenticity_token".to_owned(), form.csrf()),
        ("email".to_owned(), email.to_owned()),
        ("current_password".to_owned(), password.to_owned()),
    ];
    browser.post("/settings/email", &fields).await
}

/// Whether `login` (a username or address) signs in with the password.
async fn signs_in(base: &str, login: &str) -> bool {
    let browser = Browser::new(base);
    let form = browser.get("/auth/sign_in").await;
    browser.sign_in(&form, login, PASSWORD).await.status == 303
}

#[tokio::test]
async fn a_new_address_replaces_the_old_only_once_the_link_mailed_to_it_is_followed() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[]).await;
    instance.create_user("dev", &["--password-stdin"]).await;
    instance.create_user("ann", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "dev", PASSWORD).await;
    let page = browser.get("/settings/email").await;
    assert!(page.body.contains("dev@example.org"), "{}", page.body);

    let wrong = change_address(&browser, "dev@school.example", "not my password").await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("The password is not right"));
    let taken = change_address(&browser, "ANN@example.org", PASSWORD).await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    assert!(taken.body.contains("already in use"), "{}", taken.body);
    let mangled = change_address(&browser, "not an address", PASSWORD).await;
    assert_eq!(mangled.status, 422, "{}", mangled.body);
    assert!(
        mangled.body.contains("value=\"not an address\""),
        "{}",
        mangled.body
    );

    let asked = change_address(&browser, "Dev@School.example", PASSWORD).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(asked.location.as_deref(), Some("/settings/email?sent"));
    let waiting = browser.get("/settings/email?sent").await;
    assert!(
        waiting
            .body
            .contains("Waiting for confirmation: <strong>dev@school.example"),
        "{}",
        waiting.body
    );
    let mail = smtp.wait_for("dev@school.example", 1).await;
    assert!(mail.subject().contains("Confirm your new email address"));
    let link = mail.link(&format!("{}/settings/email/confirm?token=", instance.base));

    // Until then the old address is the one.
    assert!(signs_in(&instance.base, "dev@example.org").await);
    assert!(!signs_in(&instance.base, "dev@school.example").await);

    // The link works from any browser, once.
    let followed = Browser::new(&instance.base).get(&link).await;
    assert_eq!(followed.status, 303, "{}", followed.body);
    assert_eq!(
        followed.location.as_deref(),
        Some("/settings/email?changed")
    );
    assert!(signs_in(&instance.base, "dev@school.example").await);
    assert!(!signs_in(&instance.base, "dev@example.org").await);
    let again = Browser::new(&instance.base).get(&link).await;
    assert_eq!(again.status, 404, "{}", again.body);
    let notice = smtp.wait_for("dev@example.org", 1).await;
    assert!(
        notice
            .subject()
            .contains("email address on Staffroom has changed"),
        "{}",
        notice.data
    );
    assert!(
        notice.data.contains("dev@school.example"),
        "{}",
        notice.data
    );
    let now = browser.get("/settings/email").await;
    assert!(
        !now.body.contains("Waiting for confirmation"),
        "{}",
        now.body
    );
    assert!(now.body.contains("dev@school.example"), "{}", now.body);
}

#[tokio::test]
async fn a_change_called_off_leaves_its_link_dead() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[]).await;
    instance.create_user("dev", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "dev", PASSWORD).await;
    let asked = change_address(&browser, "dev@school.example", PASSWORD).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let mail = smtp.wait_for("dev@school.example", 1).await;
    let link = mail.link(&format!("{}/settings/email/confirm?token=", instance.base));
    assert!(!token_of(&link).is_empty());

    let page = browser.get("/settings/email").await;
    let fields = vec![("authenticity_token".to_owned(), page.csrf())];
    let cancelled = browser.post("/settings/email/cancel", &fields).await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    assert_eq!(
        Browser::new(&instance.base).get(&link).await.status,
        404,
        "the link of a change called off"
    );
    assert!(signs_in(&instance.base, "dev@example.org").await);
}

#[tokio::test]
async fn a_sign_in_from_an_address_never_seen_is_told_by_mail() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[]).await;
    instance.create_user("dev", &["--password-stdin"]).await;
    // The first sign-in ever, and another from the same address: nothing to tell.
    Browser::signed_in(&instance.base, "dev", PASSWORD).await;
    Browser::signed_in(&instance.base, "dev", PASSWORD).await;

    let elsewhere = Browser::from_address(&instance.base, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    let form = elsewhere.get("/auth/sign_in").await;
    assert_eq!(elsewhere.sign_in(&form, "dev", PASSWORD).await.status, 303);
    let notice = smtp.wait_for("dev@example.org", 1).await;
    assert!(
        notice.subject().contains("A new sign-in to your account"),
        "{}",
        notice.data
    );
    assert!(notice.data.contains("127.0.0.2"), "{}", notice.data);
    assert!(
        notice.data.contains("/settings/sessions"),
        "{}",
        notice.data
    );

    // Known from now on.
    let again = Browser::from_address(&instance.base, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
    let form = again.get("/auth/sign_in").await;
    assert_eq!(again.sign_in(&form, "dev", PASSWORD).await.status, 303);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        smtp.messages_to("dev@example.org").len(),
        1,
        "{:?}",
        smtp.messages()
    );
}

#[tokio::test]
async fn a_deleted_account_hears_a_last_time_from_the_instance() {
    let smtp = SmtpServer::start().await;
    let instance = instance_mailing_to(&smtp, &[]).await;
    instance.create_user("dev", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "dev", PASSWORD).await;
    let page = browser.get("/settings/delete").await;
    let fields = vec![
        ("authenticity_token".to_owned(), page.csrf()),
        ("username".to_owned(), "dev".to_owned()),
        ("password".to_owned(), PASSWORD.to_owned()),
    ];
    let done = browser.post("/settings/delete", &fields).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let notice = smtp.wait_for("dev@example.org", 1).await;
    assert!(
        notice
            .subject()
            .contains("Your account on Staffroom is deleted"),
        "{}",
        notice.data
    );
}
