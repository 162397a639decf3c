//! Who is told of what: only local people, never of what they did themselves, and
//! never by accounts they block or are blocked by, or whose notifications they
//! muted (reports excepted: they are the moderators' work). Use cases call these;
//! [`super::notification`] stores what they decide.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::notification::{Kind, insert};
use super::push;
use crate::Result;
use crate::accounts::account::{Account, AccountKind};
use crate::communities::group;
use crate::entities::{accounts, posts};
use crate::graph::{block, follow, mute};
use crate::posts::post::{Post, Visibility};

/// Tells the moderator `account_id` of the report `report_id` that
/// `from_account_id` made. Not held back by blocks or mutes: reports are the
/// moderators' work.
pub async fn tell_of_report(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_account_id: i64,
    report_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if account_id == from_account_id {
        return Ok(());
    }
    store(
        db,
        account_id,
        from_account_id,
        Kind::AdminReport,
        None,
        Some(report_id),
        now,
    )
    .await
}

/// Tells the instance's moderators and administrators that `account_id` signed up
/// (Mastodon's `admin.sign_up`), whether or not it waits for their approval.
pub async fn tell_staff_of_sign_up(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    for member in crate::access::user::staff(db).await? {
        if member.account.id != account_id {
            store(
                db,
                member.account.id,
                account_id,
                Kind::AdminSignUp,
                None,
                None,
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// Tells `account_id` that `from_account_id` did `kind` (to `post_id`). Only local
/// accounts are told; nobody is told of what they did themselves.
pub async fn tell(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_account_id: i64,
    kind: Kind,
    post_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    if account_id == from_account_id {
        return Ok(());
    }
    let local = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .is_some_and(|a| a.domain.is_none());
    if !local
        || block::between(db, account_id, from_account_id).await?
        || mute::hides_notifications(db, account_id, from_account_id, now).await?
    {
        return Ok(());
    }
    store(db, account_id, from_account_id, kind, post_id, None, now).await
}

/// Tells the followers of `post`'s author who asked for it that it was posted.
pub async fn new_post(db: &impl ConnectionTrait, post: &Post, now: DateTime<Utc>) -> Result<()> {
    if post.reblog_of_id.is_some() || post.visibility == Visibility::Direct {
        return Ok(());
    }
    for follower in follow::notified_followers(db, post.account_id).await? {
        tell(
            db,
            follower,
            post.account_id,
            Kind::Status,
            Some(post.id),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Tells the local accounts that boosted `post` that it was edited.
pub async fn post_edited(db: &impl ConnectionTrait, post: &Post, now: DateTime<Utc>) -> Result<()> {
    let boosters: Vec<i64> = posts::Entity::find()
        .filter(posts::Column::ReblogOfId.eq(post.id))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.is_null())
        .select_only()
        .column(posts::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    for booster in boosters {
        tell(
            db,
            booster,
            post.account_id,
            Kind::Update,
            Some(post.id),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Tells the local voters of the poll of `post`, and its author if local, that it
/// ended. The author hears of their own poll too (the one notification of what
/// one did oneself), as Mastodon tells them.
pub async fn poll_ended(
    db: &impl ConnectionTrait,
    post: &Post,
    voters: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    for voter in voters {
        tell(db, *voter, post.account_id, Kind::Poll, Some(post.id), now).await?;
    }
    if post.local {
        store(
            db,
            post.account_id,
            post.account_id,
            Kind::Poll,
            Some(post.id),
            None,
            now,
        )
        .await?;
    }
    Ok(())
}

/// Who hears that someone asked to follow `target` (or followed it): the target
/// itself, or a local group's moderators.
pub async fn of_follow(db: &impl ConnectionTrait, target: &Account) -> Result<Vec<i64>> {
    if target.is_local() && target.kind == AccountKind::Group {
        group::moderators(db, target.id).await
    } else {
        Ok(vec![target.id])
    }
}

/// Stores a notification (see [`insert`]) and queues it for the recipient's push
/// subscriptions that want it.
async fn store(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_account_id: i64,
    kind: Kind,
    post_id: Option<i64>,
    report_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    let id = insert(
        db,
        account_id,
        from_account_id,
        kind,
        post_id,
        report_id,
        now,
    )
    .await?;
    push::queue(db, account_id, from_account_id, kind, id, now).await
}
