//! `/@{username}/{id}`: one post's page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use staffroom_domain::accounts::account::Account;
use staffroom_domain::media;
use staffroom_domain::posts::post::Post;

use super::{Layout, render};
use crate::entities::media_attachment::MediaAttachment;
use crate::entities::timestamp;
use crate::error::{PageError, PageResult};
use crate::users::statuses::{Answer, answer};
use crate::{AppState, activity_json};

/// `templates/post.html`
#[derive(Template)]
#[template(path = "post.html")]
struct PostPage<'a> {
    layout: Layout<'a>,
    name: &'a str,
    profile_url: String,
    content: &'a str,
    pictures: Vec<Picture>,
    published: String,
}

/// A picture of the post: its thumbnail with its alt text, linking to the original.
struct Picture {
    url: String,
    preview_url: String,
    alt: String,
    /// The thumbnail's width and height, when known.
    size: Option<(u32, u32)>,
}

impl From<MediaAttachment> for Picture {
    fn from(attachment: MediaAttachment) -> Self {
        Self {
            size: attachment
                .meta
                .small
                .as_ref()
                .map(|small| (small.width, small.height)),
            alt: attachment.description.unwrap_or_default(),
            url: attachment.url,
            preview_url: attachment.preview_url,
        }
    }
}

/// `GET /@{username}/{id}`: the page, or the `Note` when asked for ActivityPub (as
/// at `/users/{username}/statuses/{id}`, with the API's errors).
pub async fn show(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    match answer(&state, &username, &id, &method, &uri, &headers).await {
        Ok(Answer::Document(document)) => document,
        Ok(Answer::Page(page)) => {
            let (account, post) = *page;
            post_page(&state, &account, &post)
                .await
                .unwrap_or_else(|error| error.page(&state))
        }
        Err(error) if activity_json::wanted(&headers) => error.into_response(),
        Err(error) => PageError::from(error).page(&state),
    }
}

async fn post_page(state: &AppState, account: &Account, post: &Post) -> PageResult<Response> {
    let urls = state.urls();
    let pictures = media::of_post(state.db(), post.id)
        .await?
        .iter()
        .map(|medium| MediaAttachment::new(urls, medium).into())
        .collect();
    let page = PostPage {
        layout: Layout::new(state),
        name: account.shown_name(),
        profile_url: urls.profile(&account.username),
        content: &post.content,
        pictures,
        published: timestamp(post.created_at),
    };
    Ok(render(&page)?.into_response())
}
