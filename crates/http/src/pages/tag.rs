//! `/tags/{name}`: a hashtag's page (its public posts, from here and from every
//! instance this one hears from), its RSS feed at `/tags/{name}.rss`, and, for
//! ActivityPub, the hashtag's feed actor that other instances subscribe to.

use staffroom_domain::timelines;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::communities::hashtag_feed;
use staffroom_domain::posts::compose::normalize_tag;
use staffroom_domain::posts::post::Post;
use staffroom_domain::{page::Page, timelines::public::Scope};

use super::{Layout, PostSummary, render};
use crate::error::{ApiError, ApiResult, PageResult};
use crate::users::actor_if_wanted;
use crate::{AppState, activity_json};

/// Posts shown on a tag's page and in its RSS feed.
const POSTS_SHOWN: u64 = 20;

/// `templates/tag.html`
#[derive(Template)]
#[template(path = "tag.html")]
struct TagPage<'a> {
    layout: Layout<'a>,
    name: &'a str,
    rss_url: String,
    posts: Vec<PostSummary<'a>>,
}

/// `templates/tag_rss.xml`
#[derive(Template)]
#[template(path = "tag_rss.xml")]
struct TagFeed<'a> {
    site: &'a str,
    name: &'a str,
    link: String,
    items: Vec<FeedItem<'a>>,
}

/// A post in the RSS feed.
struct FeedItem<'a> {
    link: String,
    published: String,
    author: String,
    content: &'a str,
}

/// `GET /tags/{name}` (and `/tags/{name}.rss`): the page, or the feed actor when
/// asked for ActivityPub.
pub async fn show(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(name) = name.strip_suffix(".rss") {
        return rss(&state, &normalize_tag(name))
            .await
            .unwrap_or_else(|error| error.page(&state));
    }
    let name = normalize_tag(&name);
    if activity_json::wanted(&headers) {
        return feed_actor(&state, &name, &method, &uri, &headers)
            .await
            .into_response();
    }
    page(&state, &name)
        .await
        .unwrap_or_else(|error| error.page(&state))
}

/// The hashtag's feed actor, for a fetch that asks for ActivityPub.
async fn feed_actor(
    state: &AppState,
    name: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    match hashtag_feed::local(state.db(), name).await? {
        Some(feed) => actor_if_wanted(state, &feed, method, uri, headers)
            .await?
            .ok_or_else(ApiError::not_found),
        None => Err(ApiError::not_found()),
    }
}

async fn page(state: &AppState, name: &str) -> PageResult<Response> {
    let (posts, authors) = latest(state, name).await?;
    let page = TagPage {
        layout: Layout::new(state),
        name,
        rss_url: format!("{}.rss", state.urls().tag(name)),
        posts: posts
            .iter()
            .map(|post| {
                let author = authors.get(&post.account_id);
                PostSummary {
                    author: author
                        .map(|a| format!("{} (@{})", a.shown_name(), full_acct(state, a))),
                    ..PostSummary::new(post, page_of(state, post, author))
                }
            })
            .collect(),
    };
    Ok(render(&page)?.into_response())
}

/// The newest public posts with the tag `name`, and their authors.
async fn latest(state: &AppState, name: &str) -> PageResult<(Vec<Post>, HashMap<i64, Account>)> {
    let page = Page {
        limit: Some(POSTS_SHOWN),
        ..Page::default()
    };
    let posts = timelines::public::tag(state.db(), name, Scope::All, None, page).await?;
    let ids: Vec<i64> = posts.iter().map(|p| p.account_id).collect();
    let authors = account::get_many(state.db(), &ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok((posts, authors))
}

fn full_acct(state: &AppState, account: &Account) -> String {
    match &account.domain {
        Some(_) => account.acct(),
        None => format!("{}@{}", account.username, state.urls().domain()),
    }
}

/// Where a post is read: its page here, or its own page on its server.
fn page_of(state: &AppState, post: &Post, author: Option<&Account>) -> String {
    match (&post.url, &post.uri, author) {
        (Some(url), _, _) => url.clone(),
        (None, Some(uri), _) => uri.clone(),
        (None, None, Some(author)) => state.urls().post_page(&author.username, post.id),
        (None, None, None) => state.urls().tag(""),
    }
}

/// `GET /tags/{name}.rss`: the newest public posts with the tag, as RSS 2.0.
async fn rss(state: &AppState, name: &str) -> PageResult<Response> {
    let (posts, authors) = latest(state, name).await?;
    let feed = TagFeed {
        site: &state.settings().title,
        name,
        link: state.urls().tag(name),
        items: posts
            .iter()
            .map(|post| {
                let author = authors.get(&post.account_id);
                FeedItem {
                    link: page_of(state, post, author),
                    published: post.created_at.to_rfc2822(),
                    author: author.map(|a| full_acct(state, a)).unwrap_or_default(),
                    content: &post.content,
                }
            })
            .collect(),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        feed.render()?,
    )
        .into_response())
}
