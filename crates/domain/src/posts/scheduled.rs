//! Scheduled posts: a post written now to be published at a later time, as
//! Mastodon's `scheduled_at` does. What the author asked for is checked when it
//! is scheduled (so that a mistake is told at once, not lost at its time) and
//! kept until then; its uploads are held for it. At its time one process claims
//! it and publishes it as any post is published; it can be moved to another time
//! or called off until then.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::poll::{self, NewPoll};
use super::post::{MAX_POST_CHARS, MAX_SPOILER_CHARS, Visibility};
use crate::accounts::account::Account;
use crate::entities::{media_attachments, scheduled_post_media, scheduled_posts};
use crate::media::{self, MediaAttachment};
use crate::page::Page;
use crate::{Error, Result, id};

/// How far ahead a post must be scheduled at least (Mastodon's five minutes).
pub const MIN_AHEAD: TimeDelta = TimeDelta::minutes(5);
/// The most posts one person may have scheduled at once (as Mastodon).
pub const MAX_PER_ACCOUNT: u64 = 300;
/// The most posts one person may have scheduled for one day (as Mastodon).
pub const MAX_PER_DAY: u64 = 25;
/// How long a claim holds: a post claimed by a process that stopped before
/// publishing it is published by another after this.
const CLAIM_LIFETIME: TimeDelta = TimeDelta::minutes(10);
/// The most posts taken in one round of [`claim_due`].
const DUE_PER_ROUND: u64 = 50;

/// What the author asked to publish, as kept until its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub text: String,
    /// A visibility's name (`public`, `unlisted`, `private`, `direct`).
    pub visibility: String,
    pub spoiler_text: String,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    /// The author's uploads, in order; held for the post until it is published.
    pub media_ids: Vec<i64>,
    pub poll: Option<NewPoll>,
    /// The application it was written with, when known.
    pub application_id: Option<i64>,
    /// Whether it is to stay inside this instance.
    #[serde(default)]
    pub local_only: bool,
}

impl Draft {
    /// Its visibility; a stored name no longer known reads as `direct`, the
    /// narrowest.
    pub fn visibility(&self) -> Visibility {
        Visibility::from_name(&self.visibility).unwrap_or(Visibility::Direct)
    }
}

/// A scheduled post.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    pub id: i64,
    pub account_id: i64,
    pub scheduled_at: DateTime<Utc>,
    pub draft: Draft,
    /// The uploads held for it, in order.
    pub media: Vec<MediaAttachment>,
}

/// Schedules `draft` by `author` for `at`. Refused when `at` is less than
/// [`MIN_AHEAD`] after `now`, when the author has [`MAX_PER_ACCOUNT`] posts
/// scheduled already or [`MAX_PER_DAY`] for that day, or when the post itself
/// would be refused (empty, too long, media not theirs or taken, a wrong poll).
pub async fn schedule(
    db: &impl ConnectionTrait,
    author: &Account,
    at: DateTime<Utc>,
    draft: Draft,
    now: DateTime<Utc>,
) -> Result<Scheduled> {
    check_time(db, author.id, at, None, now).await?;
    check_draft(db, author, &draft).await?;
    let id = id::new_id(now);
    scheduled_posts::ActiveModel {
        id: Set(id),
        account_id: Set(author.id),
        scheduled_at: Set(at),
        params: Set(serde_json::to_string(&draft)
            .map_err(|e| Error::Internal(format!("a scheduled post could not be kept: {e}")))?),
        claimed_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    for (position, media_id) in draft.media_ids.iter().enumerate() {
        scheduled_post_media::ActiveModel {
            media_id: Set(*media_id),
            scheduled_post_id: Set(id),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await?;
    }
    find(db, author.id, id).await
}

/// Whether `at` is a time `account_id` may schedule a post for: far enough
/// ahead, and within the limits (`moving` is the post being moved, not counted).
async fn check_time(
    db: &impl ConnectionTrait,
    account_id: i64,
    at: DateTime<Utc>,
    moving: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    if at < now + MIN_AHEAD {
        return Err(Error::invalid(
            "scheduled_at",
            "must be at least 5 minutes in the future",
        ));
    }
    let others = || {
        let query = scheduled_posts::Entity::find()
            .filter(scheduled_posts::Column::AccountId.eq(account_id));
        match moving {
            Some(id) => query.filter(scheduled_posts::Column::Id.ne(id)),
            None => query,
        }
    };
    if others().count(db).await? >= MAX_PER_ACCOUNT {
        return Err(Error::invalid(
            "scheduled_at",
            format!("is one too many: at most {MAX_PER_ACCOUNT} posts may wait at once"),
        ));
    }
    let day = at.date_naive();
    let start = day.and_time(chrono::NaiveTime::MIN).and_utc();
    let on_that_day = others()
        .filter(scheduled_posts::Column::ScheduledAt.gte(start))
        .filter(scheduled_posts::Column::ScheduledAt.lt(start + TimeDelta::days(1)))
        .count(db)
        .await?;
    if on_that_day >= MAX_PER_DAY {
        return Err(Error::invalid(
            "scheduled_at",
            format!("is one too many for that day: at most {MAX_PER_DAY} posts a day"),
        ));
    }
    Ok(())
}

/// The checks a post gets when it is written, made now rather than at its time.
async fn check_draft(db: &impl ConnectionTrait, author: &Account, draft: &Draft) -> Result<()> {
    if !author.is_local() {
        return Err(Error::Forbidden("only local accounts post here".to_owned()));
    }
    crate::accounts::moving::ensure_active(author)?;
    let text = draft.text.trim();
    if text.is_empty() && draft.media_ids.is_empty() {
        return Err(Error::invalid("status", "must not be empty"));
    }
    if text.chars().count() > MAX_POST_CHARS {
        return Err(Error::invalid(
            "status",
            format!("is too long: use at most {MAX_POST_CHARS} characters"),
        ));
    }
    if draft.spoiler_text.chars().count() > MAX_SPOILER_CHARS {
        return Err(Error::invalid(
            "spoiler_text",
            format!("is too long: use at most {MAX_SPOILER_CHARS} characters"),
        ));
    }
    if Visibility::from_name(&draft.visibility).is_none() {
        return Err(Error::invalid(
            "visibility",
            "is not one of public, unlisted, private, direct",
        ));
    }
    media::check_attachable(db, author.id, &draft.media_ids).await?;
    if let Some(asked) = &draft.poll {
        if !draft.media_ids.is_empty() {
            return Err(Error::invalid(
                "poll",
                "cannot be added to a post with media",
            ));
        }
        poll::check(asked)?;
    }
    Ok(())
}

/// `account_id`'s scheduled post `id`; `NotFound` for anyone else's.
pub async fn find(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<Scheduled> {
    let row = scheduled_posts::Entity::find_by_id(id)
        .filter(scheduled_posts::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("scheduled status"))?;
    Ok(with_media(db, vec![row]).await?.remove(0))
}

/// A page of `account_id`'s scheduled posts, newest first by id.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: &Page,
) -> Result<Vec<Scheduled>> {
    let query =
        scheduled_posts::Entity::find().filter(scheduled_posts::Column::AccountId.eq(account_id));
    let mut rows = page
        .apply(query, scheduled_posts::Column::Id)
        .all(db)
        .await?;
    page.finish(&mut rows);
    with_media(db, rows).await
}

/// Moves `account_id`'s scheduled post `id` to `at`, within the same limits as
/// scheduling it.
pub async fn reschedule(
    db: &impl ConnectionTrait,
    account_id: i64,
    id: i64,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Scheduled> {
    find(db, account_id, id).await?;
    check_time(db, account_id, at, Some(id), now).await?;
    let moved = scheduled_posts::Entity::update_many()
        .col_expr(scheduled_posts::Column::ScheduledAt, Expr::value(at))
        .filter(scheduled_posts::Column::Id.eq(id))
        .filter(scheduled_posts::Column::ClaimedAt.is_null())
        .exec(db)
        .await?;
    if moved.rows_affected == 0 {
        // Claimed meanwhile: it is being published.
        return Err(Error::NotFound("scheduled status"));
    }
    find(db, account_id, id).await
}

/// Calls off `account_id`'s scheduled post `id`; its uploads are freed, to be
/// used by another post or removed with unused uploads.
pub async fn cancel(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<()> {
    let deleted = scheduled_posts::Entity::delete_many()
        .filter(scheduled_posts::Column::Id.eq(id))
        .filter(scheduled_posts::Column::AccountId.eq(account_id))
        .filter(scheduled_posts::Column::ClaimedAt.is_null())
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(Error::NotFound("scheduled status"));
    }
    Ok(())
}

/// Claims for this process up to a round of posts due at `now` (and those whose
/// claim lapsed), oldest first, freeing their uploads for them. Each claimed post
/// is to be published, then [`finish`]ed.
pub async fn claim_due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Scheduled>> {
    let lapsed = now - CLAIM_LIFETIME;
    let due = scheduled_posts::Entity::find()
        .filter(scheduled_posts::Column::ScheduledAt.lte(now))
        .filter(
            scheduled_posts::Column::ClaimedAt
                .is_null()
                .or(scheduled_posts::Column::ClaimedAt.lt(lapsed)),
        )
        .order_by_asc(scheduled_posts::Column::ScheduledAt)
        .limit(DUE_PER_ROUND)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for row in due {
        // Only the process whose update finds the row as it read it has it.
        let taken = scheduled_posts::Entity::update_many()
            .col_expr(scheduled_posts::Column::ClaimedAt, Expr::value(now))
            .filter(scheduled_posts::Column::Id.eq(row.id))
            .filter(match row.claimed_at {
                None => scheduled_posts::Column::ClaimedAt.is_null(),
                Some(at) => scheduled_posts::Column::ClaimedAt.eq(at),
            })
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            claimed.push(row);
        }
    }
    let claimed = with_media(db, claimed).await?;
    let ids: Vec<i64> = claimed.iter().map(|s| s.id).collect();
    if !ids.is_empty() {
        scheduled_post_media::Entity::delete_many()
            .filter(scheduled_post_media::Column::ScheduledPostId.is_in(ids))
            .exec(db)
            .await?;
    }
    Ok(claimed)
}

/// Forgets the scheduled post `id`, published (or refused at its time).
pub async fn finish(db: &impl ConnectionTrait, id: i64) -> Result<()> {
    scheduled_posts::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// `rows` with their drafts read and their held uploads.
async fn with_media(
    db: &impl ConnectionTrait,
    rows: Vec<scheduled_posts::Model>,
) -> Result<Vec<Scheduled>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut media_of: HashMap<i64, Vec<(i32, MediaAttachment)>> = HashMap::new();
    if !ids.is_empty() {
        let held = scheduled_post_media::Entity::find()
            .filter(scheduled_post_media::Column::ScheduledPostId.is_in(ids))
            .all(db)
            .await?;
        let position: HashMap<i64, (i64, i32)> = held
            .iter()
            .map(|h| (h.media_id, (h.scheduled_post_id, h.position)))
            .collect();
        if !position.is_empty() {
            let media = media_attachments::Entity::find()
                .filter(media_attachments::Column::Id.is_in(position.keys().copied()))
                .all(db)
                .await?;
            for row in media {
                if let Some((scheduled, at)) = position.get(&row.id) {
                    media_of
                        .entry(*scheduled)
                        .or_default()
                        .push((*at, MediaAttachment::from(row)));
                }
            }
        }
    }
    rows.into_iter()
        .map(|row| {
            let draft: Draft = serde_json::from_str(&row.params).map_err(|e| {
                Error::Internal(format!("scheduled post {} could not be read: {e}", row.id))
            })?;
            let mut media = media_of.remove(&row.id).unwrap_or_default();
            media.sort_by_key(|(at, _)| *at);
            Ok(Scheduled {
                id: row.id,
                account_id: row.account_id,
                scheduled_at: row.scheduled_at,
                draft,
                media: media.into_iter().map(|(_, m)| m).collect(),
            })
        })
        .collect()
}
