//! Request bodies as apps send them: form-encoded (Mastodon.py, toot) or JSON
//! (masto, web apps), read into one type either way. Forms may repeat a key for a
//! list, Rails style (`media_ids[]=1&media_ids[]=2`); an empty body reads as no
//! fields. A body that cannot be read is a 422 in the Mastodon error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::Deserialize;
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
        let unreadable = |e: String| ApiError::unprocessable(format!("Validation failed: {e}"));
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

/// An id as apps send it: a string, or a number in JSON.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Id {
    Text(String),
    Number(i64),
}

impl Id {
    /// The id as a number; 422 naming `field` if it is not one.
    pub fn parse(&self, field: &str) -> Result<i64, ApiError> {
        Self::parse_all(std::slice::from_ref(self), field).map(|ids| ids[0])
    }

    /// Every id of `ids` as a number; 422 naming `field` if one is not a number.
    pub fn parse_all(ids: &[Id], field: &str) -> Result<Vec<i64>, ApiError> {
        ids.iter()
            .map(|id| match id {
                Id::Number(n) => Ok(*n),
                Id::Text(text) => text.trim().parse().map_err(|_| {
                    ApiError::unprocessable(format!("Validation failed: {field} must be ids"))
                }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Status {
        status: Option<String>,
        #[serde(default, alias = "media_ids[]")]
        media_ids: Vec<Id>,
    }

    fn ids(status: &Status) -> Vec<i64> {
        Id::parse_all(&status.media_ids, "media_ids").unwrap()
    }

    #[test]
    fn repeated_form_keys_become_lists() {
        let read: Status =
            serde_html_form::from_bytes(b"status=hi&media_ids[]=1&media_ids[]=22").unwrap();
        assert_eq!(read.status.as_deref(), Some("hi"));
        assert_eq!(ids(&read), vec![1, 22]);
        let one: Status = serde_html_form::from_bytes(b"media_ids%5B%5D=7").unwrap();
        assert_eq!(ids(&one), vec![7]);
        let none: Status = serde_html_form::from_bytes(b"status=hi").unwrap();
        assert!(none.media_ids.is_empty());
    }

    #[test]
    fn json_ids_may_be_strings_or_numbers() {
        let read: Status =
            serde_json::from_str(r#"{"status": "hi", "media_ids": ["1", 22]}"#).unwrap();
        assert_eq!(ids(&read), vec![1, 22]);
        let bad: Status = serde_json::from_str(r#"{"media_ids": ["x"]}"#).unwrap();
        assert!(Id::parse_all(&bad.media_ids, "media_ids").is_err());
    }
}
