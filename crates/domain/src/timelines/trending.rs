//! Trending posts: the public posts of the last days that were favourited and
//! boosted the most, as Mastodon's `trends/statuses` lists them.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Result;
use crate::entities::{favourites, posts};
use crate::id;
use crate::posts::post::Post;
use crate::visibility::timeline::{listed, without_excluded};

/// How old a post may be and still trend.
pub const WINDOW: TimeDelta = TimeDelta::days(3);

/// The most posts looked at to rank them.
const MOST_RANKED: usize = 2_000;

/// The trending posts `viewer` may see at `now`, skipping `offset`, at most
/// `limit`: posts of the last [`WINDOW`] listed in the public timelines
/// ([`listed`]: public, not boosts, no silenced or suspended author), neither
/// local-only nor sensitive, none by accounts the viewer blocks or mutes;
/// ranked by favourites and boosts together (newest first among equals), and
/// only those that have at least one.
pub async fn statuses(
    db: &impl ConnectionTrait,
    viewer: Option<i64>,
    now: DateTime<Utc>,
    offset: u64,
    limit: u64,
) -> Result<Vec<Post>> {
    let first = id::first_id_at(now - WINDOW);
    let favourite_count = Expr::col((favourites::Entity, favourites::Column::Id)).count();
    let favourited: Vec<(i64, i64)> = favourites::Entity::find()
        .filter(favourites::Column::PostId.gte(first))
        .select_only()
        .column(favourites::Column::PostId)
        .column_as(favourite_count, "favourites")
        .group_by(favourites::Column::PostId)
        .into_tuple()
        .all(db)
        .await?;
    let boost_count = Expr::col((posts::Entity, posts::Column::Id)).count();
    let boosted: Vec<(i64, i64)> = posts::Entity::find()
        .filter(posts::Column::ReblogOfId.gte(first))
        .select_only()
        .column(posts::Column::ReblogOfId)
        .column_as(boost_count, "boosts")
        .group_by(posts::Column::ReblogOfId)
        .into_tuple()
        .all(db)
        .await?;
    let mut scores: HashMap<i64, i64> = HashMap::new();
    for (post_id, count) in favourited.into_iter().chain(boosted) {
        *scores.entry(post_id).or_default() += count;
    }
    let mut ranked: Vec<(i64, i64)> = scores.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    ranked.truncate(MOST_RANKED);
    let mut seen: HashMap<i64, posts::Model> = HashMap::new();
    for chunk in ranked.chunks(500) {
        let query = listed(posts::Entity::find(), viewer)
            .filter(posts::Column::Id.is_in(chunk.iter().map(|(id, _)| *id)))
            .filter(posts::Column::LocalOnly.eq(false))
            .filter(posts::Column::Sensitive.eq(false));
        for row in without_excluded(db, query, viewer).await?.all(db).await? {
            seen.insert(row.id, row);
        }
    }
    Ok(ranked
        .into_iter()
        .filter_map(|(id, _)| seen.remove(&id))
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(Post::from)
        .collect())
}
