//! Changing a password (the current one required) and resetting it with a mailed
//! token; and ending an account's sessions and app tokens, which both may ask for.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};

use crate::access::account_token::{self, Purpose};
use crate::access::user::{self, User};
use crate::access::{browser_session, credentials, oauth};
use crate::{Error, Result};

/// Sets `new` as the password of `account_id` if `current` is its password now and
/// `new` is strong enough. A wrong current password is `Invalid` on
/// `current_password`; a weak new one `Invalid` on `password`.
pub async fn change(
    db: &impl ConnectionTrait,
    account_id: i64,
    current: &str,
    new: String,
) -> Result<User> {
    let user = user::get(db, account_id).await?;
    if !user::verify_password(db, &user, current).await? {
        return Err(Error::invalid("current_password", "is not right"));
    }
    user::set_password(db, &user.account.username, new).await
}

/// Ends every browser session of `account_id` but the one of `keep` (a session
/// token), and revokes every app token of the account.
pub async fn sign_out_everywhere(
    db: &impl ConnectionTrait,
    account_id: i64,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    browser_session::end_all(db, account_id, keep).await?;
    oauth::revoke_for_account(db, account_id, now).await
}

/// Sets `new` as the password of the account the reset `token` was made for, if it
/// is strong enough: the token is used up, the address counts as confirmed (the
/// token came through it), and every session and app token of the account ends.
/// A weak password leaves the token usable.
pub async fn reset(
    db: &(impl ConnectionTrait + TransactionTrait),
    token: &str,
    new: String,
    now: DateTime<Utc>,
) -> Result<User> {
    let account_id = account_token::check(db, token, Purpose::ResetPassword, now).await?;
    let user = user::get(db, account_id).await?;
    credentials::check_strength(&new, &user.account.username, &user.email)?;
    let password_hash = credentials::hash_password(new).await?;
    let txn = crate::database::begin_write(db).await?;
    account_token::consume(&txn, token, Purpose::ResetPassword, now).await?;
    user::store_password_hash(&txn, account_id, password_hash).await?;
    account_token::mark_confirmed(&txn, account_id).await?;
    sign_out_everywhere(&txn, account_id, None, now).await?;
    txn.commit().await?;
    Ok(User {
        confirmed: true,
        ..user
    })
}
