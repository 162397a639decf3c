//! Built-in files: the default avatar and header that apps need as real image URLs,
//! the instance thumbnail, and the pages' stylesheet and optional script.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

/// Path of the default avatar.
pub const DEFAULT_AVATAR: &str = "/avatars/original/missing.png";
/// Path of the default profile header.
pub const DEFAULT_HEADER: &str = "/headers/original/missing.png";
/// Path of the instance thumbnail.
pub const THUMBNAIL: &str = "/thumbnail.png";
/// Path of the pages' stylesheet.
pub const STYLESHEET: &str = "/assets/staffroom.css";
/// Path of the pages' optional script.
pub const SCRIPT: &str = "/assets/staffroom.js";

/// The built-in images.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(DEFAULT_AVATAR, get(default_avatar))
        .route(DEFAULT_HEADER, get(default_header))
        .route(THUMBNAIL, get(thumbnail))
        .route(STYLESHEET, get(stylesheet))
        .route(SCRIPT, get(script))
}

const CACHE_A_DAY: &str = "public, max-age=86400";

fn png(bytes: &'static [u8]) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, CACHE_A_DAY),
        ],
        bytes,
    )
}

/// `GET /avatars/original/missing.png`
pub async fn default_avatar() -> impl IntoResponse {
    png(include_bytes!("../assets/avatar.png"))
}

/// `GET /headers/original/missing.png`
pub async fn default_header() -> impl IntoResponse {
    png(include_bytes!("../assets/header.png"))
}

fn text(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, CACHE_A_DAY),
        ],
        body,
    )
}

/// `GET /assets/staffroom.css`
pub async fn stylesheet() -> impl IntoResponse {
    text(
        "text/css; charset=utf-8",
        include_str!("../assets/staffroom.css"),
    )
}

/// `GET /assets/staffroom.js`
pub async fn script() -> impl IntoResponse {
    text(
        "text/javascript; charset=utf-8",
        include_str!("../assets/staffroom.js"),
    )
}

/// `GET /thumbnail.png`
pub async fn thumbnail() -> impl IntoResponse {
    png(include_bytes!("../assets/thumbnail.png"))
}
