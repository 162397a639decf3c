//! What is shown with a page of posts — their counts, tags, mentions, the account
//! answered, the viewer's own marks, and their authors' numbers — loaded for the
//! whole page in a fixed number of queries, however many posts it holds.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::sea_query::{
    DynIden, Expr, ExprTrait, IntoIden, JoinType, Query, SelectStatement, UnionType,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, RelationDef};

use crate::Result;
use crate::accounts::account::{Account, PostingStats};
use crate::entities::{
    account_stats, accounts, bookmarks, favourites, media_attachments, mentions, pins, polls,
    post_tags, posts, tags,
};
use crate::media::{self, MediaAttachment};
use crate::posts::post::Post;

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

/// What one row of the page's facts query says (its first column): each part of
/// the `UNION ALL` is a `(kind, key, value, name)` row, see [`page_facts`].
#[derive(Clone, Copy)]
enum Fact {
    /// `(post, count)`.
    Favourites,
    Reblogs,
    Replies,
    /// `(post, 1)` for a post with a poll: pages without polls never read the polls.
    Poll,
    /// `(post, count)` for a post with media: pages without media never read media.
    Media,
    /// The viewer's marks, `(post, 1)`.
    Favourited,
    Reblogged,
    Bookmarked,
    Pinned,
    /// `(post, mentioned account)`.
    Mention,
    /// `(post answered, its author)`.
    Parent,
    /// `(post, 0, tag name)`.
    Tag,
}

impl Fact {
    const ALL: [Fact; 12] = [
        Fact::Favourites,
        Fact::Reblogs,
        Fact::Replies,
        Fact::Poll,
        Fact::Media,
        Fact::Favourited,
        Fact::Reblogged,
        Fact::Bookmarked,
        Fact::Pinned,
        Fact::Mention,
        Fact::Parent,
        Fact::Tag,
    ];

    fn of(kind: i64) -> Option<Fact> {
        usize::try_from(kind)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

/// One part of the facts query: `kind` first, then `key` and `value` (integer
/// expressions) and no name, from `table`.
fn fact(kind: Fact, table: DynIden, key: Expr, value: Expr) -> SelectStatement {
    Query::select()
        .expr(Expr::val(kind as i64))
        .expr(key)
        .expr(value)
        .expr(Expr::val(Option::<String>::None))
        .from(table)
        .to_owned()
}

/// Everything a page of `posts` shows beside the posts themselves, but their
/// authors and media, read in one query (`UNION ALL` of small indexed reads):
/// the `(kind, key, value, name)` rows of [`Fact`].
async fn page_facts(
    db: &impl ConnectionTrait,
    ids: &[i64],
    parent_ids: &[i64],
    viewer: Option<i64>,
) -> Result<Vec<(i64, i64, i64, Option<String>)>> {
    let ids = || ids.iter().copied();
    let count = |kind: Fact, table: DynIden, post: DynIden, id: DynIden| {
        fact(kind, table, Expr::col(post.clone()), Expr::col(id).count())
            .and_where(Expr::col(post.clone()).is_in(ids()))
            .group_by_col(post)
            .to_owned()
    };
    let mut parts = vec![
        count(
            Fact::Favourites,
            favourites::Entity.into_iden(),
            favourites::Column::PostId.into_iden(),
            favourites::Column::Id.into_iden(),
        ),
        count(
            Fact::Reblogs,
            posts::Entity.into_iden(),
            posts::Column::ReblogOfId.into_iden(),
            posts::Column::Id.into_iden(),
        ),
        count(
            Fact::Replies,
            posts::Entity.into_iden(),
            posts::Column::InReplyToId.into_iden(),
            posts::Column::Id.into_iden(),
        ),
        fact(
            Fact::Poll,
            polls::Entity.into_iden(),
            Expr::col(polls::Column::PostId),
            Expr::val(1i64),
        )
        .and_where(polls::Column::PostId.is_in(ids()))
        .to_owned(),
        count(
            Fact::Media,
            media_attachments::Entity.into_iden(),
            media_attachments::Column::PostId.into_iden(),
            media_attachments::Column::Id.into_iden(),
        ),
        fact(
            Fact::Mention,
            mentions::Entity.into_iden(),
            Expr::col(mentions::Column::PostId),
            Expr::col(mentions::Column::AccountId),
        )
        .and_where(mentions::Column::PostId.is_in(ids()))
        .to_owned(),
        Query::select()
            .expr(Expr::val(Fact::Tag as i64))
            .column((post_tags::Entity, post_tags::Column::PostId))
            .expr(Expr::val(0i64))
            .column((tags::Entity, tags::Column::Name))
            .from(post_tags::Entity)
            .inner_join(
                tags::Entity,
                Expr::col((tags::Entity, tags::Column::Id))
                    .equals((post_tags::Entity, post_tags::Column::TagId)),
            )
            .and_where(Expr::col((post_tags::Entity, post_tags::Column::PostId)).is_in(ids()))
            .to_owned(),
    ];
    if !parent_ids.is_empty() {
        parts.push(
            fact(
                Fact::Parent,
                posts::Entity.into_iden(),
                Expr::col(posts::Column::Id),
                Expr::col(posts::Column::AccountId),
            )
            .and_where(posts::Column::Id.is_in(parent_ids.iter().copied()))
            .to_owned(),
        );
    }
    if let Some(viewer) = viewer {
        let marked = |kind: Fact, table: DynIden, account: DynIden, post: DynIden| {
            fact(kind, table, Expr::col(post.clone()), Expr::val(1i64))
                .and_where(Expr::col(account).eq(viewer))
                .and_where(Expr::col(post).is_in(ids()))
                .to_owned()
        };
        parts.extend([
            marked(
                Fact::Favourited,
                favourites::Entity.into_iden(),
                favourites::Column::AccountId.into_iden(),
                favourites::Column::PostId.into_iden(),
            ),
            marked(
                Fact::Reblogged,
                posts::Entity.into_iden(),
                posts::Column::AccountId.into_iden(),
                posts::Column::ReblogOfId.into_iden(),
            ),
            marked(
                Fact::Bookmarked,
                bookmarks::Entity.into_iden(),
                bookmarks::Column::AccountId.into_iden(),
                bookmarks::Column::PostId.into_iden(),
            ),
            marked(
                Fact::Pinned,
                pins::Entity.into_iden(),
                pins::Column::AccountId.into_iden(),
                pins::Column::PostId.into_iden(),
            ),
        ]);
    }
    let mut parts = parts.into_iter();
    let Some(mut query) = parts.next() else {
        return Ok(Vec::new());
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
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                row.try_get_by_index(2)?,
                row.try_get_by_index(3)?,
            ))
        })
        .collect()
}

/// What a page of posts shows beside the posts: each post's details, by post id,
/// and the accounts it names (authors and mentioned accounts) with their numbers,
/// by account id.
#[derive(Debug, Clone, Default)]
pub struct PageDetails {
    pub posts: HashMap<i64, PostDetails>,
    pub accounts: HashMap<i64, AuthorDetails>,
}

/// The details of each of `posts` as `viewer` (if any) sees them, and their authors
/// and mentioned accounts: two queries for most pages (one `UNION ALL` of the
/// page's counts, marks, mentions, answered authors and tags, then the accounts
/// with their numbers), a third only when a post of the page has media.
pub async fn load_page(
    db: &impl ConnectionTrait,
    posts: &[&Post],
    viewer: Option<i64>,
) -> Result<PageDetails> {
    if posts.is_empty() {
        return Ok(PageDetails::default());
    }
    let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
    let parent_ids: Vec<i64> = posts.iter().filter_map(|p| p.in_reply_to_id).collect();
    let mut details: HashMap<i64, PostDetails> = HashMap::with_capacity(posts.len());
    for id in &ids {
        details.insert(*id, PostDetails::default());
    }
    let mut mentions: Vec<(i64, i64)> = Vec::new();
    let mut parent_authors: HashMap<i64, i64> = HashMap::new();
    let mut with_media: Vec<i64> = Vec::new();
    let number = |n: i64| u64::try_from(n).unwrap_or_default();
    for (kind, key, value, name) in page_facts(db, &ids, &parent_ids, viewer).await? {
        let Some(fact) = Fact::of(kind) else { continue };
        if let Fact::Parent = fact {
            parent_authors.insert(key, value);
            continue;
        }
        let Some(post) = details.get_mut(&key) else {
            continue;
        };
        match fact {
            Fact::Favourites => post.favourites = number(value),
            Fact::Reblogs => post.reblogs = number(value),
            Fact::Replies => post.replies = number(value),
            Fact::Poll => post.has_poll = true,
            Fact::Media => with_media.push(key),
            Fact::Favourited => post.favourited = true,
            Fact::Reblogged => post.reblogged = true,
            Fact::Bookmarked => post.bookmarked = true,
            Fact::Pinned => post.pinned = true,
            Fact::Mention => mentions.push((key, value)),
            Fact::Tag => post.tags.extend(name),
            Fact::Parent => {}
        }
    }
    let mut people: Vec<i64> = posts.iter().map(|p| p.account_id).collect();
    people.extend(mentions.iter().map(|(_, account)| *account));
    let accounts = authors(db, &people).await?;
    // Mentions in account order within a post, as the mentions' own index gives them.
    mentions.sort_unstable();
    for (post_id, account_id) in mentions {
        if let (Some(post), Some(found)) = (details.get_mut(&post_id), accounts.get(&account_id)) {
            post.mentions.push(found.account.clone());
        }
    }
    if !with_media.is_empty() {
        for (post_id, media) in media::of_posts(db, &with_media).await? {
            if let Some(post) = details.get_mut(&post_id) {
                post.media = media;
            }
        }
    }
    for post in posts {
        if let Some(found) = details.get_mut(&post.id) {
            found.tags.sort();
            found.in_reply_to_account_id = post
                .in_reply_to_id
                .and_then(|parent| parent_authors.get(&parent).copied());
        }
    }
    Ok(PageDetails {
        posts: details,
        accounts,
    })
}

/// The accounts `ids` with their numbers, by id (missing ones left out): one
/// query, the accounts joined with their numbers.
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
    let stats_of: RelationDef = accounts::Entity::belongs_to(account_stats::Entity)
        .from(accounts::Column::Id)
        .to(account_stats::Column::AccountId)
        .into();
    let rows = accounts::Entity::find()
        .join(JoinType::LeftJoin, stats_of)
        .select_also(account_stats::Entity)
        .filter(accounts::Column::Id.is_in(unique))
        .filter(accounts::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let number = |n: i64| u64::try_from(n).unwrap_or_default();
    let mut found = HashMap::with_capacity(rows.len());
    for (account, row) in rows {
        let row = row.as_ref();
        let details = AuthorDetails {
            posting: PostingStats {
                posts: row.map_or(0, |r| number(r.posts_count)),
                last_post_at: row.and_then(|r| r.last_post_id).and_then(time_of_id),
            },
            follows: (
                row.map_or(0, |r| number(r.followers_count)),
                row.map_or(0, |r| number(r.following_count)),
            ),
            account: Account::from(account),
        };
        found.insert(details.account.id, details);
    }
    Ok(found)
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
