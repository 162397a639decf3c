//! `/settings/email`: the signed-in person changes their email address, giving
//! their password. The new address is confirmed by the link mailed to it and
//! only then replaces the old one, which is told of the change. A change that
//! waits can be called off.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::access::email_change;
use staffroom_domain::access::user::{self, MAX_EMAIL_CHARS};

use super::layout::Section;
use super::session::SignedIn;
use super::sign_up::{TokenQuery, expired_link};
use super::{render, render_again, see_other};
use crate::AppState;
use crate::error::PageError;
use crate::mail::{self, Instance};

/// The path of the page.
pub const EMAIL_SETTINGS: &str = "/settings/email";
/// The path of the form that calls off a change waiting for confirmation.
pub const CANCEL_EMAIL_CHANGE: &str = "/settings/email/cancel";

const TITLE: &str = "Change your email address";

/// `templates/settings_email.html`
#[derive(Template)]
#[template(path = "settings_email.html")]
struct EmailPage<'a> {
    layout: super::Layout<'a>,
    csrf: &'a str,
    current: &'a str,
    waiting: Option<String>,
    /// `sent`, `changed` or `cancelled`: what was just done; empty otherwise.
    done: &'a str,
    error: Option<String>,
    typed: &'a str,
    sends_mail: bool,
    max_email: usize,
    max_password: usize,
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    email: Option<String>,
    current_password: Option<String>,
    authenticity_token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    authenticity_token: Option<String>,
}

/// `GET /settings/email[?sent|?changed|?cancelled]`
pub async fn show(State(state): State<AppState>, me: SignedIn, uri: axum::http::Uri) -> Response {
    let done = uri
        .query()
        .filter(|done| ["sent", "changed", "cancelled"].contains(done))
        .unwrap_or_default();
    let response = page(&state, &me, done, None, "")
        .await
        .unwrap_or_else(|error| error.page(&state));
    me.respond(response)
}

async fn page(
    state: &AppState,
    me: &SignedIn,
    done: &str,
    error: Option<&PageError>,
    typed: &str,
) -> Result<Response, PageError> {
    let me_user = user::get(state.db(), me.account().id).await?;
    let page = EmailPage {
        layout: me.browser.layout(state, Section::Settings),
        csrf: me.browser.csrf_token(),
        current: &me_user.email,
        waiting: email_change::waiting(state.db(), me.account().id).await?,
        done,
        error: error.map(|e| e.message().to_owned()),
        typed,
        sends_mail: state.settings().sends_mail,
        max_email: MAX_EMAIL_CHARS,
        max_password: MAX_PASSWORD_CHARS,
    };
    Ok(match error {
        Some(error) => render_again(state, &page, error),
        None => render(&page)?.into_response(),
    })
}

/// `POST /settings/email`: the link goes to the new address.
pub async fn change(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<ChangeForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let typed = form.email.unwrap_or_default();
    let password = form.current_password.unwrap_or_default();
    let response = match request(&state, &me, &typed, &password).await {
        Ok(()) => see_other(&format!("{EMAIL_SETTINGS}?sent")),
        Err(error) if error.status().is_client_error() => {
            let typed: String = typed.chars().take(MAX_EMAIL_CHARS).collect();
            page(&state, &me, "", Some(&error), &typed)
                .await
                .unwrap_or_else(|error| error.page(&state))
        }
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

async fn request(
    state: &AppState,
    me: &SignedIn,
    typed: &str,
    password: &str,
) -> Result<(), PageError> {
    if !state.settings().sends_mail {
        return Err(PageError::forbidden(
            TITLE,
            "This instance sends no mail, so a new address cannot be confirmed. Ask an administrator to change it.",
        ));
    }
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(PageError::invalid(TITLE, "The password is not right."));
    }
    let db = state.db();
    let now = Utc::now();
    let me_user = user::get(db, me.account().id).await?;
    let requested = match email_change::request(db, &me_user, password, typed, now).await {
        Ok(requested) => requested,
        Err(Error::Invalid {
            field: "password",
            reason,
        }) => {
            return Err(PageError::invalid(TITLE, format!("The password {reason}.")));
        }
        Err(Error::Invalid { reason, .. }) => {
            return Err(PageError::invalid(
                TITLE,
                format!("The new address {reason}."),
            ));
        }
        Err(Error::Conflict(message)) => {
            return Err(PageError::invalid(TITLE, capitalised(&message)));
        }
        Err(e) => return Err(e.into()),
    };
    let letter = mail::confirm_new_email(
        Instance::of(state),
        &me_user,
        &requested.new_email,
        &requested.token,
    );
    mail::queue(db, letter, now).await?;
    Ok(())
}

/// `POST /settings/email/cancel`
pub async fn cancel(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<CancelForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response = match email_change::cancel(state.db(), me.account().id).await {
        Ok(()) => see_other(&format!("{EMAIL_SETTINGS}?cancelled")),
        Err(e) => PageError::from(e).page(&state),
    };
    me.respond(response)
}

/// `GET /settings/email/confirm?token=`: the link of the mail sent to the new
/// address. Works without signing in, as the sign-up confirmation does.
pub async fn confirm(State(state): State<AppState>, Query(query): Query<TokenQuery>) -> Response {
    let token = query.token.unwrap_or_default();
    let now = Utc::now();
    let db = state.db();
    let outcome = match email_change::confirm(db, &token, now).await {
        Ok(changed) => match user::get(db, changed.account_id).await {
            Ok(person) => {
                let notice = mail::email_changed(
                    Instance::of(&state),
                    &person,
                    &changed.old_email,
                    &changed.new_email,
                );
                mail::queue(db, notice, now).await.map_err(PageError::from)
            }
            Err(e) => Err(e.into()),
        },
        Err(Error::NotFound(_)) => Err(expired_link()),
        Err(Error::Conflict(message)) => Err(PageError::invalid(TITLE, capitalised(&message))),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(()) => see_other(&format!("{EMAIL_SETTINGS}?changed")),
        Err(error) => error.page(&state),
    }
}

/// `message` as a sentence.
fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}
