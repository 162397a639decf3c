//! `/.well-known/...`: where other servers and apps start.

pub mod host_meta;
pub mod nodeinfo;
pub mod oauth;
pub mod webfinger;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// Every route under `/.well-known/`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger::show))
        .route("/.well-known/host-meta", get(host_meta::show))
        .route("/.well-known/nodeinfo", get(nodeinfo::show))
        .route("/.well-known/oauth-authorization-server", get(oauth::show))
}
