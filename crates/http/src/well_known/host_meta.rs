//! `/.well-known/host-meta`

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use staffroom_federation::host_meta;

use crate::AppState;

/// `GET /.well-known/host-meta`
pub async fn show(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, host_meta::CONTENT_TYPE)],
        host_meta::document(state.urls()),
    )
}
