//! `/@{acct}/{id}`: a post's page, with the thread around it (the posts it answers
//! above, the answers below) and, for a signed-in person, the reply box. A post of
//! another server has its page here too, at `/@user@host/{id}`. Asked for
//! ActivityPub, a local post's URL answers with its `Note`.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use staffroom_domain::accounts::account;
use staffroom_domain::posts::thread;
use staffroom_domain::visibility::post::{Viewer, find_visible};

use super::compose::ComposeForm;
use super::layout::Section;
use super::post_view::PostView;
use super::{Actions, Layout, render};
use crate::AppState;
use crate::activity_json;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};
use crate::path_id::record_id;
use crate::users::statuses::{Answer, answer};

/// `templates/post.html`
#[derive(Template)]
#[template(path = "post.html")]
struct ThreadPage<'a> {
    layout: Layout<'a>,
    /// The post of the page.
    post: PostView,
    /// Its text as written, for the page's description (empty when unknown).
    summary: String,
    ancestors: Vec<PostView>,
    descendants: Vec<PostView>,
    compose: Option<ComposeForm<'a>>,
    actions: Option<Actions<'a>>,
}

/// The most characters of a post's text in the page's description.
const SUMMARY_CHARS: usize = 200;

/// `GET /@{acct}/{id}`: the page, or the `Note` when asked for ActivityPub (as at
/// `/users/{username}/statuses/{id}`, with the API's errors).
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Path((acct, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
) -> Response {
    if activity_json::wanted(&headers) {
        return match answer(&state, &acct, &id, &method, &uri, &headers).await {
            Ok(Answer::Document(document)) => document,
            // A fetch that asks for ActivityPub but is not signed as anyone who may
            // see the post is answered as the API answers.
            Ok(Answer::Page(_)) => PageError::not_found().page(&state),
            Err(error) => error.into_response(),
        };
    }
    let here = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let page = thread_page(&state, &browser, &acct, &id, &here)
        .await
        .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

async fn thread_page(
    state: &AppState,
    browser: &Browser,
    acct: &str,
    id: &str,
    here: &str,
) -> PageResult<Response> {
    let id = record_id(id)?;
    let me = browser.user.as_ref().map(|user| &user.account);
    let viewer = me.map_or(Viewer::Anonymous, |account| Viewer::Account(account.id));
    let db = state.db();
    let post = find_visible(db, id, viewer).await?;
    let author = account::get(db, post.account_id).await?;
    if post.reblog_of_id.is_some() || !author.acct().eq_ignore_ascii_case(acct) {
        return Err(PageError::not_found());
    }
    let (ancestors, descendants) = thread::context(db, &post, viewer).await?;
    // A content warning is all the description says of a post behind one; a
    // post of another server has no text but its HTML, and goes without.
    let summary: String = if post.spoiler_text.is_empty() {
        post.source.as_deref().unwrap_or_default()
    } else {
        &post.spoiler_text
    }
    .chars()
    .take(SUMMARY_CHARS)
    .collect();
    let view = PostView::load_one(state, post, me).await?;
    let csrf = browser.csrf_token();
    let compose = me.map(|me| ComposeForm::reply(csrf, here, &view, &me.acct()));
    let lang = view.language.clone();
    let mut layout = browser.layout(state, Section::Other);
    if let Some(lang) = lang.as_deref() {
        layout.lang = lang;
    }
    let page = ThreadPage {
        ancestors: PostView::load_all(state, &ancestors, me).await?,
        descendants: PostView::load_all(state, &descendants, me).await?,
        compose,
        actions: me.map(|_| Actions { csrf, here }),
        summary,
        post: view,
        layout,
    };
    Ok(render(&page)?.into_response())
}
