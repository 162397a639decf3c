//! What is shown with a page of posts — their counts, tags, mentions, the account
//! answered, the viewer's own marks, and their authors' numbers — loaded for the
//! whole page in a fixed number of queries, however many posts it holds.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::accounts::account::{Account, PostingStats};
use crate::entities::{bookmarks, favourites, follows, mentions, pins, post_tags, posts, tags};
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
}

/// An author with the numbers shown on their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorDetails {
    pub account: Account,
    pub posting: PostingStats,
    /// Accepted followers, and accounts followed.
    pub follows: (u64, u64),
}

/// `(key, count)` rows of a `GROUP BY key` over `ids`.
async fn counted(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<impl EntityTrait>,
) -> Result<HashMap<i64, u64>> {
    let rows: Vec<(i64, i64)> = query.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(key, n)| (key, u64::try_from(n).unwrap_or_default()))
        .collect())
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
    let favourite_counts = counted(
        db,
        favourites::Entity::find()
            .select_only()
            .column(favourites::Column::PostId)
            .column_as(favourites::Column::Id.count(), "n")
            .filter(favourites::Column::PostId.is_in(ids.clone()))
            .group_by(favourites::Column::PostId),
    )
    .await?;
    let reblog_counts = counted(
        db,
        posts::Entity::find()
            .select_only()
            .column(posts::Column::ReblogOfId)
            .column_as(posts::Column::Id.count(), "n")
            .filter(posts::Column::ReblogOfId.is_in(ids.clone()))
            .group_by(posts::Column::ReblogOfId),
    )
    .await?;
    let reply_counts = counted(
        db,
        posts::Entity::find()
            .select_only()
            .column(posts::Column::InReplyToId)
            .column_as(posts::Column::Id.count(), "n")
            .filter(posts::Column::InReplyToId.is_in(ids.clone()))
            .group_by(posts::Column::InReplyToId),
    )
    .await?;

    let tag_rows: Vec<(i64, i64)> = post_tags::Entity::find()
        .select_only()
        .column(post_tags::Column::PostId)
        .column(post_tags::Column::TagId)
        .filter(post_tags::Column::PostId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let tag_ids: HashSet<i64> = tag_rows.iter().map(|(_, tag_id)| *tag_id).collect();
    let tag_names: HashMap<i64, String> = if tag_ids.is_empty() {
        HashMap::new()
    } else {
        tags::Entity::find()
            .select_only()
            .column(tags::Column::Id)
            .column(tags::Column::Name)
            .filter(tags::Column::Id.is_in(tag_ids))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    for (post_id, tag_id) in tag_rows {
        if let Some(name) = tag_names.get(&tag_id) {
            tags_of.entry(post_id).or_default().push(name.clone());
        }
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

    let (favourited, reblogged, bookmarked, pinned) = match viewer {
        Some(viewer) => {
            let favourited: HashSet<i64> = favourites::Entity::find()
                .select_only()
                .column(favourites::Column::PostId)
                .filter(favourites::Column::AccountId.eq(viewer))
                .filter(favourites::Column::PostId.is_in(ids.clone()))
                .into_tuple::<i64>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            let reblogged: HashSet<i64> = posts::Entity::find()
                .select_only()
                .column(posts::Column::ReblogOfId)
                .filter(posts::Column::AccountId.eq(viewer))
                .filter(posts::Column::ReblogOfId.is_in(ids.clone()))
                .into_tuple::<i64>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            let bookmarked: HashSet<i64> = bookmarks::Entity::find()
                .select_only()
                .column(bookmarks::Column::PostId)
                .filter(bookmarks::Column::AccountId.eq(viewer))
                .filter(bookmarks::Column::PostId.is_in(ids.clone()))
                .into_tuple::<i64>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            let pinned: HashSet<i64> = pins::Entity::find()
                .select_only()
                .column(pins::Column::PostId)
                .filter(pins::Column::AccountId.eq(viewer))
                .filter(pins::Column::PostId.is_in(ids.clone()))
                .into_tuple::<i64>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            (favourited, reblogged, bookmarked, pinned)
        }
        None => Default::default(),
    };

    let mut media_of = media::of_posts(db, &ids).await?;

    Ok(posts
        .iter()
        .map(|post| {
            let mut tags = tags_of.remove(&post.id).unwrap_or_default();
            tags.sort();
            let details = PostDetails {
                favourites: favourite_counts.get(&post.id).copied().unwrap_or_default(),
                reblogs: reblog_counts.get(&post.id).copied().unwrap_or_default(),
                replies: reply_counts.get(&post.id).copied().unwrap_or_default(),
                tags,
                mentions: mentions_of.remove(&post.id).unwrap_or_default(),
                in_reply_to_account_id: post
                    .in_reply_to_id
                    .and_then(|parent| parent_authors.get(&parent).copied()),
                favourited: favourited.contains(&post.id),
                reblogged: reblogged.contains(&post.id),
                bookmarked: bookmarked.contains(&post.id),
                pinned: pinned.contains(&post.id),
                media: media_of.remove(&post.id).unwrap_or_default(),
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
    // Post ids grow with time: the newest id tells when the last post was made.
    let posting: Vec<(i64, i64, i64)> = posts::Entity::find()
        .select_only()
        .column(posts::Column::AccountId)
        .column_as(posts::Column::Id.count(), "n")
        .column_as(posts::Column::Id.max(), "newest")
        .filter(posts::Column::AccountId.is_in(unique.clone()))
        .group_by(posts::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    let posting: HashMap<i64, PostingStats> = posting
        .into_iter()
        .map(|(account_id, n, newest)| {
            (
                account_id,
                PostingStats {
                    posts: u64::try_from(n).unwrap_or_default(),
                    last_post_at: time_of_id(newest),
                },
            )
        })
        .collect();
    let followers = counted(
        db,
        follows::Entity::find()
            .select_only()
            .column(follows::Column::TargetId)
            .column_as(follows::Column::Id.count(), "n")
            .filter(follows::Column::TargetId.is_in(unique.clone()))
            .filter(follows::Column::Accepted.eq(true))
            .group_by(follows::Column::TargetId),
    )
    .await?;
    let following = counted(
        db,
        follows::Entity::find()
            .select_only()
            .column(follows::Column::FollowerId)
            .column_as(follows::Column::Id.count(), "n")
            .filter(follows::Column::FollowerId.is_in(unique.clone()))
            .filter(follows::Column::Accepted.eq(true))
            .group_by(follows::Column::FollowerId),
    )
    .await?;
    Ok(account::get_many(db, &unique)
        .await?
        .into_iter()
        .map(|found| {
            let id = found.id;
            let details = AuthorDetails {
                posting: posting.get(&id).copied().unwrap_or(PostingStats {
                    posts: 0,
                    last_post_at: None,
                }),
                follows: (
                    followers.get(&id).copied().unwrap_or_default(),
                    following.get(&id).copied().unwrap_or_default(),
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
