//! `/settings/delete`: the signed-in person deletes their account for good,
//! giving their password, their username typed again and, when two-factor
//! sign-in is on, a current code. What goes and what stays is the domain's
//! to say; other servers are told. The browser is signed out and shown that the
//! account is gone.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::accounts::account::MAX_USERNAME_CHARS;
use staffroom_domain::accounts::deletion::Confirmation;
use staffroom_federation::Error as FederationError;
use staffroom_federation::deletion;

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, render_again};
use crate::AppState;
use crate::error::PageError;
use crate::mail;

/// The path of the page.
pub const DELETE_SETTINGS: &str = "/settings/delete";

/// The most characters of a two-factor or recovery code.
const MAX_CODE_CHARS: usize = 32;

/// `templates/settings_delete.html`
#[derive(Template)]
#[template(path = "settings_delete.html")]
struct DeletePage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    username: &'a str,
    two_factor: bool,
    error: Option<String>,
    max_password: usize,
    max_username: usize,
}

/// `templates/account_deleted.html`: what the browser sees afterwards.
#[derive(Template)]
#[template(path = "account_deleted.html")]
struct DeletedPage<'a> {
    layout: Layout<'a>,
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    username: Option<String>,
    password: Option<String>,
    code: Option<String>,
    authenticity_token: Option<String>,
}

fn page<'a>(state: &'a AppState, me: &'a SignedIn, error: Option<String>) -> DeletePage<'a> {
    DeletePage {
        layout: me.browser.layout(state, Section::Settings),
        csrf: me.browser.csrf_token(),
        username: &me.account().username,
        two_factor: me.user.two_factor,
        error,
        max_password: MAX_PASSWORD_CHARS,
        max_username: MAX_USERNAME_CHARS,
    }
}

/// `GET /settings/delete`
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Response {
    let response = render(&page(&state, &me, None))
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(response)
}

/// `POST /settings/delete`
pub async fn delete(
    State(state): State<AppState>,
    mut me: SignedIn,
    Form(form): Form<DeleteForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let username = form.username.unwrap_or_default();
    let password = form.password.unwrap_or_default();
    let code = form.code.unwrap_or_default();
    let too_long = |field| {
        Err(FederationError::Domain(Error::Invalid {
            field,
            reason: "is too long".into(),
        }))
    };
    let outcome = if password.chars().count() > MAX_PASSWORD_CHARS {
        too_long("password")
    } else if code.chars().count() > MAX_CODE_CHARS {
        too_long("code")
    } else {
        let confirmation = Confirmation {
            password: &password,
            username: &username,
            code: Some(code.as_str()).filter(|c| !c.trim().is_empty()),
        };
        deletion::delete_own(
            &state.federation(),
            state.media(),
            me.account(),
            confirmation,
        )
        .await
    };
    let response = match outcome {
        Ok(()) => {
            if let Err(e) = mail::after_deletion(&state, &me.user).await {
                tracing::warn!(error = ?e, "the notice of a deleted account could not be queued");
            }
            if let Err(e) = me.browser.sign_out(&state).await {
                tracing::warn!(error = ?e, "the session of a deleted account could not be ended");
            }
            let shown = DeletedPage {
                layout: Layout::new(&state),
            };
            render(&shown)
                .map(IntoResponse::into_response)
                .unwrap_or_else(|error| error.page(&state))
        }
        Err(FederationError::Domain(Error::Invalid { field, .. })) => {
            let message = match field {
                "username" => "The username typed is not yours.",
                "code" if me.user.two_factor => {
                    "The code is not right: type the code your app shows now, or a recovery code."
                }
                _ => "The password is not right.",
            };
            let error = PageError::invalid("Delete your account", message);
            render_again(&state, &page(&state, &me, Some(message.to_owned())), &error)
        }
        Err(e) => PageError::from(e).page(&state),
    };
    me.respond(response)
}
