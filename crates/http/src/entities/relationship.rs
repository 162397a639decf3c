//! The Mastodon `Relationship` entity.

use serde::Serialize;
use staffroom_domain::graph::relationship::Relationship as DomainRelationship;

/// How the signed-in account stands towards another, every flag present.
#[derive(Debug, Clone, Serialize)]
pub struct Relationship {
    pub id: String,
    pub following: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub languages: Option<Vec<String>>,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub requested: bool,
    pub requested_by: bool,
    pub domain_blocking: bool,
    pub endorsed: bool,
    pub note: String,
}

impl Relationship {
    /// The entity of `relationship`; `notifying` says whether each new post is told.
    pub fn new(relationship: &DomainRelationship, notifying: bool) -> Self {
        Self {
            id: relationship.target_id.to_string(),
            following: relationship.following,
            showing_reblogs: relationship.following || relationship.requested,
            notifying,
            languages: None,
            followed_by: relationship.followed_by,
            blocking: relationship.blocking,
            blocked_by: relationship.blocked_by,
            muting: relationship.muting,
            muting_notifications: relationship.muting_notifications,
            requested: relationship.requested,
            requested_by: relationship.requested_by,
            domain_blocking: false,
            endorsed: relationship.endorsed,
            note: relationship.note.clone(),
        }
    }
}
