//! `/auth/sign_in` and `/auth/sign_out`: signing in and out on the instance's own
//! pages, with a session cookie (see [`crate::browser`]). Someone with two-factor
//! sign-in is asked for a code next ([`super::sign_in_code`]).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::{Error, access::user};

use super::{HOME, Layout, local_path, render, see_other, sign_in_code};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};

/// Where to go once signed in.
#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    pub return_to: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    username: Option<String>,
    password: Option<String>,
    return_to: Option<String>,
    authenticity_token: Option<String>,
}

/// `templates/sign_in.html`
#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    layout: Layout<'a>,
    /// Why the form is shown again.
    error: Option<&'a str>,
    csrf: &'a str,
    return_to: Option<&'a str>,
    username: &'a str,
    max_password: usize,
    /// The query of the link to the sign-up form, when the instance takes sign-ups.
    sign_up: Option<String>,
}

/// `?return_to=PATH` for a link, URL-encoded; empty without one.
pub fn return_query(return_to: Option<&str>) -> String {
    match local_path(return_to) {
        Some(path) => format!(
            "?return_to={}",
            url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
        ),
        None => String::new(),
    }
}

/// The sign-in page: the form (sending the browser to `return_to` afterwards) with
/// `username` filled in, and a link to sign up. After a failed attempt, it says why,
/// with `error`'s status.
pub fn page(
    state: &AppState,
    browser: Browser,
    return_to: Option<&str>,
    username: &str,
    error: Option<PageError>,
) -> PageResult<Response> {
    let page = SignInPage {
        layout: Layout::new(state),
        error: error.as_ref().map(PageError::message),
        csrf: browser.csrf_token(),
        return_to: local_path(return_to),
        username,
        max_password: MAX_PASSWORD_CHARS,
        sign_up: state
            .settings()
            .registrations
            .accepts_sign_ups()
            .then(|| return_query(return_to)),
    };
    let html = render(&page)?;
    Ok(form_answer(browser, html, error))
}

/// `html`, a page with a form, answered to `browser` (with its cookies, neither
/// cached nor framed); shown again after `error`, with the error's status.
pub fn form_answer(browser: Browser, html: Html<String>, error: Option<PageError>) -> Response {
    match error {
        Some(error) => browser.respond((error.status(), html)),
        None => browser.respond(html),
    }
}

/// Where a signed-in person goes: back where they came from, or to their profile.
fn destination(return_to: Option<&str>) -> String {
    local_path(return_to)
        .map(str::to_owned)
        .unwrap_or_else(|| HOME.to_owned())
}

/// `GET /auth/sign_in[?return_to=PATH]`
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<ReturnTo>,
) -> Response {
    page(&state, browser, query.return_to.as_deref(), "", None)
        .unwrap_or_else(|error| error.page(&state))
}

/// `POST /auth/sign_in`: a session for the right password, the form again with an
/// error otherwise.
pub async fn sign_in(
    State(state): State<AppState>,
    browser: Browser,
    Form(form): Form<SignInForm>,
) -> Response {
    attempt(&state, browser, form)
        .await
        .unwrap_or_else(|error| error.page(&state))
}

async fn attempt(state: &AppState, mut browser: Browser, form: SignInForm) -> PageResult<Response> {
    if let Some(refused) = browser.csrf_refusal(state, form.authenticity_token.as_deref()) {
        return Ok(refused);
    }
    let username = form.username.unwrap_or_default();
    let username = username.trim();
    let password = form.password.unwrap_or_default();
    let return_to = form.return_to.as_deref();
    let outcome = if username.is_empty()
        || username.chars().count() > user::MAX_EMAIL_CHARS
        || password.chars().count() > MAX_PASSWORD_CHARS
    {
        Err(Error::NotFound("user"))
    } else {
        user::authenticate(state.db(), username, &password).await
    };
    let error = match outcome {
        Ok(user) if user.two_factor => {
            return sign_in_code::ask(state, browser, &user, return_to).await;
        }
        Ok(user) => {
            let to = destination(return_to);
            browser.sign_in(state, user).await?;
            return Ok(browser.respond(see_other(&to)));
        }
        Err(Error::NotFound(_)) => PageError::unauthorized(
            "Sign in",
            "The username, email address or password is not right.",
        ),
        Err(Error::Forbidden(reason)) => PageError::forbidden("Sign in", refusal_sentence(&reason)),
        Err(other) => return Err(other.into()),
    };
    page(state, browser, return_to, username, Some(error))
}

/// Why a user with the right password may not sign in, as a sentence.
fn refusal_sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    let sentence = format!("{}{}.", first.unwrap_or_default(), chars.as_str());
    if reason.contains("approval") {
        format!("{sentence} You can sign in once an administrator has approved it.")
    } else if reason.contains("confirmed") {
        format!("{sentence} Follow the link in the mail sent to it, then sign in.")
    } else {
        sentence
    }
}

#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    authenticity_token: Option<String>,
}

/// `POST /auth/sign_out`
pub async fn sign_out(
    State(state): State<AppState>,
    mut browser: Browser,
    Form(form): Form<SignOutForm>,
) -> Response {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    match browser.sign_out(&state).await {
        Ok(()) => browser.respond(see_other("/auth/sign_in")),
        Err(error) => PageError::from(error).page(&state),
    }
}
