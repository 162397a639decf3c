//! Posts: what a post is (its visibility, text, reply and boost), and how stored
//! posts are found. Who may see one is decided in [`crate::visibility`]; writing
//! one is [`super::write`].

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::accounts::account::Account;
use crate::entities::{mentions, posts};
use crate::{Error, Result};

/// The most characters a post may have (what the instance advertises to apps).
pub const MAX_POST_CHARS: usize = 5_000;

/// The most characters a content warning may have.
pub const MAX_SPOILER_CHARS: usize = 500;

/// Who may see a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Anyone, and it is listed in public timelines.
    Public,
    /// Anyone, but it is left out of public timelines.
    Unlisted,
    /// The author's followers only.
    Private,
    /// The people it mentions only.
    Direct,
}

impl Visibility {
    pub fn name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Private => "private",
            Self::Direct => "direct",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "public" => Some(Self::Public),
            "unlisted" => Some(Self::Unlisted),
            "private" => Some(Self::Private),
            "direct" => Some(Self::Direct),
            _ => None,
        }
    }
}

/// A post as the rest of Staffroom sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: i64,
    pub account_id: i64,
    pub uri: Option<String>,
    pub local: bool,
    pub visibility: Visibility,
    /// The post's body as sanitised HTML.
    pub content: String,
    /// What the author typed, for local posts.
    pub source: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    /// The post this one answers, by its ActivityPub id, when that is not stored.
    pub in_reply_to_uri: Option<String>,
    /// The page of a remote post on its own server.
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// For a boost: the post it shares.
    pub reblog_of_id: Option<i64>,
    /// Kept inside this instance: never sent to nor fetched by other servers,
    /// and seen only by people signed in here (see
    /// [`crate::visibility::post::federates`]).
    pub local_only: bool,
}

impl From<posts::Model> for Post {
    fn from(row: posts::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            uri: row.uri,
            local: row.local,
            visibility: Visibility::from_name(&row.visibility).unwrap_or(Visibility::Direct),
            content: row.content,
            source: row.source,
            spoiler_text: row.spoiler_text,
            sensitive: row.sensitive,
            language: row.language,
            in_reply_to_id: row.in_reply_to_id,
            in_reply_to_uri: row.in_reply_to_uri,
            url: row.url,
            created_at: row.created_at,
            edited_at: row.edited_at,
            reblog_of_id: row.reblog_of_id,
            local_only: row.local_only,
        }
    }
}

/// The most accounts one post may mention.
pub const MAX_MENTIONS: usize = 50;

/// The most hashtags one post may carry.
pub const MAX_TAGS: usize = 30;

/// The accounts post `post_id` mentions.
pub async fn mentioned_accounts(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<Account>> {
    let ids: Vec<i64> = mentions::Entity::find()
        .filter(mentions::Column::PostId.eq(post_id))
        .select_only()
        .column(mentions::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(crate::entities::accounts::Entity::find()
        .filter(crate::entities::accounts::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(Account::from)
        .collect())
}

/// The local post `id` of `author_id` as they typed it, for editing; `NotFound` for
/// anyone else's post (or a boost).
pub async fn own_source(db: &impl ConnectionTrait, author_id: i64, id: i64) -> Result<Post> {
    posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Post::from)
        .filter(|post| post.account_id == author_id && post.local && post.reblog_of_id.is_none())
        .ok_or(Error::NotFound("post"))
}

/// The most posts one page may hold.
pub const MAX_PAGE: u64 = 40;

/// The post whose ActivityPub id is `uri`.
pub async fn find_by_uri(db: &impl ConnectionTrait, uri: &str) -> Result<Option<Post>> {
    Ok(posts::Entity::find()
        .filter(posts::Column::Uri.eq(uri))
        .one(db)
        .await?
        .map(Post::from))
}

/// The post `id`, whoever may see it: for the federation layer's own lookups, never
/// for showing.
pub async fn get_for_federation(db: &impl ConnectionTrait, id: i64) -> Result<Option<Post>> {
    Ok(posts::Entity::find_by_id(id)
        .filter(posts::Column::ReblogOfId.is_null())
        .one(db)
        .await?
        .map(Post::from))
}

/// The posts (not boosts) with these ids, by id.
pub async fn get_many(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Post>> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(posts::Entity::find()
        .filter(posts::Column::Id.is_in(ids.iter().copied()))
        .filter(posts::Column::ReblogOfId.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, Post::from(row)))
        .collect())
}

/// Deletes the remote post `uri` if `author_id` wrote it; true if there was one.
pub async fn delete_remote(db: &impl ConnectionTrait, uri: &str, author_id: i64) -> Result<bool> {
    let result = posts::Entity::delete_many()
        .filter(posts::Column::Uri.eq(uri))
        .filter(posts::Column::AccountId.eq(author_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Replies stored for post `id`, oldest first.
pub async fn replies(db: &impl ConnectionTrait, id: i64) -> Result<Vec<Post>> {
    Ok(posts::Entity::find()
        .filter(posts::Column::InReplyToId.eq(id))
        .order_by_asc(posts::Column::Id)
        .limit(MAX_PAGE)
        .all(db)
        .await?
        .into_iter()
        .map(Post::from)
        .collect())
}

/// How many posts were written on this instance.
pub async fn count_local(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(posts::Entity::find()
        .filter(posts::Column::Local.eq(true))
        .count(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibilities_round_trip_by_name() {
        for v in [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
            Visibility::Direct,
        ] {
            assert_eq!(Visibility::from_name(v.name()), Some(v));
        }
    }
}
