//! `/api/v2/...`

pub mod filters;
pub mod instance;
pub mod media;
pub mod notifications;
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
        .route("/api/v2/suggestions", get(v1::suggestions::v2))
        .route("/api/v2/notifications", get(notifications::list))
        .route(
            "/api/v2/notifications/unread_count",
            get(notifications::unread_count),
        )
        .route(
            "/api/v2/notifications/{group_key}",
            get(notifications::show),
        )
        .route(
            "/api/v2/notifications/{group_key}/accounts",
            get(notifications::accounts),
        )
        .route(
            "/api/v2/notifications/{group_key}/dismiss",
            post(notifications::dismiss),
        )
        .route("/api/v2/filters", get(filters::index).post(filters::create))
        .route(
            "/api/v2/filters/{id}",
            get(filters::show)
                .put(filters::update)
                .delete(filters::delete),
        )
        .route(
            "/api/v2/filters/{id}/keywords",
            get(filters::keywords).post(filters::add_keyword),
        )
        .route(
            "/api/v2/filter_keywords/{id}",
            get(filters::show_keyword)
                .put(filters::update_keyword)
                .delete(filters::delete_keyword),
        )
        .route(
            "/api/v2/filters/{id}/statuses",
            get(filters::statuses).post(filters::add_status),
        )
        .route(
            "/api/v2/filter_statuses/{id}",
            get(filters::show_status).delete(filters::delete_status),
        )
}
