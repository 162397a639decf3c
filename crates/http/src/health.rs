//! Health checks for load balancers and orchestrators.

use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use staffroom_domain::database;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// How long the database may take to answer a readiness check.
const READY_TIMEOUT: Duration = Duration::from_secs(3);

/// The health checks.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/health", get(health))
}

/// `GET /livez`: the process is up and answering.
pub async fn livez() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /health`: Mastodon's liveness check, which apps and monitors built for
/// Mastodon call (Mastodon.py's `instance_health`): plain text `OK`.
pub async fn health() -> &'static str {
    "OK"
}

/// `GET /readyz`: the instance can serve requests (its database answers).
pub async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    match tokio::time::timeout(READY_TIMEOUT, database::ping(state.db())).await {
        Ok(Ok(())) => Ok(Json(json!({ "status": "ok" }))),
        Ok(Err(cause)) => {
            tracing::warn!(%cause, "readiness check: the database failed");
            Err(ApiError::unavailable("the database is not answering"))
        }
        Err(_) => {
            tracing::warn!("readiness check: the database timed out");
            Err(ApiError::unavailable("the database is not answering"))
        }
    }
}
