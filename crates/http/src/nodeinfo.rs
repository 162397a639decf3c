//! `/nodeinfo/2.0` and `/nodeinfo/2.1`

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use staffroom_domain::stats;
use staffroom_federation::nodeinfo::{self, Node, Version};

use crate::AppState;
use crate::error::ApiResult;

/// The NodeInfo documents (`/.well-known/nodeinfo` links to them).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nodeinfo/2.0", get(v2_0))
        .route("/nodeinfo/2.1", get(v2_1))
}

/// `GET /nodeinfo/2.1`
pub async fn v2_1(State(state): State<AppState>) -> ApiResult<Response> {
    document(&state, Version::V2_1, nodeinfo::CONTENT_TYPE_2_1).await
}

/// `GET /nodeinfo/2.0`
pub async fn v2_0(State(state): State<AppState>) -> ApiResult<Response> {
    document(&state, Version::V2_0, nodeinfo::CONTENT_TYPE_2_0).await
}

async fn document(
    state: &AppState,
    version: Version,
    content_type: &'static str,
) -> ApiResult<Response> {
    let stats = stats::instance(state.db(), chrono::Utc::now()).await?;
    let settings = state.settings();
    let node = Node {
        name: &settings.title,
        description: &settings.description,
        source_url: &settings.source_url,
        open_registrations: settings.registrations.accepts_sign_ups(),
    };
    let body = nodeinfo::document(version, node, &stats);
    Ok(([(header::CONTENT_TYPE, content_type)], axum::Json(body)).into_response())
}
