//! `/api/staffroom/v1/leaders`: the directory of leaders, a person's own profile,
//! and trust admins confirming who belongs to their trust.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::directory::leader::{self, LeaderDetails, LeaderFilter};
use staffroom_domain::directory::{LeaderRole, Region};

use utoipa::ToSchema;

use super::entities::{self, LeaderEntity};
use super::openapi::{self, DirectoryWriteRefusals, Done, ErrorBody, LeaderFilters, PageCursors};
use super::{Filters, actor_changed, editor, page_of};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::form::{FormOrJson, Id};
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The filters of `GET /leaders`.
pub(super) const FILTERS: &[&str] = &[
    "role",
    "region",
    "school_id",
    "trust_id",
    "confirmed",
    "origin",
];

/// `GET /api/staffroom/v1/leaders?role=&region=&school_id=&trust_id=&confirmed=&origin=`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/leaders",
    operation_id = "listLeaders",
    summary = "List leaders (of discoverable accounts).",
    params(PageCursors, LeaderFilters),
    responses(
        (status = 200, description = "A page of leaders.", body = Vec<LeaderEntity>, headers(("Link" = String, description = "The next (older) and previous (newer) pages."))),
        (status = 400, description = "An unknown filter or a bad value; the message names it.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    pagination: Pagination,
) -> ApiResult<Response> {
    let filters = Filters::read(query.as_deref(), FILTERS)?;
    let filter = LeaderFilter {
        role: filters.term("role", LeaderRole::parse)?,
        region: filters.term("region", Region::parse)?,
        school_id: filters.id("school_id")?,
        trust_id: filters.id("trust_id")?,
        confirmed: filters.flag("confirmed")?,
        origin: filters.origin()?,
        name: None,
    };
    let found = leader::list(state.db(), &filter, pagination.page).await?;
    Ok(page_of(
        &state,
        &pagination,
        &found,
        |l| l.id(),
        entities::leader,
    ))
}

/// `GET /api/staffroom/v1/leaders/{id}`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/leaders/{id}",
    operation_id = "showLeader",
    summary = "Show the leader profile of an account.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The profile.", body = LeaderEntity),
        (status = 404, description = "The account has no leader profile.", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<LeaderEntity>> {
    let found = leader::get(state.db(), id).await?;
    Ok(Json(entities::leader(state.urls(), &found)))
}

/// A leader profile.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LeaderProfile)]
pub struct LeaderForm {
    #[schema(schema_with = openapi::leader_role)]
    role: String,
    #[schema(value_type = Option<String>)]
    school_id: Option<Id>,
    /// Left out: the school's trust.
    #[schema(value_type = Option<String>)]
    trust_id: Option<Id>,
    #[serde(default, alias = "interests[]")]
    #[schema(max_items = 10)]
    interests: Vec<String>,
}

/// `PUT /api/staffroom/v1/leaders/{id}` (the leader themself, instance admins)
#[utoipa::path(
    put,
    path = "/api/staffroom/v1/leaders/{id}",
    operation_id = "setLeader",
    summary = "Set the leader profile of a local person (they themself, instance admins). A new school or trust needs confirming again.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content = LeaderForm, content_type = "application/json"),
    responses(
        (status = 200, description = "The profile.", body = LeaderEntity),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn set(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<LeaderForm>,
) -> ApiResult<Json<LeaderEntity>> {
    let editor = editor(&auth)?;
    let details = LeaderDetails {
        role: LeaderRole::parse(&form.role)?,
        school_id: form.school_id.map(|i| i.parse("school_id")).transpose()?,
        trust_id: form.trust_id.map(|i| i.parse("trust_id")).transpose()?,
        interests: form.interests,
    };
    let saved = leader::set(state.db(), editor, id, details).await?;
    actor_changed(&state, &saved.account).await?;
    Ok(Json(entities::leader(state.urls(), &saved)))
}

/// `DELETE /api/staffroom/v1/leaders/{id}` (the leader themself, instance admins)
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/leaders/{id}",
    operation_id = "removeLeader",
    summary = "Remove the leader profile of a local person (they themself, instance admins).",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "Removed: an empty object.", body = Done),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the write scope, or the account may not do this.", body = ErrorBody),
        (status = 404, description = "No such profile.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    let editor = editor(&auth)?;
    if !leader::remove(state.db(), editor, id).await? {
        return Err(crate::error::ApiError::not_found());
    }
    let account = staffroom_domain::accounts::account::get(state.db(), id).await?;
    actor_changed(&state, &account).await?;
    Ok(Json(serde_json::json!({})))
}

/// `POST /api/staffroom/v1/leaders/{id}/confirmation` (admins of the leader's trust)
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/leaders/{id}/confirmation",
    operation_id = "confirmLeader",
    summary = "Confirm that the leader belongs to their trust (admins of that trust, instance admins).",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The profile.", body = LeaderEntity),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn confirm(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<LeaderEntity>> {
    let editor = editor(&auth)?;
    let saved = leader::confirm(state.db(), editor, id, true).await?;
    actor_changed(&state, &saved.account).await?;
    Ok(Json(entities::leader(state.urls(), &saved)))
}

/// `DELETE /api/staffroom/v1/leaders/{id}/confirmation` (admins of the leader's trust)
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/leaders/{id}/confirmation",
    operation_id = "unconfirmLeader",
    summary = "Withdraw the confirmation.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The profile.", body = LeaderEntity),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn unconfirm(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<LeaderEntity>> {
    let editor = editor(&auth)?;
    let saved = leader::confirm(state.db(), editor, id, false).await?;
    actor_changed(&state, &saved.account).await?;
    Ok(Json(entities::leader(state.urls(), &saved)))
}
