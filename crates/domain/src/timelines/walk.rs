//! How a page of posts is read: through the posts table in id order, or through a
//! smaller index table of post ids a round at a time, so that a page's cost does not
//! grow with the size of the instance.

use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait, Select,
};

use crate::Result;
use crate::entities::{media_attachments, post_tags, posts, tags};
use crate::page::{MAX_LIMIT, Page};
use crate::posts::post::Post;

/// With at least this many members, a list page is found by walking all posts
/// newest first (the members' posts are dense); below it, through each member's
/// own posts (they are sparse). Either way a page
/// stays a short indexed walk; SQLite would otherwise pick one plan for both.
pub(super) const DENSE_FOLLOWS: usize = 100;

/// A page of the posts `query` holds, newest first.
pub(super) async fn page_of_posts(
    db: &impl ConnectionTrait,
    query: Select<posts::Entity>,
    page: Page,
) -> Result<Vec<Post>> {
    let mut rows = page.apply(query, posts::Column::Id).all(db).await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Post::from).collect())
}

/// The posts with media.
pub(super) fn with_media() -> SelectStatement {
    Query::select()
        .column(media_attachments::Column::PostId)
        .from(media_attachments::Entity)
        .and_where(media_attachments::Column::PostId.is_not_null())
        .to_owned()
}

/// The posts with the normalised tag `name`.
pub(super) fn with_tag(name: &str) -> SelectStatement {
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
pub(super) async fn holds(
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

/// How many rounds of ids a page read through an index takes at most to fill itself.
const MAX_INDEX_ROUNDS: usize = 10;

/// A page of the posts `posts` holds, found through `index`, a table of post ids
/// (its `id_column`) smaller than the posts: a round of ids at a time, read in the
/// page's direction, until the page is full. Newest first (oldest first for
/// `min_id`, for [`Page::finish`] to turn). A page costs index walks, not a walk of
/// every post, however few of them the index names.
pub(super) async fn through_index<E: EntityTrait>(
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
        let round_ids = cursor
            .apply(index.clone(), id_column)
            .select_only()
            .column(id_column);
        // The round's posts in one query; its ids are read apart only when the page
        // is still short, to know where the next round starts.
        rows.extend(
            posts
                .clone()
                .filter(posts::Column::Id.in_subquery(round_ids.clone().into_query()))
                .all(db)
                .await?,
        );
        if rows.len() >= wanted {
            break;
        }
        let ids: Vec<i64> = round_ids.into_tuple().all(db).await?;
        let Some((&first, &last)) = ids.first().zip(ids.last()) else {
            break;
        };
        if ids.len() < round {
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

/// One page made of the rows several sources read for `page`: newest first (oldest
/// first for `min_id`, turned by [`Page::finish`]), each post once. A boost of a
/// post the page already shows is not shown again (as on Mastodon): an author in a
/// group sees their post once, not beside the group's announce of it.
pub(super) fn merge(mut rows: Vec<posts::Model>, page: Page) -> Vec<Post> {
    if page.min_id.is_some() {
        rows.sort_by_key(|row| row.id);
    } else {
        rows.sort_by_key(|row| std::cmp::Reverse(row.id));
    }
    rows.dedup_by_key(|row| row.id);
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
    rows.into_iter().map(Post::from).collect()
}
