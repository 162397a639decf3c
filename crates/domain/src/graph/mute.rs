//! Mutes: an account hides another's posts from its timelines (and, if it chooses,
//! their notifications) without telling them; a mute may expire.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{OnConflict, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::mutes;
use crate::page::Page;
use crate::{Result, id};

/// A mute as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mute {
    pub id: i64,
    pub target_id: i64,
    /// Whether notifications from the muted account are hidden too.
    pub notifications: bool,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<mutes::Model> for Mute {
    fn from(row: mutes::Model) -> Self {
        Self {
            id: row.id,
            target_id: row.target_id,
            notifications: row.notifications,
            expires_at: row.expires_at,
        }
    }
}

/// Mutes still in force at `now`.
fn in_force(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(mutes::Column::ExpiresAt.is_null())
        .add(mutes::Column::ExpiresAt.gt(now))
}

/// The longest a mute may be set for, in seconds (a year; 0 is for ever).
pub const MAX_MUTE_SECONDS: i64 = 365 * 24 * 60 * 60;

/// `account_id` mutes `target_id` (hiding notifications too when `notifications`)
/// for `seconds` from `now` (0: until lifted). Muting again replaces the earlier
/// choice.
pub async fn mute(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
    notifications: bool,
    seconds: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if account_id == target_id {
        return Err(crate::Error::invalid("account", "cannot mute itself"));
    }
    if !(0..=MAX_MUTE_SECONDS).contains(&seconds) {
        return Err(crate::Error::invalid(
            "duration",
            format!("must be between 0 and {MAX_MUTE_SECONDS} seconds"),
        ));
    }
    let expires_at = (seconds > 0).then(|| now + chrono::TimeDelta::seconds(seconds));
    mutes::Entity::insert(mutes::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        target_id: Set(target_id),
        notifications: Set(notifications),
        expires_at: Set(expires_at),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([mutes::Column::AccountId, mutes::Column::TargetId])
            .update_columns([mutes::Column::Notifications, mutes::Column::ExpiresAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `account_id` unmutes `target_id`; true if there was a mute.
pub async fn unmute(db: &impl ConnectionTrait, account_id: i64, target_id: i64) -> Result<bool> {
    let result = mutes::Entity::delete_many()
        .filter(mutes::Column::AccountId.eq(account_id))
        .filter(mutes::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// `account_id`'s mute of `target_id` in force at `now`, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Mute>> {
    Ok(mutes::Entity::find()
        .filter(mutes::Column::AccountId.eq(account_id))
        .filter(mutes::Column::TargetId.eq(target_id))
        .filter(in_force(now))
        .one(db)
        .await?
        .map(Mute::from))
}

/// A page of the mutes of `account_id` in force at `now`, newest first.
pub async fn muted(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
    now: DateTime<Utc>,
) -> Result<Vec<Mute>> {
    let query = mutes::Entity::find()
        .filter(mutes::Column::AccountId.eq(account_id))
        .filter(in_force(now));
    let mut rows: Vec<Mute> = page
        .apply(query, mutes::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Mute::from)
        .collect();
    page.finish(&mut rows);
    Ok(rows)
}

/// The accounts `account_id` mutes at `now`, as a query of account ids.
pub(crate) fn muted_now(account_id: i64, now: DateTime<Utc>) -> SelectStatement {
    Query::select()
        .column(mutes::Column::TargetId)
        .from(mutes::Entity)
        .and_where(mutes::Column::AccountId.eq(account_id))
        .cond_where(in_force(now))
        .to_owned()
}

/// Whether `account_id` has muted the notifications of `from_id` at `now`.
pub async fn hides_notifications(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(find(db, account_id, from_id, now)
        .await?
        .is_some_and(|m| m.notifications))
}
