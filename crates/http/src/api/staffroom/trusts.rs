//! `/api/staffroom/v1/trusts`: listing, showing, creating and changing trusts, and
//! their admins.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::directory::trust::{self, NewTrust, TrustChange, TrustFilter};
use staffroom_domain::directory::{Region, TrustKind};

use super::entities::{self, AdminEntity, TrustEntity};
use super::{Filters, actor_changed, editor, emptied, page_of};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The filters of `GET /trusts`.
const FILTERS: &[&str] = &["kind", "region", "origin"];

/// `GET /api/staffroom/v1/trusts?kind=&region=&origin=`
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
pub async fn show(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<TrustEntity>> {
    let found = trust::get(state.db(), id).await?;
    Ok(Json(entities::trust(state.urls(), &found)))
}

/// A new trust.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustForm {
    name: String,
    slug: Option<String>,
    kind: String,
    #[serde(default)]
    website: String,
    region: Option<String>,
    #[serde(default)]
    description: String,
}

/// `POST /api/staffroom/v1/trusts` (instance admins)
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustChangeForm {
    name: Option<String>,
    kind: Option<String>,
    website: Option<String>,
    region: Option<String>,
    description: Option<String>,
}

/// `PATCH /api/staffroom/v1/trusts/{id}` (the trust's admins, instance admins)
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
pub async fn admins(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<AdminEntity>>> {
    trust::get(state.db(), id).await?;
    admin_list(&state, id).await
}

/// `DELETE /api/staffroom/v1/trusts/{id}/admins/{account_id}` (the trust's admins,
/// instance admins)
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminForm {
    account_id: crate::form::Id,
}

/// `POST /api/staffroom/v1/trusts/{id}/admins` (the trust's admins, instance admins)
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
