//! Whether one viewer may see one post: the rule every read of a single post asks
//! (a status, a thread, a page, an ActivityPub fetch) and that the timelines'
//! queries in [`super::timeline`] say for many posts at once.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::group::reaches;
use super::suspended::is_suspended;
use crate::entities::{accounts, mentions, posts};
use crate::graph::{block, follow};
use crate::posts::post::{Post, Visibility};
use crate::{Error, Result};

/// Who is looking at posts. Every read of posts names its viewer, and [`can_see`]
/// decides, so that the visibility rule lives in this one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Someone unknown: an unsigned fetch, a visitor without a session.
    Anonymous,
    /// A known account, local or remote.
    Account(i64),
}

/// Whether `post` may leave this instance: be delivered to other servers, be
/// fetched by them, be boosted, relayed or announced to them. A local-only post
/// never does; a boost of one is local-only too.
pub fn federates(post: &Post) -> bool {
    !post.local_only
}

/// Whether the replies to `post` are local-only whatever their author asks: a
/// conversation kept inside the instance stays inside it.
pub fn replies_stay_local(post: &Post) -> bool {
    post.local_only
}

/// Whether `viewer` may see `post`, as far as can be told without the database:
/// a local-only post is never seen by someone not signed in (that the viewer is
/// an account of this instance is checked by [`is_visible`]).
pub fn can_see(viewer: Viewer, post: &Post) -> bool {
    if post.local_only && viewer == Viewer::Anonymous {
        return false;
    }
    match post.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        // Followers and mentioned accounts are checked against the database in
        // `find_visible`.
        Visibility::Private | Visibility::Direct => viewer == Viewer::Account(post.account_id),
    }
}

/// The post `id` if `viewer` may see it; `NotFound` otherwise, so that a hidden post
/// cannot be told from a missing one.
pub async fn find_visible(db: &impl ConnectionTrait, id: i64, viewer: Viewer) -> Result<Post> {
    let post = posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Post::from)
        .ok_or(Error::NotFound("post"))?;
    if is_visible(db, &post, viewer).await? {
        Ok(post)
    } else {
        Err(Error::NotFound("post"))
    }
}

/// Whether `viewer` may see `post`: [`can_see`], then the followers and mentioned
/// accounts of non-public posts, the members of a closed group it is written to
/// (`group::reaches`), and nobody the author blocks. Nobody but the author sees
/// the post of a suspended account, and nobody but the accounts of this instance
/// a local-only post.
pub async fn is_visible(db: &impl ConnectionTrait, post: &Post, viewer: Viewer) -> Result<bool> {
    if viewer != Viewer::Account(post.account_id) && is_suspended(db, post.account_id).await? {
        return Ok(false);
    }
    if post.local_only && !is_local_viewer(db, viewer).await? {
        return Ok(false);
    }
    if let Viewer::Account(viewer_id) = viewer
        && viewer_id != post.account_id
        && block::blocks(db, post.account_id, viewer_id).await?
    {
        return Ok(false);
    }
    if can_see(viewer, post) {
        return Ok(true);
    }
    let Viewer::Account(viewer_id) = viewer else {
        return Ok(false);
    };
    Ok(is_mentioned(db, post.id, viewer_id).await?
        || is_follower_seeing_followers_post(db, viewer, post).await?
        || reaches(db, post.id, viewer_id).await?)
}

/// Whether `viewer` is an account of this instance (someone signed in here).
async fn is_local_viewer(db: &impl ConnectionTrait, viewer: Viewer) -> Result<bool> {
    let Viewer::Account(id) = viewer else {
        return Ok(false);
    };
    Ok(accounts::Entity::find_by_id(id)
        .filter(accounts::Column::Domain.is_null())
        .count(db)
        .await?
        > 0)
}

async fn is_mentioned(db: &impl ConnectionTrait, post_id: i64, account_id: i64) -> Result<bool> {
    Ok(mentions::Entity::find()
        .filter(mentions::Column::PostId.eq(post_id))
        .filter(mentions::Column::AccountId.eq(account_id))
        .count(db)
        .await?
        > 0)
}

/// A followers-only post is seen by the author's accepted followers.
async fn is_follower_seeing_followers_post(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    post: &Post,
) -> Result<bool> {
    let Viewer::Account(viewer_id) = viewer else {
        return Ok(false);
    };
    if post.visibility != Visibility::Private {
        return Ok(false);
    }
    Ok(follow::find(db, viewer_id, post.account_id)
        .await?
        .is_some_and(|follow| follow.accepted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn post(visibility: Visibility) -> Post {
        Post {
            id: 1,
            account_id: 7,
            uri: None,
            local: true,
            visibility,
            content: String::new(),
            source: None,
            spoiler_text: String::new(),
            sensitive: false,
            language: None,
            in_reply_to_id: None,
            in_reply_to_uri: None,
            url: None,
            created_at: Utc::now(),
            edited_at: None,
            reblog_of_id: None,
            local_only: false,
        }
    }

    #[test]
    fn local_only_posts_are_never_seen_signed_out_nor_federated() {
        let mut kept = post(Visibility::Public);
        kept.local_only = true;
        assert!(!can_see(Viewer::Anonymous, &kept));
        assert!(can_see(Viewer::Account(8), &kept));
        assert!(!federates(&kept));
        assert!(replies_stay_local(&kept));
        assert!(federates(&post(Visibility::Public)));
    }

    #[test]
    fn strangers_see_public_and_unlisted_posts_only() {
        for (visibility, anyone) in [
            (Visibility::Public, true),
            (Visibility::Unlisted, true),
            (Visibility::Private, false),
            (Visibility::Direct, false),
        ] {
            let post = post(visibility);
            assert_eq!(can_see(Viewer::Anonymous, &post), anyone, "{visibility:?}");
            assert_eq!(can_see(Viewer::Account(8), &post), anyone, "{visibility:?}");
            assert!(
                can_see(Viewer::Account(7), &post),
                "the author sees {visibility:?}"
            );
        }
    }
}
