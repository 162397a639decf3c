//! Browser sessions: a person signed in on the instance's own pages (to approve an
//! app, for instance). The browser holds a random token; the database keeps only its
//! SHA-256 hash, with an expiry.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::access::user::{self, User};
use crate::entities::browser_sessions;
use crate::{
    Result,
    access::{credentials, oauth},
    id,
};

/// How long a session lasts after signing in.
pub const LIFETIME: TimeDelta = TimeDelta::days(14);
/// How many characters a session token has (about 256 bits).
const TOKEN_CHARS: usize = 43;

/// Starts a session for `account_id`; returns its token (known only now).
pub async fn start(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<String> {
    browser_sessions::Entity::delete_many()
        .filter(browser_sessions::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    let token = credentials::random_code(TOKEN_CHARS);
    browser_sessions::ActiveModel {
        id: Set(id::new_id(now)),
        token_hash: Set(oauth::hash(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        expires_at: Set(now + LIFETIME),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user signed in by `token`: `None` when the session is unknown, expired, or
/// belongs to someone who may no longer sign in.
pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    let Some(session) = browser_sessions::Entity::find()
        .filter(browser_sessions::Column::TokenHash.eq(oauth::hash(token)))
        .filter(browser_sessions::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let user = user::get(db, session.account_id).await?;
    Ok(user.can_sign_in().then_some(user))
}

/// Ends the session of `token` (signing out); an unknown token is no error.
pub async fn end(db: &impl ConnectionTrait, token: &str) -> Result<()> {
    browser_sessions::Entity::delete_many()
        .filter(browser_sessions::Column::TokenHash.eq(oauth::hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of `account_id`, but the one of `keep` when given.
pub async fn end_all(db: &impl ConnectionTrait, account_id: i64, keep: Option<&str>) -> Result<()> {
    let mut delete = browser_sessions::Entity::delete_many()
        .filter(browser_sessions::Column::AccountId.eq(account_id));
    if let Some(keep) = keep {
        delete = delete.filter(browser_sessions::Column::TokenHash.ne(oauth::hash(keep)));
    }
    delete.exec(db).await?;
    Ok(())
}
