//! Favourites and boosts of posts, by anyone, with the notifications they bring to
//! the post's author.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::entities::{favourites, posts};
use crate::notification::{self, Kind};
use crate::post::{Post, Visibility};
use crate::{Error, Result, id};

/// Records that `account_id` favourited `post` (with the activity `uri`); true if it
/// is new. The author is notified.
pub async fn favourite(
    db: &impl ConnectionTrait,
    account_id: i64,
    post: &Post,
    uri: Option<String>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let exists = favourites::Entity::find()
        .filter(favourites::Column::AccountId.eq(account_id))
        .filter(favourites::Column::PostId.eq(post.id))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(false);
    }
    let inserted = favourites::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        post_id: Set(post.id),
        uri: Set(uri),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Ok(false);
        }
        Err(e) => return Err(e.into()),
    }
    notification::notify(
        db,
        post.account_id,
        account_id,
        Kind::Favourite,
        Some(post.id),
        now,
    )
    .await?;
    Ok(true)
}

/// Takes back the favourite made with the activity `uri` by `account_id`.
pub async fn unfavourite_by_uri(
    db: &impl ConnectionTrait,
    account_id: i64,
    uri: &str,
) -> Result<bool> {
    let result = favourites::Entity::delete_many()
        .filter(favourites::Column::AccountId.eq(account_id))
        .filter(favourites::Column::Uri.eq(uri))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// How many favourites `post_id` has.
pub async fn favourites_count(db: &impl ConnectionTrait, post_id: i64) -> Result<u64> {
    Ok(favourites::Entity::find()
        .filter(favourites::Column::PostId.eq(post_id))
        .count(db)
        .await?)
}

/// Records that `account_id` boosted `post` with the activity `uri` (the boost is a
/// post of its own that shares the original); true if it is new. Only public and
/// unlisted posts can be boosted. The author is notified.
pub async fn reblog(
    db: &impl ConnectionTrait,
    account_id: i64,
    post: &Post,
    uri: &str,
    visibility: Visibility,
    now: DateTime<Utc>,
) -> Result<bool> {
    if !matches!(post.visibility, Visibility::Public | Visibility::Unlisted) {
        return Err(Error::Forbidden("only public posts can be boosted".into()));
    }
    let exists = posts::Entity::find()
        .filter(posts::Column::Uri.eq(uri))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(false);
    }
    posts::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        kind: Set("reblog".to_owned()),
        uri: Set(Some(uri.to_owned())),
        local: Set(false),
        visibility: Set(visibility.name().to_owned()),
        content: Set(String::new()),
        spoiler_text: Set(String::new()),
        sensitive: Set(false),
        created_at: Set(now),
        reblog_of_id: Set(Some(post.id)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    notification::notify(
        db,
        post.account_id,
        account_id,
        Kind::Reblog,
        Some(post.id),
        now,
    )
    .await?;
    Ok(true)
}

/// Takes back the boost made with the activity `uri` by `account_id`.
pub async fn unreblog_by_uri(
    db: &impl ConnectionTrait,
    account_id: i64,
    uri: &str,
) -> Result<bool> {
    let result = posts::Entity::delete_many()
        .filter(posts::Column::AccountId.eq(account_id))
        .filter(posts::Column::Uri.eq(uri))
        .filter(posts::Column::ReblogOfId.is_not_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// How many boosts `post_id` has.
pub async fn reblogs_count(db: &impl ConnectionTrait, post_id: i64) -> Result<u64> {
    Ok(posts::Entity::find()
        .filter(posts::Column::ReblogOfId.eq(post_id))
        .count(db)
        .await?)
}

/// Whether `account_id` favourited `post_id`.
pub async fn has_favourited(
    db: &impl ConnectionTrait,
    account_id: i64,
    post_id: i64,
) -> Result<bool> {
    Ok(favourites::Entity::find()
        .filter(favourites::Column::AccountId.eq(account_id))
        .filter(favourites::Column::PostId.eq(post_id))
        .count(db)
        .await?
        > 0)
}

/// Whether `account_id` boosted `post_id`.
pub async fn has_reblogged(
    db: &impl ConnectionTrait,
    account_id: i64,
    post_id: i64,
) -> Result<bool> {
    Ok(posts::Entity::find()
        .filter(posts::Column::AccountId.eq(account_id))
        .filter(posts::Column::ReblogOfId.eq(post_id))
        .count(db)
        .await?
        > 0)
}
