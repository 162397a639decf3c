//! Posts: what people write, who may see it, and how it is stored.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};

use crate::account::Account;
use crate::compose::{self, Links};
use crate::entities::mentions;
use crate::entities::posts;
use crate::{Error, Result, edit_history, id, media, notification, tag, user};

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

/// Who is looking at posts. Every read of posts names its viewer, and [`can_see`]
/// decides, so that the visibility rule lives in this one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Someone unknown: an unsigned fetch, a visitor without a session.
    Anonymous,
    /// A known account, local or remote.
    Account(i64),
}

/// Whether `viewer` may see `post`.
pub fn can_see(viewer: Viewer, post: &Post) -> bool {
    match post.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        // Followers and mentioned accounts are checked against the database in
        // `find_visible`.
        Visibility::Private | Visibility::Direct => viewer == Viewer::Account(post.account_id),
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
        }
    }
}

/// What a local author writes.
#[derive(Debug, Clone)]
pub struct NewPost {
    /// Plain text; paragraphs are separated by blank lines; `#tags` and `@mentions`
    /// become links.
    pub text: String,
    pub visibility: Visibility,
    pub spoiler_text: String,
    pub language: Option<String>,
    /// The post this one answers.
    pub in_reply_to_id: Option<i64>,
    /// The accounts the text mentions, already found (remote ones fetched) by the
    /// caller from [`crate::compose::parse`]; mentions not among them stay text.
    pub mentioned: Vec<Account>,
    /// The author's uploads to attach, in order (see [`media::check_attachable`]).
    pub media_ids: Vec<i64>,
}

/// The most accounts one post may mention.
pub const MAX_MENTIONS: usize = 50;
/// The most hashtags one post may carry.
pub const MAX_TAGS: usize = 30;

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
    let text = new.text.trim();
    if text.is_empty() && new.media_ids.is_empty() {
        return Err(Error::invalid("status", "must not be empty"));
    }
    if text.chars().count() > MAX_POST_CHARS {
        return Err(Error::invalid(
            "status",
            format!("is too long: use at most {MAX_POST_CHARS} characters"),
        ));
    }
    media::check_attachable(db, author.id, &new.media_ids).await?;
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
    if let Some(parent) = new.in_reply_to_id {
        // One can only answer what one can see.
        find_visible(db, parent, Viewer::Account(author.id))
            .await
            .map_err(|_| Error::NotFound("post answered"))?;
    }
    let now = Utc::now();
    let row = posts::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(author.id),
        kind: Set("note".to_owned()),
        uri: Set(None),
        local: Set(true),
        visibility: Set(new.visibility.name().to_owned()),
        content: Set(compose::render(text, &new.mentioned, links)),
        source: Set(Some(text.to_owned())),
        sensitive: Set(!new.spoiler_text.is_empty()),
        spoiler_text: Set(new.spoiler_text),
        language: Set(new.language),
        in_reply_to_id: Set(new.in_reply_to_id),
        created_at: Set(now),
        edited_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    tag::attach(db, row.id, &parsed.hashtags, now).await?;
    media::attach(db, author.id, row.id, &new.media_ids).await?;
    let mentioned: Vec<i64> = new.mentioned.iter().map(|a| a.id).collect();
    attach_mentions(db, row.id, &mentioned).await?;
    for account in &new.mentioned {
        notification::notify(
            db,
            account.id,
            author.id,
            notification::Kind::Mention,
            Some(row.id),
            now,
        )
        .await?;
    }
    user::touch(db, author.id, now).await?;
    let created = Post::from(row);
    notification::new_post(db, &created, now).await?;
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
    let existing: Post = posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author.id && row.local && row.reblog_of_id.is_none())
        .ok_or(Error::NotFound("post"))?
        .into();
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
    let edited = Post::from(row);
    edit_history::record(db, &existing, &edited).await?;
    notification::post_edited(db, &edited, now).await?;
    crate::entities::post_tags::Entity::delete_many()
        .filter(crate::entities::post_tags::Column::PostId.eq(id))
        .exec(db)
        .await?;
    tag::attach(db, id, &parsed.hashtags, now).await?;
    mentions::Entity::delete_many()
        .filter(mentions::Column::PostId.eq(id))
        .exec(db)
        .await?;
    let mentioned_ids: Vec<i64> = mentioned.iter().map(|a| a.id).collect();
    attach_mentions(db, id, &mentioned_ids).await?;
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

async fn is_mentioned(db: &impl ConnectionTrait, post_id: i64, account_id: i64) -> Result<bool> {
    Ok(mentions::Entity::find()
        .filter(mentions::Column::PostId.eq(post_id))
        .filter(mentions::Column::AccountId.eq(account_id))
        .count(db)
        .await?
        > 0)
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
    Ok(post)
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
/// (`group::reaches`), and nobody the author blocks.
pub async fn is_visible(db: &impl ConnectionTrait, post: &Post, viewer: Viewer) -> Result<bool> {
    if let Viewer::Account(viewer_id) = viewer
        && viewer_id != post.account_id
        && crate::block::blocks(db, post.account_id, viewer_id).await?
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
        || crate::group::reaches(db, post.id, viewer_id).await?)
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

/// The most posts above a post in its thread that are shown.
pub const MAX_ANCESTORS: usize = 40;
/// The most posts below a post in its thread that are shown.
pub const MAX_DESCENDANTS: usize = 1_000;

/// The thread around `post` as `viewer` may see it: the posts it answers, oldest
/// first, and the answers below it, depth first in the order they were written.
pub async fn context(
    db: &impl ConnectionTrait,
    post: &Post,
    viewer: Viewer,
) -> Result<(Vec<Post>, Vec<Post>)> {
    let mut ancestors = Vec::new();
    let mut parent = post.in_reply_to_id;
    while let Some(id) = parent {
        if ancestors.len() >= MAX_ANCESTORS {
            break;
        }
        let Some(found) = posts::Entity::find_by_id(id).one(db).await?.map(Post::from) else {
            break;
        };
        parent = found.in_reply_to_id;
        if is_visible(db, &found, viewer).await? {
            ancestors.push(found);
        }
    }
    ancestors.reverse();
    let mut descendants = Vec::new();
    // Depth first: a stack of the answers still to visit, newest on top.
    let mut stack: Vec<Post> = replies(db, post.id).await?.into_iter().rev().collect();
    while let Some(next) = stack.pop() {
        if descendants.len() >= MAX_DESCENDANTS {
            break;
        }
        if !is_visible(db, &next, viewer).await? {
            continue;
        }
        stack.extend(replies(db, next.id).await?.into_iter().rev());
        descendants.push(next);
    }
    Ok((ancestors, descendants))
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
    Ok(crate::follow::find(db, viewer_id, post.account_id)
        .await?
        .is_some_and(|follow| follow.accepted))
}

/// The most posts one page may hold.
pub const MAX_PAGE: u64 = 40;

/// The posts of `account_id` that anyone may see (public and unlisted), with its
/// boosts when `boosts` is set.
fn seen_by_anyone(account_id: i64, boosts: bool) -> Select<posts::Entity> {
    let query = posts::Entity::find()
        .filter(posts::Column::AccountId.eq(account_id))
        .filter(
            posts::Column::Visibility
                .is_in([Visibility::Public.name(), Visibility::Unlisted.name()]),
        );
    if boosts {
        query
    } else {
        query.filter(posts::Column::ReblogOfId.is_null())
    }
}

async fn page_of_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    boosts: bool,
    max_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    let mut query = seen_by_anyone(account_id, boosts);
    if let Some(max_id) = max_id {
        query = query.filter(posts::Column::Id.lt(max_id));
    }
    let rows = query
        .order_by_desc(posts::Column::Id)
        .limit(limit.min(MAX_PAGE))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Post::from).collect())
}

/// `account_id`'s own posts that anyone may see, newest first, older than
/// `max_id`, at most `limit`.
pub async fn public_by_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    max_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    page_of_account(db, account_id, false, max_id, limit).await
}

/// How many of `account_id`'s posts anyone may see.
pub async fn count_public_by_account(db: &impl ConnectionTrait, account_id: i64) -> Result<u64> {
    Ok(seen_by_anyone(account_id, false).count(db).await?)
}

/// `account_id`'s outbox: its posts and boosts that anyone may see, newest first,
/// older than `max_id`, at most `limit` (a group's boosts are what it announced).
pub async fn outbox_by_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    max_id: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    page_of_account(db, account_id, true, max_id, limit).await
}

/// How many posts and boosts `account_id`'s outbox holds.
pub async fn count_outbox_by_account(db: &impl ConnectionTrait, account_id: i64) -> Result<u64> {
    Ok(seen_by_anyone(account_id, true).count(db).await?)
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
            row.edited_at = Set(Some(post.edited_at.unwrap_or_else(Utc::now)));
            let saved = row.update(db).await?;
            let after = Post::from(saved.clone());
            if after.content != existing.content
                || after.spoiler_text != existing.spoiler_text
                || after.sensitive != existing.sensitive
            {
                edit_history::record(db, existing, &after).await?;
                notification::post_edited(db, &after, Utc::now()).await?;
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
    tag::attach(db, saved.id, &hashtags, Utc::now()).await?;
    attach_mentions(db, saved.id, &mentioned_ids).await?;
    media::replace_remote(db, saved.account_id, saved.id, &post.attachments).await?;
    let saved = Post::from(saved);
    if existing.is_none() {
        notification::new_post(db, &saved, Utc::now()).await?;
    }
    Ok(saved)
}

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
        }
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
