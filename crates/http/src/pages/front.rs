//! `/`: the instance's front page: what it is, and the challenges running now.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use staffroom_domain::communities::challenge;

use super::{escape, layout};
use crate::AppState;
use crate::error::ApiResult;

/// `GET /`
pub async fn show(State(state): State<AppState>) -> ApiResult<Response> {
    let settings = state.settings();
    let urls = state.urls();
    let mut body = format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        escape(&settings.title),
        escape(&settings.description),
    );
    let current = challenge::current(state.db(), Utc::now()).await?;
    if !current.is_empty() {
        body.push_str("<section class=\"challenges\">\n<h2>Current challenges</h2>\n");
    }
    for running in &current {
        body.push_str(&format!(
            "<article class=\"challenge\">\n<h3>{}</h3>\n<p class=\"run-by\">{} · {} to {}</p>\n{}\n<p><a href=\"{}\">Read and join the discussion: #{}</a></p>\n</article>\n",
            escape(&running.title),
            escape(&running.run_by),
            running.starts_at.format("%-d %B %Y"),
            (running.ends_at - chrono::TimeDelta::seconds(1)).format("%-d %B %Y"),
            running.description_html(),
            escape(&urls.tag(&running.hashtag)),
            escape(&running.hashtag),
        ));
    }
    if !current.is_empty() {
        body.push_str("</section>\n");
    }
    body.push_str(
        "<p><a href=\"/auth/sign_in\">Sign in</a> · <a href=\"/auth/sign_up\">Sign up</a></p>\n",
    );
    Ok(layout(&state, &settings.title, &body).into_response())
}
