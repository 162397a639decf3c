//! `/api/v1/notifications`: what happened to the signed-in person.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use serde::Serialize;
use staffroom_domain::accounts::account::{self, Account as DomainAccount};
use staffroom_domain::moderation::report;
use staffroom_domain::notifications::notification::{
    self, Filter, Kind, Notification as DomainNotification,
};
use staffroom_domain::visibility::post::Viewer;
use staffroom_domain::visibility::post::find_visible;

use crate::AppState;
use crate::auth::Auth;
use crate::entities::report::{Report, report_entity};
use crate::entities::status::{Status, account_entity, render_with};
use crate::entities::{Account, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::pagination::Pagination;
use crate::params;
use crate::path_id::PathId;
use chrono::Utc;
use staffroom_domain::filters::filter::Context as FilterContext;
use staffroom_domain::filters::matching::ActiveFilters;

/// A notification as apps read it.
#[derive(Debug, Serialize)]
pub struct Notification {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    created_at: String,
    group_key: String,
    pub(crate) account: Account,
    pub(crate) status: Option<Status>,
    /// For `admin.report` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) report: Option<Report>,
}

/// The entity of `found` for its owner `me`; `None` when what it is about is gone
/// or no longer visible, or one of `me`'s filters `active` hides it.
pub(crate) async fn entity(
    state: &AppState,
    me: &DomainAccount,
    found: &DomainNotification,
    active: &ActiveFilters,
) -> ApiResult<Option<Notification>> {
    let db = state.db();
    let Ok(from) = account::get(db, found.from_account_id).await else {
        return Ok(None);
    };
    let status = match found.post_id {
        Some(post_id) => match find_visible(db, post_id, Viewer::Account(me.id)).await {
            Ok(found_post) => {
                match render_with(db, state.urls(), &[found_post], Some(me), active)
                    .await?
                    .pop()
                {
                    Some(status) => Some(status),
                    None => return Ok(None),
                }
            }
            Err(staffroom_domain::Error::NotFound(_)) => return Ok(None),
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    let report = match found.report_id {
        Some(report_id) => match report::get(db, report_id).await {
            Ok(made) => Some(report_entity(db, state.urls(), &made).await?),
            Err(staffroom_domain::Error::NotFound(_)) => return Ok(None),
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    Ok(Some(Notification {
        id: found.id.to_string(),
        kind: found.kind.name(),
        created_at: timestamp(found.created_at),
        group_key: notification::GroupKey::of(found, &notification::GROUPED).text(),
        account: account_entity(db, state.urls(), &from).await?,
        status,
        report,
    }))
}

/// The kinds named by the list parameter `name`; unknown names are ignored, as
/// Mastodon does (apps send kinds newer servers added).
fn kinds(query: Option<&str>, name: &str) -> Vec<Kind> {
    params::list(query, name, Kind::ALL.len() * 2)
        .iter()
        .filter_map(|n| Kind::from_name(n))
        .collect()
}

/// `GET /api/v1/notifications[?types[]=...&exclude_types[]=...&account_id=...]`
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
    uri: Uri,
) -> ApiResult<Response> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let query = uri.query();
    let from_account_id = match params::list(query, "account_id", 1).first() {
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| ApiError::bad_request("account_id must be an id"))?,
        ),
        None => None,
    };
    let filter = Filter {
        kinds: kinds(query, "types"),
        excluded: kinds(query, "exclude_types"),
        from_account_id,
    };
    let found = notification::list(state.db(), me.id, &filter, pagination.page).await?;
    let active =
        ActiveFilters::load(state.db(), me.id, FilterContext::Notifications, Utc::now()).await?;
    let mut entities = Vec::with_capacity(found.len());
    for one in &found {
        if let Some(rendered) = entity(&state, me, one, &active).await? {
            entities.push(rendered);
        }
    }
    Ok(pagination.respond(
        &state.urls().origin(),
        &entities,
        found.first().map(|n| n.id),
        found.last().map(|n| n.id),
    ))
}

/// `GET /api/v1/notifications/{id}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Notification>> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let found = notification::get(state.db(), me.id, id).await?;
    entity(&state, me, &found, &ActiveFilters::none())
        .await?
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

/// `POST /api/v1/notifications/{id}/dismiss`
pub async fn dismiss(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:notifications"])?;
    let me = auth.account()?;
    notification::dismiss(state.db(), me.id, id).await?;
    Ok(Json(serde_json::json!({})))
}

/// `POST /api/v1/notifications/clear`
pub async fn clear(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:notifications"])?;
    let me = auth.account()?;
    notification::clear(state.db(), me.id).await?;
    Ok(Json(serde_json::json!({})))
}

/// The most unread notifications counted (Mastodon counts up to 1,000 too).
const MAX_UNREAD: u64 = 1_000;

/// `GET /api/v1/notifications/unread_count`: notifications newer than the reading
/// position in notifications (all of them without one).
pub async fn unread_count(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let read =
        staffroom_domain::timelines::marker::get(state.db(), me.id, &["notifications".to_owned()])
            .await?
            .first()
            .map_or(0, |m| m.last_read_id);
    let count = notification::count_newer(state.db(), me.id, read, MAX_UNREAD).await?;
    Ok(Json(serde_json::json!({ "count": count })))
}
