//! The signed-in browsers and authorised apps a person sees at
//! `/settings/sessions`, and ending a session or revoking an app there.

use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};

const PASSWORD: &str = "correct horse battery";

/// The `(action, is the current browser)` of each session's form on `page`.
fn session_forms(page: &Page) -> Vec<(String, bool)> {
    let start = page.body.find("<ul id=\"sessions\">").unwrap();
    let list = &page.body[start..];
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<li")
        .skip(1)
        .map(|item| {
            let from = item.find("action=\"").unwrap() + "action=\"".len();
            let action = &item[from..];
            let action = action[..action.find('"').unwrap()].to_owned();
            (action, item.contains("(this browser)"))
        })
        .collect()
}

/// The form's action of the first app on `page`.
fn app_form(page: &Page) -> String {
    let from = page.body.find("action=\"/settings/apps/").unwrap() + "action=\"".len();
    let action = &page.body[from..];
    action[..action.find('"').unwrap()].to_owned()
}

async fn post_form(browser: &Browser, page: &Page, action: &str) -> Page {
    browser
        .post(action, &[("authenticity_token".into(), page.csrf())])
        .await
}

#[tokio::test]
async fn a_person_sees_their_browsers_and_ends_one() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    instance.create_user("bob", &["--password-stdin"]).await;
    let laptop = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let phone = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let bob = Browser::signed_in(&instance.base, "bob", PASSWORD).await;

    let page = laptop.get("/settings/sessions").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let forms = session_forms(&page);
    assert_eq!(forms.len(), 2, "{}", page.body);
    assert_eq!(forms.iter().filter(|(_, current)| *current).count(), 1);
    assert!(page.body.contains("From 127.0.0.1"), "{}", page.body);
    assert!(page.body.contains("You have not authorised any app."));
    let (phone_session, _) = forms.iter().find(|(_, current)| !current).unwrap().clone();
    let (laptop_session, _) = forms.iter().find(|(_, current)| *current).unwrap().clone();

    // Without the form's token, or for someone else, nothing ends.
    let forged = laptop
        .post(
            &phone_session,
            &[("authenticity_token".into(), "x".repeat(43))],
        )
        .await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    let bobs_page = bob.get("/settings/sessions").await;
    let not_bobs = post_form(&bob, &bobs_page, &phone_session).await;
    assert_eq!(not_bobs.status, 404, "{}", not_bobs.body);
    assert_eq!(phone.get("/home").await.status, 200);

    let ended = post_form(&laptop, &page, &phone_session).await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    assert_eq!(ended.location.as_deref(), Some("/settings/sessions?ended"));
    let signed_out = phone.get("/home").await;
    assert_eq!(signed_out.status, 303);
    assert!(signed_out.location.unwrap().starts_with("/auth/sign_in"),);
    let after = laptop.get("/settings/sessions?ended").await;
    assert_eq!(session_forms(&after).len(), 1, "{}", after.body);
    assert!(after.body.contains("The session is ended"));

    // Ending the current session signs this browser out.
    let own = post_form(&laptop, &after, &laptop_session).await;
    assert_eq!(own.status, 303, "{}", own.body);
    assert_eq!(own.location.as_deref(), Some("/auth/sign_in"));
    assert_eq!(laptop.get("/home").await.status, 303);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_person_revokes_an_app_and_its_token_stops_working() {
    let instance = TestInstance::start_for_apps().await;
    let api = instance.user("alice").await;
    assert_eq!(
        api.get("/api/v1/accounts/verify_credentials").await.status,
        200
    );
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = browser.get("/settings/sessions").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains("<strong>tests</strong> may: follow push read write"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("last used not yet"), "{}", page.body);
    let action = app_form(&page);

    let forged = browser
        .post(&action, &[("authenticity_token".into(), "x".repeat(43))])
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        api.get("/api/v1/accounts/verify_credentials").await.status,
        200
    );

    let revoked = post_form(&browser, &page, &action).await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert_eq!(
        revoked.location.as_deref(),
        Some("/settings/sessions?revoked")
    );
    assert_eq!(
        api.get("/api/v1/accounts/verify_credentials").await.status,
        401
    );
    let after = browser.get("/settings/sessions?revoked").await;
    assert!(after.body.contains("You have not authorised any app."));
    let again = post_form(&browser, &after, &action).await;
    assert_eq!(again.status, 404);
    instance.shut_down().await;
}
