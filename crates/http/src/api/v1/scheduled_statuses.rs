//! `/api/v1/scheduled_statuses`: the caller's posts waiting for their time (made
//! by `POST /api/v1/statuses` with `scheduled_at`), moved to another time or
//! called off. Someone else's answers 404.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use staffroom_domain::posts::scheduled;

use crate::AppState;
use crate::auth::Auth;
use crate::entities::scheduled_status::ScheduledStatus;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The time in `value`, as apps send `scheduled_at`: RFC 3339 (`2026-12-08T09:00:00.000Z`,
/// or with an offset); without an offset it is taken as UTC.
pub fn parse_time(value: &str) -> ApiResult<DateTime<Utc>> {
    let value = value.trim();
    DateTime::parse_from_rfc3339(value)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f").map(|at| at.and_utc())
        })
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").map(|at| at.and_utc()))
        .map_err(|_| {
            ApiError::unprocessable(
                "Validation failed: scheduled_at must be a time such as 2026-12-08T09:00:00Z",
            )
        })
}

/// `GET /api/v1/scheduled_statuses`
pub async fn index(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:statuses"])?;
    let me = auth.account()?;
    let found = scheduled::list(state.db(), me.id, &pagination.page).await?;
    let entities: Vec<ScheduledStatus> = found
        .iter()
        .map(|s| ScheduledStatus::new(state.urls(), s))
        .collect();
    Ok(pagination.respond(
        &state.urls().origin(),
        &entities,
        found.first().map(|s| s.id),
        found.last().map(|s| s.id),
    ))
}

/// `GET /api/v1/scheduled_statuses/{id}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<ScheduledStatus>> {
    auth.require(&["read:statuses"])?;
    let me = auth.account()?;
    let found = scheduled::find(state.db(), me.id, id).await?;
    Ok(Json(ScheduledStatus::new(state.urls(), &found)))
}

/// The body of `PUT /api/v1/scheduled_statuses/{id}`.
#[derive(Debug, Deserialize)]
pub struct Reschedule {
    scheduled_at: Option<String>,
}

/// `PUT /api/v1/scheduled_statuses/{id}`: another time.
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<Reschedule>,
) -> ApiResult<Json<ScheduledStatus>> {
    auth.require(&["write:statuses"])?;
    let me = auth.account()?;
    let at = match form
        .scheduled_at
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        Some(value) => parse_time(value)?,
        None => {
            return Err(ApiError::unprocessable(
                "Validation failed: scheduled_at is missing",
            ));
        }
    };
    let moved = scheduled::reschedule(state.db(), me.id, id, at, Utc::now()).await?;
    Ok(Json(ScheduledStatus::new(state.urls(), &moved)))
}

/// `DELETE /api/v1/scheduled_statuses/{id}`: called off.
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:statuses"])?;
    let me = auth.account()?;
    scheduled::cancel(state.db(), me.id, id).await?;
    Ok(Json(serde_json::json!({})))
}
