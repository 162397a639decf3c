//! `Note`: a post.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A note as sent and served (its `@context` is added where it is served on its
/// own: see [`super::with_context`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributed_to: String,
    /// A title: given to a post that starts a thread in a group, as Lemmy and
    /// Mbin read a community's posts (see `groups::in_group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub content: String,
    /// The text the author typed, when they typed plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The content warning, if any.
    pub summary: Option<String>,
    pub sensitive: bool,
    pub in_reply_to: Option<String>,
    pub published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub url: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub tag: Vec<Value>,
    pub attachment: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_map: Option<serde_json::Map<String, Value>>,
    /// The group a post is written in, when a closed group passes it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: String,
}

/// A post as other servers send it (`Note`, `Article`, `Page`, `Question`, `Event`,
/// `Video` ...): lenient about shapes, strict about ids.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteNoteObject {
    pub id: url::Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub attributed_to: Vec<Value>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub content_map: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub sensitive: Option<bool>,
    #[serde(default)]
    pub in_reply_to: Option<Value>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub url: Option<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub to: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub cc: Vec<Value>,
    /// The group a post is written in (FEP-1b12).
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub audience: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub tag: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub attachment: Vec<Value>,
}

/// A public note of `https://a.example/users/ann`, for tests of what carries it.
#[cfg(test)]
pub(crate) fn sample() -> Note {
    Note {
        id: "https://a.example/users/ann/statuses/5".into(),
        kind: "Note".into(),
        attributed_to: "https://a.example/users/ann".into(),
        name: None,
        content: "<p>Hello</p>".into(),
        source: None,
        summary: None,
        sensitive: false,
        in_reply_to: None,
        published: "2026-01-02T03:04:05Z".into(),
        updated: None,
        url: "https://a.example/@ann/5".into(),
        to: vec![super::PUBLIC.into()],
        cc: vec!["https://a.example/users/ann/followers".into()],
        tag: Vec::new(),
        attachment: Vec::new(),
        content_map: None,
        audience: None,
    }
}
