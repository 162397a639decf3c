//! `/account/suspended`: what a suspended person signed in on the pages sees
//! instead of any other page (see `browser::Browser`): that they are
//! suspended, why, when their account will be deleted, and the two pages they
//! may still use, their archive and the deletion of their account.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use staffroom_domain::moderation::local_suspension::{self, RETENTION};

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, see_other};
use crate::AppState;
use crate::error::PageError;

pub use crate::browser::SUSPENDED_PAGE;

/// `templates/account_suspended.html`
#[derive(Template)]
#[template(path = "account_suspended.html")]
struct SuspendedPage<'a> {
    layout: Layout<'a>,
    suspended_on: String,
    erased_on: String,
    reason: String,
}

/// `GET /account/suspended`; anyone not suspended is sent home.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Response {
    let (at, reason) = match local_suspension::find(state.db(), me.account().id).await {
        Ok(Some(found)) => found,
        Ok(None) => return me.respond(see_other("/home")),
        Err(e) => return me.respond(PageError::from(e).page(&state)),
    };
    let page = SuspendedPage {
        layout: me.browser.layout(&state, Section::Settings),
        suspended_on: at.format("%-d %B %Y").to_string(),
        erased_on: (at + RETENTION).format("%-d %B %Y").to_string(),
        reason,
    };
    let response = match render(&page) {
        Ok(html) => html.into_response(),
        Err(error) => error.page(&state),
    };
    me.respond(response)
}
