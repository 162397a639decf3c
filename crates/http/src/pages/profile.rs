//! `/@{username}`: a person's profile page and their public posts.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use staffroom_domain::timelines;

use super::{Layout, PostSummary, render};
use crate::AppState;
use crate::error::PageResult;
use crate::signed_fetch::PageOrDocument;
use crate::users::{self, local_person};

/// Posts shown on a profile page.
const POSTS_SHOWN: u64 = 20;

/// `templates/profile.html`
#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    layout: Layout<'a>,
    name: &'a str,
    username: &'a str,
    domain: &'a str,
    note: &'a str,
    posts: Vec<PostSummary<'a>>,
}

/// `GET /@{username}`: the page, or the actor document when asked for ActivityPub
/// (as at `/users/{username}`).
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    asked: PageOrDocument,
) -> Response {
    match asked {
        PageOrDocument::Page => page(&state, &username)
            .await
            .unwrap_or_else(|error| error.page(&state)),
        document => users::show(State(state), Path(username), document)
            .await
            .into_response(),
    }
}

async fn page(state: &AppState, username: &str) -> PageResult<Response> {
    let account = local_person(state, username).await?;
    let posts =
        timelines::account::public_by_account(state.db(), account.id, None, POSTS_SHOWN).await?;
    let urls = state.urls();
    let page = ProfilePage {
        layout: Layout::new(state),
        name: account.shown_name(),
        username: &account.username,
        domain: urls.domain(),
        note: &account.note,
        posts: posts
            .iter()
            .map(|post| PostSummary::new(post, urls.post_page(&account.username, post.id)))
            .collect(),
    };
    Ok(render(&page)?.into_response())
}
