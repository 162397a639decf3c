//! The Mastodon `Status` entity.

use serde::Serialize;
use staffroom_domain::account::{self, Account as DomainAccount};
use staffroom_domain::post::{self, Post};
use staffroom_domain::{Database, Result, bookmark, follow, interaction, tag};
use staffroom_federation::LocalUrls;
use staffroom_federation::objects::follows::any_actor_id;

use super::media_attachment::MediaAttachment;
use super::{Account, timestamp};

/// A post as Mastodon apps read it.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: String,
    pub uri: String,
    pub url: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub account: Account,
    pub content: String,
    pub text: Option<String>,
    pub visibility: &'static str,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub media_attachments: Vec<MediaAttachment>,
    pub application: Option<serde_json::Value>,
    pub mentions: Vec<Mention>,
    pub tags: Vec<Tag>,
    pub emojis: Vec<serde_json::Value>,
    pub reblogs_count: u64,
    pub favourites_count: u64,
    pub replies_count: u64,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub reblog: Option<Box<Status>>,
    pub poll: Option<serde_json::Value>,
    pub card: Option<serde_json::Value>,
    pub language: Option<String>,
    pub filtered: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub favourited: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reblogged: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bookmarked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
}

/// An account a status mentions.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub id: String,
    pub username: String,
    pub url: String,
    pub acct: String,
}

/// A hashtag of a status.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
}

/// The `Account` entity of `account`, with its counts.
pub async fn account_entity(
    db: &Database,
    urls: &LocalUrls,
    account: &DomainAccount,
) -> Result<Account> {
    let posting = account::posting_stats(db, account.id).await?;
    let follows = follow::counts(db, account.id).await?;
    Ok(Account::new(urls, account, posting, follows))
}

/// The `Status` entity of `post`, as `viewer` (the signed-in account, if any) sees it.
/// A boost carries the boosted post in `reblog`.
pub async fn render(
    db: &Database,
    urls: &LocalUrls,
    post: &Post,
    viewer: Option<&DomainAccount>,
) -> Result<Status> {
    let mut status = render_one(db, urls, post, viewer).await?;
    if let Some(original_id) = post.reblog_of_id
        && let Some(original) = post::get_for_federation(db, original_id).await?
    {
        let inner = render_one(db, urls, &original, viewer).await?;
        status.favourited = inner.favourited;
        status.reblogged = inner.reblogged;
        status.bookmarked = inner.bookmarked;
        status.reblog = Some(Box::new(inner));
    }
    Ok(status)
}

/// Renders each of `posts` for `viewer`, in order.
pub async fn render_all(
    db: &Database,
    urls: &LocalUrls,
    posts: &[Post],
    viewer: Option<&DomainAccount>,
) -> Result<Vec<Status>> {
    let mut statuses = Vec::with_capacity(posts.len());
    for post in posts {
        statuses.push(render(db, urls, post, viewer).await?);
    }
    Ok(statuses)
}

async fn render_one(
    db: &Database,
    urls: &LocalUrls,
    post: &Post,
    viewer: Option<&DomainAccount>,
) -> Result<Status> {
    let author = account::get(db, post.account_id).await?;
    let (uri, url) = match &post.uri {
        Some(uri) => (uri.clone(), post.url.clone().or_else(|| Some(uri.clone()))),
        None if post.reblog_of_id.is_some() => (
            format!("{}/activity", urls.post(&author.username, post.id)),
            None,
        ),
        None => (
            urls.post(&author.username, post.id),
            Some(urls.post_page(&author.username, post.id)),
        ),
    };
    let mentions = post::mentioned_accounts(db, post.id)
        .await?
        .into_iter()
        .map(|a| Mention {
            id: a.id.to_string(),
            username: a.username.clone(),
            url: any_actor_id(urls, &a),
            acct: a.acct(),
        })
        .collect();
    let tags = tag::of_post(db, post.id)
        .await?
        .into_iter()
        .map(|name| Tag {
            url: urls.tag(&name),
            name,
        })
        .collect();
    let in_reply_to_account_id = match post.in_reply_to_id {
        Some(parent) => post::get_for_federation(db, parent)
            .await?
            .map(|p| p.account_id.to_string()),
        None => None,
    };
    let (favourited, reblogged, bookmarked) = match viewer {
        Some(viewer) => (
            Some(interaction::has_favourited(db, viewer.id, post.id).await?),
            Some(interaction::has_reblogged(db, viewer.id, post.id).await?),
            Some(bookmark::has(db, viewer.id, post.id).await?),
        ),
        None => (None, None, None),
    };
    Ok(Status {
        id: post.id.to_string(),
        uri,
        url,
        created_at: timestamp(post.created_at),
        edited_at: post.edited_at.map(timestamp),
        account: account_entity(db, urls, &author).await?,
        content: post.content.clone(),
        text: None,
        visibility: post.visibility.name(),
        sensitive: post.sensitive,
        spoiler_text: post.spoiler_text.clone(),
        media_attachments: staffroom_domain::media::of_post(db, post.id)
            .await?
            .iter()
            .map(|medium| MediaAttachment::new(urls, medium))
            .collect(),
        application: None,
        mentions,
        tags,
        emojis: Vec::new(),
        reblogs_count: interaction::reblogs_count(db, post.id).await?,
        favourites_count: interaction::favourites_count(db, post.id).await?,
        replies_count: post::replies_count(db, post.id).await?,
        in_reply_to_id: post.in_reply_to_id.map(|id| id.to_string()),
        in_reply_to_account_id,
        reblog: None,
        poll: None,
        card: None,
        language: post.language.clone(),
        filtered: Vec::new(),
        favourited,
        reblogged,
        muted: viewer.map(|_| false),
        bookmarked,
        pinned: viewer.map(|_| false),
    })
}
