//! Ordered collections and their pages (outbox, followers, following).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The collection itself: its size and where its first page is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub total_items: u64,
    pub first: String,
}

/// One page of a collection, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub part_of: String,
    pub total_items: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub ordered_items: Vec<Value>,
}
