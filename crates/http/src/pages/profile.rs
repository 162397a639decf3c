//! `/@{username}`: a person's profile page and their public posts.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use staffroom_domain::timelines;

use super::{escape, layout};
use crate::AppState;
use crate::entities::timestamp;
use crate::error::ApiResult;
use crate::users::{actor_if_wanted, local_person};

/// Posts shown on a profile page.
const POSTS_SHOWN: u64 = 20;

/// `GET /@{username}`: the page, or the actor document when asked for ActivityPub.
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let account = local_person(&state, &username).await?;
    if let Some(document) = actor_if_wanted(&state, &account, &method, &uri, &headers).await? {
        return Ok(document);
    }
    let posts =
        timelines::account::public_by_account(state.db(), account.id, None, POSTS_SHOWN).await?;
    let urls = state.urls();
    let name = account.shown_name();
    let mut body = format!(
        "<article class=\"profile\">\n<h1>{}</h1>\n<p class=\"handle\">@{}@{}</p>\n<div class=\"note\">{}</div>\n</article>\n<section class=\"posts\">\n",
        escape(name),
        escape(&account.username),
        escape(urls.domain()),
        account.note,
    );
    for post in &posts {
        body.push_str(&format!(
            "<article class=\"post\">{}<p><a href=\"{}\"><time datetime=\"{2}\">{2}</time></a></p></article>\n",
            post.content,
            escape(&urls.post_page(&account.username, post.id)),
            timestamp(post.created_at),
        ));
    }
    body.push_str("</section>");
    Ok(layout(&state, name, &body).into_response())
}
