//! `/api/v1/admin/accounts`: moderators (and administrators) read an account as
//! staff see it and act on it: silencing it, or lifting the silence, disabling a
//! person here, suspending a person here or an account of another server, and
//! lifting a suspension.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::access::user;
use staffroom_domain::accounts::account;
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_federation::suspension;

use super::moderator;
use crate::AppState;
use crate::auth::Auth;
use crate::entities::report::{AdminAccount, admin_account_entity};
use crate::error::{ApiError, ApiResult};
use crate::form::{FormOrJson, Id};
use crate::path_id::PathId;

/// `GET /api/v1/admin/accounts/{id}` (`admin:read:accounts`)
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<AdminAccount>> {
    moderator(&state, &auth, "admin:read:accounts").await?;
    let found = account::get(state.db(), id).await?;
    Ok(Json(
        admin_account_entity(state.db(), state.urls(), &found).await?,
    ))
}

/// What `action` is asked to do.
#[derive(Debug, Deserialize)]
pub struct ActionBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    /// The report the action answers: it is marked resolved.
    report_id: Option<Id>,
    /// Why: the reason kept with a suspension.
    text: Option<String>,
}

/// `POST /api/v1/admin/accounts/{id}/action` (`admin:write:accounts`): `type` is
/// `none`, `silence`, `disable` (a person here) or `suspend` (a person here:
/// hidden, signed out and deleted after 30 days unless unsuspended; an account
/// of another server: what it brought is removed); `text` is the reason kept
/// with a suspension. With `report_id`, that report is marked resolved.
/// Mastodon's `sensitive` is not supported.
pub async fn action(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(body): FormOrJson<ActionBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let me = moderator(&state, &auth, "admin:write:accounts").await?;
    let by = Staff::Account(me.id);
    let now = Utc::now();
    let target = account::get(state.db(), id).await?;
    match body.kind.as_deref().unwrap_or("none") {
        "none" => {}
        "silence" => {
            staff::set_silenced(state.db(), by, target.id, true, now).await?;
        }
        "disable" if target.is_local() => {
            let person = user::get(state.db(), target.id).await?;
            staff::set_disabled(state.db(), by, &person.account.username, true, now).await?;
        }
        "suspend" if !target.is_local() => {
            let reason = body.text.as_deref().unwrap_or_default();
            staff::suspend(state.db(), by, &target.acct(), reason, now).await?;
        }
        "suspend" => {
            let reason = body.text.as_deref().unwrap_or_default();
            suspension::suspend(&state.federation(), by, target.id, reason).await?;
        }
        "disable" => {
            return Err(ApiError::unprocessable(
                "Validation failed: only a person of this instance is disabled",
            ));
        }
        other => {
            return Err(ApiError::unprocessable(format!(
                "Validation failed: type '{other}' is not one of none, silence, disable, suspend"
            )));
        }
    }
    if let Some(report_id) = body.report_id {
        let report_id = report_id.parse("report_id")?;
        staff::set_report_resolved(state.db(), by, report_id, true, now).await?;
    }
    Ok(Json(serde_json::json!({})))
}

/// `POST /api/v1/admin/accounts/{id}/unsilence` (`admin:write:accounts`)
pub async fn unsilence(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<AdminAccount>> {
    let me = moderator(&state, &auth, "admin:write:accounts").await?;
    let done =
        staff::set_silenced(state.db(), Staff::Account(me.id), id, false, Utc::now()).await?;
    Ok(Json(
        admin_account_entity(state.db(), state.urls(), &done).await?,
    ))
}

/// `POST /api/v1/admin/accounts/{id}/unsuspend` (`admin:write:accounts`): lifts
/// the suspension of a person here (everything of them shows again) or of an
/// account of another server (what it sends gets in again); `404` when it is
/// not suspended.
pub async fn unsuspend(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<AdminAccount>> {
    let me = moderator(&state, &auth, "admin:write:accounts").await?;
    let by = Staff::Account(me.id);
    let target = account::get(state.db(), id).await?;
    if target.is_local() {
        suspension::unsuspend(&state.federation(), by, target.id).await?;
    } else {
        staff::lift_suspension(state.db(), by, &target.acct(), Utc::now()).await?;
    }
    let found = account::get(state.db(), id).await?;
    Ok(Json(
        admin_account_entity(state.db(), state.urls(), &found).await?,
    ))
}
