//! `/api/v1/admin/reports`: moderators (and administrators) read the reports and
//! mark them resolved or open again.

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::moderation::report;
use staffroom_domain::moderation::staff::{self, Staff};

use super::moderator;
use crate::AppState;
use crate::auth::Auth;
use crate::entities::report::{AdminReport, admin_report_entity};
use crate::error::ApiResult;
use crate::params::{OffsetPage, flag};
use crate::path_id::PathId;

#[derive(Debug, Deserialize)]
pub struct ListParams {
    resolved: Option<String>,
    #[serde(flatten)]
    page: OffsetPage,
}

/// `GET /api/v1/admin/reports[?resolved=true]` (`admin:read:reports`): the open
/// reports (or the resolved ones), newest first.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<Vec<AdminReport>>> {
    let me = moderator(&state, &auth, "admin:read:reports").await?;
    let resolved = flag("resolved", params.resolved.as_deref())?;
    let (offset, limit) = params.page.read(20, report::MAX_PAGE, 100_000)?;
    let found = report::list(state.db(), resolved, offset, limit).await?;
    let mut out = Vec::with_capacity(found.len());
    for one in &found {
        out.push(admin_report_entity(state.db(), state.urls(), one, me).await?);
    }
    Ok(Json(out))
}

/// `GET /api/v1/admin/reports/{id}` (`admin:read:reports`)
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<AdminReport>> {
    let me = moderator(&state, &auth, "admin:read:reports").await?;
    let found = report::get(state.db(), id).await?;
    Ok(Json(
        admin_report_entity(state.db(), state.urls(), &found, me).await?,
    ))
}

async fn set(state: &AppState, auth: &Auth, id: i64, resolved: bool) -> ApiResult<AdminReport> {
    let me = moderator(state, auth, "admin:write:reports").await?;
    let found =
        staff::set_report_resolved(state.db(), Staff::Account(me.id), id, resolved, Utc::now())
            .await?;
    Ok(admin_report_entity(state.db(), state.urls(), &found, me).await?)
}

/// `POST /api/v1/admin/reports/{id}/resolve` (`admin:write:reports`)
pub async fn resolve(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<AdminReport>> {
    Ok(Json(set(&state, &auth, id, true).await?))
}

/// `POST /api/v1/admin/reports/{id}/reopen` (`admin:write:reports`)
pub async fn reopen(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<AdminReport>> {
    Ok(Json(set(&state, &auth, id, false).await?))
}
