//! `Note`: a post.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A note as sent and served.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributed_to: String,
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: String,
}
