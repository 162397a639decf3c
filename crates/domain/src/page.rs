//! Pages of a list: Mastodon's three cursors (`max_id`, `since_id`, `min_id`) and a
//! limit, applied to the list's own id column. Every list the API pages uses it.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

/// The most rows on one page.
pub const MAX_LIMIT: u64 = 40;
/// Rows on a page when the app does not say.
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
