//! What is shown with a page of posts — their counts, tags, mentions, the account
//! answered, the viewer's own marks, and their authors' numbers — loaded for the
//! whole page in a fixed number of queries, however many posts it holds.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::sea_query::{DynIden, Expr, ExprTrait, IntoIden, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::accounts::account::{Account, PostingStats};
use crate::entities::{
    account_stats, bookmarks, favourites, mentions, pins, polls, post_tags, posts, tags,
};
use crate::media::{self, MediaAttachment};
use crate::posts::post::Post;
use crate::{Result, accounts::account};

/// What is shown with one post.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostDetails {
    pub favourites: u64,
    pub reblogs: u64,
    pub replies: u64,
    /// Normalised names, sorted.
    pub tags: Vec<String>,
    pub mentions: Vec<Account>,
    /// The author of the post answered, when it is stored.
    pub in_reply_to_account_id: Option<i64>,
    /// The viewer's own marks (false without a viewer).
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    /// Whether the viewer pinned it (their own post).
    pub pinned: bool,
    /// Its media, in order.
    pub media: Vec<MediaAttachment>,
    /// Whether it has a poll (read with `posts::poll` only then).
    pub has_poll: bool,
}

/// An author with the numbers shown on their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorDetails {
    pub account: Account,
    pub posting: PostingStats,
    /// Accepted followers, and accounts followed.
    pub follows: (u64, u64),
}

/// The counts a page shows, each a `(kind, post id, count)` row of [`kinds_of`].
#[derive(Clone, Copy)]
enum Count {
    Favourites,
    Reblogs,
    Replies,
    /// `1` for a post with a poll: pages without polls never read the polls.
    Poll,
}

/// The viewer's marks, each a `(kind, post id, 1)` row of [`kinds_of`].
#[derive(Clone, Copy)]
enum Mark {
    Favourited,
    Reblogged,
    Bookmarked,
    Pinned,
}

/// The `(kind, key, value)` rows of `parts` read in one query (`UNION ALL`), by
/// `(kind, key)`: several small indexed reads for the cost of one round trip.
async fn kinds_of(
    db: &impl ConnectionTrait,
    parts: Vec<SelectStatement>,
) -> Result<HashMap<(i64, i64), i64>> {
    let mut parts = parts.into_iter();
    let Some(mut query) = parts.next() else {
        return Ok(HashMap::new());
    };
    for part in parts {
        query.union(UnionType::All, part);
    }
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&query))
        .await?
        .iter()
        .map(|row| {
            Ok((
                (row.try_get_by_index(0)?, row.try_get_by_index(1)?),
                row.try_get_by_index(2)?,
            ))
        })
        .collect()
}

/// The details of each of `posts` as `viewer` (if any) sees them, by post id.
pub async fn load(
    db: &impl ConnectionTrait,
    posts: &[Post],
    viewer: Option<i64>,
) -> Result<HashMap<i64, PostDetails>> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let counts = kinds_of(
        db,
        vec![
            Query::select()
                .expr(Expr::val(Count::Favourites as i64))
                .column(favourites::Column::PostId)
                .expr(Expr::col(favourites::Column::Id).count())
                .from(favourites::Entity)
                .and_where(favourites::Column::PostId.is_in(ids.clone()))
                .group_by_col(favourites::Column::PostId)
                .to_owned(),
            Query::select()
                .expr(Expr::val(Count::Reblogs as i64))
                .column(posts::Column::ReblogOfId)
                .expr(Expr::col(posts::Column::Id).count())
                .from(posts::Entity)
                .and_where(posts::Column::ReblogOfId.is_in(ids.clone()))
                .group_by_col(posts::Column::ReblogOfId)
                .to_owned(),
            Query::select()
                .expr(Expr::val(Count::Replies as i64))
                .column(posts::Column::InReplyToId)
                .expr(Expr::col(posts::Column::Id).count())
                .from(posts::Entity)
                .and_where(posts::Column::InReplyToId.is_in(ids.clone()))
                .group_by_col(posts::Column::InReplyToId)
                .to_owned(),
            Query::select()
                .expr(Expr::val(Count::Poll as i64))
                .column(polls::Column::PostId)
                .expr(Expr::val(1i64))
                .from(polls::Entity)
                .and_where(polls::Column::PostId.is_in(ids.clone()))
                .to_owned(),
        ],
    )
    .await?;
    let count_of = |kind: Count, post_id: i64| {
        counts
            .get(&(kind as i64, post_id))
            .map_or(0, |n| u64::try_from(*n).unwrap_or_default())
    };

    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(i64, String)> = post_tags::Entity::find()
        .select_only()
        .column(post_tags::Column::PostId)
        .column(tags::Column::Name)
        .inner_join(tags::Entity)
        .filter(post_tags::Column::PostId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    for (post_id, name) in tag_rows {
        tags_of.entry(post_id).or_default().push(name);
    }

    let mention_rows: Vec<(i64, i64)> = mentions::Entity::find()
        .select_only()
        .column(mentions::Column::PostId)
        .column(mentions::Column::AccountId)
        .filter(mentions::Column::PostId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let mentioned_ids: Vec<i64> = mention_rows
        .iter()
        .map(|(_, account_id)| *account_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mentioned: HashMap<i64, Account> = account::get_many(db, &mentioned_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut mentions_of: HashMap<i64, Vec<Account>> = HashMap::new();
    for (post_id, account_id) in mention_rows {
        if let Some(found) = mentioned.get(&account_id) {
            mentions_of.entry(post_id).or_default().push(found.clone());
        }
    }

    let parent_ids: Vec<i64> = posts.iter().filter_map(|p| p.in_reply_to_id).collect();
    let parent_authors: HashMap<i64, i64> = if parent_ids.is_empty() {
        HashMap::new()
    } else {
        posts::Entity::find()
            .select_only()
            .column(posts::Column::Id)
            .column(posts::Column::AccountId)
            .filter(posts::Column::Id.is_in(parent_ids))
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };

    let marks = match viewer {
        Some(viewer) => {
            let marked = |kind: Mark, table: DynIden, account: DynIden, post: DynIden| {
                Query::select()
                    .expr(Expr::val(kind as i64))
                    .column(post.clone())
                    .expr(Expr::val(1i64))
                    .from(table)
                    .and_where(Expr::col(account).eq(viewer))
                    .and_where(Expr::col(post).is_in(ids.clone()))
                    .to_owned()
            };
            kinds_of(
                db,
                vec![
                    marked(
                        Mark::Favourited,
                        favourites::Entity.into_iden(),
                        favourites::Column::AccountId.into_iden(),
                        favourites::Column::PostId.into_iden(),
                    ),
                    marked(
                        Mark::Reblogged,
                        posts::Entity.into_iden(),
                        posts::Column::AccountId.into_iden(),
                        posts::Column::ReblogOfId.into_iden(),
                    ),
                    marked(
                        Mark::Bookmarked,
                        bookmarks::Entity.into_iden(),
                        bookmarks::Column::AccountId.into_iden(),
                        bookmarks::Column::PostId.into_iden(),
                    ),
                    marked(
                        Mark::Pinned,
                        pins::Entity.into_iden(),
                        pins::Column::AccountId.into_iden(),
                        pins::Column::PostId.into_iden(),
                    ),
                ],
            )
            .await?
        }
        None => HashMap::new(),
    };
    let has = |kind: Mark, post_id: i64| marks.contains_key(&(kind as i64, post_id));

    let mut media_of = media::of_posts(db, &ids).await?;

    Ok(posts
        .iter()
        .map(|post| {
            let mut tags = tags_of.remove(&post.id).unwrap_or_default();
            tags.sort();
            let details = PostDetails {
                favourites: count_of(Count::Favourites, post.id),
                reblogs: count_of(Count::Reblogs, post.id),
                replies: count_of(Count::Replies, post.id),
                tags,
                mentions: mentions_of.remove(&post.id).unwrap_or_default(),
                in_reply_to_account_id: post
                    .in_reply_to_id
                    .and_then(|parent| parent_authors.get(&parent).copied()),
                favourited: has(Mark::Favourited, post.id),
                reblogged: has(Mark::Reblogged, post.id),
                bookmarked: has(Mark::Bookmarked, post.id),
                pinned: has(Mark::Pinned, post.id),
                media: media_of.remove(&post.id).unwrap_or_default(),
                has_poll: count_of(Count::Poll, post.id) > 0,
            };
            (post.id, details)
        })
        .collect())
}

/// The accounts `ids` with their numbers, by id (missing ones left out).
pub async fn authors(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, AuthorDetails>> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.is_empty() {
        return Ok(HashMap::new());
    }
    // Kept by the database as posts and follows come and go (see the
    // `account_stats` migration): one indexed read, however much they wrote.
    let stats: HashMap<i64, account_stats::Model> = account_stats::Entity::find()
        .filter(account_stats::Column::AccountId.is_in(unique.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.account_id, row))
        .collect();
    let number = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(account::get_many(db, &unique)
        .await?
        .into_iter()
        .map(|found| {
            let id = found.id;
            let row = stats.get(&id);
            let details = AuthorDetails {
                posting: PostingStats {
                    posts: row.map_or(0, |r| number(r.posts_count)),
                    last_post_at: row.and_then(|r| r.last_post_id).and_then(time_of_id),
                },
                follows: (
                    row.map_or(0, |r| number(r.followers_count)),
                    row.map_or(0, |r| number(r.following_count)),
                ),
                account: found,
            };
            (id, details)
        })
        .collect())
}

/// The account `id` with its numbers.
pub async fn author(db: &impl ConnectionTrait, id: i64) -> Result<AuthorDetails> {
    authors(db, &[id])
        .await?
        .remove(&id)
        .ok_or(crate::Error::NotFound("account"))
}

/// When the row with the time-ordered id `id` was made (to the millisecond).
fn time_of_id(id: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt(id >> 16).single()
}
