//! `/@{username}/{id}`: one post's page.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};

use staffroom_domain::media;

use super::{escape, layout};
use crate::AppState;
use crate::entities::media_attachment::MediaAttachment;
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
    let pictures: String = media::of_post(state.db(), post.id)
        .await?
        .iter()
        .map(|medium| MediaAttachment::new(urls, medium))
        .map(|picture| figure(&picture))
        .collect();
    let body = format!(
        "<article class=\"post\">\n<p><a href=\"{}\">{}</a></p>\n{}\n{}<p><time datetime=\"{4}\">{4}</time></p>\n</article>",
        escape(&urls.profile(&account.username)),
        escape(name),
        post.content,
        pictures,
        timestamp(post.created_at),
    );
    Ok(layout(&state, name, &body).into_response())
}

/// A picture of the post: its thumbnail with its alt text, linking to the original.
fn figure(picture: &MediaAttachment) -> String {
    let size = picture
        .meta
        .small
        .as_ref()
        .map(|small| format!(" width=\"{}\" height=\"{}\"", small.width, small.height))
        .unwrap_or_default();
    format!(
        "<figure><a href=\"{}\"><img src=\"{}\" alt=\"{}\"{size}></a></figure>\n",
        escape(&picture.url),
        escape(&picture.preview_url),
        escape(picture.description.as_deref().unwrap_or_default()),
    )
}
