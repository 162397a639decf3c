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

/// A request body as a JSON value, whether it came as JSON or as a form whose keys
/// nest Rails style (`context[]=home`, `keywords_attributes[][keyword]=x`,
/// `keywords_attributes[0][keyword]=x`): for bodies of nested records, which
/// [`FormOrJson`] cannot read from forms.
#[derive(Debug)]
pub struct Params(pub serde_json::Value);

impl<S> FromRequest<S> for Params
where
    S: Send + Sync,
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
            return Ok(Self(serde_json::Value::Object(Default::default())));
        }
        if is_json {
            let value: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| unreadable(e.to_string()))?;
            if !value.is_object() {
                return Err(unreadable("the body must be an object".to_owned()));
            }
            Ok(Self(value))
        } else {
            Ok(Self(nest(url::form_urlencoded::parse(&body))))
        }
    }
}

/// The most fields a nested form is read for.
const MAX_FORM_FIELDS: usize = 1_000;

/// Form pairs as a JSON object, their keys nested Rails style. Records given by
/// index (`a[0][b]`) come as an object keyed by the index, in the order given.
fn nest<'a>(
    pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut root = Map::new();
    for (key, value) in pairs.take(MAX_FORM_FIELDS) {
        let value = Value::String(value.into_owned());
        let (base, rest) = match key.find('[') {
            Some(at) => (&key[..at], &key[at..]),
            None => (key.as_ref(), ""),
        };
        let parts: Vec<&str> = rest
            .split(']')
            .filter_map(|p| p.strip_prefix('['))
            .collect();
        match parts.as_slice() {
            [] => {
                root.insert(base.to_owned(), value);
            }
            [""] => {
                let entry = root
                    .entry(base.to_owned())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    items.push(value);
                }
            }
            ["", field] => {
                let entry = root
                    .entry(base.to_owned())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    let fresh = match items.last() {
                        Some(Value::Object(last)) => last.contains_key(*field),
                        _ => true,
                    };
                    if fresh {
                        items.push(Value::Object(Map::new()));
                    }
                    if let Some(Value::Object(last)) = items.last_mut() {
                        last.insert((*field).to_owned(), value);
                    }
                }
            }
            [index, field] => {
                let entry = root
                    .entry(base.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(records) = entry
                    && let Value::Object(record) = records
                        .entry((*index).to_owned())
                        .or_insert_with(|| Value::Object(Map::new()))
                {
                    record.insert((*field).to_owned(), value);
                }
            }
            [field] => {
                let entry = root
                    .entry(base.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(record) = entry {
                    record.insert((*field).to_owned(), value);
                }
            }
            _ => {}
        }
    }
    Value::Object(root)
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
    fn nested_form_keys_become_records() {
        let read = nest(url::form_urlencoded::parse(
            b"title=T&context[]=home&context[]=public&keywords_attributes[][keyword]=a\
              &keywords_attributes[][whole_word]=false&keywords_attributes[][keyword]=b\
              &k[0][id]=1&k[0][_destroy]=true",
        ));
        assert_eq!(
            read,
            serde_json::json!({
                "title": "T",
                "context": ["home", "public"],
                "keywords_attributes": [
                    {"keyword": "a", "whole_word": "false"},
                    {"keyword": "b"}
                ],
                "k": {"0": {"id": "1", "_destroy": "true"}}
            })
        );
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
