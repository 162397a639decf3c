//! Endorsements (Mastodon's account pins): the accounts a person features on
//! their profile. Only an account they follow may be endorsed, and ending the
//! follow ends the endorsement.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use crate::entities::{account_endorsements, follows};
use crate::page::Page;
use crate::{Error, Result, id};

/// `account_id` endorses `target_id`, which they must follow (accepted);
/// endorsing again changes nothing.
pub async fn endorse(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    // Read here rather than through `follow`, which withdraws endorsements.
    let following = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(account_id))
        .filter(follows::Column::TargetId.eq(target_id))
        .filter(follows::Column::Accepted.eq(true))
        .count(db)
        .await?;
    if following == 0 {
        return Err(Error::invalid(
            "account",
            "must be followed before it is endorsed",
        ));
    }
    account_endorsements::Entity::insert(account_endorsements::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        target_id: Set(target_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            account_endorsements::Column::AccountId,
            account_endorsements::Column::TargetId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `account_id` no longer endorses `target_id` (no error if they did not).
pub async fn withdraw(db: &impl ConnectionTrait, account_id: i64, target_id: i64) -> Result<()> {
    account_endorsements::Entity::delete_many()
        .filter(account_endorsements::Column::AccountId.eq(account_id))
        .filter(account_endorsements::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether `account_id` endorses `target_id`.
pub async fn endorses(db: &impl ConnectionTrait, account_id: i64, target_id: i64) -> Result<bool> {
    let count = account_endorsements::Entity::find()
        .filter(account_endorsements::Column::AccountId.eq(account_id))
        .filter(account_endorsements::Column::TargetId.eq(target_id))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// A page of the accounts `account_id` endorses, latest first: (endorsement id,
/// account id) pairs, the endorsement ids being the cursors.
pub async fn page(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let query = account_endorsements::Entity::find()
        .filter(account_endorsements::Column::AccountId.eq(account_id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, account_endorsements::Column::Id)
        .select_only()
        .column(account_endorsements::Column::Id)
        .column(account_endorsements::Column::TargetId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}
