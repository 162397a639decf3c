//! Bookmarks: posts a person keeps to read again; nobody else sees them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::entities::bookmarks;
use crate::page::Page;
use crate::{Result, id};

/// `account_id` bookmarks `post_id` (the caller has checked they may see it).
pub async fn add(
    db: &impl ConnectionTrait,
    account_id: i64,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    bookmarks::Entity::insert(bookmarks::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        post_id: Set(post_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([bookmarks::Column::AccountId, bookmarks::Column::PostId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `account_id` removes its bookmark of `post_id`.
pub async fn remove(db: &impl ConnectionTrait, account_id: i64, post_id: i64) -> Result<()> {
    bookmarks::Entity::delete_many()
        .filter(bookmarks::Column::AccountId.eq(account_id))
        .filter(bookmarks::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A page of `account_id`'s bookmarks, newest first: (bookmark id, post id) pairs,
/// the bookmark ids being the cursors.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let query = bookmarks::Entity::find().filter(bookmarks::Column::AccountId.eq(account_id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, bookmarks::Column::Id)
        .select_only()
        .column(bookmarks::Column::Id)
        .column(bookmarks::Column::PostId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}
