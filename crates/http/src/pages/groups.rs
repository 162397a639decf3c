//! `/groups`: this instance's groups on the web app. The list of groups and the
//! form that starts one; a group's page (`/groups/{handle}`) with its description,
//! rules, posts as the viewer may see them, the buttons to join, ask to join or
//! leave, and for members the form that posts to it; its members
//! (`/groups/{handle}/members`, a closed group's for its members only). Its
//! moderators answer join requests, remove and ban members and take posts out from
//! the same pages. Who may see or do what is the domain's to say: these pages ask.

use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::accounts::account;
use staffroom_domain::communities::group::{
    self, Group, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_RULES_CHARS, NewGroup, Policy,
};
use staffroom_domain::graph::follow::{self, Direction};
use staffroom_domain::page::Page;
use staffroom_domain::timelines::group::group as group_posts;
use staffroom_domain::visibility;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::{groups, relationships};

use super::ButtonForm;
use super::compose::ComposeForm;
use super::layout::Section;
use super::post_view::{Author, PostView};
use super::profile::Profile;
use super::session::{SignedIn, sign_in_returning_to};
use super::timeline::{PageQuery, Pager};
use super::{Actions, Layout, render, render_again, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::entities::status::account_entities;
use crate::error::{PageError, PageResult};
use crate::path_id::PagePathId;

/// Groups listed on one page of `/groups`.
const GROUPS_PER_PAGE: u64 = 20;
/// The furthest `/groups` pages.
const MAX_GROUPS_OFFSET: u64 = 100_000;
/// Join requests a moderator sees on the group's page at once.
const REQUESTS_SHOWN: u64 = 40;

/// The path of the page that starts a group.
pub const NEW_GROUP: &str = "/groups/new";

/// A group as a list of groups shows it.
pub struct GroupCard {
    pub name: String,
    pub handle: String,
    /// `/groups/{handle}`.
    pub page: String,
    pub closed: bool,
    pub members: u64,
    /// The description as typed, a paragraph a line.
    pub description: Vec<String>,
}

impl GroupCard {
    async fn of(state: &AppState, found: &Group) -> PageResult<Self> {
        Ok(Self {
            name: found.name.clone(),
            handle: found.account.username.clone(),
            page: page_of(&found.account.username),
            closed: found.policy == Policy::Closed,
            members: group::member_count(state.db(), found.account.id).await?,
            description: lines(&found.description),
        })
    }
}

/// `/groups/{handle}`
fn page_of(handle: &str) -> String {
    format!("/groups/{handle}")
}

/// The non-empty lines of `text`.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The local group with the handle `handle`, or 404.
async fn find(state: &AppState, handle: &str) -> PageResult<Group> {
    let found = account::find_local(state.db(), handle)
        .await?
        .ok_or_else(PageError::not_found)?;
    group::of_account(state.db(), &found)
        .await?
        .ok_or_else(PageError::not_found)
}

/// `templates/groups.html`
#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage<'a> {
    layout: Layout<'a>,
    groups: Vec<GroupCard>,
    signed_in: bool,
    newer: Option<String>,
    older: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct GroupsQuery {
    offset: Option<String>,
}

/// `GET /groups[?offset=N]`: this instance's groups, oldest first.
pub async fn index(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<GroupsQuery>,
) -> Response {
    let page = async {
        let offset = match query.offset.as_deref().filter(|o| !o.is_empty()) {
            None => 0,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|o| *o <= MAX_GROUPS_OFFSET)
                .ok_or_else(|| {
                    PageError::bad_request("Not a page", "The offset is not a page of groups.")
                })?,
        };
        let found = group::list(state.db(), offset, GROUPS_PER_PAGE).await?;
        let mut groups = Vec::with_capacity(found.len());
        for one in &found {
            groups.push(GroupCard::of(&state, one).await?);
        }
        let shown = GroupsPage {
            layout: browser.layout(&state, Section::Groups),
            signed_in: browser.user.is_some(),
            newer: (offset > 0)
                .then(|| format!("/groups?offset={}", offset.saturating_sub(GROUPS_PER_PAGE))),
            older: (found.len() as u64 >= GROUPS_PER_PAGE)
                .then(|| format!("/groups?offset={}", offset + GROUPS_PER_PAGE)),
            groups,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// How the signed-in person stands towards a group.
#[derive(Debug, Default)]
struct Membership {
    member: bool,
    requested: bool,
    moderator: bool,
}

/// `templates/group.html`
#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    group: GroupCard,
    profile: Profile,
    rules: Vec<String>,
    /// `None` for a visitor who is not signed in.
    membership: Option<Membership>,
    /// The sign-in page that comes back here.
    sign_in: String,
    may_see_members: bool,
    /// Whether the signed-in person moderates the group.
    moderator: bool,
    /// Who asks to join, for a moderator: (person, account id).
    requests: Vec<(Author, i64)>,
    /// The form that posts to the group, for its members.
    compose: Option<ComposeForm<'a>>,
    posts: Vec<PostView>,
    pager: Pager,
    empty: &'static str,
    actions: Option<Actions<'a>>,
}

/// `GET /groups/{handle}`
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Path(handle): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Response {
    let here = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
    let page = group_page(&state, &browser, &handle, &here, &query)
        .await
        .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

async fn group_page(
    state: &AppState,
    browser: &Browser,
    handle: &str,
    here: &str,
    query: &PageQuery,
) -> PageResult<Response> {
    let db = state.db();
    let found = find(state, handle).await?;
    let group_id = found.account.id;
    let me = browser.user.as_ref().map(|user| &user.account);
    let page = query.page()?;
    let posts = group_posts(db, &found, me.map(|m| m.id), page).await?;
    let membership = match me {
        Some(me) => {
            let asked = follow::find(db, me.id, group_id).await?;
            Some(Membership {
                member: asked.as_ref().is_some_and(|f| f.accepted),
                requested: asked.as_ref().is_some_and(|f| !f.accepted),
                moderator: group::is_moderator(db, group_id, me.id).await?,
            })
        }
        None => None,
    };
    let moderator = membership.as_ref().is_some_and(|m| m.moderator);
    let requests = if moderator {
        let waiting = Page {
            limit: Some(REQUESTS_SHOWN),
            ..Page::default()
        };
        let ids: Vec<i64> = follow::requests_page(db, group_id, waiting)
            .await?
            .into_iter()
            .map(|(_, follower)| follower)
            .collect();
        account_entities(db, state.urls(), &ids)
            .await?
            .iter()
            .map(Author::of)
            .zip(ids)
            .collect()
    } else {
        Vec::new()
    };
    let csrf = browser.csrf_token();
    let card = GroupCard::of(state, &found).await?;
    let compose = membership
        .as_ref()
        .filter(|m| m.member)
        .map(|_| ComposeForm::to_group(csrf, &card.page, handle, card.closed));
    let shown = GroupPage {
        layout: browser.layout(state, Section::Groups),
        csrf,
        profile: Profile::load(state, &found.account).await?,
        rules: lines(&found.rules),
        may_see_members: visibility::group::may_see_members(db, &found, me.map(|m| m.id)).await?,
        requests,
        moderator,
        compose,
        pager: Pager::around(&card.page, &page, &posts),
        posts: PostView::load_all(state, &posts, me).await?,
        empty: if card.closed && !membership.as_ref().is_some_and(|m| m.member) {
            "What is written to this group is for its members."
        } else {
            "Nothing has been posted to this group yet."
        },
        actions: me.map(|_| Actions { csrf, here }),
        sign_in: sign_in_returning_to(here),
        membership,
        group: card,
    };
    Ok(render(&shown)?.into_response())
}

/// `templates/group_members.html`
#[derive(Template)]
#[template(path = "group_members.html")]
struct MembersPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    group: GroupCard,
    /// (person, account id, whether they moderate).
    members: Vec<(Author, i64, bool)>,
    moderator: bool,
    older: Option<String>,
}

/// `GET /groups/{handle}/members`: newest member first; a closed group's only to
/// its members (404 to anyone else).
pub async fn members(
    State(state): State<AppState>,
    browser: Browser,
    Path(handle): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let page = async {
        let db = state.db();
        let found = find(&state, &handle).await?;
        let group_id = found.account.id;
        let me = browser.user.as_ref().map(|user| user.account.id);
        if !visibility::group::may_see_members(db, &found, me).await? {
            return Err(PageError::not_found());
        }
        let page = query.page()?;
        let rows = follow::page(db, group_id, Direction::Followers, page).await?;
        let card = GroupCard::of(&state, &found).await?;
        let older = (rows.len() as u64 >= page.limit())
            .then(|| rows.last())
            .flatten()
            .map(|(cursor, _)| format!("{}/members?max_id={cursor}", card.page));
        let ids: Vec<i64> = rows.iter().map(|(_, person)| *person).collect();
        let moderators = group::moderators(db, group_id).await?;
        let members = account_entities(db, state.urls(), &ids)
            .await?
            .iter()
            .map(Author::of)
            .zip(ids)
            .map(|(person, id)| (person, id, moderators.contains(&id)))
            .collect();
        let shown = MembersPage {
            layout: browser.layout(&state, Section::Groups),
            csrf: browser.csrf_token(),
            moderator: me.is_some_and(|me| moderators.contains(&me)),
            group: card,
            members,
            older,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// What a button on a group's pages does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Join,
    Leave,
    Approve(i64),
    Reject(i64),
    Remove(i64),
    Ban(i64),
    TakeOut(i64),
}

/// Does `action` for the signed-in person in the group `handle`, after the form's
/// CSRF check; back to the group's page (or its members for a member's removal).
async fn act(
    state: AppState,
    me: SignedIn,
    handle: String,
    form: ButtonForm,
    action: Action,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let found = find(&state, &handle).await?;
        let account = me.account();
        let federation = state.federation();
        let page = page_of(&found.account.username);
        if !matches!(action, Action::Join | Action::Leave) {
            group::require_moderator(state.db(), &found, account.id).await?;
        }
        match action {
            Action::Join => {
                relationships::follow(&federation, account, &found.account, None).await?;
            }
            Action::Leave => relationships::unfollow(&federation, account, &found.account).await?,
            Action::Approve(id) | Action::Reject(id) => {
                let follower = account::get(state.db(), id).await?;
                let accepted = matches!(action, Action::Approve(_));
                groups::answer_request(&federation, &found.account, &follower, accepted).await?;
            }
            Action::Remove(id) => {
                let member = account::get(state.db(), id).await?;
                if !groups::remove_member(&federation, &found.account, &member).await? {
                    return Err(PageError::not_found());
                }
                return Ok(format!("{page}/members"));
            }
            Action::Ban(id) => {
                let member = account::get(state.db(), id).await?;
                groups::ban(&federation, &found.account, &member).await?;
                return Ok(format!("{page}/members"));
            }
            Action::TakeOut(id) => {
                let shared =
                    find_visible(state.db(), id, Viewer::Account(found.account.id)).await?;
                groups::remove_post(&federation, &found.account, &shared).await?;
            }
        }
        Ok::<_, PageError>(page)
    }
    .await;
    let response = match done {
        Ok(back) => see_other(&back),
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

/// `POST /groups/{handle}/join`: a member at once (open), or a request for the
/// moderators (closed), as following the group's account is.
pub async fn join(
    State(state): State<AppState>,
    me: SignedIn,
    Path(handle): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::Join).await
}

/// `POST /groups/{handle}/leave`: leave, or withdraw a request.
pub async fn leave(
    State(state): State<AppState>,
    me: SignedIn,
    Path(handle): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::Leave).await
}

/// `POST /groups/{handle}/requests/{account_id}/approve` (moderators)
pub async fn approve(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId((handle, id)): PagePathId<(String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::Approve(id)).await
}

/// `POST /groups/{handle}/requests/{account_id}/reject` (moderators)
pub async fn reject(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId((handle, id)): PagePathId<(String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::Reject(id)).await
}

/// `POST /groups/{handle}/members/{account_id}/remove` (moderators)
pub async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId((handle, id)): PagePathId<(String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::Remove(id)).await
}

/// `POST /groups/{handle}/members/{account_id}/ban` (moderators): removed, and
/// refused when asking again.
pub async fn ban(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId((handle, id)): PagePathId<(String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::Ban(id)).await
}

/// `POST /groups/{handle}/posts/{status_id}/remove` (moderators): the group takes
/// the post out, here and at every member's server.
pub async fn take_out(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId((handle, id)): PagePathId<(String, i64)>,
    Form(form): Form<ButtonForm>,
) -> Response {
    act(state, me, handle, form, Action::TakeOut(id)).await
}

/// `templates/group_new.html`
#[derive(Template)]
#[template(path = "group_new.html")]
struct NewGroupPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    form: NewGroupForm,
    error: Option<String>,
    name_limit: usize,
    description_limit: usize,
    rules_limit: usize,
}

/// What the form that starts a group sends.
#[derive(Debug, Default, Deserialize)]
pub struct NewGroupForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
    #[serde(default)]
    policy: String,
}

impl<'a> NewGroupPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn, form: NewGroupForm) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Groups),
            csrf: me.browser.csrf_token(),
            form,
            error: None,
            name_limit: MAX_NAME_CHARS,
            description_limit: MAX_DESCRIPTION_CHARS,
            rules_limit: MAX_RULES_CHARS,
        }
    }
}

/// `GET /groups/new`: the form that starts a group.
pub async fn new_form(State(state): State<AppState>, me: SignedIn) -> Response {
    let form = NewGroupForm {
        policy: Policy::Open.name().to_owned(),
        ..NewGroupForm::default()
    };
    let page = render(&NewGroupPage::of(&state, &me, form))
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// `POST /groups`: starts a group, its maker its first moderator and member; a
/// form with a mistake comes back with what was typed.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<NewGroupForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let made = async {
        let policy = Policy::from_name(&form.policy).ok_or_else(|| {
            PageError::invalid("The group was not made", "Choose open or closed.")
        })?;
        let new = NewGroup {
            handle: form.handle.trim().to_owned(),
            name: form.name.clone(),
            description: form.description.clone(),
            rules: form.rules.clone(),
            policy,
        };
        group::create(state.db(), me.account(), new, Utc::now())
            .await
            .map_err(|error| PageError::from_form("The group was not made", error))
    }
    .await;
    let response = match made {
        Ok(made) => see_other(&page_of(&made.account.username)),
        Err(error) => {
            let mut page = NewGroupPage::of(&state, &me, form);
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}
