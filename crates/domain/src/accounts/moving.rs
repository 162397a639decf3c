//! Moving a local account away (Mastodon's account migration), in the domain's
//! terms: the aliases an account lists (the accounts it moves *from*, which
//! the new account must name before an old one may move to it), the move
//! itself (where to, when, and the `Move` queued for other servers in the same
//! transaction), and the one rule about what a moved account may still do: it
//! reads, exports, signs in and may be deleted (its posts too), but it no
//! longer posts, edits its posts, boosts, favourites or follows. Every use case
//! that does one of those asks [`ensure_active`] or [`ensure_active_by_id`].

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::access::user;
use crate::accounts::account::{Account, AccountKind};
use crate::database::begin_write;
use crate::delivery::queue::{self, NewActivity};
use crate::entities::{account_aliases, accounts};
use crate::{Error, Result, id};

/// The most aliases an account lists.
pub const MAX_ALIASES: usize = 10;

/// The most characters of an alias (an ActivityPub id).
pub const MAX_ALIAS_CHARS: usize = 2048;

/// How long an account waits after moving before it may move again (as
/// Mastodon: 30 days).
pub const MOVE_COOLDOWN_DAYS: i64 = 30;

/// What a moved account is told when it tries to act.
pub const MOVED_MESSAGE: &str = "This account has moved to another account: it can no longer post, edit its posts, boost, favourite or follow. It can still be read and exported, and it and its posts can be deleted.";

/// `Forbidden` when the local `account` has moved away (see the module's
/// description); other servers' accounts are theirs to restrain.
pub fn ensure_active(account: &Account) -> Result<()> {
    if account.is_local() && account.moved_to_id.is_some() {
        return Err(Error::Forbidden(MOVED_MESSAGE.into()));
    }
    Ok(())
}

/// [`ensure_active`] for the account `account_id`, read from the database.
pub async fn ensure_active_by_id(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    let moved = accounts::Entity::find_by_id(account_id)
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::MovedToId.is_not_null())
        .count(db)
        .await?;
    if moved > 0 {
        return Err(Error::Forbidden(MOVED_MESSAGE.into()));
    }
    Ok(())
}

/// The aliases of `account_id` (ActivityPub ids), oldest first.
pub async fn aliases(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<String>> {
    Ok(account_aliases::Entity::find()
        .filter(account_aliases::Column::AccountId.eq(account_id))
        .order_by_asc(account_aliases::Column::Id)
        .select_only()
        .column(account_aliases::Column::Uri)
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether `account_id` lists `uri` among its aliases.
pub async fn has_alias(db: &impl ConnectionTrait, account_id: i64, uri: &str) -> Result<bool> {
    Ok(account_aliases::Entity::find()
        .filter(account_aliases::Column::AccountId.eq(account_id))
        .filter(account_aliases::Column::Uri.eq(uri))
        .count(db)
        .await?
        > 0)
}

/// `Invalid` (field `alias`) unless `uri` may be an alias of `account`, whose
/// own ActivityPub id is `own_uri`.
fn check_alias(account: &Account, own_uri: &str, uri: &str) -> Result<()> {
    if !account.is_local() || account.kind != AccountKind::Person {
        return Err(Error::Forbidden(
            "only people of this instance list aliases".into(),
        ));
    }
    if !(uri.starts_with("https://") || uri.starts_with("http://"))
        || uri.chars().count() > MAX_ALIAS_CHARS
        || uri.contains(char::is_whitespace)
    {
        return Err(Error::invalid("alias", "is not the address of an account"));
    }
    if uri == own_uri {
        return Err(Error::invalid("alias", "is this account itself"));
    }
    Ok(())
}

/// Adds `uri` (the ActivityPub id of another account, found by the caller) to
/// the aliases of the local `account`, whose own id is `own_uri`. Adding one
/// already listed changes nothing; more than [`MAX_ALIASES`] is `Invalid`.
pub async fn add_alias(
    db: &(impl ConnectionTrait + TransactionTrait),
    account: &Account,
    own_uri: &str,
    uri: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    check_alias(account, own_uri, uri)?;
    let txn = begin_write(db).await?;
    if has_alias(&txn, account.id, uri).await? {
        return Ok(());
    }
    let count = account_aliases::Entity::find()
        .filter(account_aliases::Column::AccountId.eq(account.id))
        .count(&txn)
        .await?;
    if count >= MAX_ALIASES as u64 {
        return Err(Error::invalid(
            "alias",
            format!("is one too many: an account lists at most {MAX_ALIASES} aliases"),
        ));
    }
    insert_alias(&txn, account.id, uri, now).await?;
    txn.commit().await?;
    Ok(())
}

async fn insert_alias(
    db: &impl ConnectionTrait,
    account_id: i64,
    uri: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    account_aliases::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        uri: Set(uri.to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Replaces the aliases of the local `account` (whose own id is `own_uri`) by
/// `uris`, in that order, duplicates dropped (the API's way: the whole list at
/// once, an empty one clearing it).
pub async fn set_aliases(
    db: &(impl ConnectionTrait + TransactionTrait),
    account: &Account,
    own_uri: &str,
    uris: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut wanted: Vec<&str> = Vec::with_capacity(uris.len());
    for uri in uris {
        check_alias(account, own_uri, uri)?;
        if !wanted.contains(&uri.as_str()) {
            wanted.push(uri);
        }
    }
    if wanted.len() > MAX_ALIASES {
        return Err(Error::invalid(
            "also_known_as_uris",
            format!("holds too many: an account lists at most {MAX_ALIASES} aliases"),
        ));
    }
    let txn = begin_write(db).await?;
    account_aliases::Entity::delete_many()
        .filter(account_aliases::Column::AccountId.eq(account.id))
        .exec(&txn)
        .await?;
    for (n, uri) in wanted.into_iter().enumerate() {
        // Ids follow the list's order.
        insert_alias(
            &txn,
            account.id,
            uri,
            now + Duration::milliseconds(n as i64),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Removes `uri` from the aliases of `account_id`; true if it was there.
pub async fn remove_alias(db: &impl ConnectionTrait, account_id: i64, uri: &str) -> Result<bool> {
    let result = account_aliases::Entity::delete_many()
        .filter(account_aliases::Column::AccountId.eq(account_id))
        .filter(account_aliases::Column::Uri.eq(uri))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// When the local account `account_id` last moved, if it did.
pub async fn moved_at(db: &impl ConnectionTrait, account_id: i64) -> Result<Option<DateTime<Utc>>> {
    Ok(accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .and_then(|row| row.moved_at))
}

/// When the local account `account_id` may move again, if it must wait.
pub async fn cooldown_until(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    Ok(moved_at(db, account_id)
        .await?
        .map(|at| at + Duration::days(MOVE_COOLDOWN_DAYS))
        .filter(|until| *until > now))
}

/// Checks that the person `account` may move now, confirming with their
/// `password` and, when two-factor sign-in is on, a current `code` from their
/// app (or a recovery code, then used up): `Invalid` (field `password` or
/// `code`) when one is wrong or the code is missing, `Forbidden` during the
/// cooldown after an earlier move. Nothing else changes.
pub async fn check_may_move(
    db: &impl ConnectionTrait,
    account: &Account,
    password: &str,
    code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let me = user::get(db, account.id).await?;
    if !user::verify_password(db, &me, password).await? {
        return Err(Error::invalid("password", "is not right"));
    }
    if let Some(until) = cooldown_until(db, account.id, now).await? {
        return Err(Error::Forbidden(format!(
            "This account moved less than {MOVE_COOLDOWN_DAYS} days ago: it may move again from {}.",
            until.format("%-d %B %Y")
        )));
    }
    if me.two_factor {
        let code = code.map(str::trim).unwrap_or_default();
        if code.is_empty() {
            return Err(Error::invalid(
                "code",
                "is needed: two-factor sign-in is on, so give a code from your app or a recovery code",
            ));
        }
        crate::access::two_factor::verify(db, account.id, code, now)
            .await
            .map_err(|_| Error::invalid("code", "is not right"))?;
    }
    Ok(())
}

/// What tells other servers of a move: the `Move` (signed by the old
/// account) and the inboxes of its followers.
#[derive(Debug, Clone)]
pub struct Notice {
    pub activity: NewActivity,
    pub inboxes: Vec<String>,
}

/// Records that the local `account` moved to `new_id` at `now`, and queues
/// `notice` in the same transaction. The caller has checked the password and
/// that the new account names this one ([`check_may_move`]); the cooldown is
/// checked again here, so two moves at once cannot both pass.
pub async fn record_move(
    db: &(impl ConnectionTrait + TransactionTrait),
    account: &Account,
    new_id: i64,
    notice: Option<Notice>,
    now: DateTime<Utc>,
) -> Result<()> {
    if !account.is_local() || account.id == new_id {
        return Err(Error::Forbidden(
            "an account of this instance moves to another account".into(),
        ));
    }
    if let Some(notice) = &notice
        && notice.activity.actor_id != account.id
    {
        return Err(Error::Forbidden(
            "a move is signed by the account that moves".into(),
        ));
    }
    let txn = begin_write(db).await?;
    if cooldown_until(&txn, account.id, now).await?.is_some() {
        return Err(Error::Forbidden(format!(
            "This account moved less than {MOVE_COOLDOWN_DAYS} days ago."
        )));
    }
    accounts::ActiveModel {
        id: Set(account.id),
        moved_to_id: Set(Some(new_id)),
        moved_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    if let Some(notice) = notice
        && !notice.inboxes.is_empty()
    {
        queue::enqueue(&txn, notice.activity, &notice.inboxes, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The local `account` takes back its redirect: it is no longer shown as
/// moved and may act again. Its followers stay where the move took them, and
/// the cooldown still runs from the move.
pub async fn cancel(db: &impl ConnectionTrait, account: &Account) -> Result<()> {
    if !account.is_local() || account.moved_to_id.is_none() {
        return Err(Error::Forbidden("this account has not moved".into()));
    }
    accounts::ActiveModel {
        id: Set(account.id),
        moved_to_id: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(moved_to_id: Option<i64>, domain: Option<&str>) -> Account {
        Account {
            id: 1,
            kind: AccountKind::Person,
            username: "alice".into(),
            domain: domain.map(str::to_owned),
            display_name: String::new(),
            note: String::new(),
            locked: false,
            bot: false,
            discoverable: false,
            uri: None,
            public_key_pem: String::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            remote: None,
            fields: Vec::new(),
            avatar: None,
            header: None,
            moved_to_id,
            silenced: false,
            suspended: false,
        }
    }

    #[test]
    fn a_moved_local_account_is_read_only() {
        assert!(ensure_active(&person(None, None)).is_ok());
        assert!(matches!(
            ensure_active(&person(Some(2), None)),
            Err(Error::Forbidden(_))
        ));
        // Another server's account that moved is that server's to restrain.
        assert!(ensure_active(&person(Some(2), Some("elsewhere.example"))).is_ok());
    }

    #[test]
    fn an_alias_is_another_account_address() {
        let me = person(None, None);
        let own = "https://here.example/users/alice";
        assert!(check_alias(&me, own, "https://there.example/users/alice").is_ok());
        assert!(check_alias(&me, own, own).is_err());
        assert!(check_alias(&me, own, "alice@there.example").is_err());
        assert!(check_alias(&me, own, "https://there.example/users/a b").is_err());
    }
}
