//! `/lists`: the signed-in person's lists on the web app, with the forms that make,
//! rename and delete them; and a list's page (`/lists/{id}`): its timeline, paged
//! like home, with its members and the forms that add the accounts they follow and
//! take them out. Someone else's list is not found. Which posts a list shows and
//! who may be in it are the domain's to say.

use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::graph::follow::{self, Direction};
use staffroom_domain::lists::list::{self, ListChanges, MAX_TITLE_CHARS, RepliesPolicy};
use staffroom_domain::lists::member;
use staffroom_domain::page::{MAX_LIMIT, Page};
use staffroom_domain::timelines;

use super::ButtonForm;
use super::layout::Section;
use super::post_view::{Author, PostView};
use super::session::SignedIn;
use super::timeline::{PageQuery, Pager};
use super::{Actions, Layout, render, see_other};
use crate::AppState;
use crate::entities::status::account_entities;
use crate::error::{PageError, PageResult};
use crate::path_id::PagePathId;

/// The most followed accounts the form that adds to a list offers.
const FOLLOWED_OFFERED: u64 = 200;

/// `/lists/{id}`
fn page_of(id: i64) -> String {
    format!("/lists/{id}")
}

/// A list as the pages show it.
pub struct ListCard {
    pub id: i64,
    pub title: String,
    /// `/lists/{id}`.
    pub page: String,
    /// The replies policy's name.
    pub replies_policy: &'static str,
    pub exclusive: bool,
}

impl From<list::List> for ListCard {
    fn from(found: list::List) -> Self {
        Self {
            id: found.id,
            page: page_of(found.id),
            title: found.title,
            replies_policy: found.replies_policy.name(),
            exclusive: found.exclusive,
        }
    }
}

/// `templates/lists.html`
#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    lists: Vec<ListCard>,
    title_limit: usize,
}

/// `GET /lists`
pub async fn index(State(state): State<AppState>, me: SignedIn) -> Response {
    let page = async {
        let lists = list::all(state.db(), me.account().id).await?;
        let shown = ListsPage {
            layout: me.browser.layout(&state, Section::Lists),
            csrf: me.browser.csrf_token(),
            lists: lists.into_iter().map(ListCard::from).collect(),
            title_limit: MAX_TITLE_CHARS,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// The form that makes or renames a list.
#[derive(Debug, Deserialize)]
pub struct ListForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    title: String,
    replies_policy: Option<String>,
    exclusive: Option<String>,
}

impl ListForm {
    fn policy(&self) -> PageResult<RepliesPolicy> {
        match self.replies_policy.as_deref().filter(|p| !p.is_empty()) {
            None => Ok(RepliesPolicy::default()),
            Some(name) => RepliesPolicy::from_name(name).ok_or_else(|| {
                PageError::invalid(
                    "Not a replies policy",
                    "Choose which replies the list shows.",
                )
            }),
        }
    }
}

/// `POST /lists`: makes a list, and shows it.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<ListForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let made = list::create(
            state.db(),
            me.account().id,
            &form.title,
            form.policy()?,
            form.exclusive.is_some(),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::from_form("The list was not made", e))?;
        Ok::<_, PageError>(page_of(made.id))
    }
    .await;
    finish(&state, me, done)
}

/// `POST /lists/{id}/update`: renames a list and sets its policies.
pub async fn update(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<ListForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let changes = ListChanges {
            replies_policy: Some(form.policy()?),
            exclusive: Some(form.exclusive.is_some()),
            title: Some(form.title),
        };
        list::update(state.db(), me.account().id, id, changes)
            .await
            .map_err(|e| PageError::from_form("The list was not changed", e))?;
        Ok::<_, PageError>(page_of(id))
    }
    .await;
    finish(&state, me, done)
}

/// `POST /lists/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<ButtonForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        list::delete(state.db(), me.account().id, id).await?;
        Ok::<_, PageError>("/lists".to_owned())
    }
    .await;
    finish(&state, me, done)
}

/// The form that adds an account to a list.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    account_id: String,
}

/// `POST /lists/{id}/accounts`: adds an account the person follows.
pub async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<AddForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let account_id = form.account_id.trim().parse::<i64>().map_err(|_| {
            PageError::invalid("No account chosen", "Choose an account you follow.")
        })?;
        member::add(state.db(), me.account().id, id, &[account_id], Utc::now())
            .await
            .map_err(|e| PageError::from_form("The account was not added", e))?;
        Ok::<_, PageError>(page_of(id))
    }
    .await;
    finish(&state, me, done)
}

/// `POST /lists/{id}/accounts/{account_id}/remove`
pub async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId((id, account_id)): PagePathId<(i64, i64)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        member::remove(state.db(), me.account().id, id, &[account_id]).await?;
        Ok::<_, PageError>(page_of(id))
    }
    .await;
    finish(&state, me, done)
}

/// Sends the browser on to the page `done` names, or shows what went wrong.
fn finish(state: &AppState, me: SignedIn, done: PageResult<String>) -> Response {
    let response = match done {
        Ok(back) => see_other(&back),
        Err(error) => error.page(state),
    };
    me.respond(response)
}

/// An account the form can add: (id, `acct`).
pub struct Followed {
    pub id: i64,
    pub acct: String,
}

/// `templates/list.html`
#[derive(Template)]
#[template(path = "list.html")]
struct ListPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    list: ListCard,
    title_limit: usize,
    /// Its newest members: (person, account id).
    members: Vec<(Author, i64)>,
    /// The accounts the person follows that are not in it yet.
    followed: Vec<Followed>,
    posts: Vec<PostView>,
    pager: Pager,
    empty: &'static str,
    actions: Option<Actions<'a>>,
}

/// `GET /lists/{id}`: the list's posts, its members and the forms that change them.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Response {
    let here = uri
        .path_and_query()
        .map_or_else(|| page_of(id), |p| p.as_str().to_owned());
    let page = async {
        let db = state.db();
        let account = me.account();
        let found = list::find(db, account.id, id).await?;
        let page = query.page()?;
        let posts = timelines::list::list(db, account.id, id, page).await?;
        let rows = member::page(
            db,
            account.id,
            id,
            Page {
                limit: Some(MAX_LIMIT),
                ..Page::default()
            },
        )
        .await?;
        let ids: Vec<i64> = rows.iter().map(|(_, person)| *person).collect();
        let members: Vec<(Author, i64)> = account_entities(db, state.urls(), &ids)
            .await?
            .iter()
            .map(Author::of)
            .zip(ids.iter().copied())
            .collect();
        let followed = follow::list(db, account.id, Direction::Following, 0, FOLLOWED_OFFERED)
            .await?
            .into_iter()
            .filter(|followed| !ids.contains(&followed.id))
            .map(|followed| Followed {
                id: followed.id,
                acct: followed.acct(),
            })
            .collect();
        let csrf = me.browser.csrf_token();
        let list_page = page_of(found.id);
        let shown = ListPage {
            layout: me.browser.layout(&state, Section::Lists),
            csrf,
            title_limit: MAX_TITLE_CHARS,
            members,
            followed,
            pager: Pager::around(&list_page, &page, &posts),
            posts: PostView::load_all(&state, &posts, Some(account)).await?,
            empty: "No posts here yet. Add people you follow and their posts appear here.",
            actions: Some(Actions { csrf, here: &here }),
            list: found.into(),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}
