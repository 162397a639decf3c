//! Request bodies as apps send them: form-encoded (Mastodon.py, toot) or JSON
//! (masto, web apps), read into one type either way. A body that cannot be read is
//! a 422 in the Mastodon error shape.

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
        if is_json {
            let axum::Json(value) = axum::Json::<T>::from_request(req, state)
                .await
                .map_err(|e| unreadable(e.body_text()))?;
            Ok(Self(value))
        } else {
            let axum::Form(value) = axum::Form::<T>::from_request(req, state)
                .await
                .map_err(|e| unreadable(e.body_text()))?;
            Ok(Self(value))
        }
    }
}
