//! An account's posts: the page its profile shows a viewer, and its outbox (what
//! anyone may see of it) for other servers.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::walk::{page_of_posts, with_media, with_tag};
use crate::Result;
use crate::entities::posts;
use crate::page::{MAX_LIMIT, Page};
use crate::posts::post::Post;
use crate::visibility::timeline::{by_author, seen_by_anyone};

/// What an account's page of posts leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFilter {
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
    /// Only posts with media.
    pub only_media: bool,
    /// Only posts with this (normalised) hashtag.
    pub tagged: Option<String>,
}

/// A page of `author_id`'s posts and boosts that `viewer` may see: everything for
/// the author; public and unlisted ones for anyone, followers-only ones for an
/// A page of `author_id`'s posts and boosts that `viewer` may see (see
/// [`by_author`]), as `filter` narrows them.
pub async fn account(
    db: &impl ConnectionTrait,
    author_id: i64,
    viewer: Option<i64>,
    filter: &AccountFilter,
    page: Page,
) -> Result<Vec<Post>> {
    let Some(mut query) = by_author(db, author_id, viewer).await? else {
        return Ok(Vec::new());
    };
    if filter.exclude_replies {
        query = query
            .filter(posts::Column::InReplyToId.is_null())
            .filter(posts::Column::InReplyToUri.is_null());
    }
    if filter.exclude_reblogs {
        query = query.filter(posts::Column::ReblogOfId.is_null());
    }
    if filter.only_media {
        query = query.filter(posts::Column::Id.in_subquery(with_media()));
    }
    if let Some(tag) = &filter.tagged {
        query = query.filter(posts::Column::Id.in_subquery(with_tag(tag)));
    }
    page_of_posts(db, query, page).await
}

async fn page_of_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    boosts: bool,
    max_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    let mut query = seen_by_anyone(posts::Entity::find(), boosts)
        .filter(posts::Column::AccountId.eq(account_id));
    if let Some(max_id) = max_id {
        query = query.filter(posts::Column::Id.lt(max_id));
    }
    let rows = query
        .order_by_desc(posts::Column::Id)
        .limit(limit.min(MAX_LIMIT))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Post::from).collect())
}

/// `account_id`'s own posts that anyone may see, newest first, older than
/// `max_id`, at most `limit`.
pub async fn public_by_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    max_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    page_of_account(db, account_id, false, max_id, limit).await
}

/// How many of `account_id`'s posts anyone may see.
pub async fn count_public_by_account(db: &impl ConnectionTrait, account_id: i64) -> Result<u64> {
    Ok(seen_by_anyone(posts::Entity::find(), false)
        .filter(posts::Column::AccountId.eq(account_id))
        .count(db)
        .await?)
}

/// `account_id`'s outbox: its posts and boosts that anyone may see, newest first,
/// older than `max_id`, at most `limit` (a group's boosts are what it announced).
pub async fn outbox_by_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    max_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    page_of_account(db, account_id, true, max_id, limit).await
}

/// How many posts and boosts `account_id`'s outbox holds.
pub async fn count_outbox_by_account(db: &impl ConnectionTrait, account_id: i64) -> Result<u64> {
    Ok(seen_by_anyone(posts::Entity::find(), true)
        .filter(posts::Column::AccountId.eq(account_id))
        .count(db)
        .await?)
}
