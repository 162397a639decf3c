//! Browser sessions: a person signed in on the instance's own pages. The browser
//! holds a random token; the database keeps only its SHA-256 hash, with an expiry,
//! the browser's user agent and address at sign-in, and when it was last used, so
//! that the person can see their signed-in browsers and end any of them.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::access::user::{self, User};
use crate::entities::browser_sessions;
use crate::{
    Error, Result,
    access::{credentials, oauth},
    id,
};

/// How long a session lasts after signing in.
pub const LIFETIME: TimeDelta = TimeDelta::days(14);
/// How many characters a session token has (about 256 bits).
const TOKEN_CHARS: usize = 43;
/// How stale the recorded last use may get before a request writes it again.
const LAST_USED_PRECISION: TimeDelta = TimeDelta::minutes(5);
/// The most characters of a user agent kept.
const MAX_USER_AGENT_CHARS: usize = 512;
/// The most characters of an address kept.
const MAX_ADDRESS_CHARS: usize = 64;

/// What is known of the browser that signs in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Device {
    pub user_agent: Option<String>,
    pub address: Option<String>,
}

/// A signed-in browser, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub user_agent: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    /// Whether it is the session of the browser asking.
    pub current: bool,
}

fn cut(text: Option<String>, max: usize) -> Option<String> {
    text.map(|t| t.chars().take(max).collect::<String>())
        .filter(|t| !t.trim().is_empty())
}

/// Starts a session for `account_id` on `device`; returns its token (known only
/// now).
pub async fn start(
    db: &impl ConnectionTrait,
    account_id: i64,
    device: Device,
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
        user_agent: Set(cut(device.user_agent, MAX_USER_AGENT_CHARS)),
        address: Set(cut(device.address, MAX_ADDRESS_CHARS)),
        last_used_at: Set(Some(now)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user signed in by `token`: `None` when the session is unknown, expired, or
/// belongs to someone who may no longer sign in. Records the use (at most every
/// few minutes).
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
    if session
        .last_used_at
        .is_none_or(|at| at + LAST_USED_PRECISION <= now)
    {
        browser_sessions::ActiveModel {
            id: Set(session.id),
            last_used_at: Set(Some(now)),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(user.can_sign_in().then_some(user))
}

/// The signed-in browsers of `account_id`, most recently used first; `current` is
/// the token of the browser asking.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    current: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<Session>> {
    let current = current.map(oauth::hash);
    let rows = browser_sessions::Entity::find()
        .filter(browser_sessions::Column::AccountId.eq(account_id))
        .filter(browser_sessions::Column::ExpiresAt.gt(now))
        .order_by_desc(browser_sessions::Column::Id)
        .all(db)
        .await?;
    let mut sessions: Vec<Session> = rows
        .into_iter()
        .map(|row| Session {
            id: row.id,
            current: current.as_deref() == Some(row.token_hash.as_str()),
            user_agent: row.user_agent,
            address: row.address,
            created_at: row.created_at,
            last_used_at: row.last_used_at.unwrap_or(row.created_at),
        })
        .collect();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.last_used_at));
    Ok(sessions)
}

/// Ends the session `session_id` of `account_id` (from another browser); `NotFound`
/// when it is not theirs or over already.
pub async fn end_by_id(db: &impl ConnectionTrait, account_id: i64, session_id: i64) -> Result<()> {
    let deleted = browser_sessions::Entity::delete_many()
        .filter(browser_sessions::Column::Id.eq(session_id))
        .filter(browser_sessions::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(Error::NotFound("session"));
    }
    Ok(())
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
