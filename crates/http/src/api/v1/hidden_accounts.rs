//! `/api/v1/blocks` and `/api/v1/mutes`: the accounts a person blocks or mutes.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use staffroom_domain::graph::{block, mute};

use super::accounts::respond_accounts;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::pagination::Pagination;

/// `GET /api/v1/blocks`
pub async fn blocks(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:blocks", "follow"])?;
    let me = auth.account()?;
    let rows = block::blocked(state.db(), me.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

/// `GET /api/v1/mutes`
pub async fn mutes(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:mutes", "follow"])?;
    let me = auth.account()?;
    let rows: Vec<(i64, i64)> = mute::muted(state.db(), me.id, pagination.page, Utc::now())
        .await?
        .into_iter()
        .map(|m| (m.id, m.target_id))
        .collect();
    respond_accounts(&state, &pagination, &rows).await
}
