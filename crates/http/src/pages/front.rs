//! `/`: the instance's front page: what it is, and the challenges running now.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use staffroom_domain::communities::challenge::{self, Challenge};

use super::{Layout, render};
use crate::AppState;
use crate::error::PageResult;

/// `templates/front.html`
#[derive(Template)]
#[template(path = "front.html")]
struct FrontPage<'a> {
    layout: Layout<'a>,
    description: &'a str,
    challenges: Vec<ChallengeSummary<'a>>,
}

/// A challenge as the front page shows it.
struct ChallengeSummary<'a> {
    title: &'a str,
    /// Its page.
    url: String,
    run_by: &'a str,
    starts: String,
    /// Its last day (it ends at the start of the next).
    ends: String,
    description_html: String,
    tag_url: String,
    hashtag: &'a str,
}

impl<'a> ChallengeSummary<'a> {
    fn new(state: &AppState, running: &'a Challenge) -> Self {
        Self {
            title: &running.title,
            url: format!("/challenges/{}", running.id),
            run_by: &running.run_by,
            starts: running.starts_at.format("%-d %B %Y").to_string(),
            ends: (running.ends_at - TimeDelta::seconds(1))
                .format("%-d %B %Y")
                .to_string(),
            description_html: running.description_html(),
            tag_url: state.urls().tag(&running.hashtag),
            hashtag: &running.hashtag,
        }
    }
}

/// `GET /`
pub async fn show(State(state): State<AppState>) -> Response {
    page(&state)
        .await
        .unwrap_or_else(|error| error.page(&state))
}

async fn page(state: &AppState) -> PageResult<Response> {
    let current = challenge::current(state.db(), Utc::now()).await?;
    let page = FrontPage {
        layout: Layout::new(state),
        description: &state.settings().description,
        challenges: current
            .iter()
            .map(|running| ChallengeSummary::new(state, running))
            .collect(),
    };
    Ok(render(&page)?.into_response())
}
