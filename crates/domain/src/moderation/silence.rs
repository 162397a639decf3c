//! Silenced accounts (what Mastodon calls limiting): a moderator keeps an account,
//! of this instance or another, out of the public and hashtag timelines of
//! everyone who does not follow it. Its followers still read it in their home
//! timelines, and its posts stay reachable by their address as their visibility
//! allows. The rule itself is one query part, `visibility::timeline::listed`;
//! this file only records who is silenced.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::accounts::account::{self, Account, AccountKind};
use crate::accounts::remote;
use crate::entities::accounts;
use crate::{Error, Result};

/// The account `name` names: a local username, `user@domain` (with or without a
/// leading `@`), or a remote actor's id. `NotFound` when none is known here.
pub async fn find(db: &impl ConnectionTrait, name: &str) -> Result<Account> {
    let name = name.trim().trim_start_matches('@');
    let found = if name.starts_with("https://") || name.starts_with("http://") {
        remote::find_by_uri(db, name).await?
    } else if name.contains('@') {
        remote::find_by_acct(db, name).await?
    } else {
        account::find_local(db, name).await?
    };
    found.ok_or(Error::NotFound("account"))
}

/// Silences the account `account_id` at `now` (`silenced`), or lifts it. The
/// time of a silence already in place is kept. Only people, groups and
/// organisations post, so only they are silenced.
pub async fn set(
    db: &impl ConnectionTrait,
    account_id: i64,
    silenced: bool,
    now: DateTime<Utc>,
) -> Result<Account> {
    let found = account::get(db, account_id).await?;
    if matches!(found.kind, AccountKind::Instance | AccountKind::HashtagFeed) {
        return Err(Error::invalid(
            "account",
            "is a server's own actor, which writes no posts of its own",
        ));
    }
    if found.silenced == silenced {
        return Ok(found);
    }
    let at = silenced.then_some(now);
    let row = accounts::ActiveModel {
        id: Set(account_id),
        silenced_at: Set(at),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(row.into())
}

/// The silenced accounts of other servers (`remote`) or of this one, the most
/// recently silenced first.
pub async fn list(db: &impl ConnectionTrait, remote: bool) -> Result<Vec<Account>> {
    let domain = if remote {
        accounts::Column::Domain.is_not_null()
    } else {
        accounts::Column::Domain.is_null()
    };
    Ok(accounts::Entity::find()
        .filter(accounts::Column::SilencedAt.is_not_null())
        .filter(domain)
        .order_by_desc(accounts::Column::SilencedAt)
        .all(db)
        .await?
        .into_iter()
        .map(Account::from)
        .collect())
}
