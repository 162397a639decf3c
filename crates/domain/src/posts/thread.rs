//! Threads: the posts above a post and the answers below it, as a viewer may see
//! them.

use sea_orm::{ConnectionTrait, EntityTrait};

use super::post::{Post, replies};
use crate::Result;
use crate::entities::posts;
use crate::visibility::comments::hidden_in_thread;
use crate::visibility::post::{Viewer, is_visible};

/// The most posts above a post in its thread that are shown.
pub const MAX_ANCESTORS: usize = 40;

/// The most posts below a post in its thread that are shown.
pub const MAX_DESCENDANTS: usize = 1_000;

/// The thread around `post` as `viewer` may see it: the posts it answers, oldest
/// first, and the answers below it, depth first in the order they were written.
/// A comment an article's author hid is left out, with the answers below it,
/// for all but its author and the article's.
pub async fn context(
    db: &impl ConnectionTrait,
    post: &Post,
    viewer: Viewer,
) -> Result<(Vec<Post>, Vec<Post>)> {
    let mut ancestors = Vec::new();
    let mut above = vec![post.id];
    let mut parent = post.in_reply_to_id;
    while let Some(id) = parent {
        if ancestors.len() >= MAX_ANCESTORS {
            break;
        }
        let Some(found) = posts::Entity::find_by_id(id).one(db).await?.map(Post::from) else {
            break;
        };
        parent = found.in_reply_to_id;
        above.push(found.id);
        if is_visible(db, &found, viewer).await? {
            ancestors.push(found);
        }
    }
    let hidden = hidden_in_thread(db, &above, viewer).await?;
    ancestors.retain(|found| !hidden.contains(&found.id));
    ancestors.reverse();
    let mut descendants = Vec::new();
    // Depth first: a stack of the answers still to visit, newest on top.
    let mut stack: Vec<Post> = replies(db, post.id).await?.into_iter().rev().collect();
    while let Some(next) = stack.pop() {
        if descendants.len() >= MAX_DESCENDANTS {
            break;
        }
        if hidden.contains(&next.id) || !is_visible(db, &next, viewer).await? {
            continue;
        }
        stack.extend(replies(db, next.id).await?.into_iter().rev());
        descendants.push(next);
    }
    Ok((ancestors, descendants))
}
