//! `/api/v1/follow_requests`: the requests waiting for a locked account's answer.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use staffroom_domain::follow;
use staffroom_federation::relationships;

use super::accounts::{relationship_with, respond_accounts, target};
use crate::AppState;
use crate::auth::Auth;
use crate::entities::relationship::Relationship;
use crate::error::ApiResult;
use crate::pagination::Pagination;

/// `GET /api/v1/follow_requests`
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:follows", "follow"])?;
    let me = auth.account()?;
    let rows = follow::requests_page(state.db(), me.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

async fn answer(
    state: &AppState,
    auth: &Auth,
    id: &str,
    accepted: bool,
) -> ApiResult<Relationship> {
    auth.require(&["write:follows", "follow"])?;
    let me = auth.account()?;
    let follower = target(state, id).await?;
    relationships::answer_request(&state.federation(), me, &follower, accepted).await?;
    relationship_with(state, me, follower.id).await
}

/// `POST /api/v1/follow_requests/{account_id}/authorize`
pub async fn authorize(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(answer(&state, &auth, &id, true).await?))
}

/// `POST /api/v1/follow_requests/{account_id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(answer(&state, &auth, &id, false).await?))
}
