//! `/api/v1/follow_requests`: the requests waiting for a locked account's answer,
//! and for a moderator the requests to join the closed groups they moderate (so
//! that a Mastodon app's follow-request screen answers them too).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use staffroom_domain::{communities::group, graph::follow};
use staffroom_federation::groups;

use super::accounts::{relationship_with, respond_accounts, target};
use crate::AppState;
use crate::auth::Auth;
use crate::entities::relationship::Relationship;
use crate::error::ApiResult;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// `GET /api/v1/follow_requests`
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:follows", "follow"])?;
    let me = auth.account()?;
    let mut targets = group::moderated_by(state.db(), me.id).await?;
    targets.push(me.id);
    let rows = follow::requests_to_any_page(state.db(), &targets, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

async fn answer(state: &AppState, auth: &Auth, id: i64, accepted: bool) -> ApiResult<Relationship> {
    auth.require(&["write:follows", "follow"])?;
    let me = auth.account()?;
    let follower = target(state, id).await?;
    groups::answer_request_as(&state.federation(), me, &follower, accepted).await?;
    relationship_with(state, me, follower.id).await
}

/// `POST /api/v1/follow_requests/{account_id}/authorize`
pub async fn authorize(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(answer(&state, &auth, id, true).await?))
}

/// `POST /api/v1/follow_requests/{account_id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    Ok(Json(answer(&state, &auth, id, false).await?))
}
