//! How one account stands towards another: every follow, block and mute between
//! them, and the viewer's private note, as apps show it on a profile.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::{
    Result,
    graph::{block, endorsement, follow, mute, note},
};

/// `account` towards `target`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relationship {
    pub target_id: i64,
    /// `account` follows `target` (accepted).
    pub following: bool,
    /// `account` asked to follow `target` and waits for an answer.
    pub requested: bool,
    /// `target` follows `account` (accepted).
    pub followed_by: bool,
    /// `target` asked to follow `account`.
    pub requested_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    /// `account` features `target` on their profile (see [`super::endorsement`]).
    pub endorsed: bool,
    /// `account`'s private note about `target` (see [`super::note`]), empty if none.
    pub note: String,
}

/// How `account_id` stands towards `target_id` at `now`.
pub async fn between(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
    now: DateTime<Utc>,
) -> Result<Relationship> {
    let outgoing = follow::find(db, account_id, target_id).await?;
    let incoming = follow::find(db, target_id, account_id).await?;
    let mute = mute::find(db, account_id, target_id, now).await?;
    Ok(Relationship {
        target_id,
        following: outgoing.as_ref().is_some_and(|f| f.accepted),
        requested: outgoing.as_ref().is_some_and(|f| !f.accepted),
        followed_by: incoming.as_ref().is_some_and(|f| f.accepted),
        requested_by: incoming.as_ref().is_some_and(|f| !f.accepted),
        blocking: block::blocks(db, account_id, target_id).await?,
        blocked_by: block::blocks(db, target_id, account_id).await?,
        muting: mute.is_some(),
        muting_notifications: mute.is_some_and(|m| m.notifications),
        endorsed: endorsement::endorses(db, account_id, target_id).await?,
        note: note::of(db, account_id, target_id).await?,
    })
}
