//! `GET /api/v1/directory`: the profile directory of people who chose to be found.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use staffroom_domain::accounts::account::{self, DirectoryOrder};

use super::accounts::account_entities;
use crate::AppState;
use crate::entities::Account;
use crate::error::{ApiError, ApiResult};
use crate::params::{self, flag};

/// The most profiles on one page, and how many when the app does not say.
const MAX_LIMIT: u64 = 80;
const DEFAULT_LIMIT: u64 = 40;
/// The deepest page served.
const MAX_OFFSET: u64 = 10_000;

#[derive(Debug, Deserialize)]
pub struct DirectoryParams {
    offset: Option<String>,
    limit: Option<String>,
    order: Option<String>,
    local: Option<String>,
}

/// `GET /api/v1/directory?offset=&limit=&order=active|new&local=`
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<DirectoryParams>,
) -> ApiResult<Json<Vec<Account>>> {
    let order = match params.order.as_deref() {
        None | Some("" | "active") => DirectoryOrder::Active,
        Some("new") => DirectoryOrder::New,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "order must be active or new, not '{other}'"
            )));
        }
    };
    let offset = params::number("offset", params.offset.as_deref(), 0)?.min(MAX_OFFSET);
    let limit =
        params::number("limit", params.limit.as_deref(), DEFAULT_LIMIT)?.clamp(1, MAX_LIMIT);
    let local = flag("local", params.local.as_deref())?;
    let found = account::directory(state.db(), local, order, offset, limit).await?;
    let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
    Ok(Json(account_entities(&state, &ids).await?))
}
