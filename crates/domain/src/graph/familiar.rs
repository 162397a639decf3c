//! Familiar followers: of the accounts someone follows, those that follow a
//! given account, as a profile shows them ("followed by people you follow").

use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::Result;
use crate::entities::follows;
use crate::visibility::timeline::excluded_accounts;

/// The most familiar followers told of one account.
pub const MAX_PER_ACCOUNT: usize = 80;

/// For each of `targets` (in order), the accounts `reader` follows that follow
/// it, latest follow first, at most [`MAX_PER_ACCOUNT`]: accepted follows
/// only, and none of the accounts the reader blocks, mutes, is blocked by, or
/// whose server they block, nor suspended ones.
pub async fn familiar_followers(
    db: &impl ConnectionTrait,
    reader: i64,
    targets: &[i64],
) -> Result<Vec<(i64, Vec<i64>)>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let followed = Query::select()
        .column(follows::Column::TargetId)
        .from(follows::Entity)
        .and_where(follows::Column::FollowerId.eq(reader))
        .and_where(follows::Column::Accepted.eq(true))
        .to_owned();
    let excluded = excluded_accounts(db, reader).await?;
    let rows: Vec<(i64, i64)> = follows::Entity::find()
        .filter(follows::Column::TargetId.is_in(targets.iter().copied()))
        .filter(follows::Column::Accepted.eq(true))
        .filter(follows::Column::FollowerId.in_subquery(followed))
        .filter(follows::Column::FollowerId.is_not_in(excluded))
        .filter(follows::Column::FollowerId.ne(reader))
        .order_by_desc(follows::Column::Id)
        .select_only()
        .column(follows::Column::TargetId)
        .column(follows::Column::FollowerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(targets
        .iter()
        .map(|target| {
            let followers = rows
                .iter()
                .filter(|(of, _)| of == target)
                .map(|(_, follower)| *follower)
                .take(MAX_PER_ACCOUNT)
                .collect();
            (*target, followers)
        })
        .collect())
}
