//! A person's or an open group's podcast: the public posts they wrote, or the
//! group passed on, that carry sound, newest first, each an episode with its
//! first sound file.

use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::post::Post;
use crate::Result;
use crate::entities::{media_attachments, posts};
use crate::media::{self, MediaAttachment, MediaKind};
use crate::visibility::timeline::public_feed;

/// The most episodes one feed lists.
pub const MAX_EPISODES: u64 = 50;

/// One episode: a post and the sound it carries.
#[derive(Debug, Clone)]
pub struct Episode {
    pub post: Post,
    pub sound: MediaAttachment,
}

/// The latest episodes of the account `author_id` (at most [`MAX_EPISODES`]): its
/// public posts with a sound file of their own, newest first. Followers-only,
/// unlisted and direct posts are never in it, nor anything of a suspended account.
pub async fn episodes(db: &impl ConnectionTrait, author_id: i64) -> Result<Vec<Episode>> {
    episodes_of(
        db,
        Condition::all().add(posts::Column::AccountId.eq(author_id)),
    )
    .await
}

/// The latest episodes of the group `group_id`: the public posts with a sound
/// file of their own that it announced (its members' posts to it), newest
/// first, at most [`MAX_EPISODES`]. A closed group has none: who posts in it is
/// for its members to know.
pub async fn group_episodes(
    db: &impl ConnectionTrait,
    group: &crate::accounts::account::Account,
) -> Result<Vec<Episode>> {
    if crate::communities::group::is_closed(group) {
        return Ok(Vec::new());
    }
    let announced = Query::select()
        .column(posts::Column::ReblogOfId)
        .from(posts::Entity)
        .and_where(posts::Column::AccountId.eq(group.id))
        .and_where(posts::Column::ReblogOfId.is_not_null())
        .to_owned();
    episodes_of(
        db,
        Condition::all().add(posts::Column::Id.in_subquery(announced)),
    )
    .await
}

/// The episodes among the posts `whose` selects.
async fn episodes_of(db: &impl ConnectionTrait, whose: Condition) -> Result<Vec<Episode>> {
    let with_sound = Query::select()
        .column(media_attachments::Column::PostId)
        .from(media_attachments::Entity)
        .and_where(media_attachments::Column::Kind.eq(MediaKind::Audio.name()))
        .and_where(media_attachments::Column::File.is_not_null())
        .to_owned();
    let rows = public_feed(posts::Entity::find())
        .filter(whose)
        .filter(posts::Column::Id.in_subquery(with_sound))
        .order_by_desc(posts::Column::Id)
        .limit(MAX_EPISODES)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut media = media::of_posts(db, &ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let sound = media
                .remove(&row.id)?
                .into_iter()
                .find(|m| m.kind == MediaKind::Audio && m.file.is_some())?;
            Some(Episode {
                post: Post::from(row),
                sound,
            })
        })
        .collect())
}
