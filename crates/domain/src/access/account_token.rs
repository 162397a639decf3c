//! Single-use tokens mailed to a person (one to confirm their email address, one to
//! reset their password) or handed to a browser between the two steps of a
//! two-factor sign-in. The link holds the token; the database keeps only its
//! SHA-256 hash, what it is for and when it expires. A token works once.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::{account_tokens, users};
use crate::{
    Error, Result,
    access::{credentials, oauth},
    id,
};

/// How many characters a token has (about 256 bits).
const TOKEN_CHARS: usize = 43;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirming the email address given at sign-up.
    ConfirmEmail,
    /// Setting a new password without the old one.
    ResetPassword,
    /// Finishing a sign-in whose password was right with a second factor.
    TwoFactorSignIn,
    /// Confirming a new email address, which replaces the old one then.
    ChangeEmail,
}

impl Purpose {
    fn name(self) -> &'static str {
        match self {
            Self::ConfirmEmail => "confirm_email",
            Self::ResetPassword => "reset_password",
            Self::TwoFactorSignIn => "two_factor_sign_in",
            Self::ChangeEmail => "change_email",
        }
    }

    /// How long a token lasts once made.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            Self::ConfirmEmail | Self::ChangeEmail => TimeDelta::days(2),
            Self::ResetPassword => TimeDelta::hours(1),
            Self::TwoFactorSignIn => TimeDelta::minutes(10),
        }
    }
}

/// Whether `text` has the shape of the tokens made here (checked before any query).
pub fn is_token(text: &str) -> bool {
    text.len() == TOKEN_CHARS && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Makes a token for `account_id` and `purpose`; returns it (known only now). The
/// account's earlier tokens for the same purpose stop working, and expired tokens
/// of anyone are removed.
pub async fn issue(
    db: &impl ConnectionTrait,
    account_id: i64,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String> {
    account_tokens::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(account_tokens::Column::ExpiresAt.lte(now))
                .add(
                    sea_orm::Condition::all()
                        .add(account_tokens::Column::AccountId.eq(account_id))
                        .add(account_tokens::Column::Purpose.eq(purpose.name())),
                ),
        )
        .exec(db)
        .await?;
    let token = credentials::random_code(TOKEN_CHARS);
    account_tokens::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        purpose: Set(purpose.name().to_owned()),
        token_hash: Set(oauth::hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Every token of `account_id` for `purpose` stops working.
pub async fn revoke(db: &impl ConnectionTrait, account_id: i64, purpose: Purpose) -> Result<()> {
    account_tokens::Entity::delete_many()
        .filter(account_tokens::Column::AccountId.eq(account_id))
        .filter(account_tokens::Column::Purpose.eq(purpose.name()))
        .exec(db)
        .await?;
    Ok(())
}

/// The stored row of a valid `token` for `purpose`.
async fn find_row(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<account_tokens::Model> {
    if !is_token(token) {
        return Err(Error::NotFound("token"));
    }
    account_tokens::Entity::find()
        .filter(account_tokens::Column::TokenHash.eq(oauth::hash(token)))
        .filter(account_tokens::Column::Purpose.eq(purpose.name()))
        .filter(account_tokens::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or(Error::NotFound("token"))
}

/// The account whose valid `token` this is, without using it up; `NotFound` for
/// an unknown, used or expired token.
pub async fn check(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(find_row(db, token, purpose, now).await?.account_id)
}

/// Uses `token` up: the account it was for; `NotFound` for an unknown, used or
/// expired token. Two requests racing with one token: only one gets the account.
pub async fn consume(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<i64> {
    let row = find_row(db, token, purpose, now).await?;
    let deleted = account_tokens::Entity::delete_by_id(row.id)
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(Error::NotFound("token"));
    }
    Ok(row.account_id)
}

/// Confirms the email address of the account that `token` was mailed to: the
/// account, whose owner may now sign in (once approved, if that is needed).
pub async fn confirm_email(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let account_id = consume(db, token, Purpose::ConfirmEmail, now).await?;
    mark_confirmed(db, account_id).await?;
    Ok(account_id)
}

/// Records that the person behind `account_id` has shown they read its address.
pub(crate) async fn mark_confirmed(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    users::ActiveModel {
        account_id: Set(account_id),
        confirmed: Set(true),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_lasts_an_hour_and_a_confirmation_two_days() {
        assert_eq!(Purpose::ResetPassword.lifetime(), TimeDelta::hours(1));
        assert_eq!(Purpose::ConfirmEmail.lifetime(), TimeDelta::days(2));
    }

    #[test]
    fn only_token_shaped_text_is_looked_up() {
        assert!(is_token(&credentials::random_code(TOKEN_CHARS)));
        assert!(!is_token("short"));
        assert!(!is_token(&"é".repeat(TOKEN_CHARS)));
    }
}
