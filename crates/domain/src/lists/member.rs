//! Who is in a list: accounts its owner follows, at most [`MAX_MEMBERS`]. An
//! account leaves its follower's lists when the follow ends.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::list::{self, List};
use crate::entities::{follows, list_accounts, lists};
use crate::page::Page;
use crate::{Error, Result, id};

/// The most accounts one list may hold.
pub const MAX_MEMBERS: u64 = 1_000;

/// The accounts `account_id` follows (accepted follows), as a subquery.
pub fn followed_by(account_id: i64) -> SelectStatement {
    Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(account_id))
        .and_where(follows::Column::Accepted.eq(true))
        .to_owned()
}

/// The members of list `list_id`, as a subquery.
pub fn members_of(list_id: i64) -> SelectStatement {
    Query::select()
        .column(list_accounts::Column::AccountId)
        .from(list_accounts::Entity)
        .and_where(list_accounts::Column::ListId.eq(list_id))
        .to_owned()
}

/// The members of `account_id`'s exclusive lists, as a subquery: their posts stay
/// out of its home.
pub fn exclusive_members(account_id: i64) -> SelectStatement {
    let exclusive = Query::select()
        .column(lists::Column::Id)
        .from(lists::Entity)
        .and_where(lists::Column::AccountId.eq(account_id))
        .and_where(lists::Column::Exclusive.eq(true))
        .to_owned();
    Query::select()
        .column(list_accounts::Column::AccountId)
        .from(list_accounts::Entity)
        .and_where(list_accounts::Column::ListId.in_subquery(exclusive))
        .to_owned()
}

/// The members of `list` its owner still follows, whose posts the list shows.
pub async fn followed_members(db: &impl ConnectionTrait, list: &List) -> Result<Vec<i64>> {
    Ok(list_accounts::Entity::find()
        .filter(list_accounts::Column::ListId.eq(list.id))
        .filter(list_accounts::Column::AccountId.in_subquery(followed_by(list.account_id)))
        .select_only()
        .column(list_accounts::Column::AccountId)
        .limit(MAX_MEMBERS)
        .into_tuple()
        .all(db)
        .await?)
}

/// A page of the members of `account_id`'s list `list_id`: (cursor, account id)
/// pairs, newest additions first.
pub async fn page(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    page: Page,
) -> Result<Vec<(i64, i64)>> {
    let found = list::find(db, account_id, list_id).await?;
    let query = list_accounts::Entity::find().filter(list_accounts::Column::ListId.eq(found.id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, list_accounts::Column::Id)
        .select_only()
        .column(list_accounts::Column::Id)
        .column(list_accounts::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}

/// Adds `accounts` to `account_id`'s list `list_id`. Each must be an account the
/// owner follows, and the list may hold at most [`MAX_MEMBERS`]; either failing,
/// none is added. Accounts already in the list stay as they are.
pub async fn add(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    accounts: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    let found = list::find(db, account_id, list_id).await?;
    let mut wanted = accounts.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(());
    }
    if u64::try_from(wanted.len()).unwrap_or(u64::MAX) > MAX_MEMBERS {
        return Err(too_many());
    }
    let followed = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .filter(follows::Column::TargetId.is_in(wanted.clone()))
        .count(db)
        .await?;
    if followed != wanted.len() as u64 {
        return Err(Error::invalid(
            "account",
            "must be followed before it is added to a list",
        ));
    }
    let present: Vec<i64> = list_accounts::Entity::find()
        .filter(list_accounts::Column::ListId.eq(found.id))
        .filter(list_accounts::Column::AccountId.is_in(wanted.clone()))
        .select_only()
        .column(list_accounts::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    wanted.retain(|account| !present.contains(account));
    if wanted.is_empty() {
        return Ok(());
    }
    let count = list_accounts::Entity::find()
        .filter(list_accounts::Column::ListId.eq(found.id))
        .count(db)
        .await?;
    if count + wanted.len() as u64 > MAX_MEMBERS {
        return Err(too_many());
    }
    for account in wanted {
        list_accounts::Entity::insert(list_accounts::ActiveModel {
            id: Set(id::new_id(now)),
            list_id: Set(found.id),
            account_id: Set(account),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                list_accounts::Column::ListId,
                list_accounts::Column::AccountId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn too_many() -> Error {
    Error::invalid("accounts", format!("are limited to {MAX_MEMBERS} per list"))
}

/// Takes `accounts` out of `account_id`'s list `list_id`.
pub async fn remove(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    accounts: &[i64],
) -> Result<()> {
    let found = list::find(db, account_id, list_id).await?;
    list_accounts::Entity::delete_many()
        .filter(list_accounts::Column::ListId.eq(found.id))
        .filter(list_accounts::Column::AccountId.is_in(accounts.to_vec()))
        .exec(db)
        .await?;
    Ok(())
}

/// The lists of `account_id` that hold `member`, oldest first.
pub async fn lists_with(
    db: &impl ConnectionTrait,
    account_id: i64,
    member: i64,
) -> Result<Vec<List>> {
    Ok(lists::Entity::find()
        .filter(lists::Column::AccountId.eq(account_id))
        .filter(
            lists::Column::Id.in_subquery(
                Query::select()
                    .column(list_accounts::Column::ListId)
                    .from(list_accounts::Entity)
                    .and_where(list_accounts::Column::AccountId.eq(member))
                    .to_owned(),
            ),
        )
        .order_by_asc(lists::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(List::from)
        .collect())
}

/// Takes `member` out of every list of `owner`: said when `owner` stops following
/// it.
pub(crate) async fn leave_lists_of(
    db: &impl ConnectionTrait,
    owner: i64,
    member: i64,
) -> Result<()> {
    let owned = Query::select()
        .column(lists::Column::Id)
        .from(lists::Entity)
        .and_where(lists::Column::AccountId.eq(owner))
        .to_owned();
    list_accounts::Entity::delete_many()
        .filter(
            Condition::all()
                .add(list_accounts::Column::AccountId.eq(member))
                .add(list_accounts::Column::ListId.in_subquery(owned)),
        )
        .exec(db)
        .await?;
    Ok(())
}
