//! What the instance holds, counted for NodeInfo and the instance endpoints: the
//! totals, the servers it knows and its weekly activity.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::{accounts, browser_sessions, oauth_tokens, posts, users};
use crate::moderation::domain_policy::{self, Policy};
use crate::{Result, id, posts::post};

/// The most servers [`peers`] names.
pub const MAX_PEERS: u64 = 10_000;

/// Counts of the instance's users, posts and known servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InstanceStats {
    /// Users who may sign in (approved and not disabled).
    pub users: u64,
    /// Users active in the last 30 days.
    pub active_month: u64,
    /// Users active in the last 180 days.
    pub active_halfyear: u64,
    /// Posts written on this instance.
    pub local_posts: u64,
    /// Other servers this instance knows accounts of.
    pub known_domains: u64,
}

/// Counts what the instance holds at `now`.
pub async fn instance(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<InstanceStats> {
    let active_users = || {
        users::Entity::find()
            .filter(users::Column::Approved.eq(true))
            .filter(users::Column::Disabled.eq(false))
    };
    let users = active_users().count(db).await?;
    let active_month = active_users()
        .filter(users::Column::LastActiveAt.gte(now - TimeDelta::days(30)))
        .count(db)
        .await?;
    let active_halfyear = active_users()
        .filter(users::Column::LastActiveAt.gte(now - TimeDelta::days(180)))
        .count(db)
        .await?;
    let known_domains = accounts::Entity::find()
        .filter(accounts::Column::Domain.is_not_null())
        .select_only()
        .column(accounts::Column::Domain)
        .distinct()
        .count(db)
        .await?;
    Ok(InstanceStats {
        users,
        active_month,
        active_halfyear,
        local_posts: post::count_local(db).await?,
        known_domains,
    })
}

/// The servers this instance knows accounts of, by name, blocked ones left out
/// (at most [`MAX_PEERS`]).
pub async fn peers(db: &impl ConnectionTrait) -> Result<Vec<String>> {
    let blocked: HashSet<String> = domain_policy::list(db)
        .await?
        .into_iter()
        .filter(|rule| rule.policy == Policy::Block)
        .map(|rule| rule.domain)
        .collect();
    let domains: Vec<Option<String>> = accounts::Entity::find()
        .filter(accounts::Column::Domain.is_not_null())
        .select_only()
        .column(accounts::Column::Domain)
        .distinct()
        .order_by_asc(accounts::Column::Domain)
        .limit(MAX_PEERS)
        .into_tuple()
        .all(db)
        .await?;
    Ok(domains
        .into_iter()
        .flatten()
        .filter(|domain| !blocked.contains(domain))
        .collect())
}

/// One week of the instance's activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    /// Monday 00:00 UTC.
    pub starts: DateTime<Utc>,
    /// Posts written here.
    pub statuses: u64,
    /// People of this instance who signed in (a new browser session or app token).
    pub logins: u64,
    /// People who signed up.
    pub registrations: u64,
}

/// The instance's activity in each of the `weeks` weeks up to `now`, this week
/// first.
pub async fn weekly_activity(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    weeks: u32,
) -> Result<Vec<Week>> {
    let monday =
        now.date_naive() - TimeDelta::days(i64::from(now.weekday().num_days_from_monday()));
    let this_week = monday.and_time(NaiveTime::MIN).and_utc();
    let first = this_week - TimeDelta::weeks(i64::from(weeks.saturating_sub(1)));
    // How many weeks before this one `at` falls in (0: this week).
    let week_of = |at: DateTime<Utc>| -> Option<usize> {
        if at >= this_week {
            return Some(0);
        }
        let before = (this_week - at - TimeDelta::nanoseconds(1)).num_days() / 7 + 1;
        usize::try_from(before).ok()
    };
    let mut found: Vec<Week> = (0..weeks)
        .map(|n| Week {
            starts: this_week - TimeDelta::weeks(i64::from(n)),
            statuses: 0,
            logins: 0,
            registrations: 0,
        })
        .collect();
    for week in &mut found {
        // Ids follow the time of writing: a week's posts are one range of them.
        let ends = week.starts + TimeDelta::weeks(1);
        week.statuses = posts::Entity::find()
            .filter(posts::Column::Local.eq(true))
            .filter(posts::Column::Id.gte(id::first_id_at(week.starts)))
            .filter(posts::Column::Id.lt(id::first_id_at(ends)))
            .count(db)
            .await?;
    }
    let sessions: Vec<(i64, DateTime<Utc>)> = browser_sessions::Entity::find()
        .filter(browser_sessions::Column::CreatedAt.gte(first))
        .select_only()
        .columns([
            browser_sessions::Column::AccountId,
            browser_sessions::Column::CreatedAt,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let tokens: Vec<(Option<i64>, DateTime<Utc>)> = oauth_tokens::Entity::find()
        .filter(oauth_tokens::Column::CreatedAt.gte(first))
        .filter(oauth_tokens::Column::AccountId.is_not_null())
        .select_only()
        .columns([
            oauth_tokens::Column::AccountId,
            oauth_tokens::Column::CreatedAt,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let mut signed_in: Vec<HashSet<i64>> = vec![HashSet::new(); found.len()];
    let sign_ins = sessions
        .into_iter()
        .map(|(account, at)| (Some(account), at))
        .chain(tokens);
    for (account, at) in sign_ins {
        if let (Some(account), Some(week)) = (account, week_of(at))
            && let Some(accounts) = signed_in.get_mut(week)
        {
            accounts.insert(account);
        }
    }
    let joined: Vec<DateTime<Utc>> = users::Entity::find()
        .filter(users::Column::CreatedAt.gte(first))
        .select_only()
        .column(users::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    for at in joined {
        if let Some(week) = week_of(at).and_then(|n| found.get_mut(n)) {
            week.registrations += 1;
        }
    }
    for (week, accounts) in found.iter_mut().zip(signed_in) {
        week.logins = accounts.len() as u64;
    }
    Ok(found)
}
