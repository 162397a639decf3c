//! `/auth/password/new` and `/auth/password/edit`: someone who forgot their
//! password asks for a link by email address, and sets a new password with it.
//! The answer to the request is the same whether or not the address belongs to
//! anyone, so that the form does not tell who has an account here.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::account_token::{self, Purpose};
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::access::{password, user};

use super::sign_in::form_answer;
use super::sign_up::expired_link;
use super::{Layout, render, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};
use crate::mail::{self, Instance};

/// `templates/password_new.html`: the request form, or what follows sending it.
#[derive(Template)]
#[template(path = "password_new.html")]
struct RequestPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    /// Whether the request was just sent.
    sent: bool,
    /// Whether the instance sends mail at all.
    sends_mail: bool,
}

/// `templates/password_edit.html`: the form that sets a new password.
#[derive(Template)]
#[template(path = "password_edit.html")]
struct EditPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    token: &'a str,
    error: Option<&'a str>,
    max_password: usize,
}

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    email: Option<String>,
    authenticity_token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    token: Option<String>,
    password: Option<String>,
    password_confirmation: Option<String>,
    authenticity_token: Option<String>,
}

fn request_page(state: &AppState, browser: Browser, sent: bool) -> PageResult<Response> {
    let page = RequestPage {
        layout: Layout::new(state),
        csrf: browser.csrf_token(),
        sent,
        sends_mail: state.settings().sends_mail,
    };
    let html = render(&page)?;
    Ok(browser.respond(html))
}

/// `GET /auth/password/new`
pub async fn new(State(state): State<AppState>, browser: Browser) -> Response {
    request_page(&state, browser, false).unwrap_or_else(|error| error.page(&state))
}

/// How long the answer to a reset request takes at least, whether or not the
/// address is known, so that the time it takes does not tell (the work for a
/// known address, a token stored and a mail queued, takes far less).
pub const RESET_ANSWER_FLOOR: std::time::Duration = std::time::Duration::from_millis(400);

/// `POST /auth/password/new`: mails a reset link when the address is a user's who
/// may sign in (or only waits to confirm it); the same answer in every case,
/// after [`RESET_ANSWER_FLOOR`].
pub async fn request(
    State(state): State<AppState>,
    browser: Browser,
    Form(form): Form<RequestForm>,
) -> Response {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let answer_at = tokio::time::Instant::now() + RESET_ANSWER_FLOOR;
    let email = form.email.unwrap_or_default();
    let email = email.trim();
    if state.settings().sends_mail
        && !email.is_empty()
        && email.chars().count() <= user::MAX_EMAIL_CHARS
        && let Err(e) = mail_reset_link(&state, email).await
    {
        // The answer stays the same; the cause is for the operator.
        tracing::error!(error = %e, "a password reset link could not be queued");
    }
    tokio::time::sleep_until(answer_at).await;
    request_page(&state, browser, true).unwrap_or_else(|error| error.page(&state))
}

async fn mail_reset_link(state: &AppState, email: &str) -> Result<(), Error> {
    let db = state.db();
    let Some(user) = user::find_by_email(db, email).await? else {
        return Ok(());
    };
    if user.disabled || !user.approved {
        return Ok(());
    }
    let now = Utc::now();
    let token = account_token::issue(db, user.account.id, Purpose::ResetPassword, now).await?;
    mail::queue(
        db,
        mail::reset_password(Instance::of(state), &user, &token),
        now,
    )
    .await
}

fn edit_page(
    state: &AppState,
    browser: Browser,
    token: &str,
    error: Option<PageError>,
) -> PageResult<Response> {
    let page = EditPage {
        layout: Layout::new(state),
        csrf: browser.csrf_token(),
        token,
        error: error.as_ref().map(PageError::message),
        max_password: MAX_PASSWORD_CHARS,
    };
    let html = render(&page)?;
    Ok(form_answer(browser, html, error))
}

/// `GET /auth/password/edit?token=TOKEN`: the form, if the link still works.
pub async fn edit(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<TokenQuery>,
) -> Response {
    let token = query.token.unwrap_or_default();
    let result =
        match account_token::check(state.db(), &token, Purpose::ResetPassword, Utc::now()).await {
            Ok(_) => edit_page(&state, browser, &token, None),
            Err(Error::NotFound(_)) => Err(expired_link()),
            Err(e) => Err(e.into()),
        };
    result.unwrap_or_else(|error| error.page(&state))
}

/// `POST /auth/password/edit`: sets the new password, ends every session and app
/// token of the account, and sends the browser to sign in.
pub async fn update(
    State(state): State<AppState>,
    browser: Browser,
    Form(form): Form<EditForm>,
) -> Response {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let token = form.token.unwrap_or_default();
    let new = form.password.unwrap_or_default();
    let result = if form.password_confirmation.as_deref() != Some(new.as_str()) {
        let error = PageError::invalid("Choose a new password", "The two passwords differ.");
        edit_page(&state, browser, &token, Some(error))
    } else {
        match password::reset(state.db(), &token, new, Utc::now()).await {
            Ok(_) => Ok(browser.respond(see_other("/auth/sign_in"))),
            Err(Error::NotFound(_)) => Err(expired_link()),
            Err(Error::Invalid { reason, .. }) => {
                let error = PageError::invalid(
                    "Choose a new password",
                    format!("The new password {reason}."),
                );
                edit_page(&state, browser, &token, Some(error))
            }
            Err(e) => Err(e.into()),
        }
    };
    result.unwrap_or_else(|error| error.page(&state))
}
