//! `/tags/{name}`: a hashtag's page (its public posts, from here and from every
//! instance this one hears from), its RSS feed at `/tags/{name}.rss`, and, for
//! ActivityPub, the hashtag's feed actor that other instances subscribe to.

use staffroom_domain::timelines;
use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::communities::hashtag_feed;
use staffroom_domain::posts::compose::normalize_tag;
use staffroom_domain::posts::post::Post;
use staffroom_domain::{page::Page, timelines::public::Scope};

use super::{escape, layout};
use crate::AppState;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::users::actor_if_wanted;

/// Posts shown on a tag's page and in its RSS feed.
const POSTS_SHOWN: u64 = 20;

/// `GET /tags/{name}` (and `/tags/{name}.rss`).
pub async fn show(
    State(state): State<AppState>,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(name) = name.strip_suffix(".rss") {
        return rss(&state, &normalize_tag(name)).await;
    }
    let name = normalize_tag(&name);
    if let Some(feed) = hashtag_feed::local(state.db(), &name).await?
        && let Some(document) = actor_if_wanted(&state, &feed, &method, &uri, &headers).await?
    {
        return Ok(document);
    }
    if crate::activity_json::wanted(&headers) {
        return Err(ApiError::not_found());
    }
    let (posts, authors) = latest(&state, &name).await?;
    let urls = state.urls();
    let title = format!("#{name}");
    let mut body = format!(
        "<h1>{}</h1>\n<p><a href=\"{}\" type=\"application/rss+xml\">RSS</a></p>\n<section class=\"posts\">\n",
        escape(&title),
        escape(&format!("{}.rss", urls.tag(&name))),
    );
    if posts.is_empty() {
        body.push_str("<p>No public posts with this hashtag yet.</p>\n");
    }
    for post in &posts {
        let author = authors.get(&post.account_id);
        body.push_str(&format!(
            "<article class=\"post\"><p class=\"author\">{}</p>{}<p><a href=\"{}\"><time datetime=\"{3}\">{3}</time></a></p></article>\n",
            escape(&author.map(|a| format!("{} (@{})", a.shown_name(), full_acct(&state, a))).unwrap_or_default()),
            post.content,
            escape(&page_of(&state, post, author)),
            timestamp(post.created_at),
        ));
    }
    body.push_str("</section>");
    Ok(layout(&state, &title, &body).into_response())
}

/// The newest public posts with the tag `name`, and their authors.
async fn latest(state: &AppState, name: &str) -> ApiResult<(Vec<Post>, HashMap<i64, Account>)> {
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
async fn rss(state: &AppState, name: &str) -> ApiResult<Response> {
    let (posts, authors) = latest(state, name).await?;
    let urls = state.urls();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n<channel>\n<title>#{}</title>\n<link>{}</link>\n<description>{}</description>\n",
        escape(name),
        escape(&urls.tag(name)),
        escape(&format!(
            "Public posts with #{name} on {}",
            state.settings().title
        )),
    );
    for post in &posts {
        let author = authors.get(&post.account_id);
        let link = page_of(state, post, author);
        xml.push_str(&format!(
            "<item>\n<guid isPermaLink=\"true\">{}</guid>\n<link>{0}</link>\n<pubDate>{}</pubDate>\n<author>{}</author>\n<description>{}</description>\n</item>\n",
            escape(&link),
            post.created_at.to_rfc2822(),
            escape(&author.map(|a| full_acct(state, a)).unwrap_or_default()),
            escape(&post.content),
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}
