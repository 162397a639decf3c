//! A list's timeline: the posts and boosts of its members that its owner may see,
//! with the list's replies policy applied; and whether one post is in it, for
//! streaming.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};

use super::removed::Removed;
use super::walk::{DENSE_FOLLOWS, holds, page_of_posts};
use crate::entities::posts;
use crate::lists::list::{self, List, RepliesPolicy};
use crate::lists::member::{followed_by, followed_members, members_of};
use crate::page::Page;
use crate::posts::post::{Post, Visibility};
use crate::visibility::timeline::{by_followed_authors, without_excluded};
use crate::{Error, Result};

/// A page of `account_id`'s list `list_id`: what home shows of the members the
/// owner still follows (blocked and muted accounts left out), less the replies
/// the list's policy leaves out. Someone else's list is not found.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    page: Page,
) -> Result<Vec<Post>> {
    let found = list::find(db, account_id, list_id).await?;
    match source(db, &found).await? {
        Some(query) => page_of_posts(db, query, page).await,
        None => Ok(Vec::new()),
    }
}

/// Whether post `post_id` is in `account_id`'s list `list_id` (never in someone
/// else's list).
pub async fn in_list(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    post_id: i64,
) -> Result<bool> {
    let found = match list::find(db, account_id, list_id).await {
        Ok(found) => found,
        Err(Error::NotFound(_)) => return Ok(false),
        Err(other) => return Err(other),
    };
    match source(db, &found).await? {
        Some(query) => holds(db, query, post_id).await,
        None => Ok(false),
    }
}

/// Whether the gone post `removed` may have been in `account_id`'s list
/// `list_id`: a post other than a direct one, of a member the owner follows.
pub async fn was_in_list(
    db: &impl ConnectionTrait,
    account_id: i64,
    list_id: i64,
    removed: &Removed,
) -> Result<bool> {
    if removed.visibility == Visibility::Direct {
        return Ok(false);
    }
    let found = match list::find(db, account_id, list_id).await {
        Ok(found) => found,
        Err(Error::NotFound(_)) => return Ok(false),
        Err(other) => return Err(other),
    };
    Ok(followed_members(db, &found)
        .await?
        .contains(&removed.account_id))
}

/// The posts of `list`'s timeline, or `None` while it has no followed members.
async fn source(db: &impl ConnectionTrait, list: &List) -> Result<Option<Select<posts::Entity>>> {
    let members = followed_members(db, list).await?;
    if members.is_empty() {
        return Ok(None);
    }
    let dense = members.len() >= DENSE_FOLLOWS;
    let seen = by_followed_authors(posts::Entity::find(), members, list.account_id, dense);
    let query =
        without_excluded(db, with_replies_policy(seen, list), Some(list.account_id)).await?;
    Ok(Some(query))
}

/// Leaves out the replies `list`'s policy does not show. Posts that reply to
/// nobody, to their own author or to the list's owner always stay; the policy
/// adds replies to the accounts the owner follows (`followed`) or to the list's
/// members (`list`).
fn with_replies_policy(query: Select<posts::Entity>, list: &List) -> Select<posts::Entity> {
    let parent = Alias::new("parent");
    let author = Expr::col((parent.clone(), posts::Column::AccountId));
    let mut answered = Condition::any()
        .add(author.clone().eq(list.account_id))
        .add(
            author
                .clone()
                .equals((posts::Entity, posts::Column::AccountId)),
        );
    answered = match list.replies_policy {
        RepliesPolicy::Followed => answered.add(author.in_subquery(followed_by(list.account_id))),
        RepliesPolicy::List => answered.add(author.in_subquery(members_of(list.id))),
        RepliesPolicy::None => answered,
    };
    let parents = Query::select()
        .column((parent.clone(), posts::Column::Id))
        .from_as(posts::Entity, parent)
        .cond_where(answered)
        .to_owned();
    query.filter(
        Condition::any()
            .add(
                Condition::all()
                    .add(posts::Column::InReplyToId.is_null())
                    .add(posts::Column::InReplyToUri.is_null()),
            )
            .add(posts::Column::InReplyToId.in_subquery(parents)),
    )
}
