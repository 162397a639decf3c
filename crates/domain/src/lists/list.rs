//! A list itself: its owner, title, which replies it shows, and whether its
//! members' posts are kept out of the owner's home. Someone else's list is not
//! found, as if it did not exist.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::entities::{list_accounts, lists};
use crate::{Error, Result, id};

/// The most lists one account may have.
pub const MAX_LISTS: u64 = 50;
/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 255;

/// Which replies of its members a list shows (a member's replies to themself or
/// to the list's owner are always shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RepliesPolicy {
    /// Replies to any account the owner follows.
    #[default]
    Followed,
    /// Replies to the list's members.
    List,
    /// No other replies.
    None,
}

impl RepliesPolicy {
    /// The policy's name, as stored (and as Mastodon names it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Followed => "followed",
            Self::List => "list",
            Self::None => "none",
        }
    }

    /// The policy named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "followed" => Some(Self::Followed),
            "list" => Some(Self::List),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// A list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub id: i64,
    /// The account whose list it is.
    pub account_id: i64,
    pub title: String,
    pub replies_policy: RepliesPolicy,
    /// Whether its members' posts are left out of the owner's home.
    pub exclusive: bool,
    pub created_at: DateTime<Utc>,
}

impl From<lists::Model> for List {
    fn from(row: lists::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            title: row.title,
            replies_policy: RepliesPolicy::from_name(&row.replies_policy).unwrap_or_default(),
            exclusive: row.exclusive,
            created_at: row.created_at,
        }
    }
}

/// What a change of a list sets; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct ListChanges {
    pub title: Option<String>,
    pub replies_policy: Option<RepliesPolicy>,
    pub exclusive: Option<bool>,
}

/// `title` trimmed, or why it cannot be a list's title.
fn checked_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::invalid("title", "can't be blank"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            "title",
            format!("is too long (maximum is {MAX_TITLE_CHARS} characters)"),
        ));
    }
    Ok(title.to_owned())
}

/// `account_id` makes a list titled `title`; at most [`MAX_LISTS`] each.
pub async fn create(
    db: &impl ConnectionTrait,
    account_id: i64,
    title: &str,
    replies_policy: RepliesPolicy,
    exclusive: bool,
    now: DateTime<Utc>,
) -> Result<List> {
    let title = checked_title(title)?;
    let count = lists::Entity::find()
        .filter(lists::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    if count >= MAX_LISTS {
        return Err(Error::invalid(
            "lists",
            format!("are limited to {MAX_LISTS} per account"),
        ));
    }
    let row = lists::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        title: Set(title),
        replies_policy: Set(replies_policy.name().to_owned()),
        exclusive: Set(exclusive),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

/// `account_id`'s list `list_id`; not found when it is someone else's.
pub async fn find(db: &impl ConnectionTrait, account_id: i64, list_id: i64) -> Result<List> {
    lists::Entity::find_by_id(list_id)
        .filter(lists::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .map(List::from)
        .ok_or(Error::NotFound("list"))
}

/// Every list of `account_id`, oldest first.
pub async fn all(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<List>> {
    Ok(lists::Entity::find()
        .filter(lists::Column::AccountId.eq(account_id))
        .order_by_asc(lists::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(List::from)
        .collect())
}

/// Changes `account_id`'s list `list_id` as `changes` says.
pub async fn update(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    changes: ListChanges,
) -> Result<List> {
    let found = find(db, account_id, list_id).await?;
    let mut row = lists::ActiveModel {
        id: Set(found.id),
        ..Default::default()
    };
    if let Some(title) = changes.title {
        row.title = Set(checked_title(&title)?);
    }
    if let Some(policy) = changes.replies_policy {
        row.replies_policy = Set(policy.name().to_owned());
    }
    if let Some(exclusive) = changes.exclusive {
        row.exclusive = Set(exclusive);
    }
    if !row.is_changed() {
        return Ok(found);
    }
    Ok(row.update(db).await?.into())
}

/// Deletes `account_id`'s list `list_id` (its members go with it).
pub async fn delete(db: &impl ConnectionTrait, account_id: i64, list_id: i64) -> Result<()> {
    let found = lists::Entity::find_by_id(list_id)
        .filter(lists::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("list"))?;
    list_accounts::Entity::delete_many()
        .filter(list_accounts::Column::ListId.eq(found.id))
        .exec(db)
        .await?;
    found.into_active_model().delete(db).await?;
    Ok(())
}
