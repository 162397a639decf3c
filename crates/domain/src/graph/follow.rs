//! Follows: who follows whom, and whether the followed account has accepted.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use crate::accounts::account::Account;
use crate::entities::{accounts, follows};
use crate::lists::member;
use crate::timelines::home_feed;
use crate::{Result, id};

/// One account following another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    pub id: i64,
    pub follower_id: i64,
    pub target_id: i64,
    /// The id of the `Follow` activity, when it came over federation.
    pub uri: Option<String>,
    /// False while the followed account has not approved it.
    pub accepted: bool,
    pub created_at: DateTime<Utc>,
    /// Whether the follower wants a notification for each new post.
    pub notify: bool,
}

impl From<follows::Model> for Follow {
    fn from(row: follows::Model) -> Self {
        Self {
            id: row.id,
            follower_id: row.follower_id,
            target_id: row.target_id,
            uri: row.uri,
            accepted: row.accepted,
            created_at: row.created_at,
            notify: row.notify,
        }
    }
}

/// Records that `follower` asked to follow `target` with the activity `uri`, and
/// whether the follow is new. A local account that is not locked accepts at once;
/// a locked one holds a request; a remote one answers with its own `Accept` later.
/// Asking again changes nothing but the activity id. Who hears of it is
/// [`super::follow_request::request`]'s to say.
pub(crate) async fn record_request(
    db: &impl ConnectionTrait,
    follower: &Account,
    target: &Account,
    uri: Option<String>,
    now: DateTime<Utc>,
) -> Result<(Follow, bool)> {
    crate::accounts::moving::ensure_active(follower)?;
    if super::block::between(db, follower.id, target.id).await? {
        return Err(crate::Error::Forbidden(
            "a block stands between these accounts".into(),
        ));
    }
    if let Some(existing) = find(db, follower.id, target.id).await? {
        let mut row: follows::ActiveModel = follows::ActiveModel {
            id: Set(existing.id),
            ..Default::default()
        };
        row.uri = Set(uri.or(existing.uri.clone()));
        return Ok((row.update(db).await?.into(), false));
    }
    let accepted = target.is_local() && !target.locked;
    let row = follows::ActiveModel {
        id: Set(id::new_id(now)),
        follower_id: Set(follower.id),
        target_id: Set(target.id),
        uri: Set(uri),
        accepted: Set(accepted),
        created_at: Set(now),
        notify: Set(false),
    }
    .insert(db)
    .await;
    match row {
        Ok(row) => {
            if row.accepted {
                home_feed::add_followed(db, row.follower_id, row.target_id).await?;
            }
            Ok((row.into(), true))
        }
        // The same follow arrived twice at once: the other one stored it.
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            let follow = find(db, follower.id, target.id)
                .await?
                .ok_or(crate::Error::NotFound("follow"))?;
            Ok((follow, false))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether `follower_id` is told of each new post of `target_id` they follow.
pub async fn set_notify(
    db: &impl ConnectionTrait,
    follower_id: i64,
    target_id: i64,
    notify: bool,
) -> Result<()> {
    follows::Entity::update_many()
        .col_expr(
            follows::Column::Notify,
            sea_orm::sea_query::Expr::value(notify),
        )
        .filter(follows::Column::FollowerId.eq(follower_id))
        .filter(follows::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The local followers of `account_id` who asked to be told of each new post.
pub async fn notified_followers(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<i64>> {
    Ok(follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .filter(follows::Column::Notify.eq(true))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.is_null())
        .select_only()
        .column(follows::Column::FollowerId)
        .into_tuple()
        .all(db)
        .await?)
}

/// The follow asked for with the activity `uri`.
pub async fn find_by_uri(db: &impl ConnectionTrait, uri: &str) -> Result<Option<Follow>> {
    Ok(follows::Entity::find()
        .filter(follows::Column::Uri.eq(uri))
        .one(db)
        .await?
        .map(Follow::from))
}

/// Marks the follow `id` accepted.
pub async fn accept(db: &impl ConnectionTrait, id: i64) -> Result<Follow> {
    let row = follows::ActiveModel {
        id: Set(id),
        accepted: Set(true),
        ..Default::default()
    }
    .update(db)
    .await?;
    home_feed::add_followed(db, row.follower_id, row.target_id).await?;
    Ok(row.into())
}

/// How many follow requests wait for `target_id`'s answer.
pub async fn pending_count(db: &impl ConnectionTrait, target_id: i64) -> Result<u64> {
    Ok(follows::Entity::find()
        .filter(follows::Column::TargetId.eq(target_id))
        .filter(follows::Column::Accepted.eq(false))
        .count(db)
        .await?)
}

/// The follow of `target_id` by `follower_id`, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    follower_id: i64,
    target_id: i64,
) -> Result<Option<Follow>> {
    Ok(follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(follower_id))
        .filter(follows::Column::TargetId.eq(target_id))
        .one(db)
        .await?
        .map(Follow::from))
}

/// Ends `follower_id`'s follow (or request) of `target_id`, which leaves their
/// lists and their endorsements; true if there was one.
pub async fn remove(db: &impl ConnectionTrait, follower_id: i64, target_id: i64) -> Result<bool> {
    let result = follows::Entity::delete_many()
        .filter(follows::Column::FollowerId.eq(follower_id))
        .filter(follows::Column::TargetId.eq(target_id))
        .exec(db)
        .await?;
    member::leave_lists_of(db, follower_id, target_id).await?;
    super::endorsement::withdraw(db, follower_id, target_id).await?;
    Ok(result.rows_affected > 0)
}

/// How many accepted followers `account_id` has, and how many it follows.
pub async fn counts(db: &impl ConnectionTrait, account_id: i64) -> Result<(u64, u64)> {
    let followers = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .count(db)
        .await?;
    let following = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .count(db)
        .await?;
    Ok((followers, following))
}

/// Which side of a follow to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The accounts that follow someone.
    Followers,
    /// The accounts someone follows.
    Following,
}

/// A page of `account_id`'s accepted followers or followed accounts, oldest follow
/// first, skipping `offset`.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    direction: Direction,
    offset: u64,
    limit: u64,
) -> Result<Vec<Account>> {
    use sea_orm::QueryOrder;
    let (own_column, other_column) = match direction {
        Direction::Followers => (follows::Column::TargetId, follows::Column::FollowerId),
        Direction::Following => (follows::Column::FollowerId, follows::Column::TargetId),
    };
    let ids: Vec<i64> = follows::Entity::find()
        .filter(own_column.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .order_by_asc(follows::Column::Id)
        .offset(offset)
        .limit(limit)
        .select_only()
        .column(other_column)
        .into_tuple()
        .all(db)
        .await?;
    let mut accounts: Vec<Account> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(Account::from)
        .collect();
    accounts.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
    Ok(accounts)
}

/// Whether any account of this instance follows `account_id` or has asked to (so
/// that its posts belong here: a post may arrive before the answer to the request).
pub async fn followed_here(db: &impl ConnectionTrait, account_id: i64) -> Result<bool> {
    let count = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.is_null())
        .count(db)
        .await?;
    Ok(count > 0)
}

/// The most local followers a move takes along at once.
pub const MAX_MOVED_FOLLOWERS: u64 = 10_000;

/// The people of this instance who follow `account_id` (accepted), at most
/// [`MAX_MOVED_FOLLOWERS`]: those a move of that account concerns.
pub async fn local_followers(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<Account>> {
    let ids: Vec<i64> = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.is_null())
        .select_only()
        .column(follows::Column::FollowerId)
        .limit(MAX_MOVED_FOLLOWERS)
        .into_tuple()
        .all(db)
        .await?;
    crate::accounts::account::get_many(db, &ids).await
}

/// The most followers on one server that a person's block of that server
/// removes at once.
pub const MAX_FOLLOWERS_ON_SERVER: u64 = 10_000;

/// The followers of `account_id` (and requests to follow it) from accounts of
/// the server `domain` (lower-case), each with its follow, at most
/// [`MAX_FOLLOWERS_ON_SERVER`]: those a block of that server removes.
pub async fn followers_on(
    db: &impl ConnectionTrait,
    account_id: i64,
    domain: &str,
) -> Result<Vec<(Account, Follow)>> {
    let rows: Vec<Follow> = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.eq(domain))
        .limit(MAX_FOLLOWERS_ON_SERVER)
        .all(db)
        .await?
        .into_iter()
        .map(Follow::from)
        .collect();
    let ids: Vec<i64> = rows.iter().map(|f| f.follower_id).collect();
    let mut found = crate::accounts::account::get_many(db, &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|follow| {
            let at = found.iter().position(|a| a.id == follow.follower_id)?;
            Some((found.swap_remove(at), follow))
        })
        .collect())
}

/// The inboxes that reach every remote accepted follower of `account_id`, one per
/// server where a shared inbox is known.
pub async fn follower_inboxes(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<String>> {
    let rows: Vec<(Option<String>, Option<String>)> = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .inner_join(accounts::Entity)
        .filter(accounts::Column::Domain.is_not_null())
        .select_only()
        .column(accounts::Column::SharedInboxUrl)
        .column(accounts::Column::InboxUrl)
        .into_tuple()
        .all(db)
        .await?;
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .filter_map(|(shared, own)| shared.or(own))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// A page of `account_id`'s accepted followers or followed accounts, newest follow
/// first: (follow id, account id) pairs, the follow ids being the cursors.
pub async fn page(
    db: &impl ConnectionTrait,
    account_id: i64,
    direction: Direction,
    page: crate::page::Page,
) -> Result<Vec<(i64, i64)>> {
    let (own_column, other_column) = match direction {
        Direction::Followers => (follows::Column::TargetId, follows::Column::FollowerId),
        Direction::Following => (follows::Column::FollowerId, follows::Column::TargetId),
    };
    let query = follows::Entity::find()
        .filter(own_column.eq(account_id))
        .filter(follows::Column::Accepted.eq(true));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, follows::Column::Id)
        .select_only()
        .column(follows::Column::Id)
        .column(other_column)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}

/// A page of the requests waiting for `target_id`'s answer, newest first: (follow
/// id, follower id) pairs.
pub async fn requests_page(
    db: &impl ConnectionTrait,
    target_id: i64,
    page: crate::page::Page,
) -> Result<Vec<(i64, i64)>> {
    requests_to_any_page(db, &[target_id], page).await
}

/// A page of the requests waiting for the answer of any of `target_ids` (a
/// person and the groups they moderate), newest first: (follow id, follower id)
/// pairs.
pub async fn requests_to_any_page(
    db: &impl ConnectionTrait,
    target_ids: &[i64],
    page: crate::page::Page,
) -> Result<Vec<(i64, i64)>> {
    let query = follows::Entity::find()
        .filter(follows::Column::TargetId.is_in(target_ids.iter().copied()))
        .filter(follows::Column::Accepted.eq(false));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, follows::Column::Id)
        .select_only()
        .column(follows::Column::Id)
        .column(follows::Column::FollowerId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}
