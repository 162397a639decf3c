//! Record ids in URL paths. Mastodon's ids are strings on the wire and numbers
//! here: a path whose id is not a number names no record, and answers 404.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::error::{ApiError, ApiResult, PageError};

/// The parameters of a path with its record ids read as numbers: `PathId(id)` for
/// `/statuses/{id}`, `PathId((id, account_id)): PathId<(i64, i64)>` for
/// `/groups/{id}/members/{account_id}`, `PathId<(String, i64)>` for a name and an
/// id. A malformed id answers 404 `Record not found`, as an unknown one does.
#[derive(Debug, Clone, Copy)]
pub struct PathId<T = i64>(pub T);

impl<S, T> FromRequestParts<S> for PathId<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(ids)| Self(ids))
            .map_err(|_| ApiError::not_found())
    }
}

/// [`PathId`] for the web app's pages: a malformed id answers the page that
/// says nothing is there (404), as an unknown one does.
#[derive(Debug, Clone, Copy)]
pub struct PagePathId<T = i64>(pub T);

impl<T> FromRequestParts<AppState> for PagePathId<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        PathId::<T>::from_request_parts(parts, state)
            .await
            .map(|PathId(ids)| Self(ids))
            .map_err(|_| PageError::not_found().page(state))
    }
}

/// A record id written as text outside a path extractor (a post replied to, a
/// path a page hands on): 404 when it is not a number, as in a path.
pub fn record_id(text: &str) -> ApiResult<i64> {
    text.parse().map_err(|_| ApiError::not_found())
}
