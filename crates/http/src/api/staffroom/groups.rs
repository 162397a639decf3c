//! `/api/staffroom/v1/groups`: this instance's groups — making and editing them,
//! their members and join requests, and what moderators do. A group is also an
//! account (`group: true`): from a Mastodon app, joining is following it and
//! posting to it is mentioning it.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::communities::group::{self, Group, GroupChange, NewGroup, Policy};
use staffroom_domain::graph::follow::{self, Direction};
use staffroom_domain::visibility;
use staffroom_domain::visibility::post::Viewer;
use staffroom_domain::visibility::post::find_visible;
use staffroom_federation::objects::actor::actor_id;
use staffroom_federation::{groups, relationships};

use crate::AppState;
use crate::api::v1::accounts::{account_entities, respond_accounts, target};
use crate::auth::{Auth, MaybeAuth};
use crate::entities::account::Account;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::params::OffsetPage;

/// How the asker stands towards a group.
#[derive(Debug, Serialize)]
pub struct Membership {
    pub member: bool,
    /// Asked to join a closed group, not yet answered.
    pub requested: bool,
    pub moderator: bool,
}

/// A group as this API shows it.
#[derive(Debug, Serialize)]
pub struct GroupEntity {
    /// The id of the group's account (the same as `account.id`).
    pub id: String,
    /// `handle@domain`: what Mastodon apps look up, follow and mention.
    pub acct: String,
    pub handle: String,
    pub name: String,
    /// As typed.
    pub description: String,
    /// As typed.
    pub rules: String,
    /// `open` or `closed`.
    pub policy: &'static str,
    /// The group's actor (`Group`).
    pub uri: String,
    pub members_count: u64,
    /// Account ids of the moderators.
    pub moderators: Vec<String>,
    pub created_at: String,
    /// The group as a Mastodon account.
    pub account: Account,
    /// Only for a signed-in asker.
    pub membership: Option<Membership>,
}

async fn entity(
    state: &AppState,
    found: &Group,
    viewer: Option<&DomainAccount>,
) -> ApiResult<GroupEntity> {
    let db = state.db();
    let id = found.account.id;
    let account = account_entities(state, &[id])
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    let membership = match viewer {
        Some(me) => {
            let follow = follow::find(db, me.id, id).await?;
            Some(Membership {
                member: follow.as_ref().is_some_and(|f| f.accepted),
                requested: follow.as_ref().is_some_and(|f| !f.accepted),
                moderator: group::is_moderator(db, id, me.id).await?,
            })
        }
        None => None,
    };
    Ok(GroupEntity {
        id: id.to_string(),
        acct: format!("{}@{}", found.account.username, state.urls().domain()),
        handle: found.account.username.clone(),
        name: found.name.clone(),
        description: found.description.clone(),
        rules: found.rules.clone(),
        policy: found.policy.name(),
        uri: actor_id(state.urls(), &found.account),
        members_count: group::member_count(db, id).await?,
        moderators: group::moderators(db, id)
            .await?
            .into_iter()
            .map(|m| m.to_string())
            .collect(),
        created_at: timestamp(found.created_at),
        account,
        membership,
    })
}

/// The local group `id`, or 404.
async fn find(state: &AppState, id: &str) -> ApiResult<Group> {
    let account = target(state, id).await?;
    group::of_account(state.db(), &account)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The signed-in account with `scopes`, and the group `id`, which it moderates.
async fn moderated<'a>(
    state: &AppState,
    auth: &'a Auth,
    scopes: &[&str],
    id: &str,
) -> ApiResult<(&'a DomainAccount, Group)> {
    auth.require(scopes)?;
    let me = auth.account()?;
    let found = find(state, id).await?;
    group::require_moderator(state.db(), &found, me.id).await?;
    Ok((me, found))
}

fn policy(value: Option<&str>) -> ApiResult<Option<Policy>> {
    match value {
        None => Ok(None),
        Some(name) => Policy::from_name(name)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request("policy must be open or closed")),
    }
}

#[derive(Debug, Deserialize)]
pub struct NewGroupBody {
    handle: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
    policy: Option<String>,
}

/// `POST /api/staffroom/v1/groups`: a new group, its maker its first moderator and
/// member.
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(body): FormOrJson<NewGroupBody>,
) -> ApiResult<Json<GroupEntity>> {
    auth.require(&["write"])?;
    let me = auth.account()?;
    let new = NewGroup {
        handle: body.handle,
        name: body.name,
        description: body.description,
        rules: body.rules,
        policy: policy(body.policy.as_deref())?.unwrap_or(Policy::Open),
    };
    let made = group::create(state.db(), me, new, Utc::now()).await?;
    Ok(Json(entity(&state, &made, Some(me)).await?))
}

/// `GET /api/staffroom/v1/groups?offset=&limit=`: this instance's groups, oldest
/// first.
pub async fn list(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<GroupEntity>>> {
    let viewer = auth.viewer(&["read"])?;
    let (offset, limit) = page.read(20, group::MAX_PAGE, 100_000)?;
    let found = group::list(state.db(), offset, limit).await?;
    let mut out = Vec::with_capacity(found.len());
    for one in &found {
        out.push(entity(&state, one, viewer.as_ref()).await?);
    }
    Ok(Json(out))
}

/// `GET /api/staffroom/v1/groups/{id}`
pub async fn show(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupEntity>> {
    let viewer = auth.viewer(&["read"])?;
    let found = find(&state, &id).await?;
    Ok(Json(entity(&state, &found, viewer.as_ref()).await?))
}

#[derive(Debug, Deserialize)]
pub struct GroupChangeBody {
    name: Option<String>,
    description: Option<String>,
    rules: Option<String>,
    policy: Option<String>,
}

/// `PATCH /api/staffroom/v1/groups/{id}` (moderators)
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    FormOrJson(body): FormOrJson<GroupChangeBody>,
) -> ApiResult<Json<GroupEntity>> {
    auth.require(&["write"])?;
    let me = auth.account()?;
    let found = find(&state, &id).await?;
    let change = GroupChange {
        name: body.name,
        description: body.description,
        rules: body.rules,
        policy: policy(body.policy.as_deref())?,
    };
    let changed = group::update(state.db(), &found, me, change).await?;
    Ok(Json(entity(&state, &changed, Some(me)).await?))
}

/// `GET /api/staffroom/v1/groups/{id}/members`: accounts, newest member first
/// (a closed group's only to its members).
pub async fn members(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(id): Path<String>,
    pagination: Pagination,
) -> ApiResult<Response> {
    let viewer = auth.viewer(&["read"])?;
    let found = find(&state, &id).await?;
    if !visibility::group::may_see_members(state.db(), &found, viewer.as_ref().map(|v| v.id))
        .await?
    {
        return Err(ApiError::not_found());
    }
    let rows = follow::page(
        state.db(),
        found.account.id,
        Direction::Followers,
        pagination.page,
    )
    .await?;
    respond_accounts(&state, &pagination, &rows).await
}

/// `GET /api/staffroom/v1/groups/{id}/requests`: who asks to join (moderators).
pub async fn requests(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    pagination: Pagination,
) -> ApiResult<Response> {
    let (_, found) = moderated(&state, &auth, &["read"], &id).await?;
    let rows = follow::requests_page(state.db(), found.account.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

async fn answer(
    state: &AppState,
    auth: &Auth,
    id: &str,
    account_id: &str,
    accepted: bool,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(state, auth, &["write"], id).await?;
    let follower = target(state, account_id).await?;
    let federation = state.federation();
    groups::answer_request(&federation, &found.account, &follower, accepted).await?;
    Ok(Json(entity(state, &found, Some(me)).await?))
}

/// `POST /api/staffroom/v1/groups/{id}/requests/{account_id}/approve` (moderators)
pub async fn approve(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    answer(&state, &auth, &id, &account_id, true).await
}

/// `POST /api/staffroom/v1/groups/{id}/requests/{account_id}/reject` (moderators)
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    answer(&state, &auth, &id, &account_id, false).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/members/{account_id}` (moderators)
pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(&state, &auth, &["write"], &id).await?;
    let member = target(&state, &account_id).await?;
    if !groups::remove_member(&state.federation(), &found.account, &member).await? {
        return Err(ApiError::not_found());
    }
    Ok(Json(entity(&state, &found, Some(me)).await?))
}

/// A moderator names `account_id` a moderator too, or ends their moderation.
async fn change_moderator(
    state: &AppState,
    auth: &Auth,
    id: &str,
    account_id: &str,
    moderates: bool,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(state, auth, &["write"], id).await?;
    let account = target(state, account_id).await?;
    if moderates {
        group::add_moderator(state.db(), &found, me, &account, Utc::now()).await?;
    } else {
        group::remove_moderator(state.db(), &found, me, account.id).await?;
    }
    Ok(Json(entity(state, &found, Some(me)).await?))
}

/// `POST /api/staffroom/v1/groups/{id}/moderators/{account_id}` (moderators): a
/// member of this instance moderates too.
pub async fn add_moderator(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    change_moderator(&state, &auth, &id, &account_id, true).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/moderators/{account_id}` (moderators)
pub async fn remove_moderator(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    change_moderator(&state, &auth, &id, &account_id, false).await
}

/// A moderator bans (or lets back) `account_id`.
async fn change_ban(
    state: &AppState,
    auth: &Auth,
    id: &str,
    account_id: &str,
    banned: bool,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(state, auth, &["write"], id).await?;
    let account = target(state, account_id).await?;
    if group::is_moderator(state.db(), found.account.id, account.id).await? {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "a moderator cannot be banned",
        ));
    }
    let federation = state.federation();
    if banned {
        groups::ban(&federation, &found.account, &account).await?;
    } else {
        groups::unban(&federation, &found.account, &account).await?;
    }
    Ok(Json(entity(state, &found, Some(me)).await?))
}

/// `POST /api/staffroom/v1/groups/{id}/bans/{account_id}` (moderators): removed,
/// and refused when asking to join again.
pub async fn ban(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    change_ban(&state, &auth, &id, &account_id, true).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/bans/{account_id}` (moderators)
pub async fn unban(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    change_ban(&state, &auth, &id, &account_id, false).await
}

/// The signed-in account joins (or leaves) the group `id`, as following (or
/// unfollowing) its account does.
async fn change_membership(
    state: &AppState,
    auth: &Auth,
    id: &str,
    join: bool,
) -> ApiResult<Json<GroupEntity>> {
    auth.require(&["write:follows", "follow"])?;
    let me = auth.account()?;
    let found = find(state, id).await?;
    let federation = state.federation();
    if join {
        relationships::follow(&federation, me, &found.account, None).await?;
    } else {
        relationships::unfollow(&federation, me, &found.account).await?;
    }
    Ok(Json(entity(state, &found, Some(me)).await?))
}

/// `POST /api/staffroom/v1/groups/{id}/join`: a member at once (open), or a request
/// for the moderators (closed).
pub async fn join(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupEntity>> {
    change_membership(&state, &auth, &id, true).await
}

/// `POST /api/staffroom/v1/groups/{id}/leave`
pub async fn leave(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<GroupEntity>> {
    change_membership(&state, &auth, &id, false).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/posts/{status_id}` (moderators): the group
/// takes back its announce of the post, here and at every member's server.
pub async fn remove_post(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, status_id)): Path<(String, String)>,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(&state, &auth, &["write"], &id).await?;
    let status_id: i64 = status_id.parse().map_err(|_| ApiError::not_found())?;
    let shared = find_visible(state.db(), status_id, Viewer::Account(found.account.id)).await?;
    groups::remove_post(&state.federation(), &found.account, &shared).await?;
    Ok(Json(entity(&state, &found, Some(me)).await?))
}
