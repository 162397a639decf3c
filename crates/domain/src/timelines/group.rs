//! A group's page of posts: what the group passed on to its members (its
//! announces, which are boosts) and, for a closed group's members, the direct
//! posts written to it.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::walk::{merge, through_index};
use crate::Result;
use crate::communities::group::Group;
use crate::entities::{closed_group_posts, posts};
use crate::page::Page;
use crate::posts::post::Post;
use crate::visibility::group::reads_posts_written_to;
use crate::visibility::timeline::{by_author, direct, without_excluded};

/// A page of `group`'s posts that `viewer` may see, newest first: the posts it
/// announced, as its account's boosts are seen by anyone (open) or by its members
/// (closed), and the direct posts written to a closed group, for its members.
/// Accounts the viewer blocks or mutes stay out.
pub async fn group(
    db: &impl ConnectionTrait,
    group: &Group,
    viewer: Option<i64>,
    page: Page,
) -> Result<Vec<Post>> {
    let group_id = group.account.id;
    let Some(announced) = by_author(db, group_id, viewer).await? else {
        return Ok(Vec::new());
    };
    let announced = without_excluded(db, announced, viewer).await?;
    let mut rows = page.apply(announced, posts::Column::Id).all(db).await?;
    if reads_posts_written_to(db, group_id, viewer).await? {
        let written = without_excluded(db, direct(posts::Entity::find()), viewer).await?;
        let index = closed_group_posts::Entity::find()
            .filter(closed_group_posts::Column::GroupId.eq(group_id));
        rows.extend(
            through_index(db, index, closed_group_posts::Column::PostId, written, page).await?,
        );
    }
    Ok(merge(rows, page))
}
