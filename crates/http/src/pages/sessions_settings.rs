//! `/settings/sessions`: the signed-in person sees the browsers they are signed in
//! on (user agent, address, when signed in and last used) and the apps they
//! authorised (name, what they may do, when authorised and last used), and ends
//! any session (their own too, which signs them out) or revokes an app's tokens.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::{browser_session, oauth};

use super::layout::Section;
use super::session::SignedIn;
use super::{render, see_other};
use crate::AppState;
use crate::error::PageError;
use crate::path_id::PagePathId;

/// The path of the page.
pub const SESSIONS_SETTINGS: &str = crate::mail::SESSIONS;

/// A signed-in browser, as the page shows it.
struct SessionView {
    id: i64,
    user_agent: String,
    address: String,
    created: String,
    last_used: String,
    current: bool,
}

/// An authorised app, as the page shows it.
struct AppView {
    id: i64,
    name: String,
    scopes: String,
    created: String,
    last_used: String,
}

/// `templates/settings_sessions.html`
#[derive(Template)]
#[template(path = "settings_sessions.html")]
struct SessionsPage<'a> {
    layout: super::Layout<'a>,
    csrf: &'a str,
    sessions: Vec<SessionView>,
    apps: Vec<AppView>,
    /// What was just done.
    notice: Option<&'static str>,
}

/// A moment as the page shows it, in UTC to the minute.
fn when(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y, %H:%M UTC").to_string()
}

/// `GET /settings/sessions[?ended|?revoked]`
pub async fn show(State(state): State<AppState>, me: SignedIn, uri: axum::http::Uri) -> Response {
    let page = async {
        let db = state.db();
        let account_id = me.account().id;
        let now = Utc::now();
        let sessions =
            browser_session::list(db, account_id, me.browser.session_token(), now).await?;
        let apps = oauth::authorised_apps(db, account_id).await?;
        let page = SessionsPage {
            layout: me.browser.layout(&state, Section::Settings),
            csrf: me.browser.csrf_token(),
            sessions: sessions
                .into_iter()
                .map(|s| SessionView {
                    id: s.id,
                    user_agent: s
                        .user_agent
                        .unwrap_or_else(|| "An unknown browser".to_owned()),
                    address: s.address.unwrap_or_else(|| "unknown".to_owned()),
                    created: when(s.created_at),
                    last_used: when(s.last_used_at),
                    current: s.current,
                })
                .collect(),
            apps: apps
                .into_iter()
                .map(|a| AppView {
                    id: a.app_id,
                    name: a.name,
                    scopes: a.scopes.to_string(),
                    created: when(a.created_at),
                    last_used: a.last_used_at.map_or_else(|| "not yet".to_owned(), when),
                })
                .collect(),
            notice: match uri.query() {
                Some("ended") => Some("The session is ended: that browser is signed out."),
                Some("revoked") => Some("The app's access is revoked."),
                _ => None,
            },
        };
        Ok::<_, PageError>(render(&page)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    authenticity_token: Option<String>,
}

/// `POST /settings/sessions/{id}/end`: ends one of the person's sessions; ending
/// the current one signs this browser out.
pub async fn end(
    State(state): State<AppState>,
    mut me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<ActionForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let current = browser_session::list(
        state.db(),
        me.account().id,
        me.browser.session_token(),
        Utc::now(),
    )
    .await
    .map(|sessions| sessions.iter().any(|s| s.id == id && s.current));
    let outcome = match current {
        Ok(true) => me
            .browser
            .sign_out(&state)
            .await
            .map(|()| see_other("/auth/sign_in"))
            .map_err(PageError::from),
        Ok(false) => match browser_session::end_by_id(state.db(), me.account().id, id).await {
            Ok(()) => Ok(see_other(&format!("{SESSIONS_SETTINGS}?ended"))),
            Err(Error::NotFound(_)) => Err(PageError::not_found()),
            Err(e) => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    };
    let response = outcome.unwrap_or_else(|error| error.page(&state));
    me.respond(response)
}

/// `POST /settings/apps/{id}/revoke`: revokes every token the app holds for the
/// person; it must be authorised again to act for them.
pub async fn revoke_app(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<ActionForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response =
        match oauth::revoke_app_for_account(state.db(), me.account().id, id, Utc::now()).await {
            Ok(()) => see_other(&format!("{SESSIONS_SETTINGS}?revoked")),
            Err(Error::NotFound(_)) => PageError::not_found().page(&state),
            Err(e) => PageError::from(e).page(&state),
        };
    me.respond(response)
}
