//! `/api/v2/...`

pub mod instance;
pub mod media;
pub mod search;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;
use crate::api::v1;

/// Every route under `/api/v2/`.
pub fn routes() -> Router<AppState> {
    let uploads = Router::new()
        .route("/api/v2/media", post(media::create))
        .layer(DefaultBodyLimit::max(v1::media::MAX_UPLOAD_BODY_BYTES));
    Router::new()
        .merge(uploads)
        .route("/api/v2/instance", get(instance::show))
        .route("/api/v2/search", get(search::search))
        .route("/api/v2/filters", get(v1::defaults::filters))
}
