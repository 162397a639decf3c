//! `/api/v1/instance`

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::entities::instance::{self, InstanceV1};
use crate::error::ApiResult;

/// `GET /api/v1/instance`
pub async fn show(State(state): State<AppState>) -> ApiResult<Json<InstanceV1>> {
    let (stats, contact) = super::super::instance_facts(&state).await?;
    Ok(Json(instance::v1(state.settings(), &stats, contact)))
}
