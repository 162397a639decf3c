//! Accounts suggested to follow: people of this instance who are discoverable
//! and can sign in, whom the reader neither follows nor asked to follow, neither
//! blocks nor mutes (nor is blocked by), and did not dismiss. Those most followed
//! by the accounts the reader follows come first, then the most active (the most
//! posts these 30 days).

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::Result;
use crate::accounts::account::AccountKind;
use crate::entities::{accounts, follows, posts, suggestion_dismissals, users};
use crate::visibility::timeline::excluded_accounts;

/// Why an account is suggested (Mastodon's `sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Followed by accounts the reader follows.
    FriendsOfFriends,
    /// Among the most active accounts of the instance lately.
    MostInteractions,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub account_id: i64,
    pub source: Source,
}

/// How far back activity counts.
const ACTIVE_WINDOW: TimeDelta = TimeDelta::days(30);

/// Up to `limit` accounts to suggest to `reader` at `now`, best first.
pub async fn for_reader(
    db: &impl ConnectionTrait,
    reader: i64,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<Suggestion>> {
    let excluded = excluded_accounts(db, reader).await?;
    let followed_by_reader = Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(reader))
        .and_where(follows::Column::Accepted.eq(true))
        .to_owned();
    let count = Expr::col((follows::Entity, follows::Column::Id)).count();
    let friends: Vec<(i64, i64)> = follows::Entity::find()
        .filter(follows::Column::Accepted.eq(true))
        .filter(follows::Column::FollowerId.in_subquery(followed_by_reader))
        .filter(follows::Column::TargetId.in_subquery(candidates(reader)))
        .filter(follows::Column::TargetId.is_not_in(excluded.clone()))
        .select_only()
        .column(follows::Column::TargetId)
        .column_as(count.clone(), "followers")
        .group_by(follows::Column::TargetId)
        .order_by_desc(count)
        .order_by_desc(follows::Column::TargetId)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut found: Vec<Suggestion> = friends
        .into_iter()
        .map(|(account_id, _)| Suggestion {
            account_id,
            source: Source::FriendsOfFriends,
        })
        .collect();
    let wanted = limit.saturating_sub(found.len() as u64);
    if wanted == 0 {
        return Ok(found);
    }
    let already: Vec<i64> = found.iter().map(|s| s.account_id).collect();
    let posts_count = Expr::col((posts::Entity, posts::Column::Id)).count();
    let active: Vec<(i64, i64)> = posts::Entity::find()
        .filter(posts::Column::CreatedAt.gte(now - ACTIVE_WINDOW))
        .filter(posts::Column::AccountId.in_subquery(candidates(reader)))
        .filter(posts::Column::AccountId.is_not_in(excluded))
        .filter(posts::Column::AccountId.is_not_in(already))
        .select_only()
        .column(posts::Column::AccountId)
        .column_as(posts_count.clone(), "posts")
        .group_by(posts::Column::AccountId)
        .order_by_desc(posts_count)
        .order_by_desc(posts::Column::AccountId)
        .limit(wanted)
        .into_tuple()
        .all(db)
        .await?;
    found.extend(active.into_iter().map(|(account_id, _)| Suggestion {
        account_id,
        source: Source::MostInteractions,
    }));
    Ok(found)
}

/// The accounts that may be suggested to `reader`, as a subquery: local
/// people who are discoverable and can sign in (approved, confirmed, not
/// disabled), not silenced, suspended, deleted or moved away, other than the
/// reader, whom the reader neither follows nor asked to follow, nor dismissed.
fn candidates(reader: i64) -> SelectStatement {
    let asked_or_following = Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(reader))
        .to_owned();
    let dismissed = Query::select()
        .column(suggestion_dismissals::Column::TargetId)
        .from(suggestion_dismissals::Entity)
        .and_where(suggestion_dismissals::Column::AccountId.eq(reader))
        .to_owned();
    let can_sign_in = Query::select()
        .column(users::Column::AccountId)
        .from(users::Entity)
        .and_where(users::Column::Approved.eq(true))
        .and_where(users::Column::Confirmed.eq(true))
        .and_where(users::Column::Disabled.eq(false))
        .to_owned();
    Query::select()
        .column(accounts::Column::Id)
        .from(accounts::Entity)
        .and_where(accounts::Column::Domain.is_null())
        .and_where(accounts::Column::Kind.eq(AccountKind::Person.as_str()))
        .and_where(accounts::Column::Discoverable.eq(true))
        .and_where(accounts::Column::SilencedAt.is_null())
        .and_where(accounts::Column::SuspendedAt.is_null())
        .and_where(accounts::Column::DeletedAt.is_null())
        .and_where(accounts::Column::MovedToId.is_null())
        .and_where(accounts::Column::Id.ne(reader))
        .and_where(accounts::Column::Id.in_subquery(can_sign_in))
        .and_where(accounts::Column::Id.not_in_subquery(asked_or_following))
        .and_where(accounts::Column::Id.not_in_subquery(dismissed))
        .to_owned()
}

/// `reader` asks not to be suggested `target_id` again (dismissing twice, or an
/// account never suggested, changes nothing).
pub async fn dismiss(
    db: &impl ConnectionTrait,
    reader: i64,
    target_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    suggestion_dismissals::Entity::insert(suggestion_dismissals::ActiveModel {
        account_id: Set(reader),
        target_id: Set(target_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            suggestion_dismissals::Column::AccountId,
            suggestion_dismissals::Column::TargetId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
