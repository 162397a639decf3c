//! Edit history: the versions a post has had, oldest first, kept when it is edited
//! (here or on its own server) so that apps can show what changed.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::post_edits;
use crate::posts::post::Post;
use crate::{Result, id};

/// The most versions kept of one post (the oldest is kept, then the newest).
pub const MAX_VERSIONS: u64 = 100;

/// One version of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Sanitised HTML.
    pub content: String,
    pub source: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// When this version was written.
    pub created_at: DateTime<Utc>,
}

impl Version {
    fn of(post: &Post, at: DateTime<Utc>) -> Self {
        Self {
            content: post.content.clone(),
            source: post.source.clone(),
            spoiler_text: post.spoiler_text.clone(),
            sensitive: post.sensitive,
            created_at: at,
        }
    }
}

async fn insert(db: &impl ConnectionTrait, post_id: i64, version: Version) -> Result<()> {
    post_edits::Entity::insert(post_edits::ActiveModel {
        id: Set(id::new_id(version.created_at)),
        post_id: Set(post_id),
        content: Set(version.content),
        source: Set(version.source),
        spoiler_text: Set(version.spoiler_text),
        sensitive: Set(version.sensitive),
        created_at: Set(version.created_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Records that `before` became `after` (the same post). The first edit also keeps
/// the original version.
pub async fn record(db: &impl ConnectionTrait, before: &Post, after: &Post) -> Result<()> {
    let kept = post_edits::Entity::find()
        .filter(post_edits::Column::PostId.eq(before.id))
        .count(db)
        .await?;
    if kept == 0 {
        let written = before.edited_at.unwrap_or(before.created_at);
        insert(db, before.id, Version::of(before, written)).await?;
    } else if kept >= MAX_VERSIONS {
        return Ok(());
    }
    let at = after.edited_at.unwrap_or_else(Utc::now);
    insert(db, after.id, Version::of(after, at)).await
}

/// Every version of `post`, oldest first, the current one last.
pub async fn versions(db: &impl ConnectionTrait, post: &Post) -> Result<Vec<Version>> {
    let rows = post_edits::Entity::find()
        .filter(post_edits::Column::PostId.eq(post.id))
        .order_by_asc(post_edits::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(vec![Version::of(post, post.created_at)]);
    }
    Ok(rows
        .into_iter()
        .map(|row| Version {
            content: row.content,
            source: row.source,
            spoiler_text: row.spoiler_text,
            sensitive: row.sensitive,
            created_at: row.created_at,
        })
        .collect())
}
