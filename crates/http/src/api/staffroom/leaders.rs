//! `/api/staffroom/v1/leaders`: the directory of leaders, a person's own profile,
//! and trust admins confirming who belongs to their trust.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::directory::leader::{self, LeaderDetails, LeaderFilter};
use staffroom_domain::directory::{LeaderRole, Region};

use super::entities::{self, LeaderEntity};
use super::{Filters, RecordId, actor_changed, editor, page_of};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::form::{FormOrJson, Id};
use crate::pagination::Pagination;

/// The filters of `GET /leaders`.
const FILTERS: &[&str] = &[
    "role",
    "region",
    "school_id",
    "trust_id",
    "confirmed",
    "origin",
];

/// `GET /api/staffroom/v1/leaders?role=&region=&school_id=&trust_id=&confirmed=&origin=`
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
pub async fn show(
    State(state): State<AppState>,
    RecordId(id): RecordId,
) -> ApiResult<Json<LeaderEntity>> {
    let found = leader::get(state.db(), id).await?;
    Ok(Json(entities::leader(state.urls(), &found)))
}

/// A leader profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderForm {
    role: String,
    school_id: Option<Id>,
    trust_id: Option<Id>,
    #[serde(default, alias = "interests[]")]
    interests: Vec<String>,
}

/// `PUT /api/staffroom/v1/leaders/{id}` (the leader themself, instance admins)
pub async fn set(
    State(state): State<AppState>,
    auth: Auth,
    RecordId(id): RecordId,
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
pub async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    RecordId(id): RecordId,
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
pub async fn confirm(
    State(state): State<AppState>,
    auth: Auth,
    RecordId(id): RecordId,
) -> ApiResult<Json<LeaderEntity>> {
    let editor = editor(&auth)?;
    let saved = leader::confirm(state.db(), editor, id, true).await?;
    actor_changed(&state, &saved.account).await?;
    Ok(Json(entities::leader(state.urls(), &saved)))
}

/// `DELETE /api/staffroom/v1/leaders/{id}/confirmation` (admins of the leader's trust)
pub async fn unconfirm(
    State(state): State<AppState>,
    auth: Auth,
    RecordId(id): RecordId,
) -> ApiResult<Json<LeaderEntity>> {
    let editor = editor(&auth)?;
    let saved = leader::confirm(state.db(), editor, id, false).await?;
    actor_changed(&state, &saved.account).await?;
    Ok(Json(entities::leader(state.urls(), &saved)))
}
