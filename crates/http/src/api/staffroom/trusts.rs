//! `/api/staffroom/v1/trusts`: listing, showing, creating and changing trusts, and
//! their admins.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::directory::trust::{self, NewTrust, TrustChange, TrustFilter};
use staffroom_domain::directory::{Region, TrustKind};

use utoipa::ToSchema;

use super::entities::{self, AdminEntity, TrustEntity};
use super::openapi::{self, DirectoryWriteRefusals, ErrorBody, PageCursors, TrustFilters};
use super::{Filters, actor_changed, editor, emptied, page_of};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The filters of `GET /trusts`.
pub(super) const FILTERS: &[&str] = &["kind", "region", "origin"];

/// `GET /api/staffroom/v1/trusts?kind=&region=&origin=`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/trusts",
    operation_id = "listTrusts",
    summary = "List trusts.",
    params(PageCursors, TrustFilters),
    responses(
        (status = 200, description = "A page of trusts.", body = Vec<TrustEntity>, headers(("Link" = String, description = "The next (older) and previous (newer) pages."))),
        (status = 400, description = "An unknown filter or a bad value; the message names it.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    pagination: Pagination,
) -> ApiResult<Response> {
    let filters = Filters::read(query.as_deref(), FILTERS)?;
    let filter = TrustFilter {
        kind: filters.term("kind", TrustKind::parse)?,
        region: filters.term("region", Region::parse)?,
        origin: filters.origin()?,
    };
    let found = trust::list(state.db(), &filter, pagination.page).await?;
    Ok(page_of(
        &state,
        &pagination,
        &found,
        |t| t.id(),
        entities::trust,
    ))
}

/// `GET /api/staffroom/v1/trusts/{id}`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/trusts/{id}",
    operation_id = "showTrust",
    summary = "Show a trust.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The trust.", body = TrustEntity),
        (status = 404, description = "No such trust.", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<TrustEntity>> {
    let found = trust::get(state.db(), id).await?;
    Ok(Json(entities::trust(state.urls(), &found)))
}

/// A new trust.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewTrust)]
pub struct TrustForm {
    #[schema(max_length = 200)]
    name: String,
    /// The trust's username; made from the name when left out.
    #[schema(max_length = 30)]
    slug: Option<String>,
    #[schema(schema_with = openapi::trust_kind)]
    kind: String,
    #[serde(default)]
    #[schema(max_length = 2048)]
    website: String,
    #[schema(schema_with = openapi::region)]
    region: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    description: String,
}

/// `POST /api/staffroom/v1/trusts` (instance admins)
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/trusts",
    operation_id = "createTrust",
    summary = "Create a trust (instance admins).",
    request_body(content = TrustForm, content_type = "application/json"),
    responses(
        (status = 200, description = "The new trust.", body = TrustEntity),
        (status = 409, description = "The slug is taken.", body = ErrorBody),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<TrustForm>,
) -> ApiResult<Json<TrustEntity>> {
    let editor = editor(&auth)?;
    let new = NewTrust {
        kind: TrustKind::parse(&form.kind)?,
        region: emptied(form.region, Region::parse)?.flatten(),
        name: form.name,
        slug: form.slug.filter(|s| !s.trim().is_empty()),
        website: form.website,
        description: form.description,
    };
    let created = trust::create(state.db(), editor, new).await?;
    Ok(Json(entities::trust(state.urls(), &created)))
}

/// Changes to a trust; what is left out stays, an empty website or region goes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TrustChange)]
pub struct TrustChangeForm {
    #[schema(max_length = 200)]
    name: Option<String>,
    #[schema(schema_with = openapi::trust_kind)]
    kind: Option<String>,
    #[schema(max_length = 2048)]
    website: Option<String>,
    region: Option<String>,
    #[schema(max_length = 2000)]
    description: Option<String>,
}

/// `PATCH /api/staffroom/v1/trusts/{id}` (the trust's admins, instance admins)
#[utoipa::path(
    patch,
    path = "/api/staffroom/v1/trusts/{id}",
    operation_id = "updateTrust",
    summary = "Change a trust (its admins, instance admins).",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content = TrustChangeForm, content_type = "application/json"),
    responses(
        (status = 200, description = "The trust as it now is.", body = TrustEntity),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<TrustChangeForm>,
) -> ApiResult<Json<TrustEntity>> {
    let editor = editor(&auth)?;
    let change = TrustChange {
        name: form.name,
        kind: form.kind.as_deref().map(TrustKind::parse).transpose()?,
        website: form.website,
        region: emptied(form.region, Region::parse)?,
        description: form.description,
    };
    let updated = trust::update(state.db(), editor, id, change).await?;
    actor_changed(&state, &updated.account).await?;
    Ok(Json(entities::trust(state.urls(), &updated)))
}

/// `GET /api/staffroom/v1/trusts/{id}/admins`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/trusts/{id}/admins",
    operation_id = "listTrustAdmins",
    summary = "List a trust's admins.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The admins.", body = Vec<AdminEntity>),
        (status = 404, description = "No such trust.", body = ErrorBody),
    ),
)]
pub async fn admins(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<AdminEntity>>> {
    trust::get(state.db(), id).await?;
    admin_list(&state, id).await
}

/// `DELETE /api/staffroom/v1/trusts/{id}/admins/{account_id}` (the trust's admins,
/// instance admins)
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/trusts/{id}/admins/{account_id}",
    operation_id = "removeTrustAdmin",
    summary = "Remove an admin of the trust (its admins, instance admins).",
    params(("id" = String, Path, description = "The record's id (its account's id)."), ("account_id" = String, Path, description = "The admin's account id.")),
    responses(
        (status = 200, description = "The admins left.", body = Vec<AdminEntity>),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the write scope, or the account may not do this.", body = ErrorBody),
        (status = 404, description = "No such trust, or the account is not one of its admins.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn remove_admin(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<Vec<AdminEntity>>> {
    let editor = editor(&auth)?;
    if !trust::remove_admin(state.db(), editor, id, account_id).await? {
        return Err(ApiError::not_found());
    }
    admin_list(&state, id).await
}

/// The admins of the trust `id`.
async fn admin_list(state: &AppState, id: i64) -> ApiResult<Json<Vec<AdminEntity>>> {
    let found = trust::admins(state.db(), id).await?;
    Ok(Json(
        found
            .iter()
            .map(|a| entities::admin(state.urls(), a))
            .collect(),
    ))
}

/// A new admin of a trust.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewAdmin)]
pub struct AdminForm {
    /// The local person's account id.
    #[schema(value_type = String)]
    account_id: crate::form::Id,
}

/// `POST /api/staffroom/v1/trusts/{id}/admins` (the trust's admins, instance admins)
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/trusts/{id}/admins",
    operation_id = "addTrustAdmin",
    summary = "Make a local person an admin of the trust (its admins, instance admins).",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content = AdminForm, content_type = "application/json"),
    responses(
        (status = 200, description = "The admins.", body = Vec<AdminEntity>),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
pub async fn add_admin(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<AdminForm>,
) -> ApiResult<Json<Vec<AdminEntity>>> {
    let editor = editor(&auth)?;
    trust::add_admin(state.db(), editor, id, form.account_id.parse("account_id")?).await?;
    admin_list(&state, id).await
}
