//! Notifications as stored: what local people are told happened to them (a follow,
//! a request, a favourite, a boost, a mention, a new post of someone they listen
//! to, an edit of a post they boosted, a report), and reading them. Who is told,
//! and who is not, is decided in [`super::recipients`]; this module stores what it
//! is given.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::notifications;
use crate::graph::domain_block;
use crate::page::Page;
use crate::{Result, id};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Follow,
    FollowRequest,
    Favourite,
    Reblog,
    Mention,
    /// A new post of an account whose posts the person asked to hear of.
    Status,
    /// A post the person boosted was edited.
    Update,
    /// Someone made a report (for moderators and administrators).
    AdminReport,
    /// Someone signed up (for moderators and administrators).
    AdminSignUp,
    /// A poll the person voted in or made has ended.
    Poll,
    /// An event the person is going to starts within a day.
    EventReminder,
    /// Someone asks to go to the person's event, whose organiser approves
    /// each participant.
    EventRequest,
    /// The organiser of an event accepted the person's request to go.
    EventAccepted,
    /// The organiser of an event declined the person's request to go.
    EventRejected,
}

impl Kind {
    /// The name Mastodon's API uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Follow => "follow",
            Self::FollowRequest => "follow_request",
            Self::Favourite => "favourite",
            Self::Reblog => "reblog",
            Self::Mention => "mention",
            Self::Status => "status",
            Self::Update => "update",
            Self::AdminReport => "admin.report",
            Self::AdminSignUp => "admin.sign_up",
            Self::Poll => "poll",
            Self::EventReminder => "event_reminder",
            Self::EventRequest => "event_request",
            Self::EventAccepted => "event_accepted",
            Self::EventRejected => "event_rejected",
        }
    }

    /// Every kind.
    pub const ALL: [Self; 14] = [
        Self::Follow,
        Self::FollowRequest,
        Self::Favourite,
        Self::Reblog,
        Self::Mention,
        Self::Status,
        Self::Update,
        Self::AdminReport,
        Self::AdminSignUp,
        Self::Poll,
        Self::EventReminder,
        Self::EventRequest,
        Self::EventAccepted,
        Self::EventRejected,
    ];

    /// The kind Mastodon's API calls `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl From<notifications::Model> for Notification {
    fn from(row: notifications::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            from_account_id: row.from_account_id,
            kind: Kind::from_name(&row.kind).unwrap_or(Kind::Follow),
            post_id: row.post_id,
            report_id: row.report_id,
            created_at: row.created_at,
        }
    }
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub account_id: i64,
    pub from_account_id: i64,
    pub kind: Kind,
    pub post_id: Option<i64>,
    /// For [`Kind::AdminReport`]: the report.
    pub report_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// Stores that `from_account_id` did `kind` (to `post_id`, or in the report
/// `report_id`) for `account_id` to read: the notification's id.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_account_id: i64,
    kind: Kind,
    post_id: Option<i64>,
    report_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let id = id::new_id(now);
    notifications::ActiveModel {
        id: Set(id),
        account_id: Set(account_id),
        from_account_id: Set(from_account_id),
        kind: Set(kind.name().to_owned()),
        post_id: Set(post_id),
        report_id: Set(report_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// The newest notifications of `account_id`, at most `limit`.
pub async fn recent(
    db: &impl ConnectionTrait,
    account_id: i64,
    limit: u64,
) -> Result<Vec<Notification>> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::AccountId.eq(account_id))
        .filter(domain_block::not_from_blocked_servers(
            notifications::Column::FromAccountId,
            account_id,
        ))
        .order_by_desc(notifications::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Notification::from)
        .collect())
}

/// The most notifications [`caused_since`] returns.
pub const MAX_CAUSED: u64 = 10_000;

/// The notifications of the `kinds` that `from_account_id` caused about `post_id`
/// (`None`: about no post) with ids from `since_id` on: what a use case just stored,
/// so that listeners can be told. Oldest first.
pub async fn caused_since(
    db: &impl ConnectionTrait,
    from_account_id: i64,
    post_id: Option<i64>,
    kinds: &[Kind],
    since_id: i64,
) -> Result<Vec<Notification>> {
    let query = notifications::Entity::find()
        .filter(notifications::Column::FromAccountId.eq(from_account_id))
        .filter(notifications::Column::Kind.is_in(kinds.iter().map(|k| k.name())))
        .filter(notifications::Column::Id.gte(since_id));
    let query = match post_id {
        Some(post_id) => query.filter(notifications::Column::PostId.eq(post_id)),
        None => query.filter(notifications::Column::PostId.is_null()),
    };
    Ok(query
        .order_by_asc(notifications::Column::Id)
        .limit(MAX_CAUSED)
        .all(db)
        .await?
        .into_iter()
        .map(Notification::from)
        .collect())
}

/// Which notifications a page holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these kinds (all when empty).
    pub kinds: Vec<Kind>,
    /// Not these kinds.
    pub excluded: Vec<Kind>,
    /// Only those from this account.
    pub from_account_id: Option<i64>,
}

/// A page of `account_id`'s notifications, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    filter: &Filter,
    page: Page,
) -> Result<Vec<Notification>> {
    let mut query = notifications::Entity::find()
        .filter(notifications::Column::AccountId.eq(account_id))
        .filter(domain_block::not_from_blocked_servers(
            notifications::Column::FromAccountId,
            account_id,
        ));
    if !filter.kinds.is_empty() {
        query =
            query.filter(notifications::Column::Kind.is_in(filter.kinds.iter().map(|k| k.name())));
    }
    if !filter.excluded.is_empty() {
        query = query.filter(
            notifications::Column::Kind.is_not_in(filter.excluded.iter().map(|k| k.name())),
        );
    }
    if let Some(from) = filter.from_account_id {
        query = query.filter(notifications::Column::FromAccountId.eq(from));
    }
    let mut rows: Vec<Notification> = page
        .apply(query, notifications::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Notification::from)
        .collect();
    page.finish(&mut rows);
    Ok(rows)
}

/// How many of `account_id`'s notifications are newer than `since_id` (at most
/// `max`, which is enough for a badge).
pub async fn count_newer(
    db: &impl ConnectionTrait,
    account_id: i64,
    since_id: i64,
    max: u64,
) -> Result<u64> {
    let ids: Vec<i64> = notifications::Entity::find()
        .filter(notifications::Column::AccountId.eq(account_id))
        .filter(notifications::Column::Id.gt(since_id))
        .filter(domain_block::not_from_blocked_servers(
            notifications::Column::FromAccountId,
            account_id,
        ))
        .select_only()
        .column(notifications::Column::Id)
        .limit(max)
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.len() as u64)
}

/// `account_id`'s notification `id`.
pub async fn get(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<Notification> {
    notifications::Entity::find_by_id(id)
        .filter(notifications::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .map(Notification::from)
        .ok_or(crate::Error::NotFound("notification"))
}

/// Removes `account_id`'s notification `id`.
pub async fn dismiss(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<()> {
    let result = notifications::Entity::delete_many()
        .filter(notifications::Column::AccountId.eq(account_id))
        .filter(notifications::Column::Id.eq(id))
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        return Err(crate::Error::NotFound("notification"));
    }
    Ok(())
}

/// Removes all of `account_id`'s notifications.
pub async fn clear(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    notifications::Entity::delete_many()
        .filter(notifications::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The kinds Mastodon groups when an app does not say (`grouped_types[]`).
pub const GROUPED: [Kind; 3] = [Kind::Favourite, Kind::Follow, Kind::Reblog];
/// How many hours one group spans at most: notifications of one kind (about one
/// post) in the same window of this many hours share a group.
pub const GROUP_SPAN_HOURS: i64 = 12;

/// What a group key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKey {
    /// One notification, in no group.
    Ungrouped(i64),
    /// The notifications of `kind` (about `post_id`) of the window starting at hour
    /// `bucket` since the epoch.
    Grouped {
        kind: Kind,
        post_id: Option<i64>,
        bucket: i64,
    },
}

impl GroupKey {
    /// The group of `found` when the `grouped` kinds are grouped: favourites and
    /// boosts by post and window, follows by window, the others alone.
    pub fn of(found: &Notification, grouped: &[Kind]) -> Self {
        let hour = found.created_at.timestamp().div_euclid(3600);
        let bucket = hour - hour.rem_euclid(GROUP_SPAN_HOURS);
        if !grouped.contains(&found.kind) {
            return Self::Ungrouped(found.id);
        }
        match (found.kind, found.post_id) {
            (Kind::Favourite | Kind::Reblog, Some(post_id)) => Self::Grouped {
                kind: found.kind,
                post_id: Some(post_id),
                bucket,
            },
            (Kind::Follow, _) => Self::Grouped {
                kind: Kind::Follow,
                post_id: None,
                bucket,
            },
            _ => Self::Ungrouped(found.id),
        }
    }

    /// The key as Mastodon writes it: `favourite-POST-HOUR`, `follow-HOUR`,
    /// `ungrouped-ID`.
    pub fn text(&self) -> String {
        match self {
            Self::Ungrouped(id) => format!("ungrouped-{id}"),
            Self::Grouped {
                kind,
                post_id: Some(post_id),
                bucket,
            } => format!("{}-{post_id}-{bucket}", kind.name()),
            Self::Grouped { kind, bucket, .. } => format!("{}-{bucket}", kind.name()),
        }
    }

    /// The key `text` names, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            ["ungrouped", id] => id.parse().ok().map(Self::Ungrouped),
            ["follow", bucket] => Some(Self::Grouped {
                kind: Kind::Follow,
                post_id: None,
                bucket: bucket.parse().ok()?,
            }),
            [kind @ ("favourite" | "reblog"), post_id, bucket] => Some(Self::Grouped {
                kind: Kind::from_name(kind)?,
                post_id: Some(post_id.parse().ok()?),
                bucket: bucket.parse().ok()?,
            }),
            _ => None,
        }
    }
}

/// The most notifications one group read returns.
pub const MAX_IN_GROUP: u64 = 1_000;

/// `account_id`'s notifications in the group `key`, newest first (at most
/// [`MAX_IN_GROUP`]).
pub async fn in_group(
    db: &impl ConnectionTrait,
    account_id: i64,
    key: GroupKey,
) -> Result<Vec<Notification>> {
    let query =
        notifications::Entity::find().filter(notifications::Column::AccountId.eq(account_id));
    let query = match key {
        GroupKey::Ungrouped(id) => query.filter(notifications::Column::Id.eq(id)),
        GroupKey::Grouped {
            kind,
            post_id,
            bucket,
        } => {
            let start = DateTime::<Utc>::from_timestamp(bucket.saturating_mul(3600), 0)
                .ok_or(crate::Error::NotFound("notification group"))?;
            let end = start + chrono::TimeDelta::hours(GROUP_SPAN_HOURS);
            let query = query
                .filter(notifications::Column::Kind.eq(kind.name()))
                .filter(notifications::Column::CreatedAt.gte(start))
                .filter(notifications::Column::CreatedAt.lt(end));
            match post_id {
                Some(post_id) => query.filter(notifications::Column::PostId.eq(post_id)),
                None => query,
            }
        }
    };
    Ok(query
        .order_by_desc(notifications::Column::Id)
        .limit(MAX_IN_GROUP)
        .all(db)
        .await?
        .into_iter()
        .map(Notification::from)
        .collect())
}

/// Removes `account_id`'s notifications of the group `key`.
pub async fn dismiss_group(
    db: &impl ConnectionTrait,
    account_id: i64,
    key: GroupKey,
) -> Result<()> {
    let ids: Vec<i64> = in_group(db, account_id, key)
        .await?
        .iter()
        .map(|n| n.id)
        .collect();
    if ids.is_empty() {
        return Err(crate::Error::NotFound("notification group"));
    }
    notifications::Entity::delete_many()
        .filter(notifications::Column::AccountId.eq(account_id))
        .filter(notifications::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}
