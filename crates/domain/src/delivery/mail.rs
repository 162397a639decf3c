//! The persistent queue of outgoing mails. A mail is stored rendered (recipient,
//! subject, a plain-text and an HTML part); a worker in any process sharing the
//! database claims due mails under a lease, hands them to the SMTP server and
//! reports back. A sent mail is deleted at once, because its body may hold a link
//! that signs someone in; a failing one is retried with back-off and given up
//! (deleted too) after [`GIVE_UP_AFTER`].

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, Set, Statement,
};

use crate::entities::outgoing_mails;
use crate::{Error, Result, id};

/// The first retry waits this long; each further one twice as long.
const FIRST_RETRY: TimeDelta = TimeDelta::minutes(1);
/// No wait between retries is longer than this.
const LONGEST_RETRY: TimeDelta = TimeDelta::hours(6);
/// A mail still failing this long after it was queued is given up: its links have
/// expired by then.
pub const GIVE_UP_AFTER: TimeDelta = TimeDelta::days(2);
/// The most characters of an error kept for the operator.
const MAX_ERROR_CHARS: usize = 500;

/// A mail to send.
#[derive(Clone, PartialEq, Eq)]
pub struct NewMail {
    /// The recipient's address.
    pub to: String,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// Its bodies may hold links that must not reach the logs.
impl std::fmt::Debug for NewMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// A mail claimed by a worker.
#[derive(Clone)]
pub struct QueuedMail {
    pub id: i64,
    pub mail: NewMail,
    /// Attempts made before this one.
    pub attempts: i32,
    pub queued_at: DateTime<Utc>,
}

impl std::fmt::Debug for QueuedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueuedMail")
            .field("id", &self.id)
            .field("mail", &self.mail)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Drops every mail queued for `address` (of an account being deleted).
pub async fn forget_mails_to(db: &impl ConnectionTrait, address: &str) -> Result<u64> {
    let deleted = outgoing_mails::Entity::delete_many()
        .filter(outgoing_mails::Column::Recipient.eq(address))
        .exec(db)
        .await?;
    Ok(deleted.rows_affected)
}

/// Queues `mail`, due at once.
pub async fn enqueue(db: &impl ConnectionTrait, mail: NewMail, now: DateTime<Utc>) -> Result<i64> {
    let id = id::new_id(now);
    outgoing_mails::ActiveModel {
        id: Set(id),
        recipient: Set(mail.to),
        subject: Set(mail.subject),
        text_body: Set(mail.text),
        html_body: Set(mail.html),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

const CLAIM_POSTGRES: &str = r#"
UPDATE outgoing_mails SET locked_until = $1
WHERE id IN (
    SELECT id FROM outgoing_mails
    WHERE next_attempt_at <= $2
      AND (locked_until IS NULL OR locked_until <= $2)
    ORDER BY id
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
RETURNING id"#;

const CLAIM_SQLITE: &str = r#"
UPDATE outgoing_mails SET locked_until = ?
WHERE id IN (
    SELECT id FROM outgoing_mails
    WHERE next_attempt_at <= ?
      AND (locked_until IS NULL OR locked_until <= ?)
    ORDER BY id
    LIMIT ?)
RETURNING id"#;

/// Claims up to `limit` due mails, oldest first. Each is held by this caller alone
/// until it reports back or the lease runs out.
pub async fn claim(
    db: &impl ConnectionTrait,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<QueuedMail>> {
    let until = now + TimeDelta::from_std(lease).map_err(|e| Error::Internal(e.to_string()))?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let backend = db.get_database_backend();
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            CLAIM_POSTGRES,
            [until.into(), now.into(), limit.into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            CLAIM_SQLITE,
            [until.into(), now.into(), now.into(), limit.into()],
        ),
    };
    let ids: Vec<i64> = db
        .query_all_raw(statement)
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut claimed: Vec<QueuedMail> = outgoing_mails::Entity::find()
        .filter(outgoing_mails::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| QueuedMail {
            id: row.id,
            mail: NewMail {
                to: row.recipient,
                subject: row.subject,
                text: row.text_body,
                html: row.html_body,
            },
            attempts: row.attempts,
            queued_at: row.created_at,
        })
        .collect();
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Records that `mail` was handed over: it leaves the queue.
pub async fn sent(db: &impl ConnectionTrait, mail: &QueuedMail) -> Result<()> {
    outgoing_mails::Entity::delete_by_id(mail.id)
        .exec(db)
        .await?;
    Ok(())
}

/// What became of a mail that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It is tried again at this time.
    RetryAt(DateTime<Utc>),
    /// It was given up and deleted.
    GivenUp,
}

/// Records a failed attempt at `mail`: it is retried after a back-off, or given up
/// when `permanent` (the server refused it for good) or it has failed too long.
pub async fn failed(
    db: &impl ConnectionTrait,
    mail: &QueuedMail,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let at = now + backoff(mail.attempts + 1);
    if permanent || at - mail.queued_at > GIVE_UP_AFTER {
        outgoing_mails::Entity::delete_by_id(mail.id)
            .exec(db)
            .await?;
        return Ok(Outcome::GivenUp);
    }
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    outgoing_mails::ActiveModel {
        id: Set(mail.id),
        attempts: Set(mail.attempts + 1),
        next_attempt_at: Set(at),
        locked_until: Set(None),
        last_error: Set(Some(error)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(Outcome::RetryAt(at))
}

/// Gives `mail` back untried: it is due again at once.
pub async fn release(db: &impl ConnectionTrait, mail: &QueuedMail) -> Result<()> {
    outgoing_mails::ActiveModel {
        id: Set(mail.id),
        locked_until: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// How many mails wait to be sent.
pub async fn waiting(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(outgoing_mails::Entity::find().count(db).await?)
}

/// How long to wait before retry number `attempt` (1 for the first retry).
pub fn backoff(attempt: i32) -> TimeDelta {
    let doublings = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    (FIRST_RETRY * 2_i32.pow(doublings)).min(LONGEST_RETRY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(backoff(1), TimeDelta::minutes(1));
        assert_eq!(backoff(2), TimeDelta::minutes(2));
        assert_eq!(backoff(5), TimeDelta::minutes(16));
        assert_eq!(backoff(50), TimeDelta::hours(6));
    }

    #[test]
    fn a_mail_shows_no_body_when_debugged() {
        let mail = NewMail {
            to: "a@example.org".into(),
            subject: "Reset".into(),
            text: "https://x/secret".into(),
            html: "<a href=\"https://x/secret\">".into(),
        };
        assert!(!format!("{mail:?}").contains("secret"));
    }
}
