//! `/api/staffroom/v1/groups`: this instance's groups — making and editing them,
//! their members and join requests, and what moderators do. A group is also an
//! account (`group: true`): from a Mastodon app, joining is following it and
//! posting to it is mentioning it.

use axum::Json;
use axum::extract::{Query, State};
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

use utoipa::ToSchema;

use super::openapi::{
    self, ErrorBody, GroupModeratorRefusals, MastodonAccount, OffsetParams, PageCursors,
};
use crate::AppState;
use crate::api::v1::accounts::{account_entities, respond_accounts, target};
use crate::auth::{Auth, MaybeAuth};
use crate::entities::account::Account;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::params::OffsetPage;
use crate::path_id::PathId;

/// How the asker stands towards a group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = GroupMembership)]
pub struct Membership {
    pub member: bool,
    /// Asked to join a closed group, not yet answered.
    pub requested: bool,
    pub moderator: bool,
}

/// A group as this API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Group)]
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
    #[schema(schema_with = openapi::group_policy)]
    pub policy: &'static str,
    /// The group's actor (`Group`).
    #[schema(format = "uri")]
    pub uri: String,
    pub members_count: u64,
    /// Account ids of the moderators.
    pub moderators: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The group as a Mastodon account (`group: true`).
    #[schema(value_type = MastodonAccount)]
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
async fn find(state: &AppState, id: i64) -> ApiResult<Group> {
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
    id: i64,
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

/// A new group.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = NewGroup)]
pub struct NewGroupBody {
    /// The username of the group's account.
    handle: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    rules: String,
    /// `open` when left out.
    #[schema(schema_with = openapi::group_policy)]
    policy: Option<String>,
}

/// `POST /api/staffroom/v1/groups`: a new group, its maker its first moderator and
/// member.
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups",
    operation_id = "createGroup",
    summary = "Make a group; its maker is its first moderator and member.",
    request_body(content((NewGroupBody = "application/json"), (NewGroupBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The group.", body = GroupEntity),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token may not write, or the account may not do this (moderators only).", body = ErrorBody),
        (status = 409, description = "The handle is taken.", body = ErrorBody),
        (status = 422, description = "A value is not acceptable.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
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
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/groups",
    operation_id = "listGroups",
    summary = "This instance's groups, oldest first.",
    params(OffsetParams),
    responses(
        (status = 200, description = "The groups.", body = Vec<GroupEntity>),
        (status = 400, description = "offset or limit is not a number.", body = ErrorBody),
    ),
)]
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
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/groups/{id}",
    operation_id = "showGroup",
    summary = "Show a group.",
    params(("id" = String, Path, description = "The group's id (its account's).")),
    responses(
        (status = 200, description = "The group.", body = GroupEntity),
        (status = 404, description = "No such group (or a closed group the asker may not see).", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<GroupEntity>> {
    let viewer = auth.viewer(&["read"])?;
    let found = find(&state, id).await?;
    Ok(Json(entity(&state, &found, viewer.as_ref()).await?))
}

/// Changes to a group; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = GroupChange)]
pub struct GroupChangeBody {
    name: Option<String>,
    description: Option<String>,
    #[schema(max_length = 5000)]
    rules: Option<String>,
    #[schema(schema_with = openapi::group_policy)]
    policy: Option<String>,
}

/// `PATCH /api/staffroom/v1/groups/{id}` (moderators)
#[utoipa::path(
    patch,
    path = "/api/staffroom/v1/groups/{id}",
    operation_id = "updateGroup",
    summary = "Change a group (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's).")),
    request_body(content((GroupChangeBody = "application/json"), (GroupChangeBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
        (status = 422, description = "A value is not acceptable.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(body): FormOrJson<GroupChangeBody>,
) -> ApiResult<Json<GroupEntity>> {
    auth.require(&["write"])?;
    let me = auth.account()?;
    let found = find(&state, id).await?;
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
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/groups/{id}/members",
    operation_id = "groupMembers",
    summary = "The members, newest first (a closed group's only to its members).",
    params(("id" = String, Path, description = "The group's id (its account's)."), PageCursors),
    responses(
        (status = 200, description = "Mastodon accounts, with a Link header.", body = Vec<MastodonAccount>),
        (status = 404, description = "No such group (or a closed group the asker may not see).", body = ErrorBody),
    ),
)]
pub async fn members(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    let viewer = auth.viewer(&["read"])?;
    let found = find(&state, id).await?;
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
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/groups/{id}/requests",
    operation_id = "groupRequests",
    summary = "Who asks to join (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's)."), PageCursors),
    responses(
        (status = 200, description = "Mastodon accounts, with a Link header.", body = Vec<MastodonAccount>),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token may not read, or the account is not a moderator.", body = ErrorBody),
        (status = 404, description = "No such group (or a closed group the asker may not see).", body = ErrorBody),
    ),
    security(("bearer" = ["read"])),
)]
pub async fn requests(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    let (_, found) = moderated(&state, &auth, &["read"], id).await?;
    let rows = follow::requests_page(state.db(), found.account.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

async fn answer(
    state: &AppState,
    auth: &Auth,
    id: i64,
    account_id: i64,
    accepted: bool,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(state, auth, &["write"], id).await?;
    let follower = target(state, account_id).await?;
    let federation = state.federation();
    groups::answer_request(&federation, &found.account, &follower, accepted).await?;
    Ok(Json(entity(state, &found, Some(me)).await?))
}

/// `POST /api/staffroom/v1/groups/{id}/requests/{account_id}/approve` (moderators)
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups/{id}/requests/{account_id}/approve",
    operation_id = "approveGroupRequest",
    summary = "Approve a request to join (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn approve(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    answer(&state, &auth, id, account_id, true).await
}

/// `POST /api/staffroom/v1/groups/{id}/requests/{account_id}/reject` (moderators)
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups/{id}/requests/{account_id}/reject",
    operation_id = "rejectGroupRequest",
    summary = "Reject a request to join (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    answer(&state, &auth, id, account_id, false).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/members/{account_id}` (moderators)
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/groups/{id}/members/{account_id}",
    operation_id = "removeGroupMember",
    summary = "Remove a member (moderators); a Reject is sent to a remote member's server.",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(&state, &auth, &["write"], id).await?;
    let member = target(&state, account_id).await?;
    if !groups::remove_member(&state.federation(), &found.account, &member).await? {
        return Err(ApiError::not_found());
    }
    Ok(Json(entity(&state, &found, Some(me)).await?))
}

/// A moderator names `account_id` a moderator too, or ends their moderation.
async fn change_moderator(
    state: &AppState,
    auth: &Auth,
    id: i64,
    account_id: i64,
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
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups/{id}/moderators/{account_id}",
    operation_id = "addGroupModerator",
    summary = "Make a member a moderator (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn add_moderator(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    change_moderator(&state, &auth, id, account_id, true).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/moderators/{account_id}` (moderators)
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/groups/{id}/moderators/{account_id}",
    operation_id = "removeGroupModerator",
    summary = "Stop a moderator moderating (moderators; a group keeps at least one).",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn remove_moderator(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    change_moderator(&state, &auth, id, account_id, false).await
}

/// A moderator bans (or lets back) `account_id`.
async fn change_ban(
    state: &AppState,
    auth: &Auth,
    id: i64,
    account_id: i64,
    banned: bool,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(state, auth, &["write"], id).await?;
    let account = target(state, account_id).await?;
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
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups/{id}/bans/{account_id}",
    operation_id = "banFromGroup",
    summary = "Ban an account: removed, and refused when asking to join again (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
        (status = 422, description = "A moderator cannot be banned.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn ban(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    change_ban(&state, &auth, id, account_id, true).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/bans/{account_id}` (moderators)
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/groups/{id}/bans/{account_id}",
    operation_id = "unbanFromGroup",
    summary = "Lift a ban (moderators).",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("account_id" = String, Path, description = "An account id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn unban(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    change_ban(&state, &auth, id, account_id, false).await
}

/// The signed-in account joins (or leaves) the group `id`, as following (or
/// unfollowing) its account does.
async fn change_membership(
    state: &AppState,
    auth: &Auth,
    id: i64,
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
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups/{id}/join",
    operation_id = "joinGroup",
    summary = "Join: a member at once (open), or a request for the moderators (closed). The same as following the group's account.",
    params(("id" = String, Path, description = "The group's id (its account's).")),
    responses(
        (status = 200, description = "The group, with the asker's membership.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn join(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<GroupEntity>> {
    change_membership(&state, &auth, id, true).await
}

/// `POST /api/staffroom/v1/groups/{id}/leave`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/groups/{id}/leave",
    operation_id = "leaveGroup",
    summary = "Leave (or withdraw a request).",
    params(("id" = String, Path, description = "The group's id (its account's).")),
    responses(
        (status = 200, description = "The group, with the asker's membership.", body = GroupEntity),
        GroupModeratorRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn leave(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<GroupEntity>> {
    change_membership(&state, &auth, id, false).await
}

/// `DELETE /api/staffroom/v1/groups/{id}/posts/{status_id}` (moderators): the group
/// takes back its announce of the post, here and at every member's server.
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/groups/{id}/posts/{status_id}",
    operation_id = "removeGroupPost",
    summary = "Take a post out of the group (moderators): the group takes back its announce, here and at every member's server.",
    params(("id" = String, Path, description = "The group's id (its account's)."), ("status_id" = String, Path, description = "A status id.")),
    responses(
        (status = 200, description = "The group as it now is.", body = GroupEntity),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token may not write, or the account may not do this (moderators only).", body = ErrorBody),
        (status = 404, description = "No such group, or the group did not carry that post.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn remove_post(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, status_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<GroupEntity>> {
    let (me, found) = moderated(&state, &auth, &["write"], id).await?;
    let shared = find_visible(state.db(), status_id, Viewer::Account(found.account.id)).await?;
    groups::remove_post(&state.federation(), &found.account, &shared).await?;
    Ok(Json(entity(&state, &found, Some(me)).await?))
}
