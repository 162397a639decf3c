//! Web Push as stored: the instance's VAPID key pair, the push subscriptions of
//! access tokens (one per token, with the kinds of notification it wants and from
//! whom), and the persistent queue of notifications to push. A notification is
//! queued for each subscription that wants it when it is stored; a worker in any
//! process sharing the database claims due pushes under a lease, encrypts and sends
//! them, and reports back: sent pushes leave the queue, failing ones are retried
//! with back-off and given up after [`GIVE_UP_AFTER`], and a subscription the push
//! service says is gone is removed with its queue.
//!
//! The access token's text is kept with its subscription, because Mastodon's push
//! payload carries it (apps tell their accounts apart by it); it goes only into the
//! encrypted payload, and the subscription goes when the token is revoked.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, TimeDelta, Utc};
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, Set, Statement,
};

use super::notification::Kind;
use crate::access::oauth;
use crate::entities::{follows, oauth_tokens, push_deliveries, push_subscriptions, vapid_keys};
use crate::{Error, Result, id};

/// The longest endpoint URL accepted.
pub const MAX_ENDPOINT_CHARS: usize = 2048;
/// The first retry waits this long; each further one twice as long.
const FIRST_RETRY: TimeDelta = TimeDelta::seconds(30);
/// No wait between retries is longer than this.
const LONGEST_RETRY: TimeDelta = TimeDelta::hours(1);
/// A push still failing this long after it was queued is given up: the news is old.
pub const GIVE_UP_AFTER: TimeDelta = TimeDelta::days(1);
/// The most characters of an error kept for the operator.
const MAX_ERROR_CHARS: usize = 500;

/// The kinds of notification a subscription may ask for, by the names of
/// Mastodon's `data[alerts]`.
pub const ALERTS: [Kind; 10] = [
    Kind::Mention,
    Kind::Status,
    Kind::Reblog,
    Kind::Follow,
    Kind::FollowRequest,
    Kind::Favourite,
    Kind::Poll,
    Kind::Update,
    Kind::AdminSignUp,
    Kind::AdminReport,
];

/// From whom a subscription wants notifications pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Policy {
    /// From everyone.
    #[default]
    All,
    /// From accounts the person follows.
    Followed,
    /// From accounts that follow the person.
    Follower,
    /// From nobody.
    None,
}

impl Policy {
    /// The name Mastodon's API uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Followed => "followed",
            Self::Follower => "follower",
            Self::None => "none",
        }
    }

    /// The policy Mastodon's API calls `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::All, Self::Followed, Self::Follower, Self::None]
            .into_iter()
            .find(|p| p.name() == name)
    }
}

/// A push subscription.
#[derive(Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub account_id: i64,
    /// Where pushes are sent (the push service's URL).
    pub endpoint: String,
    /// The browser's or app's P-256 public key, uncompressed (65 bytes).
    pub p256dh: Vec<u8>,
    /// The authentication secret (16 bytes).
    pub auth: Vec<u8>,
    /// The kinds it wants pushed.
    pub alerts: Vec<Kind>,
    pub policy: Policy,
    /// The access token it belongs to (goes into the encrypted payload only).
    pub access_token: String,
}

/// Its keys and token must not reach the logs.
impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("alerts", &self.alerts)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl TryFrom<push_subscriptions::Model> for Subscription {
    type Error = Error;

    fn try_from(row: push_subscriptions::Model) -> Result<Self> {
        Ok(Self {
            id: row.id,
            account_id: row.account_id,
            endpoint: row.endpoint,
            p256dh: decode_key(&row.p256dh)
                .ok_or_else(|| Error::Internal("a stored push key is not base64".into()))?,
            auth: decode_key(&row.auth)
                .ok_or_else(|| Error::Internal("a stored push secret is not base64".into()))?,
            alerts: row.alerts.split(',').filter_map(Kind::from_name).collect(),
            policy: Policy::from_name(&row.policy).unwrap_or_default(),
            access_token: row.access_token,
        })
    }
}

/// What an app asks for when it subscribes.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSubscription {
    pub endpoint: String,
    /// `keys[p256dh]`, base64url (padded or not).
    pub p256dh: String,
    /// `keys[auth]`, base64url (padded or not).
    pub auth: String,
    pub alerts: Vec<Kind>,
    pub policy: Policy,
}

impl std::fmt::Debug for NewSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSubscription")
            .field("alerts", &self.alerts)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

/// Decodes a key as apps send them: base64url or base64, padded or not.
pub fn decode_key(text: &str) -> Option<Vec<u8>> {
    let normal: String = text
        .trim()
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    URL_SAFE_NO_PAD.decode(normal).ok()
}

fn alerts_text(alerts: &[Kind]) -> String {
    ALERTS
        .iter()
        .filter(|k| alerts.contains(k))
        .map(|k| k.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// Subscribes the token `token` of `account_id` to Web Push, replacing the
/// subscription it had. The endpoint's reachability is checked by the caller.
pub async fn subscribe(
    db: &impl ConnectionTrait,
    account_id: i64,
    token: &str,
    new: NewSubscription,
    now: DateTime<Utc>,
) -> Result<Subscription> {
    if new.endpoint.chars().count() > MAX_ENDPOINT_CHARS {
        return Err(Error::invalid(
            "subscription[endpoint]",
            format!("is longer than {MAX_ENDPOINT_CHARS} characters"),
        ));
    }
    let p256dh = decode_key(&new.p256dh)
        .filter(|key| key.len() == 65 && key[0] == 4)
        .ok_or_else(|| {
            Error::invalid(
                "subscription[keys][p256dh]",
                "is not an uncompressed P-256 public key in base64url",
            )
        })?;
    let auth = decode_key(&new.auth)
        .filter(|secret| secret.len() == 16)
        .ok_or_else(|| {
            Error::invalid(
                "subscription[keys][auth]",
                "is not a 16-byte secret in base64url",
            )
        })?;
    let token_hash = oauth::hash(token);
    push_subscriptions::Entity::delete_many()
        .filter(push_subscriptions::Column::TokenHash.eq(token_hash.clone()))
        .exec(db)
        .await?;
    let row = push_subscriptions::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        token_hash: Set(token_hash),
        access_token: Set(token.to_owned()),
        endpoint: Set(new.endpoint),
        p256dh: Set(URL_SAFE_NO_PAD.encode(p256dh)),
        auth: Set(URL_SAFE_NO_PAD.encode(auth)),
        alerts: Set(alerts_text(&new.alerts)),
        policy: Set(new.policy.name().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Subscription::try_from(row)
}

async fn row_of(db: &impl ConnectionTrait, token: &str) -> Result<push_subscriptions::Model> {
    push_subscriptions::Entity::find()
        .filter(push_subscriptions::Column::TokenHash.eq(oauth::hash(token)))
        .one(db)
        .await?
        .ok_or(Error::NotFound("push subscription"))
}

/// The subscription of `token`.
pub async fn find(db: &impl ConnectionTrait, token: &str) -> Result<Subscription> {
    Subscription::try_from(row_of(db, token).await?)
}

/// Changes what the subscription of `token` wants: the alerts and the policy given.
pub async fn update(
    db: &impl ConnectionTrait,
    token: &str,
    alerts: Option<Vec<Kind>>,
    policy: Option<Policy>,
    now: DateTime<Utc>,
) -> Result<Subscription> {
    let row = row_of(db, token).await?;
    let mut change = push_subscriptions::ActiveModel {
        id: Set(row.id),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(alerts) = alerts {
        change.alerts = Set(alerts_text(&alerts));
    }
    if let Some(policy) = policy {
        change.policy = Set(policy.name().to_owned());
    }
    Subscription::try_from(change.update(db).await?)
}

/// Removes the subscription of `token`, if any.
pub async fn unsubscribe(db: &impl ConnectionTrait, token: &str) -> Result<()> {
    push_subscriptions::Entity::delete_many()
        .filter(push_subscriptions::Column::TokenHash.eq(oauth::hash(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Removes subscription `id` and its queue (the push service said it is gone, or
/// its token was revoked).
pub async fn remove(db: &impl ConnectionTrait, id: i64) -> Result<()> {
    push_deliveries::Entity::delete_many()
        .filter(push_deliveries::Column::SubscriptionId.eq(id))
        .exec(db)
        .await?;
    push_subscriptions::Entity::delete_by_id(id)
        .exec(db)
        .await?;
    Ok(())
}

/// Whether `from` follows `to` (accepted).
async fn follows(db: &impl ConnectionTrait, from: i64, to: i64) -> Result<bool> {
    Ok(follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(from))
        .filter(follows::Column::TargetId.eq(to))
        .filter(follows::Column::Accepted.eq(true))
        .count(db)
        .await?
        > 0)
}

/// Queues notification `notification_id` (of `kind`, caused by `from_account_id`
/// for `account_id`) for each of `account_id`'s subscriptions that wants it.
pub(crate) async fn queue(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_account_id: i64,
    kind: Kind,
    notification_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let subscriptions = push_subscriptions::Entity::find()
        .filter(push_subscriptions::Column::AccountId.eq(account_id))
        .all(db)
        .await?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    // Each relation is read once, when a policy asks for it.
    let mut followed = None;
    let mut follower = None;
    for row in subscriptions {
        let wanted = row.alerts.split(',').any(|name| name == kind.name());
        let allowed = match Policy::from_name(&row.policy).unwrap_or_default() {
            Policy::All => true,
            Policy::None => false,
            Policy::Followed => match followed {
                Some(known) => known,
                None => *followed.insert(follows(db, account_id, from_account_id).await?),
            },
            Policy::Follower => match follower {
                Some(known) => known,
                None => *follower.insert(follows(db, from_account_id, account_id).await?),
            },
        };
        if !wanted || !allowed {
            continue;
        }
        push_deliveries::ActiveModel {
            id: Set(id::new_id(now)),
            subscription_id: Set(row.id),
            notification_id: Set(notification_id),
            attempts: Set(0),
            next_attempt_at: Set(now),
            locked_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A push claimed by a worker.
#[derive(Debug, Clone)]
pub struct QueuedPush {
    pub id: i64,
    pub subscription: Subscription,
    pub notification_id: i64,
    /// Attempts made before this one.
    pub attempts: i32,
    pub queued_at: DateTime<Utc>,
}

const CLAIM_POSTGRES: &str = r#"
UPDATE push_deliveries SET locked_until = $1
WHERE id IN (
    SELECT id FROM push_deliveries
    WHERE next_attempt_at <= $2
      AND (locked_until IS NULL OR locked_until <= $2)
    ORDER BY id
    LIMIT $3
    FOR UPDATE SKIP LOCKED)
RETURNING id"#;

const CLAIM_SQLITE: &str = r#"
UPDATE push_deliveries SET locked_until = ?
WHERE id IN (
    SELECT id FROM push_deliveries
    WHERE next_attempt_at <= ?
      AND (locked_until IS NULL OR locked_until <= ?)
    ORDER BY id
    LIMIT ?)
RETURNING id"#;

/// Claims up to `limit` due pushes, oldest first. Each is held by this caller alone
/// until it reports back or the lease runs out.
pub async fn claim(
    db: &impl ConnectionTrait,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<QueuedPush>> {
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
    let rows = push_deliveries::Entity::find()
        .filter(push_deliveries::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let subscriptions = push_subscriptions::Entity::find()
        .filter(push_subscriptions::Column::Id.is_in(rows.iter().map(|r| r.subscription_id)))
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for row in rows {
        let Some(subscription) = subscriptions.iter().find(|s| s.id == row.subscription_id) else {
            continue;
        };
        claimed.push(QueuedPush {
            id: row.id,
            subscription: Subscription::try_from(subscription.clone())?,
            notification_id: row.notification_id,
            attempts: row.attempts,
            queued_at: row.created_at,
        });
    }
    claimed.sort_by_key(|p| p.id);
    Ok(claimed)
}

/// Whether the token of `subscription` still holds (not revoked nor deleted).
pub async fn token_holds(db: &impl ConnectionTrait, subscription: &Subscription) -> Result<bool> {
    Ok(oauth_tokens::Entity::find()
        .filter(oauth_tokens::Column::TokenHash.eq(oauth::hash(&subscription.access_token)))
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .count(db)
        .await?
        > 0)
}

/// Records that `push` was accepted by the push service (or is moot): it leaves
/// the queue.
pub async fn sent(db: &impl ConnectionTrait, push: &QueuedPush) -> Result<()> {
    push_deliveries::Entity::delete_by_id(push.id)
        .exec(db)
        .await?;
    Ok(())
}

/// What became of a push that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It is tried again at this time.
    RetryAt(DateTime<Utc>),
    /// It was given up and deleted.
    GivenUp,
}

/// Records a failed attempt at `push`: retried after a back-off, or given up when
/// it has failed too long.
pub async fn failed(
    db: &impl ConnectionTrait,
    push: &QueuedPush,
    error: &str,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    let at = now + backoff(push.attempts + 1);
    if at - push.queued_at > GIVE_UP_AFTER {
        push_deliveries::Entity::delete_by_id(push.id)
            .exec(db)
            .await?;
        return Ok(Outcome::GivenUp);
    }
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    push_deliveries::ActiveModel {
        id: Set(push.id),
        attempts: Set(push.attempts + 1),
        next_attempt_at: Set(at),
        locked_until: Set(None),
        last_error: Set(Some(error)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(Outcome::RetryAt(at))
}

/// How many pushes wait to be sent.
pub async fn waiting(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(push_deliveries::Entity::find().count(db).await?)
}

/// How long to wait before retry number `attempt` (1 for the first retry).
pub fn backoff(attempt: i32) -> TimeDelta {
    let doublings = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    (FIRST_RETRY * 2_i32.pow(doublings)).min(LONGEST_RETRY)
}

/// The instance's VAPID key pair (P-256), which signs what it pushes.
#[derive(Clone)]
pub struct VapidKey {
    /// The private key, PKCS#8 (DER).
    pub pkcs8: Vec<u8>,
    /// The public key, uncompressed, base64url without padding: what apps are shown.
    pub public_key: String,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKey")
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// The instance's VAPID key pair, made and stored the first time it is asked for.
pub async fn vapid_key(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<VapidKey> {
    if let Some(row) = vapid_keys::Entity::find_by_id(1).one(db).await? {
        return stored_key(row);
    }
    let rng = SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
        .map_err(|_| Error::Internal("a VAPID key could not be made".into()))?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .map_err(|_| Error::Internal("a VAPID key could not be read back".into()))?;
    let inserted = vapid_keys::ActiveModel {
        id: Set(1),
        private_key: Set(STANDARD.encode(pkcs8.as_ref())),
        public_key: Set(URL_SAFE_NO_PAD.encode(pair.public_key().as_ref())),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => stored_key(row),
        // Another process made it first: theirs is the key.
        Err(_) => vapid_keys::Entity::find_by_id(1)
            .one(db)
            .await?
            .ok_or(Error::NotFound("VAPID key"))
            .and_then(stored_key),
    }
}

fn stored_key(row: vapid_keys::Model) -> Result<VapidKey> {
    Ok(VapidKey {
        pkcs8: STANDARD
            .decode(row.private_key)
            .map_err(|_| Error::Internal("the stored VAPID key is not base64".into()))?,
        public_key: row.public_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_in_either_base64_alphabet_padded_or_not() {
        assert_eq!(decode_key("_-8"), Some(vec![0xff, 0xef]));
        assert_eq!(decode_key("/+8="), Some(vec![0xff, 0xef]));
        assert_eq!(decode_key("not base64!"), None);
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(30));
        assert_eq!(backoff(2), TimeDelta::minutes(1));
        assert_eq!(backoff(40), TimeDelta::hours(1));
    }

    #[test]
    fn policies_go_by_mastodons_names() {
        for name in ["all", "followed", "follower", "none"] {
            assert_eq!(Policy::from_name(name).map(Policy::name), Some(name));
        }
        assert_eq!(Policy::from_name("friends"), None);
    }
}
