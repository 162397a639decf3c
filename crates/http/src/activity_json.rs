//! Answers in ActivityPub JSON, and the content negotiation that picks them.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use staffroom_federation::protocol;

/// Whether the request asks for ActivityPub JSON (by its `Accept` header).
pub fn wanted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(protocol::wants_activity_json)
}

/// `document` as `application/activity+json`, marked as varying by `Accept`.
pub fn respond(document: &impl Serialize) -> Response {
    let mut response = axum::Json(document).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(protocol::CONTENT_TYPE),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}
