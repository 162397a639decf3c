//! The persistent delivery queue: an outgoing activity is stored once, with one
//! delivery per distinct target inbox. Workers (in any process sharing the database)
//! claim due deliveries under a lease, send them, and report back; failures are
//! retried with exponential back-off for days, and a server that keeps failing is
//! left alone for a while so that it slows nobody else down.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, Set, Statement, TransactionSession, TransactionTrait,
};

use crate::entities::{deliveries, instances, outgoing_activities};
use crate::{Error, Result, id};

/// The first retry waits this long; each further one twice as long.
const FIRST_RETRY: TimeDelta = TimeDelta::seconds(30);
/// No wait between retries is longer than this.
const LONGEST_RETRY: TimeDelta = TimeDelta::hours(24);
/// A delivery still failing this long after it was queued is given up.
pub const GIVE_UP_AFTER: TimeDelta = TimeDelta::days(7);
/// After this many failures in a row, a server is left alone for a while.
const FAILURES_BEFORE_UNAVAILABLE: i32 = 5;
/// Deliveries inserted per statement when an activity is queued.
const ENQUEUE_CHUNK: usize = 500;
/// The most characters of an error kept for the operator.
const MAX_ERROR_CHARS: usize = 500;

/// An activity to deliver.
#[derive(Debug, Clone)]
pub struct NewActivity {
    /// The activity's id.
    pub uri: String,
    /// The local account that signs it.
    pub actor_id: i64,
    /// The activity as JSON, exactly as it will be sent.
    pub body: String,
}

/// A delivery a worker holds: send `body` to `inbox`, signed by `actor_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub activity_uri: String,
    pub actor_id: i64,
    pub body: String,
    pub inbox: String,
    /// The host (and port) of `inbox`: deliveries are grouped by it.
    pub domain: String,
    /// Failed attempts so far.
    pub attempts: i32,
    pub queued_at: DateTime<Utc>,
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again at this time (the back-off, or the server's `Retry-After`).
    At(DateTime<Utc>),
    /// Do not try again: the server refused it for good, or it failed for too long.
    Never,
}

/// The host and port of `url`, or `None` if it is not an http(s) URL.
pub fn domain_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// Stores `activity` and one delivery per distinct inbox in `inboxes`, at once or
/// not at all. Queuing the same activity again adds only inboxes it lacked.
pub async fn enqueue(
    db: &(impl ConnectionTrait + TransactionTrait),
    activity: NewActivity,
    inboxes: &[String],
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut targets: Vec<(String, String)> = Vec::new();
    for inbox in inboxes {
        let domain = domain_of(inbox)
            .ok_or_else(|| Error::invalid("inbox", format!("{inbox} is not an http(s) URL")))?;
        if !targets.iter().any(|(known, _)| known == inbox) {
            targets.push((inbox.clone(), domain));
        }
    }
    let txn = crate::database::begin_write(db).await?;
    let activity_id = match outgoing_activities::Entity::find()
        .filter(outgoing_activities::Column::Uri.eq(activity.uri.as_str()))
        .one(&txn)
        .await?
    {
        Some(existing) => existing.id,
        None => {
            outgoing_activities::ActiveModel {
                id: Set(id::new_id(now)),
                uri: Set(activity.uri),
                actor_id: Set(activity.actor_id),
                body: Set(activity.body),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    // One statement per chunk; an inbox the activity already has is skipped.
    let mut added = 0;
    for chunk in targets.chunks(ENQUEUE_CHUNK) {
        let rows = chunk.iter().map(|(inbox, domain)| deliveries::ActiveModel {
            id: Set(id::new_id(now)),
            activity_id: Set(activity_id),
            inbox_url: Set(inbox.clone()),
            domain: Set(domain.clone()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            locked_until: Set(None),
            last_error: Set(None),
            failed_at: Set(None),
            created_at: Set(now),
        });
        let inserted = deliveries::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([deliveries::Column::ActivityId, deliveries::Column::InboxUrl])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        added += usize::try_from(inserted).unwrap_or(0);
    }
    txn.commit().await?;
    Ok(added)
}

const CLAIM_POSTGRES: &str = r#"
UPDATE deliveries SET locked_until = $1
WHERE id IN (
    SELECT d.id FROM deliveries d
    LEFT JOIN instances i ON i.domain = d.domain
    WHERE d.failed_at IS NULL
      AND d.next_attempt_at <= $2
      AND (d.locked_until IS NULL OR d.locked_until <= $2)
      AND (i.unavailable_until IS NULL OR i.unavailable_until <= $2)
    ORDER BY d.id
    LIMIT $3
    FOR UPDATE OF d SKIP LOCKED)
RETURNING id"#;

const CLAIM_SQLITE: &str = r#"
UPDATE deliveries SET locked_until = ?
WHERE id IN (
    SELECT d.id FROM deliveries d
    LEFT JOIN instances i ON i.domain = d.domain
    WHERE d.failed_at IS NULL
      AND d.next_attempt_at <= ?
      AND (d.locked_until IS NULL OR d.locked_until <= ?)
      AND (i.unavailable_until IS NULL OR i.unavailable_until <= ?)
    ORDER BY d.id
    LIMIT ?)
RETURNING id"#;

/// Claims up to `limit` due deliveries for `lease`, oldest first, skipping servers
/// that are left alone. Each is held by this caller alone until it reports back or
/// the lease runs out (when another worker may take it over).
pub async fn claim(
    db: &impl ConnectionTrait,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>> {
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
            [
                until.into(),
                now.into(),
                now.into(),
                now.into(),
                limit.into(),
            ],
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
    let rows = deliveries::Entity::find()
        .filter(deliveries::Column::Id.is_in(ids))
        .find_also_related(outgoing_activities::Entity)
        .all(db)
        .await?;
    let mut claimed: Vec<Claimed> = rows
        .into_iter()
        .filter_map(|(delivery, activity)| {
            let activity = activity?;
            Some(Claimed {
                id: delivery.id,
                activity_uri: activity.uri,
                actor_id: activity.actor_id,
                body: activity.body,
                inbox: delivery.inbox_url,
                domain: delivery.domain,
                attempts: delivery.attempts,
                queued_at: delivery.created_at,
            })
        })
        .collect();
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Records that `delivery` arrived: it leaves the queue, and its server is healthy.
pub async fn succeeded(
    db: &impl ConnectionTrait,
    delivery: &Claimed,
    now: DateTime<Utc>,
) -> Result<()> {
    deliveries::Entity::delete_by_id(delivery.id)
        .exec(db)
        .await?;
    let health = instances::ActiveModel {
        domain: Set(delivery.domain.clone()),
        consecutive_failures: Set(0),
        unavailable_until: Set(None),
        last_success_at: Set(Some(now)),
        ..Default::default()
    };
    upsert_instance(db, health).await
}

/// Records a failed attempt at `delivery`: it is retried as `retry` says (or given up
/// when it has been failing for too long), and its server counts one more failure.
pub async fn failed(
    db: &impl ConnectionTrait,
    delivery: &Claimed,
    error: &str,
    retry: Retry,
    now: DateTime<Utc>,
) -> Result<()> {
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    let give_up = match retry {
        Retry::Never => true,
        Retry::At(at) => at - delivery.queued_at > GIVE_UP_AFTER,
    };
    let mut row = deliveries::ActiveModel {
        id: Set(delivery.id),
        attempts: Set(delivery.attempts + 1),
        locked_until: Set(None),
        last_error: Set(Some(error)),
        ..Default::default()
    };
    match retry {
        Retry::At(at) if !give_up => row.next_attempt_at = Set(at),
        _ => row.failed_at = Set(Some(now)),
    }
    row.update(db).await?;
    if retry == Retry::Never {
        // The server answered: it is up, it only refused this one.
        return Ok(());
    }
    let failures = instances::Entity::find_by_id(delivery.domain.clone())
        .one(db)
        .await?
        .map_or(0, |row| row.consecutive_failures)
        + 1;
    let unavailable_until = (failures >= FAILURES_BEFORE_UNAVAILABLE)
        .then(|| now + backoff(failures - FAILURES_BEFORE_UNAVAILABLE + 1));
    upsert_instance(
        db,
        instances::ActiveModel {
            domain: Set(delivery.domain.clone()),
            consecutive_failures: Set(failures),
            unavailable_until: Set(unavailable_until),
            last_failure_at: Set(Some(now)),
            ..Default::default()
        },
    )
    .await
}

/// Gives `delivery` back untried (its worker stopped, or its server just failed
/// another delivery): it is due again at once, with no attempt counted.
pub async fn release(db: &impl ConnectionTrait, delivery: &Claimed) -> Result<()> {
    deliveries::ActiveModel {
        id: Set(delivery.id),
        locked_until: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// How long to wait before retry number `attempt` (1 for the first retry).
pub fn backoff(attempt: i32) -> TimeDelta {
    let doublings = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    let wait = FIRST_RETRY * 2_i32.pow(doublings);
    wait.min(LONGEST_RETRY)
}

async fn upsert_instance(db: &impl ConnectionTrait, row: instances::ActiveModel) -> Result<()> {
    let mut columns = Vec::new();
    for column in [
        instances::Column::ConsecutiveFailures,
        instances::Column::UnavailableUntil,
        instances::Column::LastSuccessAt,
        instances::Column::LastFailureAt,
    ] {
        if row.get(column).is_set() {
            columns.push(column);
        }
    }
    instances::Entity::insert(row)
        .on_conflict(
            OnConflict::column(instances::Column::Domain)
                .update_columns(columns)
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// How the queue stands, for operators and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Deliveries waiting to be sent or retried.
    pub pending: u64,
    /// Deliveries given up on.
    pub failed: u64,
}

/// Counts the deliveries waiting and given up.
pub async fn stats(db: &impl ConnectionTrait) -> Result<QueueStats> {
    let pending = deliveries::Entity::find()
        .filter(deliveries::Column::FailedAt.is_null())
        .count(db)
        .await?;
    let failed = deliveries::Entity::find()
        .filter(deliveries::Column::FailedAt.is_not_null())
        .count(db)
        .await?;
    Ok(QueueStats { pending, failed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_a_day() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::seconds(60));
        assert_eq!(backoff(5), TimeDelta::seconds(480));
        assert_eq!(backoff(13), TimeDelta::hours(24));
        assert_eq!(backoff(1000), TimeDelta::hours(24));
        // Summed, the waits stay within the week a delivery is tried for.
        let total: TimeDelta = (1..=14).map(backoff).sum();
        assert!(total < GIVE_UP_AFTER, "{total}");
    }

    #[test]
    fn deliveries_are_grouped_by_host_and_port() {
        assert_eq!(
            domain_of("https://Mastodon.Social/inbox").as_deref(),
            Some("mastodon.social")
        );
        assert_eq!(
            domain_of("http://localhost:8080/users/a/inbox").as_deref(),
            Some("localhost:8080")
        );
        assert_eq!(domain_of("ftp://x.org/inbox"), None);
        assert_eq!(domain_of("not a url"), None);
    }
}
