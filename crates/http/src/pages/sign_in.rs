//! `/auth/sign_in` and `/auth/sign_out`: signing in and out on the instance's own
//! pages, with a session cookie (see [`crate::browser`]).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::{Error, access::user};

use super::{escape, layout, local_path, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::error::ApiResult;

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

/// A hidden field carrying `return_to`, if it is a local path.
pub fn return_input(return_to: Option<&str>) -> String {
    local_path(return_to)
        .map(|path| {
            format!(
                "<input type=\"hidden\" name=\"return_to\" value=\"{}\">",
                escape(path)
            )
        })
        .unwrap_or_default()
}

/// A paragraph with `message` announced as an error, or nothing.
pub fn alert(message: Option<&str>) -> String {
    message
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>\n", escape(m)))
        .unwrap_or_default()
}

/// The sign-in page, with `status`: the form (sending the browser to `return_to`
/// afterwards), the `error` of a failed attempt, and a link to sign up.
pub fn page(
    state: &AppState,
    browser: Browser,
    status: StatusCode,
    return_to: Option<&str>,
    username: &str,
    error: Option<&str>,
) -> Response {
    let sign_up = if state.settings().registrations.accepts_sign_ups() {
        format!(
            "<p>No account yet? <a href=\"/auth/sign_up{}\">Sign up</a></p>\n",
            escape(&return_query(return_to))
        )
    } else {
        String::new()
    };
    let body = format!(
        concat!(
            "<h1>Sign in</h1>\n{alert}",
            "<form method=\"post\" action=\"/auth/sign_in\">\n{csrf}\n{return_to}\n",
            "<p><label for=\"username\">Username or email address</label><br>\n",
            "<input id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\" maxlength=\"254\" required autofocus></p>\n",
            "<p><label for=\"password\">Password</label><br>\n",
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" maxlength=\"{max_password}\" required></p>\n",
            "<p><button type=\"submit\">Sign in</button></p>\n</form>\n{sign_up}"
        ),
        alert = alert(error),
        csrf = browser.csrf_input(),
        return_to = return_input(return_to),
        username = escape(username),
        max_password = MAX_PASSWORD_CHARS,
        sign_up = sign_up,
    );
    browser.respond((status, layout(state, "Sign in", &body)))
}

/// Where a signed-in person goes: back where they came from, or to their profile.
fn destination(state: &AppState, return_to: Option<&str>, username: &str) -> String {
    local_path(return_to)
        .map(str::to_owned)
        .unwrap_or_else(|| state.urls().profile(username))
}

/// `GET /auth/sign_in[?return_to=PATH]`
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<ReturnTo>,
) -> Response {
    page(
        &state,
        browser,
        StatusCode::OK,
        query.return_to.as_deref(),
        "",
        None,
    )
}

/// `POST /auth/sign_in`: a session for the right password, the form again with an
/// error otherwise.
pub async fn sign_in(
    State(state): State<AppState>,
    mut browser: Browser,
    Form(form): Form<SignInForm>,
) -> ApiResult<Response> {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
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
    let (status, message) = match outcome {
        Ok(user) => {
            let to = destination(&state, return_to, &user.account.username);
            browser.sign_in(&state, user).await?;
            return Ok(browser.respond(see_other(&to)));
        }
        Err(Error::NotFound(_)) => (
            StatusCode::UNAUTHORIZED,
            "The username, email address or password is not right.".to_owned(),
        ),
        Err(Error::Forbidden(reason)) => (StatusCode::FORBIDDEN, refusal_sentence(&reason)),
        Err(other) => return Err(other.into()),
    };
    Ok(page(
        &state,
        browser,
        status,
        return_to,
        username,
        Some(&message),
    ))
}

/// Why a user with the right password may not sign in, as a sentence.
fn refusal_sentence(reason: &str) -> String {
    let mut chars = reason.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    let sentence = format!("{}{}.", first.unwrap_or_default(), chars.as_str());
    if reason.contains("approval") {
        format!("{sentence} You can sign in once an administrator has approved it.")
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
) -> ApiResult<Response> {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return Ok(refused);
    }
    browser.sign_out(&state).await?;
    Ok(browser.respond(see_other("/auth/sign_in")))
}
