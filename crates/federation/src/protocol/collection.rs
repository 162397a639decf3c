//! Ordered collections and their pages (outbox, followers, following, featured,
//! moderators), whatever their items are: actor ids, posts or activities.

use activitypub_federation::kinds::collection::{
    CollectionType, OrderedCollectionPageType, OrderedCollectionType,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A collection: its size, and either where its first page is (a long one) or
/// all its items (a short one).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection<T = Value> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: OrderedCollectionType,
    pub total_items: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<T>>,
}

impl OrderedCollection {
    /// The collection `id` of `total` items, read a page at a time from `first`.
    pub fn paged(id: String, total: u64, first: String) -> Self {
        Self {
            id,
            kind: OrderedCollectionType::OrderedCollection,
            total_items: total,
            first: Some(first),
            ordered_items: None,
        }
    }
}

impl<T> OrderedCollection<T> {
    /// The collection `id`, listed in full: `items`.
    pub fn listed(id: String, items: Vec<T>) -> Self {
        Self {
            id,
            kind: OrderedCollectionType::OrderedCollection,
            total_items: items.len() as u64,
            first: None,
            ordered_items: Some(items),
        }
    }
}

/// A group's followers (its members) as Lemmy serves a community's and reads
/// them: a `Collection` with its size and an empty `items` (Lemmy requires both),
/// and, for other readers, where its first page is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountedCollection {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CollectionType,
    pub total_items: u64,
    pub items: Vec<Value>,
    pub first: String,
}

impl CountedCollection {
    /// The collection `id` of `total` items, read a page at a time from `first`.
    pub fn new(id: String, total: u64, first: String) -> Self {
        Self {
            id,
            kind: CollectionType::Collection,
            total_items: total,
            items: Vec::new(),
            first,
        }
    }
}

/// One page of a collection, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage<T = Value> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: OrderedCollectionPageType,
    pub part_of: String,
    pub total_items: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    pub ordered_items: Vec<T>,
}

impl<T> OrderedCollectionPage<T> {
    /// The page `id` of the collection `part_of` (`total` items in all): `items`,
    /// and the page after it, if any.
    pub fn new(
        id: String,
        part_of: String,
        total: u64,
        items: Vec<T>,
        next: Option<String>,
    ) -> Self {
        Self {
            id,
            kind: OrderedCollectionPageType::OrderedCollectionPage,
            part_of,
            total_items: total,
            next,
            ordered_items: items,
        }
    }
}
