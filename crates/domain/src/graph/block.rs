//! Blocks: an account refuses another. The blocked account no longer follows or is
//! followed by the blocker, cannot follow again, cannot see the blocker's posts, and
//! its posts and notifications no longer reach the blocker.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    Set,
};

use crate::entities::{blocks, follows};
use crate::lists::member;
use crate::page::Page;
use crate::{Result, id};

/// `account_id` blocks `target_id` (the activity `uri` when it came over federation);
/// follows between the two end, both ways, and each leaves the other's lists.
/// Blocking twice changes nothing.
pub async fn block(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
    uri: Option<String>,
    now: DateTime<Utc>,
) -> Result<()> {
    if account_id == target_id {
        return Err(crate::Error::invalid("account", "cannot block itself"));
    }
    blocks::Entity::insert(blocks::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        target_id: Set(target_id),
        uri: Set(uri),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([blocks::Column::AccountId, blocks::Column::TargetId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    follows::Entity::delete_many()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(follows::Column::FollowerId.eq(account_id))
                        .add(follows::Column::TargetId.eq(target_id)),
                )
                .add(
                    Condition::all()
                        .add(follows::Column::FollowerId.eq(target_id))
                        .add(follows::Column::TargetId.eq(account_id)),
                ),
        )
        .exec(db)
        .await?;
    member::leave_lists_of(db, account_id, target_id).await?;
    member::leave_lists_of(db, target_id, account_id).await?;
    super::endorsement::withdraw(db, account_id, target_id).await?;
    super::endorsement::withdraw(db, target_id, account_id).await?;
    Ok(())
}

/// `account_id` lifts its block of `target_id`; true if there was one.
pub async fn unblock(db: &impl ConnectionTrait, account_id: i64, target_id: i64) -> Result<bool> {
    let result = blocks::Entity::delete_many()
        .filter(blocks::Column::AccountId.eq(account_id))
        .filter(blocks::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Lifts the block made with the activity `uri` by `account_id`; true if there was one.
pub async fn unblock_by_uri(db: &impl ConnectionTrait, account_id: i64, uri: &str) -> Result<bool> {
    let result = blocks::Entity::delete_many()
        .filter(blocks::Column::AccountId.eq(account_id))
        .filter(blocks::Column::Uri.eq(uri))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Whether `account_id` blocks `target_id`.
pub async fn blocks(db: &impl ConnectionTrait, account_id: i64, target_id: i64) -> Result<bool> {
    Ok(blocks::Entity::find()
        .filter(blocks::Column::AccountId.eq(account_id))
        .filter(blocks::Column::TargetId.eq(target_id))
        .count(db)
        .await?
        > 0)
}

/// The activity id of `account_id`'s block of `target_id`, if it has one.
pub async fn uri_of(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
) -> Result<Option<String>> {
    Ok(blocks::Entity::find()
        .filter(blocks::Column::AccountId.eq(account_id))
        .filter(blocks::Column::TargetId.eq(target_id))
        .one(db)
        .await?
        .and_then(|row| row.uri))
}

/// Whether either of the two accounts blocks the other.
pub async fn between(db: &impl ConnectionTrait, a: i64, b: i64) -> Result<bool> {
    Ok(blocks(db, a, b).await? || blocks(db, b, a).await?)
}

/// The accounts `account_id` blocks, a page of them, newest block first, with the
/// ids of the block rows (the cursors apps page with).
pub async fn blocked(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let query = blocks::Entity::find().filter(blocks::Column::AccountId.eq(account_id));
    let query = page.apply(query, blocks::Column::Id);
    let mut rows: Vec<(i64, i64)> = query
        .select_only()
        .column(blocks::Column::Id)
        .column(blocks::Column::TargetId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}

/// The accounts `account_id` blocks, and those that block it, as two queries of
/// account ids: whose posts it must not see in timelines.
pub(crate) fn blocking_either_way(account_id: i64) -> [SelectStatement; 2] {
    [
        Query::select()
            .column(blocks::Column::TargetId)
            .from(blocks::Entity)
            .and_where(blocks::Column::AccountId.eq(account_id))
            .to_owned(),
        Query::select()
            .column(blocks::Column::AccountId)
            .from(blocks::Entity)
            .and_where(blocks::Column::TargetId.eq(account_id))
            .to_owned(),
    ]
}
