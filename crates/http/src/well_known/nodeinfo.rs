//! `/.well-known/nodeinfo`

use axum::Json;
use axum::extract::State;
use staffroom_federation::nodeinfo::{self, Discovery};

use crate::AppState;

/// `GET /.well-known/nodeinfo`
pub async fn show(State(state): State<AppState>) -> Json<Discovery> {
    Json(nodeinfo::discovery(state.urls()))
}
