//! A person's conversations: one row per local person and thread of direct posts,
//! written when a direct post is stored (locally or received), holding the other
//! people in it, its newest post and whether the person has read it. A new post in
//! the thread brings the conversation back (even one put away) and marks it unread
//! for everyone in it but its author. Only the people a post is written to get a
//! row: nobody else ever sees a conversation.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::entities::{accounts, conversations, posts};
use crate::graph::block;
use crate::page::Page;
use crate::posts::post::{Post, Visibility};
use crate::{Error, Result, id};

/// How far up a reply chain its first post is looked for.
pub const MAX_THREAD_DEPTH: usize = 200;

/// One person's conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub id: i64,
    /// Whose list it is in.
    pub account_id: i64,
    /// The other people in it, by account id, in ascending order.
    pub participant_ids: Vec<i64>,
    /// Its newest post (the cursor of its pages).
    pub last_post_id: i64,
    pub unread: bool,
}

impl From<conversations::Model> for Conversation {
    fn from(row: conversations::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            participant_ids: parse_ids(&row.participant_ids),
            last_post_id: row.last_post_id,
            unread: row.unread,
        }
    }
}

fn parse_ids(stored: &str) -> Vec<i64> {
    stored
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The first post of the thread `post` is in: up its reply chain as far as it is
/// stored (at most [`MAX_THREAD_DEPTH`] steps).
async fn thread_of(db: &impl ConnectionTrait, post: &Post) -> Result<i64> {
    let mut root = post.id;
    let mut parent = post.in_reply_to_id;
    for _ in 0..MAX_THREAD_DEPTH {
        let Some(id) = parent else { break };
        let found: Option<Option<i64>> = posts::Entity::find_by_id(id)
            .select_only()
            .column(posts::Column::InReplyToId)
            .into_tuple()
            .one(db)
            .await?;
        let Some(next) = found else { break };
        root = id;
        parent = next;
    }
    Ok(root)
}

/// Files the stored direct `post`, written to the accounts `mentioned_ids`, in the
/// conversations of the local people in it: the author's (read) and each
/// recipient's (unread), unless a block stands between them and the author. Other
/// posts are left alone. The ids of the conversations written.
pub async fn record(
    db: &impl ConnectionTrait,
    post: &Post,
    mentioned_ids: &[i64],
) -> Result<Vec<Conversation>> {
    if post.visibility != Visibility::Direct || post.reblog_of_id.is_some() {
        return Ok(Vec::new());
    }
    let mut everyone: Vec<i64> = mentioned_ids.to_vec();
    everyone.push(post.account_id);
    everyone.sort_unstable();
    everyone.dedup();
    let local_people: Vec<i64> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(everyone.clone()))
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::Kind.eq("person"))
        .select_only()
        .column(accounts::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if local_people.is_empty() {
        return Ok(Vec::new());
    }
    let thread_id = thread_of(db, post).await?;
    let mut written = Vec::new();
    for person in local_people {
        let is_author = person == post.account_id;
        if !is_author && block::between(db, person, post.account_id).await? {
            continue;
        }
        let others: Vec<i64> = everyone
            .iter()
            .copied()
            .filter(|id| *id != person)
            .collect();
        let existing = conversations::Entity::find()
            .filter(conversations::Column::AccountId.eq(person))
            .filter(conversations::Column::ThreadId.eq(thread_id))
            .one(db)
            .await?;
        let row = match existing {
            Some(existing) => {
                let mut participants = parse_ids(&existing.participant_ids);
                participants.extend(others);
                participants.sort_unstable();
                participants.dedup();
                let newer = post.id >= existing.last_post_id;
                conversations::ActiveModel {
                    id: Set(existing.id),
                    participant_ids: Set(join_ids(&participants)),
                    last_post_id: Set(existing.last_post_id.max(post.id)),
                    unread: Set(if is_author {
                        existing.unread && !newer
                    } else {
                        true
                    }),
                    ..Default::default()
                }
                .update(db)
                .await?
            }
            None => {
                conversations::ActiveModel {
                    id: Set(id::new_id(Utc::now())),
                    account_id: Set(person),
                    thread_id: Set(thread_id),
                    last_post_id: Set(post.id),
                    participant_ids: Set(join_ids(&others)),
                    unread: Set(!is_author),
                }
                .insert(db)
                .await?
            }
        };
        written.push(Conversation::from(row));
    }
    Ok(written)
}

/// A page of `account_id`'s conversations, the one with the newest post first; the
/// cursors are the ids of their newest posts, as Mastodon pages them.
pub async fn list(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
) -> Result<Vec<Conversation>> {
    let query =
        conversations::Entity::find().filter(conversations::Column::AccountId.eq(account_id));
    let mut rows = page
        .apply(query, conversations::Column::LastPostId)
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows.into_iter().map(Conversation::from).collect())
}

/// `account_id`'s conversation `id`; `NotFound` for anyone else's.
pub async fn get(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<Conversation> {
    conversations::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == account_id)
        .map(Conversation::from)
        .ok_or(Error::NotFound("conversation"))
}

/// `account_id` has read its conversation `id`.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    account_id: i64,
    id: i64,
) -> Result<Conversation> {
    let mut found = get(db, account_id, id).await?;
    if found.unread {
        conversations::ActiveModel {
            id: Set(found.id),
            unread: Set(false),
            ..Default::default()
        }
        .update(db)
        .await?;
        found.unread = false;
    }
    Ok(found)
}

/// `account_id` puts its conversation `id` away; the others in it keep theirs, and
/// a new post in the thread brings it back.
pub async fn remove(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<()> {
    let found = get(db, account_id, id).await?;
    conversations::Entity::delete_by_id(found.id)
        .exec(db)
        .await?;
    Ok(())
}

/// `account_id`'s conversation whose newest post is `post_id`, if there is one
/// (what a new post did to their list, for the streaming API).
pub async fn with_last_post(
    db: &impl ConnectionTrait,
    account_id: i64,
    post_id: i64,
) -> Result<Option<Conversation>> {
    Ok(conversations::Entity::find()
        .filter(conversations::Column::AccountId.eq(account_id))
        .filter(conversations::Column::LastPostId.eq(post_id))
        .one(db)
        .await?
        .map(Conversation::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participant_ids_round_trip() {
        assert_eq!(parse_ids(&join_ids(&[3, 17, 42])), vec![3, 17, 42]);
        assert_eq!(parse_ids(""), Vec::<i64>::new());
    }
}
