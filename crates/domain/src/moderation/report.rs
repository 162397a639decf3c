//! Reports: someone tells the instance's moderators about an account and some of
//! its posts. A person here reports through the API (and may have the report
//! forwarded to the account's own server); another server's actor reports one of
//! our accounts with a `Flag`. Moderators and administrators read reports and
//! mark them resolved. The rules of what may be reported live here.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::access::user::Role;
use crate::accounts::account::{self, Account};
use crate::entities::{report_posts, reports, users};
use crate::posts::post;
use crate::visibility::post::{Viewer, find_visible};
use crate::{Error, Result, id};

/// The most characters of a report's comment (Mastodon's limit).
pub const MAX_COMMENT_CHARS: usize = 1_000;
/// The most posts one report names.
pub const MAX_POSTS: usize = 100;
/// The most reports a page lists.
pub const MAX_PAGE: u64 = 100;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Spam,
    Legal,
    /// Against the instance's rules.
    Violation,
    Other,
}

impl Category {
    /// The name stored and shown (Mastodon's).
    pub fn name(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Legal => "legal",
            Self::Violation => "violation",
            Self::Other => "other",
        }
    }

    /// The category called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "spam" => Some(Self::Spam),
            "legal" => Some(Self::Legal),
            "violation" => Some(Self::Violation),
            "other" => Some(Self::Other),
            _ => None,
        }
    }
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: i64,
    /// Who reported: a person here, or another server's actor.
    pub account_id: i64,
    /// Whom it is about.
    pub target_account_id: i64,
    pub comment: String,
    pub category: Category,
    /// Whether it was sent on to the target's own server.
    pub forwarded: bool,
    /// The `Flag` it came in, for a report from another server.
    pub uri: Option<String>,
    /// The posts it names (those still stored), oldest first.
    pub post_ids: Vec<i64>,
    /// When a moderator marked it resolved, and who.
    pub action_taken_at: Option<DateTime<Utc>>,
    pub action_taken_by_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Report {
    fn from_row(row: reports::Model, post_ids: Vec<i64>) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            target_account_id: row.target_account_id,
            comment: row.comment,
            category: Category::from_name(&row.category).unwrap_or(Category::Other),
            forwarded: row.forwarded,
            uri: row.uri,
            post_ids,
            action_taken_at: row.action_taken_at,
            action_taken_by_id: row.action_taken_by_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }

    /// Whether a moderator has marked it resolved.
    pub fn is_resolved(&self) -> bool {
        self.action_taken_at.is_some()
    }
}

/// What someone reports.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub target: Account,
    /// Posts of the target.
    pub post_ids: Vec<i64>,
    pub comment: String,
    pub category: Category,
    /// Send it on to the target's server too (a remote target only).
    pub forward: bool,
}

fn checked_comment(comment: &str) -> Result<String> {
    let comment = comment.trim();
    if comment.chars().count() > MAX_COMMENT_CHARS {
        return Err(Error::invalid(
            "comment",
            format!("is too long: use at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    Ok(comment.to_owned())
}

/// The person `reporter` (of this instance) reports `new.target`: the posts must
/// be the target's and ones the reporter can see (a post they cannot see is
/// `NotFound`, as if it did not exist).
pub async fn create(
    db: &impl ConnectionTrait,
    reporter: &Account,
    new: NewReport,
    now: DateTime<Utc>,
) -> Result<Report> {
    if !reporter.is_local() {
        return Err(Error::Forbidden(
            "reports here are made by people here".into(),
        ));
    }
    if reporter.id == new.target.id {
        return Err(Error::invalid("account_id", "is your own account"));
    }
    let comment = checked_comment(&new.comment)?;
    let mut post_ids = new.post_ids.clone();
    post_ids.sort_unstable();
    post_ids.dedup();
    if post_ids.len() > MAX_POSTS {
        return Err(Error::invalid(
            "status_ids",
            format!("names too many posts: at most {MAX_POSTS}"),
        ));
    }
    for id in &post_ids {
        let found = find_visible(db, *id, Viewer::Account(reporter.id)).await?;
        if found.account_id != new.target.id {
            return Err(Error::NotFound("status"));
        }
    }
    let forwarded = new.forward && !new.target.is_local();
    insert(
        db,
        reporter.id,
        new.target.id,
        &post_ids,
        comment,
        new.category,
        forwarded,
        None,
        now,
    )
    .await
}

/// Another server's actor `reporter` reports the local `target` in the `Flag`
/// `uri`, naming `post_ids` (the target's posts found here). A `Flag` received
/// twice is one report.
pub async fn receive(
    db: &impl ConnectionTrait,
    reporter: &Account,
    target: &Account,
    post_ids: &[i64],
    comment: &str,
    uri: &str,
    now: DateTime<Utc>,
) -> Result<Report> {
    if reporter.is_local() || !target.is_local() {
        return Err(Error::Forbidden(
            "another server reports accounts of this one".into(),
        ));
    }
    if let Some(row) = reports::Entity::find()
        .filter(reports::Column::Uri.eq(uri))
        .one(db)
        .await?
    {
        return get(db, row.id).await;
    }
    let comment: String = comment.trim().chars().take(MAX_COMMENT_CHARS).collect();
    let mut mine = Vec::new();
    for id in post_ids.iter().take(MAX_POSTS) {
        if let Some(found) = post::get_for_federation(db, *id).await?
            && found.account_id == target.id
            && !mine.contains(id)
        {
            mine.push(*id);
        }
    }
    insert(
        db,
        reporter.id,
        target.id,
        &mine,
        comment,
        Category::Other,
        false,
        Some(uri.to_owned()),
        now,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    db: &impl ConnectionTrait,
    account_id: i64,
    target_account_id: i64,
    post_ids: &[i64],
    comment: String,
    category: Category,
    forwarded: bool,
    uri: Option<String>,
    now: DateTime<Utc>,
) -> Result<Report> {
    let report_id = id::new_id(now);
    reports::ActiveModel {
        id: Set(report_id),
        account_id: Set(account_id),
        target_account_id: Set(target_account_id),
        comment: Set(comment),
        category: Set(category.name().to_owned()),
        forwarded: Set(forwarded),
        uri: Set(uri),
        action_taken_at: Set(None),
        action_taken_by_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    for post_id in post_ids {
        report_posts::ActiveModel {
            report_id: Set(report_id),
            post_id: Set(*post_id),
        }
        .insert(db)
        .await?;
    }
    for moderator in handlers(db).await? {
        crate::notifications::recipients::tell_of_report(db, moderator, account_id, report_id, now)
            .await?;
    }
    get(db, report_id).await
}

/// The report `id`.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Report> {
    let row = reports::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("report"))?;
    let post_ids = post_ids_of(db, id).await?;
    Ok(Report::from_row(row, post_ids))
}

async fn post_ids_of(db: &impl ConnectionTrait, report_id: i64) -> Result<Vec<i64>> {
    Ok(report_posts::Entity::find()
        .filter(report_posts::Column::ReportId.eq(report_id))
        .order_by_asc(report_posts::Column::PostId)
        .select_only()
        .column(report_posts::Column::PostId)
        .into_tuple()
        .all(db)
        .await?)
}

/// A page of reports, newest first, skipping `offset`: the unresolved ones, or
/// with `resolved` the resolved ones.
pub async fn list(
    db: &impl ConnectionTrait,
    resolved: bool,
    offset: u64,
    limit: u64,
) -> Result<Vec<Report>> {
    let column = reports::Column::ActionTakenAt;
    let rows = reports::Entity::find()
        .filter(if resolved {
            column.is_not_null()
        } else {
            column.is_null()
        })
        .order_by_desc(reports::Column::Id)
        .offset(offset)
        .limit(limit.min(MAX_PAGE))
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let post_ids = post_ids_of(db, row.id).await?;
        out.push(Report::from_row(row, post_ids));
    }
    Ok(out)
}

/// How many reports wait for a moderator.
pub async fn open_count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(reports::Entity::find()
        .filter(reports::Column::ActionTakenAt.is_null())
        .count(db)
        .await?)
}

/// Who handles reports: `None` is the operator at the command line; an account
/// handles them when its user is a moderator or an administrator, and enabled.
pub async fn may_handle(db: &impl ConnectionTrait, by: Option<i64>) -> Result<bool> {
    let Some(account_id) = by else {
        return Ok(true);
    };
    Ok(users::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .is_some_and(|user| {
            !user.disabled && Role::from_name(&user.role).is_some_and(|r| r >= Role::Moderator)
        }))
}

/// The local accounts told of a new report: the enabled moderators and
/// administrators.
pub async fn handlers(db: &impl ConnectionTrait) -> Result<Vec<i64>> {
    Ok(users::Entity::find()
        .filter(users::Column::Role.is_in([Role::Moderator.name(), Role::Admin.name()]))
        .filter(users::Column::Disabled.eq(false))
        .select_only()
        .column(users::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?)
}

/// A moderator (`by`, or the operator) marks the report `id` resolved, or with
/// `resolved: false` open again; the report as it now is.
pub async fn set_resolved(
    db: &impl ConnectionTrait,
    id: i64,
    by: Option<i64>,
    resolved: bool,
    now: DateTime<Utc>,
) -> Result<Report> {
    if !may_handle(db, by).await? {
        return Err(Error::Forbidden(
            "only moderators and administrators handle reports".into(),
        ));
    }
    get(db, id).await?;
    reports::ActiveModel {
        id: Set(id),
        action_taken_at: Set(resolved.then_some(now)),
        action_taken_by_id: Set(if resolved { by } else { None }),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    get(db, id).await
}

/// The accounts a report involves (reporter, target, who resolved it), loaded.
pub async fn accounts_of(db: &impl ConnectionTrait, report: &Report) -> Result<Vec<Account>> {
    let mut ids = vec![report.account_id, report.target_account_id];
    ids.extend(report.action_taken_by_id);
    account::get_many(db, &ids).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip_by_name() {
        for category in [
            Category::Spam,
            Category::Legal,
            Category::Violation,
            Category::Other,
        ] {
            assert_eq!(Category::from_name(category.name()), Some(category));
        }
        assert_eq!(Category::from_name("rude"), None);
    }

    #[test]
    fn comments_are_bounded() {
        assert!(checked_comment(&"x".repeat(MAX_COMMENT_CHARS + 1)).is_err());
        assert_eq!(checked_comment("  spam  ").ok().as_deref(), Some("spam"));
    }
}
