//! `/api/v2/instance`

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::entities::instance::{self, InstanceV2};
use crate::error::ApiResult;

/// `GET /api/v2/instance`
pub async fn show(State(state): State<AppState>) -> ApiResult<Json<InstanceV2>> {
    let (stats, contact) = super::super::instance_facts(&state).await?;
    Ok(Json(instance::v2(state.settings(), &stats, contact)))
}
