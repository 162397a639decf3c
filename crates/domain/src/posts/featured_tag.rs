//! Hashtags a person features on their profile (Mastodon's featured tags), with
//! how many of their public posts carry each and when the last was written.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};

use super::post::Visibility;
use super::tag::{self, Tag};
use crate::entities::{featured_tags, post_tags, posts, tags};
use crate::{Error, Result, id};

/// The most hashtags one person may feature (as Mastodon).
pub const MAX_FEATURED_TAGS: u64 = 10;

/// How many hashtags [`suggestions`] offers at most.
const MAX_SUGGESTIONS: u64 = 10;

/// A featured hashtag as a profile shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeaturedTag {
    pub id: i64,
    pub tag: Tag,
    /// The featuring person's public posts with the hashtag.
    pub statuses_count: u64,
    /// The day of the newest of them.
    pub last_status_at: Option<NaiveDate>,
}

/// `account_id` features the hashtag `name` (made if new); featuring one already
/// featured changes nothing. `Invalid` past [`MAX_FEATURED_TAGS`] or for a name
/// that is no hashtag.
pub async fn feature(
    db: &impl ConnectionTrait,
    account_id: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<FeaturedTag> {
    let found = tag::find_or_create(db, name, now).await?;
    let already = featured_tags::Entity::find()
        .filter(featured_tags::Column::AccountId.eq(account_id))
        .filter(featured_tags::Column::TagId.eq(found.id))
        .count(db)
        .await?
        > 0;
    if !already {
        let count = featured_tags::Entity::find()
            .filter(featured_tags::Column::AccountId.eq(account_id))
            .count(db)
            .await?;
        if count >= MAX_FEATURED_TAGS {
            return Err(Error::invalid(
                "name",
                format!("cannot be featured: at most {MAX_FEATURED_TAGS} hashtags can be"),
            ));
        }
        featured_tags::Entity::insert(featured_tags::ActiveModel {
            id: Set(id::new_id(now)),
            account_id: Set(account_id),
            tag_id: Set(found.id),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                featured_tags::Column::AccountId,
                featured_tags::Column::TagId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    of_account(db, account_id)
        .await?
        .into_iter()
        .find(|featured| featured.tag.id == found.id)
        .ok_or(Error::NotFound("featured tag"))
}

/// `account_id` stops featuring its featured tag `featured_id`; `NotFound` when it
/// has none by that id.
pub async fn unfeature(db: &impl ConnectionTrait, account_id: i64, featured_id: i64) -> Result<()> {
    let removed = featured_tags::Entity::delete_many()
        .filter(featured_tags::Column::Id.eq(featured_id))
        .filter(featured_tags::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    if removed.rows_affected == 0 {
        return Err(Error::NotFound("featured tag"));
    }
    Ok(())
}

/// The hashtags `account_id` features, in the order they were featured, with the
/// numbers of its public posts carrying each.
pub async fn of_account(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<FeaturedTag>> {
    let rows: Vec<(i64, i64, String)> = featured_tags::Entity::find()
        .filter(featured_tags::Column::AccountId.eq(account_id))
        .join(JoinType::InnerJoin, featured_tags::Relation::Tag.def())
        .select_only()
        .column(featured_tags::Column::Id)
        .column(featured_tags::Column::TagId)
        .column(tags::Column::Name)
        .order_by_asc(featured_tags::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let tag_ids: Vec<i64> = rows.iter().map(|(_, tag_id, _)| *tag_id).collect();
    let numbers: HashMap<i64, (i64, Option<DateTime<Utc>>)> = post_tags::Entity::find()
        .join(JoinType::InnerJoin, post_tags::Relation::Post.def())
        .filter(post_tags::Column::TagId.is_in(tag_ids))
        .filter(posts::Column::AccountId.eq(account_id))
        .filter(posts::Column::Visibility.eq(Visibility::Public.name()))
        .select_only()
        .column(post_tags::Column::TagId)
        .expr(Func::count(Expr::col((posts::Entity, posts::Column::Id))))
        .expr(Func::max(Expr::col((
            posts::Entity,
            posts::Column::CreatedAt,
        ))))
        .group_by(post_tags::Column::TagId)
        .into_tuple::<(i64, i64, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(tag_id, count, last)| (tag_id, (count, last)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(id, tag_id, name)| {
            let (count, last) = numbers.get(&tag_id).copied().unwrap_or((0, None));
            FeaturedTag {
                id,
                tag: Tag { id: tag_id, name },
                statuses_count: u64::try_from(count).unwrap_or(0),
                last_status_at: last.map(|at| at.date_naive()),
            }
        })
        .collect())
}

/// Hashtags `account_id` has used lately and does not feature yet, most recently
/// used first: what an app offers to feature.
pub async fn suggestions(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<Tag>> {
    let featured: Vec<i64> = featured_tags::Entity::find()
        .filter(featured_tags::Column::AccountId.eq(account_id))
        .select_only()
        .column(featured_tags::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    let rows: Vec<(i64, String, i64)> = post_tags::Entity::find()
        .join(JoinType::InnerJoin, post_tags::Relation::Post.def())
        .join(JoinType::InnerJoin, post_tags::Relation::Tag.def())
        .filter(posts::Column::AccountId.eq(account_id))
        .filter(post_tags::Column::TagId.is_not_in(featured))
        .select_only()
        .column(post_tags::Column::TagId)
        .column(tags::Column::Name)
        .expr(Func::max(Expr::col((posts::Entity, posts::Column::Id))))
        .group_by(post_tags::Column::TagId)
        .group_by(tags::Column::Name)
        .order_by_desc(Func::max(Expr::col((posts::Entity, posts::Column::Id))))
        .limit(MAX_SUGGESTIONS)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, _)| Tag { id, name })
        .collect())
}
