//! Pinned posts: a person shows up to [`MAX_PINS`] of their own posts at the top
//! of their profile. A direct post is never pinned (it would show to nobody but
//! its addressees anyway); who sees a pinned post is still decided by its
//! visibility.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::accounts::account::Account;
use crate::entities::pins;
use crate::posts::post::{self, Post, Visibility};
use crate::visibility::post::{Viewer, find_visible, is_visible};
use crate::{Error, Result};

/// The most posts one person pins (Mastodon's number).
pub const MAX_PINS: u64 = 5;

/// `account` pins its post `post_id`: the post.
pub async fn pin(
    db: &impl ConnectionTrait,
    account: &Account,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<Post> {
    let found = find_visible(db, post_id, Viewer::Account(account.id)).await?;
    if found.account_id != account.id || found.reblog_of_id.is_some() {
        return Err(Error::invalid("id", "is not a post of yours"));
    }
    if found.visibility == Visibility::Direct {
        return Err(Error::invalid(
            "id",
            "is a direct post, which cannot be pinned",
        ));
    }
    if is_pinned(db, account.id, post_id).await? {
        return Ok(found);
    }
    if count(db, account.id).await? >= MAX_PINS {
        return Err(Error::invalid(
            "id",
            format!("cannot be pinned: at most {MAX_PINS} posts are"),
        ));
    }
    pins::Entity::insert(pins::ActiveModel {
        account_id: Set(account.id),
        post_id: Set(post_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([pins::Column::AccountId, pins::Column::PostId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(found)
}

/// `account` unpins its post `post_id`: the post.
pub async fn unpin(db: &impl ConnectionTrait, account: &Account, post_id: i64) -> Result<Post> {
    let found = find_visible(db, post_id, Viewer::Account(account.id)).await?;
    pins::Entity::delete_many()
        .filter(pins::Column::AccountId.eq(account.id))
        .filter(pins::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    Ok(found)
}

/// Whether `account_id` pinned `post_id`.
pub async fn is_pinned(db: &impl ConnectionTrait, account_id: i64, post_id: i64) -> Result<bool> {
    Ok(pins::Entity::find_by_id((account_id, post_id))
        .one(db)
        .await?
        .is_some())
}

async fn count(db: &impl ConnectionTrait, account_id: i64) -> Result<u64> {
    Ok(pins::Entity::find()
        .filter(pins::Column::AccountId.eq(account_id))
        .count(db)
        .await?)
}

/// The posts `account_id` pinned, latest pin first (their ids).
pub async fn pinned_ids(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<i64>> {
    Ok(pins::Entity::find()
        .filter(pins::Column::AccountId.eq(account_id))
        .order_by_desc(pins::Column::CreatedAt)
        .limit(MAX_PINS)
        .select_only()
        .column(pins::Column::PostId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The posts `account_id` pinned that `viewer` may see, latest pin first.
pub async fn pinned_for(
    db: &impl ConnectionTrait,
    account_id: i64,
    viewer: Viewer,
) -> Result<Vec<Post>> {
    let ids = pinned_ids(db, account_id).await?;
    let found = post::get_many(db, &ids).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(one) = found.get(&id)
            && is_visible(db, one, viewer).await?
        {
            out.push(one.clone());
        }
    }
    Ok(out)
}
