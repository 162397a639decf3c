//! What the instance holds, counted for NodeInfo and the instance endpoints.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::entities::{accounts, users};
use crate::{Result, posts::post};

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
