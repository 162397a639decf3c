//! The public timelines: every public post (here, elsewhere, or both), and a
//! hashtag's, as a viewer sees them; and whether one post is in them, for streaming.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

use super::walk::{holds, page_of_posts, through_index, with_media, with_tag};
use crate::Result;
use crate::entities::{post_tags, posts, tags};
use crate::page::Page;
use crate::posts::post::Post;
use crate::visibility::timeline::{listed, without_excluded};

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

/// The public timeline (only posts with media when `only_media`) as `viewer` sees it.
async fn public_query(
    db: &impl ConnectionTrait,
    scope: Scope,
    only_media: bool,
    viewer: Option<i64>,
) -> Result<Select<posts::Entity>> {
    let mut query = listed(posts::Entity::find(), viewer);
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
    let query =
        listed(posts::Entity::find(), viewer).filter(posts::Column::Id.in_subquery(with_tag(name)));
    let query = without_excluded(db, scoped(query, scope), viewer).await?;
    holds(db, query, post_id).await
}

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
    // The tag is found by the index query itself (no rows for an unknown tag).
    let tag_id = Query::select()
        .column(tags::Column::Id)
        .from(tags::Entity)
        .and_where(tags::Column::Name.eq(name))
        .to_owned();
    let query = without_excluded(
        db,
        scoped(listed(posts::Entity::find(), viewer), scope),
        viewer,
    )
    .await?;
    let index = post_tags::Entity::find().filter(
        Expr::col(post_tags::Column::TagId).eq(SimpleExpr::SubQuery(None, Box::new(tag_id.into()))),
    );
    let mut rows = through_index(db, index, post_tags::Column::PostId, query, page).await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Post::from).collect())
}
