//! `/users/{handle}/moderators`: a local group's moderators, the collection its
//! actor names as `attributedTo` (FEP-1b12).

use axum::extract::{Path, State};
use axum::response::Response;
use staffroom_domain::{accounts::account, communities::group};
use staffroom_federation::groups;

use crate::error::{ApiError, ApiResult};
use crate::signed_fetch::SignedViewer;
use crate::{AppState, activity_json};

/// `GET /users/{handle}/moderators`
pub async fn show(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    _: SignedViewer,
) -> ApiResult<Response> {
    let found = account::find_local(state.db(), &handle)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let found = group::of_account(state.db(), &found)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let ids = group::moderators(state.db(), found.account.id).await?;
    let moderators = account::get_many(state.db(), &ids).await?;
    Ok(activity_json::respond(&groups::moderators_collection(
        state.urls(),
        &found.account,
        &moderators,
    )))
}
