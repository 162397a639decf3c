//! `/settings/password`: the signed-in person changes their password, giving the
//! current one, and may sign out everywhere else (their other browsers and every
//! app). A notice goes to their address. A refused form comes back with what went
//! wrong and the choice they made, never the passwords.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::access::password;

use super::layout::Section;
use super::session::SignedIn;
use super::{render, render_again, see_other};
use crate::AppState;
use crate::error::PageError;
use crate::mail::{self, Instance};

/// The path of the page.
pub const PASSWORD_SETTINGS: &str = "/settings/password";

/// `templates/settings_password.html`
#[derive(Template)]
#[template(path = "settings_password.html")]
struct PasswordPage<'a> {
    layout: super::Layout<'a>,
    csrf: &'a str,
    saved: bool,
    error: Option<String>,
    sign_out_others: bool,
    max_password: usize,
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    current_password: Option<String>,
    password: Option<String>,
    password_confirmation: Option<String>,
    sign_out_others: Option<String>,
    authenticity_token: Option<String>,
}

/// `GET /settings/password[?saved]`
pub async fn show(State(state): State<AppState>, me: SignedIn, uri: axum::http::Uri) -> Response {
    let page = PasswordPage {
        layout: me.browser.layout(&state, Section::Settings),
        csrf: me.browser.csrf_token(),
        saved: uri.query() == Some("saved"),
        error: None,
        sign_out_others: false,
        max_password: MAX_PASSWORD_CHARS,
    };
    let response = render(&page)
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(response)
}

/// `POST /settings/password`
pub async fn change(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<ChangeForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let sign_out_others = form.sign_out_others.is_some();
    let new = form.password.unwrap_or_default();
    let current = form.current_password.unwrap_or_default();
    let outcome = if form.password_confirmation.as_deref() != Some(new.as_str()) {
        Err(PageError::invalid(
            "Change your password",
            "The two new passwords differ.",
        ))
    } else if current.chars().count() > MAX_PASSWORD_CHARS {
        Err(PageError::invalid(
            "Change your password",
            "The current password is not right.",
        ))
    } else {
        apply(&state, &me, &current, new, sign_out_others).await
    };
    let response = match outcome {
        Ok(()) => see_other(&format!("{PASSWORD_SETTINGS}?saved")),
        Err(error) if error.status().is_client_error() => {
            let page = PasswordPage {
                layout: me.browser.layout(&state, Section::Settings),
                csrf: me.browser.csrf_token(),
                saved: false,
                error: Some(error.message().to_owned()),
                sign_out_others,
                max_password: MAX_PASSWORD_CHARS,
            };
            render_again(&state, &page, &error)
        }
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

async fn apply(
    state: &AppState,
    me: &SignedIn,
    current: &str,
    new: String,
    sign_out_others: bool,
) -> Result<(), PageError> {
    let db = state.db();
    let account_id = me.account().id;
    let user = match password::change(db, account_id, current, new).await {
        Ok(user) => user,
        Err(Error::Invalid { field, reason }) => {
            let message = if field == "current_password" {
                "The current password is not right.".to_owned()
            } else {
                format!("The new password {reason}.")
            };
            return Err(PageError::invalid("Change your password", message));
        }
        Err(e) => return Err(e.into()),
    };
    let now = Utc::now();
    if sign_out_others {
        password::sign_out_everywhere(db, account_id, me.browser.session_token(), now).await?;
    }
    if state.settings().sends_mail {
        mail::queue(db, mail::password_changed(Instance::of(state), &user), now).await?;
    }
    Ok(())
}
