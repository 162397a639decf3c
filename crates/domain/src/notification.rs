//! Notifications: what local people are told happened to them (a follow, a request,
//! a favourite, a boost, a mention).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::{accounts, notifications};
use crate::{Result, id};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Follow,
    FollowRequest,
    Favourite,
    Reblog,
    Mention,
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
        }
    }

    fn parse(name: &str) -> Self {
        match name {
            "follow_request" => Self::FollowRequest,
            "favourite" => Self::Favourite,
            "reblog" => Self::Reblog,
            "mention" => Self::Mention,
            _ => Self::Follow,
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
    pub created_at: DateTime<Utc>,
}

/// Tells `account_id` that `from_account_id` did `kind` (to `post_id`). Only local
/// accounts are told; nobody is told of what they did themselves.
pub async fn notify(
    db: &impl ConnectionTrait,
    account_id: i64,
    from_account_id: i64,
    kind: Kind,
    post_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    if account_id == from_account_id {
        return Ok(());
    }
    let local = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .is_some_and(|a| a.domain.is_none());
    if !local {
        return Ok(());
    }
    notifications::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        from_account_id: Set(from_account_id),
        kind: Set(kind.name().to_owned()),
        post_id: Set(post_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest notifications of `account_id`, at most `limit`.
pub async fn recent(
    db: &impl ConnectionTrait,
    account_id: i64,
    limit: u64,
) -> Result<Vec<Notification>> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::AccountId.eq(account_id))
        .order_by_desc(notifications::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|row| Notification {
            id: row.id,
            account_id: row.account_id,
            from_account_id: row.from_account_id,
            kind: Kind::parse(&row.kind),
            post_id: row.post_id,
            created_at: row.created_at,
        })
        .collect())
}
