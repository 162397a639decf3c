//! Hashtags: stored once each by normalised name, and attached to posts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::compose::{MAX_TAG_CHARS, normalize_tag};
use crate::entities::{post_tags, tags};
use crate::{Result, id};

/// Attaches the tags `names` (normalised here again) to post `post_id`, creating
/// the tags it is the first to use.
pub async fn attach(
    db: &impl ConnectionTrait,
    post_id: i64,
    names: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut names: Vec<String> = names
        .iter()
        .map(|n| normalize_tag(n))
        .filter(|n| !n.is_empty() && n.chars().count() <= MAX_TAG_CHARS)
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Ok(());
    }
    let new_tags = names.iter().map(|name| tags::ActiveModel {
        id: Set(id::new_id(now)),
        name: Set(name.clone()),
        created_at: Set(now),
    });
    tags::Entity::insert_many(new_tags)
        .on_conflict(
            OnConflict::column(tags::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let ids: Vec<i64> = tags::Entity::find()
        .filter(tags::Column::Name.is_in(names))
        .select_only()
        .column(tags::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let links = ids.into_iter().map(|tag_id| post_tags::ActiveModel {
        post_id: Set(post_id),
        tag_id: Set(tag_id),
    });
    post_tags::Entity::insert_many(links)
        .on_conflict(
            OnConflict::columns([post_tags::Column::PostId, post_tags::Column::TagId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The names of the tags on post `post_id`, sorted.
pub async fn of_post(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<String>> {
    let ids: Vec<i64> = post_tags::Entity::find()
        .filter(post_tags::Column::PostId.eq(post_id))
        .select_only()
        .column(post_tags::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    let mut names: Vec<String> = tags::Entity::find()
        .filter(tags::Column::Id.is_in(ids))
        .select_only()
        .column(tags::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    names.sort();
    Ok(names)
}
