//! `GET /media/{file}`: the stored media files. Only names the store hands out are
//! looked up, so nothing outside its folder can be reached; the answer says exactly
//! what the file is, and browsers must not guess otherwise.
//!
//! A `Range: bytes=...` request (a player seeking in a sound or a video) is
//! answered `206 Partial Content` with that piece alone and its
//! `Content-Range`; a range outside the file, `416` with the file's length. A
//! request for several ranges at once is answered with the whole file, as
//! HTTP allows.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
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

/// What a request's `Range` header asks of a file of some length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    /// The whole file (no range, or one this server answers whole).
    Whole,
    /// Bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// A range that no byte of the file is in.
    Unsatisfiable,
}

/// Reads a `Range` header (`bytes=0-99`, `bytes=100-`, `bytes=-100`) against a
/// file of `len` bytes. What is not understood, and several ranges, read as the
/// whole file.
fn asked(range: Option<&str>, len: u64) -> Asked {
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes=")) else {
        return Asked::Whole;
    };
    if spec.contains(',') {
        return Asked::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Asked::Whole;
    };
    let number = |s: &str| s.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), last.trim().is_empty()) {
        // The last `n` bytes.
        (true, false) => match number(last) {
            Some(0) => Asked::Unsatisfiable,
            Some(n) if len > 0 => Asked::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            Some(_) => Asked::Unsatisfiable,
            None => Asked::Whole,
        },
        (false, true) => match number(first) {
            Some(start) if start < len => Asked::Part {
                start,
                end: len - 1,
            },
            Some(_) => Asked::Unsatisfiable,
            None => Asked::Whole,
        },
        (false, false) => match (number(first), number(last)) {
            (Some(start), Some(end)) if start <= end => {
                if start < len {
                    Asked::Part {
                        start,
                        end: end.min(len - 1),
                    }
                } else {
                    Asked::Unsatisfiable
                }
            }
            _ => Asked::Whole,
        },
        (true, true) => Asked::Whole,
    }
}

/// `GET /media/{file}`
pub async fn show(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(content_type) = content_type_of(&file) else {
        return error::plain_not_found();
    };
    let media = state.media();
    let len = match media.size_of(&file).await {
        Ok(Some(len)) => len,
        Ok(None) => return error::plain_not_found(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read a media file");
            return error::plain_internal_error();
        }
    };
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let (status, read, content_range) = match asked(range, len) {
        Asked::Whole => (StatusCode::OK, media.read(&file).await, None),
        Asked::Part { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            media.read_part(&file, start, end - start + 1).await,
            Some(format!("bytes {start}-{end}/{len}")),
        ),
        Asked::Unsatisfiable => {
            return (
                StatusCode::RANGE_NOT_SATISFIABLE,
                [
                    (header::CONTENT_RANGE, format!("bytes */{len}")),
                    (header::ACCEPT_RANGES, "bytes".to_owned()),
                ],
            )
                .into_response();
        }
    };
    match read {
        Ok(Some(bytes)) => {
            let mut response = (
                status,
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, CACHE_FOREVER),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                    (header::ACCEPT_RANGES, "bytes"),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'none'; sandbox",
                    ),
                ],
                bytes,
            )
                .into_response();
            if let Some(content_range) = content_range
                && let Ok(value) = HeaderValue::from_str(&content_range)
            {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            response
        }
        Ok(None) => error::plain_not_found(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read a media file");
            error::plain_internal_error()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_http_says() {
        let part = |start, end| Asked::Part { start, end };
        for (range, expected) in [
            (None, Asked::Whole),
            (Some("bytes=0-99"), part(0, 99)),
            (Some("bytes=100-"), part(100, 999)),
            (Some("bytes=-100"), part(900, 999)),
            (Some("bytes=-5000"), part(0, 999)),
            (Some("bytes=990-5000"), part(990, 999)),
            (Some("bytes=999-999"), part(999, 999)),
            (Some("bytes=1000-"), Asked::Unsatisfiable),
            (Some("bytes=1000-1001"), Asked::Unsatisfiable),
            (Some("bytes=-0"), Asked::Unsatisfiable),
            (Some("bytes=5-1"), Asked::Whole),
            (Some("bytes=0-1,5-6"), Asked::Whole),
            (Some("items=0-1"), Asked::Whole),
            (Some("bytes=a-b"), Asked::Whole),
            (Some("bytes=-"), Asked::Whole),
        ] {
            assert_eq!(asked(range, 1000), expected, "{range:?}");
        }
        assert_eq!(asked(Some("bytes=0-"), 0), Asked::Unsatisfiable);
    }
}
