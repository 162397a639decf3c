//! `/oauth/...`: authorization (sign-in and consent pages), tokens and their
//! revocation.

pub mod authorize;
pub mod revoke;
pub mod token;

use axum::Router;
use axum::routing::{get, post};
use serde::Serialize;

use crate::AppState;

/// The OAuth 2 error shape (RFC 6749 §5.2), which Mastodon also uses here.
#[derive(Debug, Serialize)]
pub struct OauthError {
    pub error: &'static str,
    pub error_description: String,
}

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
