//! The audit log: each thing the instance's staff did (see [`super::staff`]), who
//! did it and when, newest first. An entry names its actor as it was, so it
//! outlives a renamed or removed account.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::entities::audit_log;
use crate::page::Page;
use crate::{Result, id};

/// One thing a member of staff did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// The account that acted; `None` for the operator at the command line.
    pub account_id: Option<i64>,
    /// Their username then, or "the operator".
    pub actor_name: String,
    /// What they did, as a short phrase: "approved the sign-up of".
    pub action: String,
    /// What they did it to: a username, an address, a domain, a report.
    pub target: String,
    /// Anything said with it (a reason, a new role).
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

impl From<audit_log::Model> for Entry {
    fn from(row: audit_log::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            actor_name: row.actor_name,
            action: row.action,
            target: row.target,
            detail: row.detail,
            created_at: row.created_at,
        }
    }
}

/// The most characters kept of an entry's detail.
const MAX_DETAIL_CHARS: usize = 1_000;

/// Writes down that `actor_name` (account `account_id`, or the operator) did
/// `action` to `target` at `now`.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    account_id: Option<i64>,
    actor_name: &str,
    action: &str,
    target: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    audit_log::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        actor_name: Set(actor_name.to_owned()),
        action: Set(action.to_owned()),
        target: Set(target.to_owned()),
        detail: Set(detail.chars().take(MAX_DETAIL_CHARS).collect()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A page of the log, newest first.
pub async fn list(db: &impl ConnectionTrait, page: Page) -> Result<Vec<Entry>> {
    let mut rows = page
        .apply(audit_log::Entity::find(), audit_log::Column::Id)
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Entry::from).collect())
}
