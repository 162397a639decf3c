//! Who may see what of a group: the posts written to a closed group reach its
//! members only, while they are members; a closed group's members are seen by its
//! members and moderators; a group's history is read by members and their servers.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::Result;
use crate::accounts::account::Account;
use crate::communities::group::{Group, Policy, groups_of, is_member, is_moderator};
use crate::entities::{accounts, closed_group_posts, follows};

/// Whether `post_id` is written to a group that `account_id` is a member of: then
/// they may see it, and only while they are a member.
pub async fn reaches(db: &impl ConnectionTrait, post_id: i64, account_id: i64) -> Result<bool> {
    Ok(closed_group_posts::Entity::find()
        .filter(closed_group_posts::Column::PostId.eq(post_id))
        .filter(closed_group_posts::Column::GroupId.in_subquery(groups_of(account_id)))
        .count(db)
        .await?
        > 0)
}

/// Whether `viewer` may list the members of `group`: anyone for an open group,
/// members and moderators for a closed one.
pub async fn may_see_members(
    db: &impl ConnectionTrait,
    group: &Group,
    viewer: Option<i64>,
) -> Result<bool> {
    if group.policy == Policy::Open {
        return Ok(true);
    }
    let Some(viewer) = viewer else {
        return Ok(false);
    };
    Ok(is_member(db, group.account.id, viewer).await?
        || is_moderator(db, group.account.id, viewer).await?)
}

/// Whether `signer` may read what is written to the group `group_id`: a
/// member, or an actor of a server where a member is (its instance actor
/// fetches for its members).
pub async fn may_read_history(
    db: &impl ConnectionTrait,
    group_id: i64,
    signer: &Account,
) -> Result<bool> {
    if is_member(db, group_id, signer.id).await? {
        return Ok(true);
    }
    let Some(domain) = &signer.domain else {
        return Ok(false);
    };
    let count = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(group_id))
        .filter(follows::Column::Accepted.eq(true))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.eq(domain.as_str()))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// Whether `viewer` may read the posts written to the closed group `group_id`
/// (direct posts naming it): its members, while they are members.
pub async fn reads_posts_written_to(
    db: &impl ConnectionTrait,
    group_id: i64,
    viewer: Option<i64>,
) -> Result<bool> {
    match viewer {
        Some(viewer) => is_member(db, group_id, viewer).await,
        None => Ok(false),
    }
}
