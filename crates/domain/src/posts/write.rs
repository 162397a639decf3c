//! Writing posts: a local author's new post, edit and deletion (with idempotency
//! keys, as apps retry), and another server's post stored or updated. Each stores
//! the post with its hashtags, mentions and media, and tells who should hear of it.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::article::{self, NewArticle, RemoteArticle};
use super::compose::{self, Links};
use super::event::{self, NewEvent, RemoteEvent};
use super::poll::{self, NewPoll, RemotePoll};
use super::post::{
    MAX_MENTIONS, MAX_POST_CHARS, MAX_SPOILER_CHARS, MAX_TAGS, Post, Visibility, find_by_uri,
};
use super::{edit_history, search, tag};
use crate::access::user;
use crate::accounts::account::Account;
use crate::conversations::conversation;
use crate::entities::{deleted_posts, mentions, post_tags, posts};
use crate::media;
use crate::notifications::notification::Kind;
use crate::notifications::recipients;
use crate::timelines::home_feed;
use crate::visibility::post::{Viewer, find_visible};
use crate::{Error, Result, id};

/// What a local author writes.
#[derive(Debug, Clone)]
pub struct NewPost {
    /// Plain text; paragraphs are separated by blank lines; `#tags` and `@mentions`
    /// become links.
    pub text: String,
    pub visibility: Visibility,
    pub spoiler_text: String,
    /// Whether its media are hidden until shown (always so with a content warning).
    pub sensitive: bool,
    pub language: Option<String>,
    /// The post this one answers.
    pub in_reply_to_id: Option<i64>,
    /// The accounts the text mentions, already found (remote ones fetched) by the
    /// caller from [`compose::parse`]; mentions not among them stay text.
    pub mentioned: Vec<Account>,
    /// The author's uploads to attach, in order (see [`media::check_attachable`]).
    pub media_ids: Vec<i64>,
    /// A poll to ask (a post has either media or a poll).
    pub poll: Option<NewPoll>,
    /// An event to organise: the post's text is then made from it (`text` is
    /// its description) and it has neither media nor a poll.
    pub event: Option<NewEvent>,
    /// An article to publish: the post's text is then empty and its only
    /// media is the article's cover.
    pub article: Option<NewArticle>,
    /// Whether it stays inside this instance (a reply to a local-only post
    /// always does).
    pub local_only: bool,
}

/// Stores a new post by the local account `author`.
pub async fn create_local(
    db: &impl ConnectionTrait,
    author: &Account,
    new: NewPost,
    links: &(dyn Links + Sync),
) -> Result<Post> {
    if !author.is_local() {
        return Err(Error::Forbidden("only local accounts post here".to_owned()));
    }
    crate::accounts::moving::ensure_active(author)?;
    let text = new.text.trim();
    if text.is_empty() && new.media_ids.is_empty() && new.event.is_none() && new.article.is_none() {
        return Err(Error::invalid("status", "must not be empty"));
    }
    if text.chars().count() > MAX_POST_CHARS {
        return Err(Error::invalid(
            "status",
            format!("is too long: use at most {MAX_POST_CHARS} characters"),
        ));
    }
    media::check_attachable(db, author.id, &new.media_ids).await?;
    if let Some(asked) = &new.poll {
        if !new.media_ids.is_empty() {
            return Err(Error::invalid(
                "poll",
                "cannot be added to a post with media",
            ));
        }
        poll::check(asked)?;
    }
    let now = Utc::now();
    if let Some(asked) = &new.event {
        if !new.media_ids.is_empty() || new.poll.is_some() {
            return Err(Error::invalid(
                "event",
                "cannot be added to a post with media or a poll",
            ));
        }
        event::check(asked, now)?;
    }
    if let Some(asked) = &new.article {
        if new.poll.is_some() || new.event.is_some() || !text.is_empty() {
            return Err(Error::invalid(
                "article",
                "cannot be added to a post with text, a poll or an event",
            ));
        }
        article::check(asked)?;
        let cover: Vec<i64> = asked.cover_media_id.into_iter().collect();
        if new.media_ids != cover {
            return Err(Error::invalid(
                "media_ids",
                "an article's only media is its cover",
            ));
        }
    }
    if new.spoiler_text.chars().count() > MAX_SPOILER_CHARS {
        return Err(Error::invalid(
            "spoiler_text",
            format!("is too long: use at most {MAX_SPOILER_CHARS} characters"),
        ));
    }
    let parsed = compose::parse(text);
    if new.mentioned.len() > MAX_MENTIONS || parsed.mentions.len() > MAX_MENTIONS {
        return Err(Error::invalid(
            "status",
            format!("mentions too many people: at most {MAX_MENTIONS}"),
        ));
    }
    if parsed.hashtags.len() > MAX_TAGS {
        return Err(Error::invalid(
            "status",
            format!("has too many hashtags: at most {MAX_TAGS}"),
        ));
    }
    let mut local_only = new.local_only;
    if let Some(parent) = new.in_reply_to_id {
        // One can only answer what one can see.
        let parent = find_visible(db, parent, Viewer::Account(author.id))
            .await
            .map_err(|_| Error::NotFound("post answered"))?;
        local_only |= crate::visibility::post::replies_stay_local(&parent);
    }
    let post_id = id::new_id(now);
    let organised = new
        .event
        .as_ref()
        .map(|asked| event::prepare(post_id, asked));
    let written = new
        .article
        .as_ref()
        .map(|asked| article::prepare(post_id, asked, links));
    let article_page = written
        .as_ref()
        .map(|_| links.article(&author.username, post_id));
    let content = match (&organised, &written, &article_page) {
        (Some(organised), _, _) => organised.status_html(&links.event(post_id)),
        (None, Some(written), Some(page)) => {
            article::status_html(&written.title, &written.summary, page)
        }
        _ => compose::render(text, &new.mentioned, links),
    };
    let kind = if organised.is_some() {
        "event"
    } else if written.is_some() {
        "article"
    } else {
        "note"
    };
    let source = match &written {
        Some(written) => written.markdown.clone(),
        None => Some(text.to_owned()),
    };
    let row = posts::ActiveModel {
        id: Set(post_id),
        account_id: Set(author.id),
        kind: Set(kind.to_owned()),
        uri: Set(None),
        local: Set(true),
        visibility: Set(new.visibility.name().to_owned()),
        content: Set(content),
        source: Set(source),
        url: Set(article_page),
        sensitive: Set(new.sensitive || !new.spoiler_text.is_empty()),
        spoiler_text: Set(new.spoiler_text),
        language: Set(new.language),
        in_reply_to_id: Set(new.in_reply_to_id),
        created_at: Set(now),
        edited_at: Set(None),
        local_only: Set(local_only),
        ..Default::default()
    }
    .insert(db)
    .await?;
    search::index(db, row.id, &row.content, &row.spoiler_text).await?;
    tag::attach(db, row.id, &parsed.hashtags, now).await?;
    media::attach(db, author.id, row.id, &new.media_ids).await?;
    if let Some(asked) = &new.poll {
        poll::create(db, row.id, asked, now).await?;
    }
    if let Some(organised) = &organised {
        event::create(db, organised).await?;
    }
    if let Some(written) = &written {
        article::create(db, written).await?;
    }
    let mentioned: Vec<i64> = new.mentioned.iter().map(|a| a.id).collect();
    attach_mentions(db, row.id, &mentioned).await?;
    home_feed::add_post(db, row.id).await?;
    for account in &new.mentioned {
        recipients::tell(db, account.id, author.id, Kind::Mention, Some(row.id), now).await?;
    }
    user::touch(db, author.id, now).await?;
    let created = Post::from(row);
    conversation::record(db, &created, &mentioned).await?;
    recipients::new_post(db, &created, now).await?;
    Ok(created)
}

/// What an author changes in an edit; `None` keeps what was there.
#[derive(Debug, Clone, Default)]
pub struct Revision {
    pub text: String,
    pub spoiler_text: Option<String>,
    pub sensitive: Option<bool>,
    pub language: Option<String>,
}

/// Edits the local post `id` of `author` (its visibility and reply stay); the post as
/// it now is. Tags and mentions follow the new text; the earlier version is kept in
/// the edit history.
pub async fn edit_local(
    db: &impl ConnectionTrait,
    author: &Account,
    id: i64,
    revision: Revision,
    mentioned: &[Account],
    links: &(dyn Links + Sync),
) -> Result<Post> {
    crate::accounts::moving::ensure_active(author)?;
    let existing: Post = posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author.id && row.local && row.reblog_of_id.is_none())
        .ok_or(Error::NotFound("post"))?
        .into();
    if article::get(db, id).await?.is_some() {
        return Err(Error::invalid(
            "status",
            "is an article: edit it with the articles API or its page",
        ));
    }
    let text = revision.text.trim();
    if text.is_empty() {
        return Err(Error::invalid("status", "must not be empty"));
    }
    if text.chars().count() > MAX_POST_CHARS {
        return Err(Error::invalid(
            "status",
            format!("is too long: use at most {MAX_POST_CHARS} characters"),
        ));
    }
    let spoiler_text = revision
        .spoiler_text
        .unwrap_or_else(|| existing.spoiler_text.clone());
    if spoiler_text.chars().count() > MAX_SPOILER_CHARS {
        return Err(Error::invalid(
            "spoiler_text",
            format!("is too long: use at most {MAX_SPOILER_CHARS} characters"),
        ));
    }
    let parsed = compose::parse(text);
    if mentioned.len() > MAX_MENTIONS || parsed.hashtags.len() > MAX_TAGS {
        return Err(Error::invalid("status", "mentions or tags too many"));
    }
    let now = Utc::now();
    let sensitive = revision.sensitive.unwrap_or(existing.sensitive) || !spoiler_text.is_empty();
    let row = posts::ActiveModel {
        id: Set(existing.id),
        content: Set(compose::render(text, mentioned, links)),
        source: Set(Some(text.to_owned())),
        sensitive: Set(sensitive),
        spoiler_text: Set(spoiler_text),
        language: Set(revision.language.or_else(|| existing.language.clone())),
        edited_at: Set(Some(now)),
        ..Default::default()
    }
    .update(db)
    .await?;
    search::index(db, row.id, &row.content, &row.spoiler_text).await?;
    let edited = Post::from(row);
    edit_history::record(db, &existing, &edited).await?;
    recipients::post_edited(db, &edited, now).await?;
    post_tags::Entity::delete_many()
        .filter(post_tags::Column::PostId.eq(id))
        .exec(db)
        .await?;
    tag::attach(db, id, &parsed.hashtags, now).await?;
    mentions::Entity::delete_many()
        .filter(mentions::Column::PostId.eq(id))
        .exec(db)
        .await?;
    let mentioned_ids: Vec<i64> = mentioned.iter().map(|a| a.id).collect();
    attach_mentions(db, id, &mentioned_ids).await?;
    // Someone newly named, or following a new hashtag, now has it in their home.
    home_feed::add_post(db, id).await?;
    Ok(edited)
}

/// Records that post `post_id` mentions each of `account_ids`.
async fn attach_mentions(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_ids: &[i64],
) -> Result<()> {
    if account_ids.is_empty() {
        return Ok(());
    }
    let mut unique = account_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let rows = unique.into_iter().map(|account_id| mentions::ActiveModel {
        post_id: Set(post_id),
        account_id: Set(account_id),
    });
    mentions::Entity::insert_many(rows)
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                mentions::Column::PostId,
                mentions::Column::AccountId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// How long an idempotency key holds.
const IDEMPOTENCY_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The post `account_id` made within the last hour with the idempotency `key`.
pub async fn find_by_idempotency_key(
    db: &impl ConnectionTrait,
    account_id: i64,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<Post>> {
    use crate::entities::idempotency_keys;
    let Some(row) = idempotency_keys::Entity::find_by_id((account_id, key.to_owned()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if now - row.created_at > IDEMPOTENCY_WINDOW {
        return Ok(None);
    }
    Ok(posts::Entity::find_by_id(row.post_id)
        .one(db)
        .await?
        .map(Post::from))
}

/// Remembers that `account_id` made `post_id` with the idempotency `key`.
pub async fn remember_idempotency_key(
    db: &impl ConnectionTrait,
    account_id: i64,
    key: &str,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::entities::idempotency_keys;
    idempotency_keys::Entity::delete_by_id((account_id, key.to_owned()))
        .exec(db)
        .await?;
    idempotency_keys::ActiveModel {
        account_id: Set(account_id),
        key: Set(key.chars().take(200).collect()),
        post_id: Set(post_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Deletes the local post `id` of `author`; the post as it was (to send its
/// deletion and answer the app). `NotFound` for a post that is not the author's.
pub async fn delete_local(db: &impl ConnectionTrait, author: &Account, id: i64) -> Result<Post> {
    let post = posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Post::from)
        .filter(|post| post.account_id == author.id && post.local && post.reblog_of_id.is_none())
        .ok_or(Error::NotFound("post"))?;
    posts::Entity::delete_by_id(id).exec(db).await?;
    // Remembered, so that a fetch of it says it is gone for good.
    deleted_posts::ActiveModel {
        post_id: Set(id),
        account_id: Set(author.id),
        deleted_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(post)
}

/// When the local post `id` of the account `author_id` was deleted, if it was.
pub async fn deleted_at(
    db: &impl ConnectionTrait,
    author_id: i64,
    id: i64,
) -> Result<Option<DateTime<Utc>>> {
    Ok(deleted_posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author_id)
        .map(|row| row.deleted_at))
}

/// The most characters accepted in a remote post (HTML, after cleaning).
pub const MAX_REMOTE_CONTENT_CHARS: usize = 100_000;

/// What a post of another server says, already checked and sanitised by the
/// federation layer.
#[derive(Debug, Clone)]
pub struct RemotePost {
    pub uri: String,
    pub author_id: i64,
    /// `note`, `article`, `page`, `question`, `event`, `video`.
    pub kind: String,
    pub visibility: Visibility,
    /// Sanitised HTML.
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    pub in_reply_to_uri: Option<String>,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Normalised hashtags.
    pub hashtags: Vec<String>,
    /// Local accounts it mentions.
    pub mentioned_ids: Vec<i64>,
    /// Its media, in order.
    pub attachments: Vec<media::RemoteAttachment>,
    /// Its poll, for a `Question`.
    pub poll: Option<RemotePoll>,
    /// Its event, for an `Event`.
    pub event: Option<RemoteEvent>,
    /// Its article, for an `Article` or a `Page`.
    pub article: Option<RemoteArticle>,
}

/// Stores `post` from another server, or updates the one with its id (only its own
/// author may change it).
pub async fn upsert_remote(db: &impl ConnectionTrait, post: RemotePost) -> Result<Post> {
    if post.content.chars().count() > MAX_REMOTE_CONTENT_CHARS {
        return Err(Error::invalid("content", "is too long"));
    }
    if post.spoiler_text.chars().count() > MAX_SPOILER_CHARS {
        return Err(Error::invalid("summary", "is too long"));
    }
    let existing = find_by_uri(db, &post.uri).await?;
    if let Some(existing) = &existing
        && existing.account_id != post.author_id
    {
        return Err(Error::Forbidden("only its author may change a post".into()));
    }
    let mut row = posts::ActiveModel {
        content: Set(post.content),
        spoiler_text: Set(post.spoiler_text),
        sensitive: Set(post.sensitive),
        language: Set(post.language),
        in_reply_to_id: Set(post.in_reply_to_id),
        in_reply_to_uri: Set(post.in_reply_to_uri),
        url: Set(post.url),
        visibility: Set(post.visibility.name().to_owned()),
        ..Default::default()
    };
    let hashtags: Vec<String> = post.hashtags.iter().take(MAX_TAGS).cloned().collect();
    let mentioned_ids: Vec<i64> = post
        .mentioned_ids
        .iter()
        .take(MAX_MENTIONS)
        .copied()
        .collect();
    let saved = match &existing {
        Some(existing) => {
            row.id = Set(existing.id);
            let text_changed = row.content.as_ref() != &existing.content
                || row.spoiler_text.as_ref() != &existing.spoiler_text;
            // A poll's new counts come as an `Update` too: that is no edit.
            row.edited_at = Set(
                if (post.poll.is_some() || post.event.is_some()) && !text_changed {
                    existing.edited_at
                } else {
                    Some(post.edited_at.unwrap_or_else(Utc::now))
                },
            );
            let saved = row.update(db).await?;
            let after = Post::from(saved.clone());
            if after.content != existing.content
                || after.spoiler_text != existing.spoiler_text
                || after.sensitive != existing.sensitive
            {
                edit_history::record(db, existing, &after).await?;
                recipients::post_edited(db, &after, Utc::now()).await?;
            }
            saved
        }
        None => {
            row.id = Set(id::new_id(post.created_at.min(Utc::now())));
            row.account_id = Set(post.author_id);
            row.kind = Set(post.kind);
            row.uri = Set(Some(post.uri));
            row.local = Set(false);
            row.source = Set(None);
            row.created_at = Set(post.created_at);
            row.edited_at = Set(post.edited_at);
            row.insert(db).await?
        }
    };
    search::index(db, saved.id, &saved.content, &saved.spoiler_text).await?;
    tag::attach(db, saved.id, &hashtags, Utc::now()).await?;
    attach_mentions(db, saved.id, &mentioned_ids).await?;
    media::replace_remote(db, saved.account_id, saved.id, &post.attachments).await?;
    if let Some(remote_poll) = &post.poll {
        poll::upsert_remote(db, saved.id, remote_poll).await?;
    }
    if let Some(remote_event) = &post.event {
        event::upsert_remote(db, saved.id, remote_event).await?;
    }
    if let Some(remote_article) = &post.article {
        article::upsert_remote(db, saved.id, remote_article).await?;
    }
    home_feed::add_post(db, saved.id).await?;
    let saved = Post::from(saved);
    if existing.is_none() {
        conversation::record(db, &saved, &mentioned_ids).await?;
        recipients::new_post(db, &saved, Utc::now()).await?;
    }
    Ok(saved)
}
