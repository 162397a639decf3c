//! `/oauth/...`: authorization (sign-in and consent pages), tokens and their
//! revocation.

pub mod authorize;
pub mod revoke;
pub mod token;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// Every route under `/oauth/`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oauth/authorize",
            get(authorize::show).post(authorize::decide),
        )
        .route("/oauth/token", post(token::issue))
        .route("/oauth/revoke", post(revoke::revoke))
}
