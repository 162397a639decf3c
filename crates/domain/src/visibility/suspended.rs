//! Suspended accounts are shown to nobody: neither their posts (nor boosts of
//! them) in any timeline, thread, search or fetch, nor their profile beyond the
//! fact of the suspension. A person of this instance is suspended by a
//! moderator (see [`crate::moderation::local_suspension`]); a remote account by
//! its own server, which says so in its actor. The rule is asked here by
//! [`super::post`] for one post and by [`super::timeline`] for many.

use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use crate::Result;
use crate::entities::accounts;

/// The suspended accounts, as a subquery (the index on `suspended_at` finds the
/// few there are).
pub fn suspended_accounts() -> SelectStatement {
    Query::select()
        .column(accounts::Column::Id)
        .from(accounts::Entity)
        .and_where(accounts::Column::SuspendedAt.is_not_null())
        .to_owned()
}

/// The ids of the suspended accounts.
pub async fn suspended_ids(db: &impl ConnectionTrait) -> Result<Vec<i64>> {
    Ok(accounts::Entity::find()
        .filter(accounts::Column::SuspendedAt.is_not_null())
        .select_only()
        .column(accounts::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// Whether `account_id` is suspended.
pub async fn is_suspended(db: &impl ConnectionTrait, account_id: i64) -> Result<bool> {
    Ok(accounts::Entity::find_by_id(account_id)
        .filter(accounts::Column::SuspendedAt.is_not_null())
        .count(db)
        .await?
        > 0)
}
