//! Changing one's email address. The person gives their password and the new
//! address; the address waits, unconfirmed, until the link mailed to it is
//! followed, and only then does it replace the old one, for signing in and for
//! mail. Until then the old address keeps working, so a mistyped address locks
//! nobody out. The old address is told of the change once it is done.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait,
};

use crate::access::account_token::{self, Purpose};
use crate::access::user::{self, User, check_email, find_by_email, unique_violation_as_conflict};
use crate::database::begin_write;
use crate::entities::users;
use crate::{Error, Result};

/// A change asked for: the token for the link mailed to the new address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    pub new_email: String,
    /// The single-use token (known only now).
    pub token: String,
}

/// A change done: the address the account had, and the one it has now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub account_id: i64,
    pub old_email: String,
    pub new_email: String,
}

/// `me` asks to change their address to `new_email`, confirming with their
/// `password`. `Invalid` naming `password` or `email` when one is wrong (nothing
/// changes then); `Conflict` when another account has the address. Any earlier
/// change asked for stops waiting.
pub async fn request(
    db: &(impl ConnectionTrait + TransactionTrait),
    me: &User,
    password: &str,
    new_email: &str,
    now: DateTime<Utc>,
) -> Result<Requested> {
    let new_email = new_email.trim().to_lowercase();
    check_email(&new_email)?;
    if !user::verify_password(db, me, password).await? {
        return Err(Error::invalid("password", "is not right"));
    }
    if new_email == me.email {
        return Err(Error::invalid("email", "is your address already"));
    }
    if find_by_email(db, &new_email).await?.is_some() {
        return Err(taken());
    }
    let txn = begin_write(db).await?;
    users::ActiveModel {
        account_id: Set(me.account.id),
        unconfirmed_email: Set(Some(new_email.clone())),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    let token = account_token::issue(&txn, me.account.id, Purpose::ChangeEmail, now).await?;
    txn.commit().await?;
    Ok(Requested { new_email, token })
}

/// The address `account_id` asked to change to and has not confirmed yet.
pub async fn waiting(db: &impl ConnectionTrait, account_id: i64) -> Result<Option<String>> {
    Ok(users::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .and_then(|row| row.unconfirmed_email))
}

/// Follows the link mailed to the new address: the address replaces the old one
/// and counts as confirmed. `NotFound` for an unknown, used or expired token, or
/// when no change waits; `Conflict` when another account took the address since.
pub async fn confirm(
    db: &(impl ConnectionTrait + TransactionTrait),
    token: &str,
    now: DateTime<Utc>,
) -> Result<Changed> {
    let txn = begin_write(db).await?;
    let account_id = account_token::consume(&txn, token, Purpose::ChangeEmail, now).await?;
    let row = users::Entity::find_by_id(account_id)
        .one(&txn)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let new_email = row.unconfirmed_email.ok_or(Error::NotFound("token"))?;
    users::ActiveModel {
        account_id: Set(account_id),
        email: Set(new_email.clone()),
        unconfirmed_email: Set(None),
        confirmed: Set(true),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(|e| match unique_violation_as_conflict(e, "") {
        Error::Conflict(_) => taken(),
        other => other,
    })?;
    txn.commit().await?;
    Ok(Changed {
        account_id,
        old_email: row.email,
        new_email,
    })
}

/// `account_id` stops waiting for a change of address: the link mailed stops
/// working.
pub async fn cancel(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    users::ActiveModel {
        account_id: Set(account_id),
        unconfirmed_email: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    account_token::revoke(db, account_id, Purpose::ChangeEmail).await
}

fn taken() -> Error {
    Error::Conflict("the email address is already in use".to_owned())
}
