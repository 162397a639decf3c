//! Favourites and boosts of posts, by anyone, with the notifications they bring to
//! the post's author.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::entities::{favourites, posts};
use crate::notifications::notification::Kind;
use crate::notifications::recipients;
use crate::page::Page;
use crate::posts::post::{Post, Visibility};
use crate::timelines::home_feed;
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
    crate::accounts::moving::ensure_active_by_id(db, account_id).await?;
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
    recipients::tell(
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

/// Records that `account_id` boosted `post` (the boost is a post of its own that
/// shares the original): a remote boost with its activity `uri`, a local one without.
/// The boost, and whether it is new (boosting twice changes nothing). Only public and
/// unlisted posts can be boosted. The author is notified.
pub async fn reblog(
    db: &impl ConnectionTrait,
    account_id: i64,
    post: &Post,
    uri: Option<&str>,
    visibility: Visibility,
    now: DateTime<Utc>,
) -> Result<(Post, bool)> {
    if !matches!(post.visibility, Visibility::Public | Visibility::Unlisted)
        || post.reblog_of_id.is_some()
    {
        return Err(Error::Forbidden("only public posts can be boosted".into()));
    }
    if uri.is_some() && !crate::visibility::post::federates(post) {
        return Err(Error::Forbidden(
            "a local-only post is not shared with other servers".into(),
        ));
    }
    crate::accounts::moving::ensure_active_by_id(db, account_id).await?;
    let earlier = match uri {
        Some(uri) => posts::Entity::find().filter(posts::Column::Uri.eq(uri)),
        None => posts::Entity::find()
            .filter(posts::Column::AccountId.eq(account_id))
            .filter(posts::Column::ReblogOfId.eq(post.id)),
    }
    .one(db)
    .await?;
    if let Some(earlier) = earlier {
        return Ok((earlier.into(), false));
    }
    let boost = posts::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        kind: Set("reblog".to_owned()),
        uri: Set(uri.map(str::to_owned)),
        local: Set(uri.is_none()),
        visibility: Set(visibility.name().to_owned()),
        content: Set(String::new()),
        spoiler_text: Set(String::new()),
        sensitive: Set(false),
        created_at: Set(now),
        reblog_of_id: Set(Some(post.id)),
        // A boost of a local-only post stays inside the instance as the post does.
        local_only: Set(post.local_only),
        ..Default::default()
    }
    .insert(db)
    .await?;
    home_feed::add_post(db, boost.id).await?;
    recipients::tell(
        db,
        post.account_id,
        account_id,
        Kind::Reblog,
        Some(post.id),
        now,
    )
    .await?;
    Ok((boost.into(), true))
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

/// `account_id` takes back its favourite of `post_id`: the activity id it was made
/// with, if it was there.
pub async fn unfavourite(
    db: &impl ConnectionTrait,
    account_id: i64,
    post_id: i64,
) -> Result<Option<Option<String>>> {
    let Some(row) = favourites::Entity::find()
        .filter(favourites::Column::AccountId.eq(account_id))
        .filter(favourites::Column::PostId.eq(post_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    favourites::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(Some(row.uri))
}

/// Whether `account_id` has boosted `post_id`.
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

/// `account_id` takes back its boost of `post_id`: the boost as it was, if there was
/// one.
pub async fn unreblog(
    db: &impl ConnectionTrait,
    account_id: i64,
    post_id: i64,
) -> Result<Option<Post>> {
    let Some(row) = posts::Entity::find()
        .filter(posts::Column::AccountId.eq(account_id))
        .filter(posts::Column::ReblogOfId.eq(post_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    posts::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(Some(row.into()))
}

/// A page of the accounts that favourited `post_id`, newest first: (favourite id,
/// account id) pairs, the favourite ids being the cursors.
pub async fn favourited_by(
    db: &impl ConnectionTrait,
    post_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let query = favourites::Entity::find().filter(favourites::Column::PostId.eq(post_id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, favourites::Column::Id)
        .select_only()
        .column(favourites::Column::Id)
        .column(favourites::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}

/// A page of the accounts that boosted `post_id`, newest first: (boost id, account
/// id) pairs.
pub async fn reblogged_by(
    db: &impl ConnectionTrait,
    post_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let query = posts::Entity::find().filter(posts::Column::ReblogOfId.eq(post_id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, posts::Column::Id)
        .select_only()
        .column(posts::Column::Id)
        .column(posts::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}

/// A page of the posts `account_id` favourited, newest favourite first: (favourite
/// id, post id) pairs.
pub async fn favourites_of(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let query = favourites::Entity::find().filter(favourites::Column::AccountId.eq(account_id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, favourites::Column::Id)
        .select_only()
        .column(favourites::Column::Id)
        .column(favourites::Column::PostId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}
