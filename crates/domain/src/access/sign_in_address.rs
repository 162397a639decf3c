//! The network addresses a person signs in from. A sign-in from an address the
//! person has never signed in from before, when they have signed in before, is
//! news to them: it may be someone else with their password. The caller mails
//! them then.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::Result;
use crate::entities::sign_in_addresses;

/// The most characters of an address kept (an IPv6 address with a zone fits).
const MAX_ADDRESS_CHARS: usize = 64;

/// Whether a sign-in was the first from its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The person's very first sign-in: nothing to tell.
    FirstEver,
    /// An address they have signed in from before.
    Known,
    /// An address never seen for them, though they have signed in before.
    New,
}

/// Records that `account_id` signed in from `address` at `now`, and says whether
/// the address is new for them. A sign-in without a known address is
/// [`Seen::Known`]: there is nothing to compare.
pub async fn record(
    db: &impl ConnectionTrait,
    account_id: i64,
    address: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Seen> {
    let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(Seen::Known);
    };
    let address: String = address.chars().take(MAX_ADDRESS_CHARS).collect();
    let known = sign_in_addresses::Entity::find()
        .filter(sign_in_addresses::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    let seen_here = sign_in_addresses::Entity::find_by_id((account_id, address.clone()))
        .one(db)
        .await?
        .is_some();
    sign_in_addresses::Entity::insert(sign_in_addresses::ActiveModel {
        account_id: Set(account_id),
        address: Set(address),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            sign_in_addresses::Column::AccountId,
            sign_in_addresses::Column::Address,
        ])
        .update_column(sign_in_addresses::Column::LastSeenAt)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(match (known, seen_here) {
        (0, _) => Seen::FirstEver,
        (_, true) => Seen::Known,
        (_, false) => Seen::New,
    })
}
