//! Home: what a reader follows (people, groups, hashtags), what is written to them,
//! and their own posts; and whether one post is in it, for streaming.

use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select};

use super::walk::{DENSE_FOLLOWS, holds, merge, page_of_parts, through_index};
use crate::Result;
use crate::communities::group;
use crate::entities::{closed_group_posts, follows, mentions, post_tags, posts, tag_follows};
use crate::lists::member::exclusive_members;
use crate::page::Page;
use crate::posts::post::Post;
use crate::visibility::timeline::{
    by_followed_authors, direct, excluded_accounts, excluding, listed, mentioning,
};

/// The most followed accounts a home page looks through.
const MAX_HOME_AUTHORS: u64 = 20_000;

/// `account_id`'s home: its own posts and boosts; the posts and boosts of the
/// accounts it follows that they may see (public, unlisted, followers-only); direct
/// posts that mention it; direct posts written to the closed groups it is a
/// member of; and public posts with a hashtag it follows. Blocked and muted
/// accounts stay out, and so do the posts of the members of its exclusive lists
/// (they are read in those lists).
///
/// Each of the sources is one indexed query for the page; the page is their
/// newest (or, for `min_id`, oldest) posts together.
pub async fn home(db: &impl ConnectionTrait, account_id: i64, page: Page) -> Result<Vec<Post>> {
    let mut rows = Vec::new();
    for source in home_sources(db, account_id).await? {
        rows.extend(match source {
            HomeSource::Walk { per_author, .. } if !per_author.is_empty() => {
                page_of_parts(db, per_author, page).await?
            }
            HomeSource::Walk { posts, .. } => page.apply(posts, posts::Column::Id).all(db).await?,
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
                    closed_group_posts::Column::GroupId.in_subquery(group::groups_of(account_id)),
                );
                through_index(db, index, closed_group_posts::Column::PostId, posts, page).await?
            }
        });
    }
    Ok(merge(rows, page))
}

/// Whether post `post_id` is in `account_id`'s [`home`].
pub async fn in_home(db: &impl ConnectionTrait, account_id: i64, post_id: i64) -> Result<bool> {
    for source in home_sources(db, account_id).await? {
        let query = match source {
            HomeSource::Walk { posts, .. } => posts,
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
            HomeSource::Groups(posts) => {
                posts.filter(posts::Column::Id.in_subquery(group::posts_to_groups_of(account_id)))
            }
        };
        if holds(db, query, post_id).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// One source of a home timeline: which posts qualify, and how a page finds them.
enum HomeSource {
    /// Walked in post order: the reader's and followed accounts' posts; when they
    /// are few accounts, `per_author` holds the same posts split by account, for a
    /// page to read each account's newest through its own index.
    Walk {
        posts: Select<posts::Entity>,
        per_author: Vec<Select<posts::Entity>>,
    },
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
        .filter(follows::Column::TargetId.not_in_subquery(exclusive_members(account_id)))
        .select_only()
        .column(follows::Column::TargetId)
        .limit(MAX_HOME_AUTHORS)
        .into_tuple()
        .all(db)
        .await?;
    let dense = authors.len() >= DENSE_FOLLOWS;
    authors.push(account_id);
    let excluded = excluded_accounts(db, account_id).await?;
    let per_author = if dense {
        Vec::new()
    } else {
        authors
            .iter()
            .map(|&author| {
                let posts =
                    by_followed_authors(posts::Entity::find(), vec![author], account_id, false);
                excluding(posts, &excluded)
            })
            .collect()
    };
    let followed_posts = by_followed_authors(posts::Entity::find(), authors, account_id, dense);
    let direct = excluding(direct(posts::Entity::find()), &excluded);
    let mut sources = vec![
        HomeSource::Walk {
            posts: excluding(followed_posts, &excluded),
            per_author,
        },
        HomeSource::Mentions(direct.clone()),
        HomeSource::Groups(direct),
    ];
    let followed_tags: Vec<i64> = tag_follows::Entity::find()
        .filter(tag_follows::Column::AccountId.eq(account_id))
        .select_only()
        .column(tag_follows::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    if !followed_tags.is_empty() {
        let tagged = listed(posts::Entity::find(), Some(account_id));
        sources.push(HomeSource::Tagged(
            followed_tags,
            excluding(tagged, &excluded),
        ));
    }
    Ok(sources)
}
