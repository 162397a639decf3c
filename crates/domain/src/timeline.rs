//! Timelines: pages of posts, newest first, by id (ids grow with time).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;
use crate::entities::posts;
use crate::post::{Post, Visibility};

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
    fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }
}

/// Which public posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Local,
    Remote,
}

/// A page of public posts (not boosts), newest first.
pub async fn public(db: &impl ConnectionTrait, scope: Scope, page: Page) -> Result<Vec<Post>> {
    let mut query = posts::Entity::find()
        .filter(posts::Column::Visibility.eq(Visibility::Public.name()))
        .filter(posts::Column::ReblogOfId.is_null());
    query = match scope {
        Scope::All => query,
        Scope::Local => query.filter(posts::Column::Local.eq(true)),
        Scope::Remote => query.filter(posts::Column::Local.eq(false)),
    };
    if let Some(max_id) = page.max_id {
        query = query.filter(posts::Column::Id.lt(max_id));
    }
    if let Some(since_id) = page.since_id {
        query = query.filter(posts::Column::Id.gt(since_id));
    }
    let rows = match page.min_id {
        // The posts just newer than `min_id`: take them oldest first, then turn.
        Some(min_id) => {
            let mut rows = query
                .filter(posts::Column::Id.gt(min_id))
                .order_by_asc(posts::Column::Id)
                .limit(page.limit())
                .all(db)
                .await?;
            rows.reverse();
            rows
        }
        None => {
            query
                .order_by_desc(posts::Column::Id)
                .limit(page.limit())
                .all(db)
                .await?
        }
    };
    Ok(rows.into_iter().map(Post::from).collect())
}
