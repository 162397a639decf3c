//! Timelines: pages of posts, newest first, by id (ids grow with time). Which posts
//! a viewer may see is decided here with the same rules as [`crate::post::can_see`],
//! written as queries so that a page costs one indexed scan.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::entities::{
    closed_group_posts, follows, media_attachments, mentions, post_tags, posts, tag_follows, tags,
};
use crate::post::{Post, Visibility};
use crate::{Result, block, mute};

/// The most posts on one page.
pub const MAX_LIMIT: u64 = 40;
/// Posts on a page when the app does not say.
pub const DEFAULT_LIMIT: u64 = 20;

/// Which page: older than `max_id`, newer than `since_id`, or the ones just newer
/// than `min_id` (Mastodon's three cursors), at most `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: Option<u64>,
}

impl Page {
    /// How many rows the page holds at most.
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }

    /// Applies the cursors to `query`, whose rows are paged by the id `column`: the
    /// rows newest first, or, for `min_id`, the ones just newer than it oldest first
    /// (put right by [`Page::finish`]).
    pub(crate) fn apply<E: EntityTrait>(
        &self,
        mut query: Select<E>,
        column: impl ColumnTrait,
    ) -> Select<E> {
        if let Some(max_id) = self.max_id {
            query = query.filter(column.lt(max_id));
        }
        if let Some(since_id) = self.since_id {
            query = query.filter(column.gt(since_id));
        }
        let query = match self.min_id {
            Some(min_id) => query.filter(column.gt(min_id)).order_by_asc(column),
            None => query.order_by_desc(column),
        };
        query.limit(self.limit())
    }

    /// Puts the rows of a query made with [`Page::apply`] newest first.
    pub(crate) fn finish<T>(&self, rows: &mut [T]) {
        if self.min_id.is_some() {
            rows.reverse();
        }
    }
}

async fn page_of_posts(
    db: &impl ConnectionTrait,
    query: Select<posts::Entity>,
    page: Page,
) -> Result<Vec<Post>> {
    let mut rows = page.apply(query, posts::Column::Id).all(db).await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Post::from).collect())
}

/// Which public posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Local,
    Remote,
}

fn scoped(query: Select<posts::Entity>, scope: Scope) -> Select<posts::Entity> {
    match scope {
        Scope::All => query,
        Scope::Local => query.filter(posts::Column::Local.eq(true)),
        Scope::Remote => query.filter(posts::Column::Local.eq(false)),
    }
}

/// Leaves out, for `viewer`, the posts of accounts they block, mute or are blocked
/// by, and boosts of such accounts' posts.
async fn without_excluded(
    db: &impl ConnectionTrait,
    query: Select<posts::Entity>,
    viewer: Option<i64>,
) -> Result<Select<posts::Entity>> {
    let Some(viewer) = viewer else {
        return Ok(query);
    };
    let mut excluded = block::excluded_for(db, viewer).await?;
    excluded.extend(mute::muted_ids(db, viewer, Utc::now()).await?);
    if excluded.is_empty() {
        return Ok(query);
    }
    let boosted_excluded = Query::select()
        .column(posts::Column::Id)
        .from(posts::Entity)
        .and_where(posts::Column::AccountId.is_in(excluded.clone()))
        .to_owned();
    Ok(query
        .filter(posts::Column::AccountId.is_not_in(excluded))
        .filter(
            Condition::any()
                .add(posts::Column::ReblogOfId.is_null())
                .add(posts::Column::ReblogOfId.not_in_subquery(boosted_excluded)),
        ))
}

/// The posts with media.
fn with_media() -> SelectStatement {
    Query::select()
        .column(media_attachments::Column::PostId)
        .from(media_attachments::Entity)
        .and_where(media_attachments::Column::PostId.is_not_null())
        .to_owned()
}

/// The posts with the normalised tag `name`.
fn with_tag(name: &str) -> SelectStatement {
    let tag = Query::select()
        .column(tags::Column::Id)
        .from(tags::Entity)
        .and_where(tags::Column::Name.eq(name))
        .to_owned();
    Query::select()
        .column(post_tags::Column::PostId)
        .from(post_tags::Entity)
        .and_where(post_tags::Column::TagId.in_subquery(tag))
        .to_owned()
}

/// Whether the timeline `query` holds post `post_id`.
async fn holds(
    db: &impl ConnectionTrait,
    query: Select<posts::Entity>,
    post_id: i64,
) -> Result<bool> {
    Ok(query
        .filter(posts::Column::Id.eq(post_id))
        .count(db)
        .await?
        > 0)
}

/// The public timeline (only posts with media when `only_media`) as `viewer` sees it.
async fn public_query(
    db: &impl ConnectionTrait,
    scope: Scope,
    only_media: bool,
    viewer: Option<i64>,
) -> Result<Select<posts::Entity>> {
    let mut query = posts::Entity::find()
        .filter(posts::Column::Visibility.eq(Visibility::Public.name()))
        .filter(posts::Column::ReblogOfId.is_null());
    if only_media {
        query = query.filter(posts::Column::Id.in_subquery(with_media()));
    }
    without_excluded(db, scoped(query, scope), viewer).await
}

/// A page of public posts (not boosts; only those with media when `only_media`),
/// newest first, as `viewer` sees them.
pub async fn public(
    db: &impl ConnectionTrait,
    scope: Scope,
    only_media: bool,
    viewer: Option<i64>,
    page: Page,
) -> Result<Vec<Post>> {
    page_of_posts(db, public_query(db, scope, only_media, viewer).await?, page).await
}

/// Whether post `post_id` is in the public timeline [`public`] shows `viewer`.
pub async fn in_public(
    db: &impl ConnectionTrait,
    scope: Scope,
    viewer: Option<i64>,
    post_id: i64,
) -> Result<bool> {
    holds(db, public_query(db, scope, false, viewer).await?, post_id).await
}

/// Whether post `post_id` is in the timeline of the normalised tag `name` that
/// [`tag`] shows `viewer`.
pub async fn in_tag(
    db: &impl ConnectionTrait,
    name: &str,
    scope: Scope,
    viewer: Option<i64>,
    post_id: i64,
) -> Result<bool> {
    let query = posts::Entity::find()
        .filter(posts::Column::Id.in_subquery(with_tag(name)))
        .filter(posts::Column::Visibility.eq(Visibility::Public.name()))
        .filter(posts::Column::ReblogOfId.is_null());
    let query = without_excluded(db, scoped(query, scope), viewer).await?;
    holds(db, query, post_id).await
}

/// How many rounds of ids a page read through an index takes at most to fill itself.
const MAX_INDEX_ROUNDS: usize = 10;

/// The normalised tag `name`'s public posts (not boosts), newest first. The page is
/// read through the tag's own index of posts, a round of ids at a time, so that its
/// cost does not grow with the size of the instance.
pub async fn tag(
    db: &impl ConnectionTrait,
    name: &str,
    scope: Scope,
    viewer: Option<i64>,
    page: Page,
) -> Result<Vec<Post>> {
    let Some(tag_id) = tags::Entity::find()
        .filter(tags::Column::Name.eq(name))
        .select_only()
        .column(tags::Column::Id)
        .into_tuple::<i64>()
        .one(db)
        .await?
    else {
        return Ok(Vec::new());
    };
    let query = posts::Entity::find()
        .filter(posts::Column::Visibility.eq(Visibility::Public.name()))
        .filter(posts::Column::ReblogOfId.is_null());
    let query = without_excluded(db, scoped(query, scope), viewer).await?;
    let index = post_tags::Entity::find().filter(post_tags::Column::TagId.eq(tag_id));
    let mut rows = through_index(db, index, post_tags::Column::PostId, query, page).await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Post::from).collect())
}

/// A page of the posts `posts` holds, found through `index`, a table of post ids
/// (its `id_column`) smaller than the posts: a round of ids at a time, read in the
/// page's direction, until the page is full. Newest first (oldest first for
/// `min_id`, for [`Page::finish`] to turn). A page costs index walks, not a walk of
/// every post, however few of them the index names.
async fn through_index<E: EntityTrait>(
    db: &impl ConnectionTrait,
    index: Select<E>,
    id_column: E::Column,
    posts: Select<posts::Entity>,
    page: Page,
) -> Result<Vec<posts::Model>> {
    let wanted = usize::try_from(page.limit()).unwrap_or(usize::MAX);
    let round = usize::try_from(MAX_LIMIT).unwrap_or(40);
    let mut cursor = Page {
        limit: Some(MAX_LIMIT),
        ..page
    };
    let mut rows = Vec::new();
    for _ in 0..MAX_INDEX_ROUNDS {
        let ids: Vec<i64> = cursor
            .apply(index.clone(), id_column)
            .select_only()
            .column(id_column)
            .into_tuple()
            .all(db)
            .await?;
        let Some((&first, &last)) = ids.first().zip(ids.last()) else {
            break;
        };
        let count = ids.len();
        rows.extend(
            posts
                .clone()
                .filter(posts::Column::Id.is_in(ids))
                .all(db)
                .await?,
        );
        if rows.len() >= wanted || count < round {
            break;
        }
        // The next round starts past the last id read, in the page's direction.
        if page.min_id.is_some() {
            cursor.min_id = Some(Ord::max(first, last));
        } else {
            cursor.max_id = Some(Ord::min(first, last));
        }
    }
    if page.min_id.is_some() {
        rows.sort_by_key(|row| row.id);
    } else {
        rows.sort_by_key(|row| std::cmp::Reverse(row.id));
    }
    rows.dedup_by_key(|row| row.id);
    rows.truncate(wanted);
    Ok(rows)
}

/// The posts that mention `account_id`.
fn mentioning(account_id: i64) -> SelectStatement {
    Query::select()
        .column(mentions::Column::PostId)
        .from(mentions::Entity)
        .and_where(mentions::Column::AccountId.eq(account_id))
        .to_owned()
}

/// Following at least this many accounts, a home page is found by walking all posts
/// newest first (the followed accounts' posts are dense); below it, through each
/// followed account's own posts (they are sparse). Either way a page stays a short
/// indexed walk; SQLite would otherwise pick one plan for both.
const DENSE_FOLLOWS: usize = 100;
/// The most followed accounts a home page looks through.
const MAX_HOME_AUTHORS: u64 = 20_000;

/// `account_id`'s home: its own posts and boosts; the posts and boosts of the
/// accounts it follows that they may see (public, unlisted, followers-only); direct
/// posts that mention it; direct posts written to the closed groups it is a
/// member of; and public posts with a hashtag it follows. Blocked and muted
/// accounts stay out.
///
/// Each of the sources is one indexed query for the page; the page is their
/// newest (or, for `min_id`, oldest) posts together.
pub async fn home(db: &impl ConnectionTrait, account_id: i64, page: Page) -> Result<Vec<Post>> {
    let mut rows = Vec::new();
    for source in home_sources(db, account_id).await? {
        rows.extend(match source {
            HomeSource::Walk(posts) => page.apply(posts, posts::Column::Id).all(db).await?,
            HomeSource::Mentions(posts) => {
                let index =
                    mentions::Entity::find().filter(mentions::Column::AccountId.eq(account_id));
                through_index(db, index, mentions::Column::PostId, posts, page).await?
            }
            HomeSource::Tagged(tag_ids, posts) => {
                let index =
                    post_tags::Entity::find().filter(post_tags::Column::TagId.is_in(tag_ids));
                through_index(db, index, post_tags::Column::PostId, posts, page).await?
            }
            HomeSource::Groups(posts) => {
                let index = closed_group_posts::Entity::find().filter(
                    closed_group_posts::Column::GroupId
                        .in_subquery(crate::group::groups_of(account_id)),
                );
                through_index(db, index, closed_group_posts::Column::PostId, posts, page).await?
            }
        });
    }
    // Newest first (oldest first for `min_id`, turned by `finish`), each post once.
    if page.min_id.is_some() {
        rows.sort_by_key(|row| row.id);
    } else {
        rows.sort_by_key(|row| std::cmp::Reverse(row.id));
    }
    rows.dedup_by_key(|row| row.id);
    // A boost of a post the page already shows is not shown again (as on
    // Mastodon): an author in a group sees their post once, not beside the
    // group's announce of it.
    let shown: std::collections::HashSet<i64> = rows
        .iter()
        .filter(|row| row.reblog_of_id.is_none())
        .map(|row| row.id)
        .collect();
    rows.retain(|row| {
        row.reblog_of_id
            .is_none_or(|original| !shown.contains(&original))
    });
    rows.truncate(usize::try_from(page.limit()).unwrap_or(usize::MAX));
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Post::from).collect())
}

/// Whether post `post_id` is in `account_id`'s [`home`].
pub async fn in_home(db: &impl ConnectionTrait, account_id: i64, post_id: i64) -> Result<bool> {
    for source in home_sources(db, account_id).await? {
        let query = match source {
            HomeSource::Walk(posts) => posts,
            HomeSource::Mentions(posts) => {
                posts.filter(posts::Column::Id.in_subquery(mentioning(account_id)))
            }
            HomeSource::Tagged(tag_ids, posts) => posts.filter(
                posts::Column::Id.in_subquery(
                    Query::select()
                        .column(post_tags::Column::PostId)
                        .from(post_tags::Entity)
                        .and_where(post_tags::Column::TagId.is_in(tag_ids))
                        .to_owned(),
                ),
            ),
            HomeSource::Groups(posts) => posts.filter(
                posts::Column::Id.in_subquery(crate::group::posts_to_groups_of(account_id)),
            ),
        };
        if holds(db, query, post_id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// One source of a home timeline: which posts qualify, and how a page finds them.
enum HomeSource {
    /// Walked in post order: the reader's and followed accounts' posts.
    Walk(Select<posts::Entity>),
    /// Found through the reader's mentions: direct posts naming them.
    Mentions(Select<posts::Entity>),
    /// Found through the followed tags (their ids): public posts with them.
    Tagged(Vec<i64>, Select<posts::Entity>),
    /// Found through the closed groups the reader is a member of: the direct posts
    /// written to them.
    Groups(Select<posts::Entity>),
}

/// The sources of [`home`], with blocked and muted accounts left out of each.
async fn home_sources(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<HomeSource>> {
    let mut authors: Vec<i64> = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .select_only()
        .column(follows::Column::TargetId)
        .limit(MAX_HOME_AUTHORS)
        .into_tuple()
        .all(db)
        .await?;
    let dense = authors.len() >= DENSE_FOLLOWS;
    authors.push(account_id);
    let by_author = if dense {
        // `account_id + 0` keeps the planner off the per-account index.
        Expr::col((posts::Entity, posts::Column::AccountId))
            .add(0)
            .is_in(authors)
    } else {
        posts::Column::AccountId.is_in(authors)
    };
    let followed_posts = posts::Entity::find().filter(by_author).filter(
        Condition::any()
            .add(posts::Column::Visibility.is_in([
                Visibility::Public.name(),
                Visibility::Unlisted.name(),
                Visibility::Private.name(),
            ]))
            .add(posts::Column::AccountId.eq(account_id)),
    );
    let direct =
        posts::Entity::find().filter(posts::Column::Visibility.eq(Visibility::Direct.name()));
    let mut sources = vec![
        HomeSource::Walk(without_excluded(db, followed_posts, Some(account_id)).await?),
        HomeSource::Mentions(without_excluded(db, direct.clone(), Some(account_id)).await?),
        HomeSource::Groups(without_excluded(db, direct, Some(account_id)).await?),
    ];
    let followed_tags: Vec<i64> = tag_follows::Entity::find()
        .filter(tag_follows::Column::AccountId.eq(account_id))
        .select_only()
        .column(tag_follows::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    if !followed_tags.is_empty() {
        let tagged = posts::Entity::find()
            .filter(posts::Column::Visibility.eq(Visibility::Public.name()))
            .filter(posts::Column::ReblogOfId.is_null());
        sources.push(HomeSource::Tagged(
            followed_tags,
            without_excluded(db, tagged, Some(account_id)).await?,
        ));
    }
    Ok(sources)
}

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
/// accepted follower, and any that mention the viewer (as [`crate::post::find_visible`]
/// decides); nothing for someone the author blocks.
pub async fn account(
    db: &impl ConnectionTrait,
    author_id: i64,
    viewer: Option<i64>,
    filter: &AccountFilter,
    page: Page,
) -> Result<Vec<Post>> {
    let mut query = posts::Entity::find().filter(posts::Column::AccountId.eq(author_id));
    match viewer {
        Some(viewer) if viewer == author_id => {}
        Some(viewer) => {
            if block::blocks(db, author_id, viewer).await? {
                return Ok(Vec::new());
            }
            let follows = crate::follow::find(db, viewer, author_id)
                .await?
                .is_some_and(|f| f.accepted);
            let mut seen = vec![Visibility::Public.name(), Visibility::Unlisted.name()];
            if follows {
                seen.push(Visibility::Private.name());
            }
            query = query.filter(
                Condition::any()
                    .add(posts::Column::Visibility.is_in(seen))
                    .add(posts::Column::Id.in_subquery(mentioning(viewer))),
            );
        }
        None => {
            query = query.filter(
                posts::Column::Visibility
                    .is_in([Visibility::Public.name(), Visibility::Unlisted.name()]),
            );
        }
    }
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

/// What is known of a post once it is gone: enough to tell whose timelines held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub id: i64,
    pub account_id: i64,
    pub visibility: Visibility,
    pub local: bool,
    /// Whether it was a boost.
    pub boost: bool,
    /// Its normalised hashtags.
    pub tags: Vec<String>,
    /// The accounts it mentioned.
    pub mentioned: Vec<i64>,
}

/// What timelines need to know of `post` once it is gone; read it before deleting.
pub async fn removal(db: &impl ConnectionTrait, post: &Post) -> Result<Removed> {
    let mentioned = mentions::Entity::find()
        .filter(mentions::Column::PostId.eq(post.id))
        .select_only()
        .column(mentions::Column::AccountId)
        .limit(crate::post::MAX_MENTIONS as u64)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Removed {
        id: post.id,
        account_id: post.account_id,
        visibility: post.visibility,
        local: post.local,
        boost: post.reblog_of_id.is_some(),
        tags: crate::tag::of_post(db, post.id).await?,
        mentioned,
    })
}

impl Removed {
    /// Whether it was in the public timeline of `scope` (see [`public`]).
    pub fn was_in_public(&self, scope: Scope) -> bool {
        self.visibility == Visibility::Public
            && !self.boost
            && match scope {
                Scope::All => true,
                Scope::Local => self.local,
                Scope::Remote => !self.local,
            }
    }

    /// Whether it was in the timeline of the normalised tag `name` (see [`tag`]).
    pub fn was_in_tag(&self, name: &str, scope: Scope) -> bool {
        self.was_in_public(scope) && self.tags.iter().any(|tag| tag == name)
    }
}

/// Whether the gone post `removed` was in `account_id`'s [`home`], by the same rule:
/// its own, an accepted follower's (all but direct posts), a direct post mentioning
/// it, or a public post with a hashtag it follows.
pub async fn was_in_home(
    db: &impl ConnectionTrait,
    account_id: i64,
    removed: &Removed,
) -> Result<bool> {
    if removed.account_id == account_id
        || (removed.visibility == Visibility::Direct && removed.mentioned.contains(&account_id))
    {
        return Ok(true);
    }
    if removed.visibility != Visibility::Direct
        && crate::follow::find(db, account_id, removed.account_id)
            .await?
            .is_some_and(|follow| follow.accepted)
    {
        return Ok(true);
    }
    if removed.visibility == Visibility::Public && !removed.boost && !removed.tags.is_empty() {
        let named = Query::select()
            .column(tags::Column::Id)
            .from(tags::Entity)
            .and_where(tags::Column::Name.is_in(removed.tags.clone()))
            .to_owned();
        let followed = tag_follows::Entity::find()
            .filter(tag_follows::Column::AccountId.eq(account_id))
            .filter(tag_follows::Column::TagId.in_subquery(named))
            .count(db)
            .await?;
        return Ok(followed > 0);
    }
    Ok(false)
}
