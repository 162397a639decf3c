//! What is known of a post once it is gone, and whose timelines held it: streams
//! tell the apps that showed it to take it away.

use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::public::Scope;
use crate::Result;
use crate::entities::{mentions, tag_follows, tags};
use crate::graph::follow;
use crate::posts::post::{MAX_MENTIONS, Post, Visibility};
use crate::posts::tag;

/// What is known of a post once it is gone: enough to tell whose timelines held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub id: i64,
    pub account_id: i64,
    pub visibility: Visibility,
    pub local: bool,
    /// Whether it was a boost.
    pub boost: bool,
    /// Its normalised hashtags.
    pub tags: Vec<String>,
    /// The accounts it mentioned.
    pub mentioned: Vec<i64>,
}

/// What timelines need to know of `post` once it is gone; read it before deleting.
pub async fn removal(db: &impl ConnectionTrait, post: &Post) -> Result<Removed> {
    let mentioned = mentions::Entity::find()
        .filter(mentions::Column::PostId.eq(post.id))
        .select_only()
        .column(mentions::Column::AccountId)
        .limit(MAX_MENTIONS as u64)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Removed {
        id: post.id,
        account_id: post.account_id,
        visibility: post.visibility,
        local: post.local,
        boost: post.reblog_of_id.is_some(),
        tags: tag::of_post(db, post.id).await?,
        mentioned,
    })
}

impl Removed {
    /// Whether it was in the public timeline of `scope` (see [`super::public::public`]).
    pub fn was_in_public(&self, scope: Scope) -> bool {
        self.visibility == Visibility::Public
            && !self.boost
            && match scope {
                Scope::All => true,
                Scope::Local => self.local,
                Scope::Remote => !self.local,
            }
    }

    /// Whether it was in the timeline of the normalised tag `name` (see [`super::public::tag`]).
    pub fn was_in_tag(&self, name: &str, scope: Scope) -> bool {
        self.was_in_public(scope) && self.tags.iter().any(|tag| tag == name)
    }
}

/// Whether the gone post `removed` was in `account_id`'s [`super::home::home`], by the same rule:
/// its own, an accepted follower's (all but direct posts), a direct post mentioning
/// it, or a public post with a hashtag it follows.
pub async fn was_in_home(
    db: &impl ConnectionTrait,
    account_id: i64,
    removed: &Removed,
) -> Result<bool> {
    if removed.account_id == account_id
        || (removed.visibility == Visibility::Direct && removed.mentioned.contains(&account_id))
    {
        return Ok(true);
    }
    if removed.visibility != Visibility::Direct
        && follow::find(db, account_id, removed.account_id)
            .await?
            .is_some_and(|follow| follow.accepted)
    {
        return Ok(true);
    }
    if removed.visibility == Visibility::Public && !removed.boost && !removed.tags.is_empty() {
        let named = Query::select()
            .column(tags::Column::Id)
            .from(tags::Entity)
            .and_where(tags::Column::Name.is_in(removed.tags.clone()))
            .to_owned();
        let followed = tag_follows::Entity::find()
            .filter(tag_follows::Column::AccountId.eq(account_id))
            .filter(tag_follows::Column::TagId.in_subquery(named))
            .count(db)
            .await?;
        return Ok(followed > 0);
    }
    Ok(false)
}
