//! `/@{username}/{id}`: one post's page.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use staffroom_domain::post::{self, Viewer};
use staffroom_federation::objects::note::local_note;

use super::{escape, layout};
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::users::local_person;
use crate::{AppState, activity_json};

/// `GET /@{username}/{id}`: the page, or the `Note` when asked for ActivityPub.
pub async fn show(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let account = local_person(&state, &username).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let post = post::find_visible(state.db(), id, Viewer::Anonymous).await?;
    if post.account_id != account.id {
        return Err(ApiError::not_found());
    }
    let urls = state.urls();
    if activity_json::wanted(&headers) {
        return Ok(activity_json::respond(&local_note(
            urls, &account, &post, true,
        )));
    }
    let name = account.shown_name();
    let body = format!(
        "<article class=\"post\">\n<p><a href=\"{}\">{}</a></p>\n{}\n<p><time datetime=\"{3}\">{3}</time></p>\n</article>",
        escape(&urls.profile(&account.username)),
        escape(name),
        post.content,
        timestamp(post.created_at),
    );
    Ok(layout(&state, name, &body).into_response())
}
