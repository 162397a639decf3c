//! Request bodies as apps send them: form-encoded (Mastodon.py, toot) or JSON
//! (masto, web apps), read into one type either way. Forms may repeat a key for a
//! list, Rails style (`media_ids[]=1&media_ids[]=2`); an empty body reads as no
//! fields. A body that cannot be read is a 422 in the Mastodon error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A request body read from a form or from JSON.
#[derive(Debug)]
pub struct FormOrJson<T>(pub T);

impl<S, T> FromRequest<S> for FormOrJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let unreadable = |e: String| {
            ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!("Validation failed: {e}"),
            )
        };
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| unreadable(e.body_text()))?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return serde_html_form::from_bytes(b"")
                .map(Self)
                .map_err(|e| unreadable(e.to_string()));
        }
        if is_json {
            serde_json::from_slice(&body)
                .map(Self)
                .map_err(|e| unreadable(e.to_string()))
        } else {
            serde_html_form::from_bytes(&body)
                .map(Self)
                .map_err(|e| unreadable(e.to_string()))
        }
    }
}
