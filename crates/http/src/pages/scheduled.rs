//! `/scheduled`: the signed-in person's posts waiting to be published, soonest
//! first, each with its time and a button that calls it off
//! (`/scheduled/{id}/cancel`). They are written on the compose form, with a time.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use staffroom_domain::page::{MAX_LIMIT, Page};
use staffroom_domain::posts::scheduled::{self, Scheduled};

use super::ButtonForm;
use super::layout::Section;
use super::post_view::{readable_time, visibility_label};
use super::session::SignedIn;
use super::{Layout, render, see_other};
use crate::AppState;
use crate::error::PageError;
use crate::path_id::PagePathId;

/// The page's address.
pub const PAGE: &str = "/scheduled";

/// A waiting post as the page shows it.
pub struct Waiting {
    pub id: i64,
    /// When it is published, in UTC as the pages write moments.
    pub when: String,
    pub when_iso: String,
    pub visibility: &'static str,
    pub text: String,
    pub spoiler_text: String,
    pub media: usize,
    pub poll: bool,
}

impl From<&Scheduled> for Waiting {
    fn from(found: &Scheduled) -> Self {
        Self {
            id: found.id,
            when: readable_time(&found.scheduled_at.to_rfc3339()),
            when_iso: found.scheduled_at.to_rfc3339(),
            visibility: visibility_label(found.draft.visibility().name()),
            text: found.draft.text.clone(),
            spoiler_text: found.draft.spoiler_text.clone(),
            media: found.media.len(),
            poll: found.draft.poll.is_some(),
        }
    }
}

/// `templates/scheduled.html`
#[derive(Template)]
#[template(path = "scheduled.html")]
struct ScheduledPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    waiting: Vec<Waiting>,
}

/// `GET /scheduled`
pub async fn index(State(state): State<AppState>, me: SignedIn) -> Response {
    let page = async {
        // Everything one person may have waiting fits in one read.
        let all = Page {
            limit: Some(MAX_LIMIT),
            ..Page::default()
        };
        let mut found = Vec::new();
        let mut next = all;
        loop {
            let batch = scheduled::list(state.db(), me.account().id, &next).await?;
            let done = (batch.len() as u64) < next.limit();
            next.max_id = batch.last().map(|s| s.id);
            found.extend(batch);
            if done || found.len() as u64 >= scheduled::MAX_PER_ACCOUNT {
                break;
            }
        }
        found.sort_by_key(|s| s.scheduled_at);
        let shown = ScheduledPage {
            layout: me.browser.layout(&state, Section::Compose),
            csrf: me.browser.csrf_token(),
            waiting: found.iter().map(Waiting::from).collect(),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// `POST /scheduled/{id}/cancel`: called off, back to the list.
pub async fn cancel(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<ButtonForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response = match scheduled::cancel(state.db(), me.account().id, id).await {
        Ok(()) => see_other(PAGE),
        Err(error) => PageError::from(error).page(&state),
    };
    me.respond(response)
}
