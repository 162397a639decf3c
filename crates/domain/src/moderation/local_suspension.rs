//! Suspending a person of this instance, as Mastodon does: a moderator shuts
//! the account for now, and the instance deletes it once it has been suspended
//! for [`RETENTION`] unless a moderator lifted the suspension before.
//!
//! While suspended, nothing of the account is shown to anyone else (the rule is
//! [`crate::visibility::suspended`]): its posts leave every timeline, thread,
//! search and fetch, and its profile says only that it is suspended. Its app
//! tokens are revoked and its browser sessions ended; the person may sign in
//! again on the web pages, but only to download their archive or delete their
//! account. Nothing is removed, so that lifting the suspension restores
//! everything as it was (their apps sign in again).
//!
//! Remote accounts whose own server says they are suspended carry the same mark
//! ([`set_remote`]), which hides them the same way until their server says
//! otherwise; a remote account suspended by this instance's moderators is
//! another thing ([`super::suspension`]).

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};

use super::suspension::MAX_REASON_CHARS;
use crate::access::{browser_session, oauth};
use crate::accounts::account::{Account, AccountKind};
use crate::accounts::deletion::{self, Farewell, Leftovers};
use crate::database::begin_write;
use crate::entities::{accounts, users};
use crate::{Error, Result};

/// How long a person of this instance stays suspended before their account is
/// deleted: thirty days, as on Mastodon.
pub const RETENTION: TimeDelta = TimeDelta::days(30);

/// A suspended person of this instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspended {
    pub account: Account,
    pub suspended_at: DateTime<Utc>,
    /// What the moderator said.
    pub reason: String,
}

impl Suspended {
    /// When the account is deleted, unless the suspension is lifted before.
    pub fn erased_at(&self, retention: TimeDelta) -> DateTime<Utc> {
        self.suspended_at + retention
    }
}

/// The person `account_id` of this instance, as a row; `NotFound` for anything
/// else (a remote account, a deleted one, a group's or a school's).
async fn person(db: &impl ConnectionTrait, account_id: i64) -> Result<accounts::Model> {
    let row = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .filter(|row| row.domain.is_none() && row.deleted_at.is_none())
        .filter(|row| AccountKind::parse(&row.kind) == AccountKind::Person)
        .ok_or(Error::NotFound("account"))?;
    users::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("account"))?;
    Ok(row)
}

/// Suspends the person `account_id` at `now` for `reason` (see the module's
/// description), revoking their app tokens and ending their browser sessions.
/// A suspension already in place keeps its time and reason. The caller (see
/// `staff::suspend_person`) checks who may do it.
pub(crate) async fn suspend(
    db: &impl ConnectionTrait,
    account_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Account> {
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(
            "reason",
            format!("is too long: use at most {MAX_REASON_CHARS} characters"),
        ));
    }
    let row = person(db, account_id).await?;
    if row.suspended_at.is_some() {
        return Ok(row.into());
    }
    let row = accounts::ActiveModel {
        id: Set(account_id),
        suspended_at: Set(Some(now)),
        suspension_reason: Set(Some(reason.trim().to_owned())),
        ..Default::default()
    }
    .update(db)
    .await?;
    oauth::revoke_for_account(db, account_id, now).await?;
    browser_session::end_all(db, account_id, None).await?;
    Ok(row.into())
}

/// Lifts the suspension of the person `account_id`: everything of them shows
/// again. `NotFound` when they are not suspended.
pub(crate) async fn unsuspend(db: &impl ConnectionTrait, account_id: i64) -> Result<Account> {
    let row = person(db, account_id).await?;
    if row.suspended_at.is_none() {
        return Err(Error::NotFound("suspension"));
    }
    Ok(accounts::ActiveModel {
        id: Set(account_id),
        suspended_at: Set(None),
        suspension_reason: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?
    .into())
}

/// Marks the remote account `account_id` suspended by its own server (at
/// `now`), or no longer; the time of a mark already in place is kept.
pub async fn set_remote(
    db: &impl ConnectionTrait,
    account_id: i64,
    suspended: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut update = accounts::Entity::update_many()
        .filter(accounts::Column::Id.eq(account_id))
        .filter(accounts::Column::Domain.is_not_null());
    update = if suspended {
        update
            .col_expr(
                accounts::Column::SuspendedAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .filter(accounts::Column::SuspendedAt.is_null())
    } else {
        update
            .col_expr(
                accounts::Column::SuspendedAt,
                sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(accounts::Column::SuspendedAt.is_not_null())
    };
    update.exec(db).await?;
    Ok(())
}

/// When `account_id` was suspended and what the moderator said; `None` when
/// it is not suspended.
pub async fn find(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Option<(DateTime<Utc>, String)>> {
    Ok(accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .and_then(|row| Some((row.suspended_at?, row.suspension_reason.unwrap_or_default()))))
}

/// The suspended people of this instance, the most recently suspended first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Suspended>> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::DeletedAt.is_null())
        .filter(accounts::Column::SuspendedAt.is_not_null())
        .order_by_desc(accounts::Column::SuspendedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let suspended_at = row.suspended_at?;
            let reason = row.suspension_reason.clone().unwrap_or_default();
            Some(Suspended {
                account: row.into(),
                suspended_at,
                reason,
            })
        })
        .collect())
}

/// The people of this instance suspended for longer than `retention` at `now`:
/// those whose account is to be deleted.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    retention: TimeDelta,
) -> Result<Vec<Account>> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::DeletedAt.is_null())
        .filter(accounts::Column::SuspendedAt.lte(now - retention))
        .order_by_asc(accounts::Column::SuspendedAt)
        .limit(100)
        .all(db)
        .await?
        .into_iter()
        .map(Account::from)
        .collect())
}

/// Deletes the person `account_id`, suspended for longer than `retention` at
/// `now`, as their own deletion would (see [`deletion`]), queuing `farewell`
/// and writing it to the audit log in the same transaction; their files leave
/// with the returned [`Leftovers`] (`deletion::remove_files`). `NotFound` when
/// they are no longer suspended, or not for that long.
pub async fn erase(
    db: &(impl ConnectionTrait + TransactionTrait),
    account_id: i64,
    farewell: Option<Farewell>,
    now: DateTime<Utc>,
    retention: TimeDelta,
) -> Result<Leftovers> {
    let txn = begin_write(db).await?;
    let row = person(&txn, account_id).await?;
    if row.suspended_at.is_none_or(|at| at + retention > now) {
        return Err(Error::NotFound("suspension"));
    }
    let leftovers = deletion::erase(&txn, account_id, farewell, now).await?;
    super::audit::record(
        &txn,
        None,
        "the instance",
        "deleted at the end of its suspension the account of",
        &row.username,
        &format!(
            "suspended on {}",
            row.suspended_at.unwrap_or(now).format("%Y-%m-%d")
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(leftovers)
}
