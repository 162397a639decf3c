//! Comments an article's author hid: such a comment (and the answers below it)
//! is left out of the article's thread for everyone but the comment's own author
//! and the article's author. Every thread asks here ([`hidden_in_thread`]).

use std::collections::{HashMap, HashSet};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::post::Viewer;
use crate::Result;
use crate::entities::{article_comment_hides, posts};

/// Of the comments hidden in the threads of the posts `thread_ids` (the post
/// of a thread page and every post above it: one of them is the article),
/// those `viewer` may not see.
pub async fn hidden_in_thread(
    db: &impl ConnectionTrait,
    thread_ids: &[i64],
    viewer: Viewer,
) -> Result<HashSet<i64>> {
    if thread_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let hides = article_comment_hides::Entity::find()
        .filter(article_comment_hides::Column::ArticleId.is_in(thread_ids.iter().copied()))
        .all(db)
        .await?;
    if hides.is_empty() {
        return Ok(HashSet::new());
    }
    let Viewer::Account(viewer_id) = viewer else {
        return Ok(hides.into_iter().map(|h| h.comment_id).collect());
    };
    let mut ids: Vec<i64> = hides.iter().map(|h| h.comment_id).collect();
    ids.extend(hides.iter().map(|h| h.article_id));
    let authors: HashMap<i64, i64> = posts::Entity::find()
        .filter(posts::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.account_id))
        .collect();
    Ok(hides
        .into_iter()
        .filter(|hide| {
            let sees = |post: i64| authors.get(&post) == Some(&viewer_id);
            !sees(hide.comment_id) && !sees(hide.article_id)
        })
        .map(|hide| hide.comment_id)
        .collect())
}
