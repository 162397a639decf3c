//! `/@{username}/{id}`: one post's page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};

use super::{escape, layout};
use crate::AppState;
use crate::entities::timestamp;
use crate::error::ApiResult;
use crate::users::statuses::{Answer, answer};

/// `GET /@{username}/{id}`: the page, or the `Note` when asked for ActivityPub.
pub async fn show(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (account, post) = match answer(&state, &username, &id, &method, &uri, &headers).await? {
        Answer::Document(document) => return Ok(document),
        Answer::Page(page) => *page,
    };
    let urls = state.urls();
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
