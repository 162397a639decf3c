//! `/search?q=...`: the search box's page. People by name or address (an address
//! of another server is looked up there for a signed-in person), hashtags by name,
//! and the post or profile a URL names, each leading to its page here.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::layout::Section;
use super::post_view::{Author, PostView};
use super::{Actions, Layout, render};
use crate::AppState;
use crate::browser::Browser;
use crate::entities::status::account_entity;
use crate::error::PageError;
use crate::search::{MAX_QUERY_CHARS, PostPaging, Wanted, find};

/// Results of each kind on the page.
const RESULTS_SHOWN: u64 = 20;

/// `templates/search.html`
#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    layout: Layout<'a>,
    q: &'a str,
    max_chars: usize,
    /// Whether anything was asked.
    asked: bool,
    people: Vec<Author>,
    hashtags: Vec<String>,
    posts: Vec<PostView>,
    actions: Option<Actions<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// `GET /search[?q=...]`
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<SearchQuery>,
) -> Response {
    let here = uri.path_and_query().map_or("/search", |p| p.as_str());
    let q = query.q.as_deref().unwrap_or_default().trim();
    let me = browser.user.as_ref().map(|user| &user.account);
    let page = async {
        let found = find(
            &state,
            me,
            q,
            Wanted::ALL,
            RESULTS_SHOWN,
            true,
            PostPaging::default(),
        )
        .await?;
        let mut people = Vec::new();
        for account in &found.accounts {
            people.push(Author::of(
                &account_entity(state.db(), state.urls(), account).await?,
            ));
        }
        let shown = SearchPage {
            layout: browser.layout(&state, Section::Search),
            q,
            max_chars: MAX_QUERY_CHARS,
            asked: !q.is_empty(),
            people,
            hashtags: found.hashtags.into_iter().map(|tag| tag.name).collect(),
            posts: PostView::load_all(&state, &found.posts, me).await?,
            actions: me.map(|_| Actions {
                csrf: browser.csrf_token(),
                here,
            }),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}
