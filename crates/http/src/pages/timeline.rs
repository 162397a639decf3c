//! The web app's timelines: `/home` (the signed-in person's, with the compose box
//! on top), `/public/local` (this instance's public posts) and `/public` (every
//! public post this instance knows). Each page holds twenty posts, with links to
//! the older and the newer ones.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::accounts::preferences;
use staffroom_domain::page::Page;
use staffroom_domain::posts::post::Post;
use staffroom_domain::timelines;
use staffroom_domain::timelines::public::Scope;

use super::compose::ComposeForm;
use super::layout::Section;
use super::post_view::PostView;
use super::session::SignedIn;
use super::{Actions, Layout, render};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};

/// Posts on one page of a timeline.
pub const POSTS_PER_PAGE: u64 = 20;

/// Which page of a timeline: older than `max_id`, or just newer than `min_id`.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    max_id: Option<String>,
    min_id: Option<String>,
}

impl PageQuery {
    /// The domain's page, or what is wrong with the address.
    pub fn page(&self) -> PageResult<Page> {
        let id = |name: &str, value: &Option<String>| -> PageResult<Option<i64>> {
            match value.as_deref().filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| {
                    PageError::bad_request("Not a page", format!("The {name} is not a post's id."))
                }),
            }
        };
        Ok(Page {
            max_id: id("max_id", &self.max_id)?,
            min_id: id("min_id", &self.min_id)?,
            since_id: None,
            limit: Some(POSTS_PER_PAGE),
        })
    }
}

/// The links to the next pages of a list of posts.
#[derive(Debug, Default)]
pub struct Pager {
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl Pager {
    /// The links of `path` around `posts`, the page shown for `page`: a newer page
    /// when this is not the first one, an older page when this one is full.
    pub fn around(path: &str, page: &Page, posts: &[Post]) -> Self {
        let (Some(first), Some(last)) = (posts.first(), posts.last()) else {
            // An empty page past either end leads back to the newest posts.
            return Self {
                newer: (page.max_id.is_some() || page.min_id.is_some()).then(|| path.to_owned()),
                older: None,
            };
        };
        let paged = page.max_id.is_some() || page.min_id.is_some();
        let full = posts.len() as u64 >= page.limit();
        Self {
            newer: (paged && (page.max_id.is_some() || full))
                .then(|| format!("{path}?min_id={}", first.id)),
            older: (full || page.min_id.is_some()).then(|| format!("{path}?max_id={}", last.id)),
        }
    }
}

/// `templates/timeline.html`
#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage<'a> {
    layout: Layout<'a>,
    heading: &'static str,
    intro: &'static str,
    empty: &'static str,
    compose: Option<ComposeForm<'a>>,
    posts: Vec<PostView>,
    pager: Pager,
    actions: Option<Actions<'a>>,
}

/// Which public timeline.
#[derive(Debug, Clone, Copy)]
enum Public {
    Local,
    Federated,
}

/// `GET /home`: the posts of the people and groups the signed-in person follows,
/// their own, and the ones that mention them.
pub async fn home(
    State(state): State<AppState>,
    me: SignedIn,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Response {
    let here = uri.path_and_query().map_or("/home", |p| p.as_str());
    let page = async {
        let page = query.page()?;
        let posts = timelines::home::home(state.db(), me.account().id, page).await?;
        let csrf = me.browser.csrf_token();
        let chosen = preferences::get(state.db(), me.account().id).await?;
        let shown = TimelinePage {
            layout: me.browser.layout(&state, Section::Home),
            heading: "Home",
            intro: "Posts of the people and groups you follow, and the ones that mention you.",
            empty: "Nothing here yet. Follow people from the directory or the local timeline and their posts appear here.",
            compose: Some(ComposeForm::new_post(csrf, here, &chosen)),
            pager: Pager::around("/home", &page, &posts),
            posts: PostView::load_all(&state, &posts, Some(me.account())).await?,
            actions: Some(Actions { csrf, here }),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// `GET /public/local`
pub async fn local(
    State(state): State<AppState>,
    browser: Browser,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Response {
    public(state, browser, uri, query, Public::Local).await
}

/// `GET /public`
pub async fn federated(
    State(state): State<AppState>,
    browser: Browser,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Response {
    public(state, browser, uri, query, Public::Federated).await
}

async fn public(
    state: AppState,
    browser: Browser,
    uri: axum::http::Uri,
    query: PageQuery,
    which: Public,
) -> Response {
    let here = uri.path_and_query().map_or("/public", |p| p.as_str());
    let viewer: Option<&Account> = browser.user.as_ref().map(|user| &user.account);
    let page = async {
        let page = query.page()?;
        let (scope, path, section) = match which {
            Public::Local => (Scope::Local, "/public/local", Section::Local),
            Public::Federated => (Scope::All, "/public", Section::Federated),
        };
        let posts =
            timelines::public::public(state.db(), scope, false, viewer.map(|v| v.id), page).await?;
        let (heading, intro, empty) = match which {
            Public::Local => (
                "Local timeline",
                "Public posts of the people on this instance.",
                "No public posts here yet.",
            ),
            Public::Federated => (
                "Federated timeline",
                "Public posts of this instance and of the people it hears from elsewhere.",
                "No public posts yet.",
            ),
        };
        let shown = TimelinePage {
            layout: browser.layout(&state, section),
            heading,
            intro,
            empty,
            compose: None,
            pager: Pager::around(path, &page, &posts),
            posts: PostView::load_all(&state, &posts, viewer).await?,
            actions: viewer.map(|_| Actions {
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
