//! Endorsements (Mastodon's account pins): `POST /api/v1/accounts/{id}/pin` and
//! `unpin` (also named `endorse` and `unendorse`), `GET /api/v1/endorsements`
//! (the signed-in person's) and `GET /api/v1/accounts/{id}/endorsements`
//! (anyone's, as their profile features them).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use staffroom_domain::graph::endorsement;

use super::accounts::{acting_on, relationship_with, respond_accounts, target};
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::relationship::Relationship;
use crate::error::ApiResult;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// `POST /api/v1/accounts/{id}/pin`: only an account the person follows; 422
/// otherwise.
pub async fn endorse(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:accounts"], id).await?;
    endorsement::endorse(state.db(), me.id, target.id, Utc::now()).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// `POST /api/v1/accounts/{id}/unpin`
pub async fn withdraw(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Relationship>> {
    let (me, target) = acting_on(&state, &auth, &["write:accounts"], id).await?;
    endorsement::withdraw(state.db(), me.id, target.id).await?;
    Ok(Json(relationship_with(&state, me, target.id).await?))
}

/// `GET /api/v1/endorsements`: the accounts the signed-in person endorses,
/// latest first, paged with the `Link` header.
pub async fn mine(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:accounts"])?;
    let me = auth.account()?;
    let rows = endorsement::page(state.db(), me.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

/// `GET /api/v1/accounts/{id}/endorsements`: the accounts `id` features.
pub async fn of_account(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.viewer(&["read:accounts"])?;
    let owner = target(&state, id).await?;
    let rows = endorsement::page(state.db(), owner.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}
