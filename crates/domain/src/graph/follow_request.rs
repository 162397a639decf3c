//! Asking to follow: the follow (or request) recorded, and the people who should
//! hear of it told — the account followed, or a local group's moderators.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::follow::{Follow, record_request};
use crate::Result;
use crate::accounts::account::Account;
use crate::notifications::notification::Kind;
use crate::notifications::recipients;

/// `follower` asks to follow `target` with the activity `uri`: the follow as it
/// stands (accepted at once by a local account that is not locked). A new follow
/// or request is told to whoever [`recipients::of_follow`] names.
pub async fn request(
    db: &impl ConnectionTrait,
    follower: &Account,
    target: &Account,
    uri: Option<String>,
    now: DateTime<Utc>,
) -> Result<Follow> {
    let (follow, new) = record_request(db, follower, target, uri, now).await?;
    if new {
        let kind = if follow.accepted {
            Kind::Follow
        } else {
            Kind::FollowRequest
        };
        for told in recipients::of_follow(db, target).await? {
            recipients::tell(db, told, follower.id, kind, None, now).await?;
        }
    }
    Ok(follow)
}
