//! Mastodon's pagination: `max_id`, `since_id`, `min_id` and `limit` in, a `Link`
//! header out with the next (older) and previous (newer) pages, keeping the other
//! query parameters.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::header::{CONTENT_TYPE, LINK};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use staffroom_domain::page::Page;

use crate::AppState;
use crate::error::ApiError;

/// The cursors of a request, and the request itself (for the `Link` header).
#[derive(Debug, Clone)]
pub struct Pagination {
    pub page: Page,
    uri: Uri,
}

const CURSORS: [&str; 4] = ["max_id", "since_id", "min_id", "limit"];

/// About how many bytes of JSON one item of a page takes (a status with its account
/// takes one to two thousand).
const ITEM_BYTES: usize = 2048;

fn parse_id(name: &str, value: &str) -> Result<i64, ApiError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|id| *id >= 0)
        .ok_or_else(|| ApiError::bad_request(format!("{name} must be an id")))
}

impl FromRequestParts<AppState> for Pagination {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Self::read(&parts.uri)
    }
}

impl Pagination {
    /// The cursors of a request to `uri`; 400 when one is not an id, or `limit`
    /// not a positive number.
    pub fn read(uri: &Uri) -> Result<Self, ApiError> {
        let mut page = Page::default();
        for (name, value) in url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        {
            if value.is_empty() {
                continue;
            }
            match name.as_ref() {
                "max_id" => page.max_id = Some(parse_id("max_id", &value)?),
                "since_id" => page.since_id = Some(parse_id("since_id", &value)?),
                "min_id" => page.min_id = Some(parse_id("min_id", &value)?),
                "limit" => {
                    page.limit = Some(
                        value
                            .parse::<u64>()
                            .ok()
                            .filter(|n| *n > 0)
                            .ok_or_else(|| {
                                ApiError::bad_request("limit must be a positive number")
                            })?,
                    );
                }
                _ => {}
            }
        }
        Ok(Self {
            page,
            uri: uri.clone(),
        })
    }

    /// `items` as JSON with the `Link` header for their cursors, newest first.
    pub fn respond<T: Serialize>(
        &self,
        origin: &str,
        items: &[T],
        newest: Option<i64>,
        oldest: Option<i64>,
    ) -> Response {
        // The body is written into a buffer sized for the page at once, instead of
        // one that doubles its way up from a few bytes.
        let mut body = Vec::with_capacity(items.len().saturating_mul(ITEM_BYTES).max(128));
        let mut response = match serde_json::to_writer(&mut body, items) {
            Ok(()) => (
                [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
                body,
            )
                .into_response(),
            Err(_) => Json(items).into_response(),
        };
        if let Some(link) = self.link(origin, newest, oldest) {
            response.headers_mut().insert(LINK, link);
        }
        response
    }

    /// The `Link` header for a page whose ids run from `newest` to `oldest` (none
    /// for an empty page), with absolute URLs on `origin`.
    pub fn link(
        &self,
        origin: &str,
        newest: Option<i64>,
        oldest: Option<i64>,
    ) -> Option<HeaderValue> {
        let (newest, oldest) = (newest?, oldest?);
        let kept: Vec<(String, String)> =
            url::form_urlencoded::parse(self.uri.query().unwrap_or_default().as_bytes())
                .filter(|(name, _)| !CURSORS.contains(&name.as_ref()) || name == "limit")
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect();
        let with = |cursor: &str, id: i64| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in &kept {
                query.append_pair(name, value);
            }
            query.append_pair(cursor, &id.to_string());
            format!("{origin}{}?{}", self.uri.path(), query.finish())
        };
        let value = format!(
            "<{}>; rel=\"next\", <{}>; rel=\"prev\"",
            with("max_id", oldest),
            with("min_id", newest)
        );
        HeaderValue::from_str(&value).ok()
    }
}
