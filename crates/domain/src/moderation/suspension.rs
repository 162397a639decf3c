//! Suspended remote accounts: an administrator shuts one account of another
//! server out of the instance, as a domain block does a whole server. What it
//! brought (its posts, follows, favourites) is removed; what it sends is refused,
//! and its posts are neither fetched nor relayed, nor is its actor stored again.
//! Kept by actor id, so that the suspension outlives the account's row.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::account_suspensions;
use crate::{Error, Result, accounts::remote};

/// The most characters of a suspension's reason.
pub const MAX_REASON_CHARS: usize = 1_000;

/// A suspended account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    /// The actor id.
    pub uri: String,
    /// `user@domain`, as it was known.
    pub acct: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Suspends the remote account `acct` (`user@domain`, known here) or the actor
/// `uri`, removing what it brought. `NotFound` when neither names a remote
/// account known here.
pub async fn suspend(
    db: &impl ConnectionTrait,
    account: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Suspension> {
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(
            "reason",
            format!("is too long: use at most {MAX_REASON_CHARS} characters"),
        ));
    }
    let name = account.trim().trim_start_matches('@');
    let found = match remote::find_by_uri(db, name).await? {
        Some(found) => Some(found),
        None => remote::find_by_acct(db, &name.to_lowercase()).await?,
    };
    let found = found
        .filter(|a| !a.is_local())
        .ok_or(Error::NotFound("remote account"))?;
    let uri = found.uri.clone().ok_or(Error::NotFound("remote account"))?;
    let suspension = Suspension {
        acct: found.acct(),
        uri,
        reason: reason.trim().to_owned(),
        created_at: now,
    };
    account_suspensions::Entity::insert(account_suspensions::ActiveModel {
        uri: Set(suspension.uri.clone()),
        acct: Set(suspension.acct.clone()),
        reason: Set(suspension.reason.clone()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(account_suspensions::Column::Uri)
            .update_columns([account_suspensions::Column::Reason])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    remote::delete(db, &suspension.uri).await?;
    Ok(suspension)
}

/// Lifts the suspension of `account` (its actor id or `user@domain`); `false`
/// when it was not suspended.
pub async fn lift(db: &impl ConnectionTrait, account: &str) -> Result<bool> {
    let name = account.trim().trim_start_matches('@');
    let deleted = account_suspensions::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(account_suspensions::Column::Uri.eq(name))
                .add(account_suspensions::Column::Acct.eq(name.to_lowercase())),
        )
        .exec(db)
        .await?;
    Ok(deleted.rows_affected > 0)
}

/// Whether the actor `uri` is suspended.
pub async fn is_suspended(db: &impl ConnectionTrait, uri: &str) -> Result<bool> {
    Ok(account_suspensions::Entity::find_by_id(uri.to_owned())
        .one(db)
        .await?
        .is_some())
}

/// Every suspension, the newest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Suspension>> {
    Ok(account_suspensions::Entity::find()
        .order_by_desc(account_suspensions::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Suspension {
            uri: row.uri,
            acct: row.acct,
            reason: row.reason,
            created_at: row.created_at,
        })
        .collect())
}
