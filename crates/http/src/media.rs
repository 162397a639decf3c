//! `GET /media/{file}`: the stored media files. Only names the store hands out are
//! looked up, so nothing outside its folder can be reached; the answer says exactly
//! what the file is, and browsers must not guess otherwise.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use staffroom_domain::media::content_type_of;

use crate::AppState;
use crate::error;

/// File names never change their content: caches may keep them for a year.
const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// `/media/{file}`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{file}", get(show))
}

/// `GET /media/{file}`
pub async fn show(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(content_type) = content_type_of(&file) else {
        return error::plain_not_found();
    };
    match state.media().read(&file).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, CACHE_FOREVER),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; sandbox",
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => error::plain_not_found(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read a media file");
            error::plain_internal_error()
        }
    }
}
