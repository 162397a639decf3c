//! The Mastodon `Status` entity.

use serde::Serialize;
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::filters::filter::Context;
use staffroom_domain::filters::matching::{ActiveFilters, hides};
use staffroom_domain::posts::poll;
use staffroom_domain::posts::post::{self, Post};
use std::collections::HashMap;
use std::sync::Arc;

use staffroom_domain::posts::details::{self, AuthorDetails, PostDetails};
use staffroom_domain::{Database, Result};
use staffroom_federation::LocalUrls;
use staffroom_federation::objects::follows::any_actor_id;

use super::account::Field;
use super::media_attachment::MediaAttachment;
use super::poll::Poll;
use super::{Account, timestamp};

/// A post as Mastodon apps read it.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: String,
    pub uri: String,
    pub url: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
    /// Shared by the statuses of a page by the same author.
    #[serde(serialize_with = "shared_account")]
    pub account: Arc<Account>,
    pub content: String,
    pub text: Option<String>,
    pub visibility: &'static str,
    /// Whether the post stays inside this instance (GoToSocial's field).
    pub local_only: bool,
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
    pub poll: Option<Poll>,
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

/// Writes a shared account as the account itself.
fn shared_account<S: serde::Serializer>(
    account: &Arc<Account>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    account.as_ref().serialize(serializer)
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

/// The `Account` entities of the accounts `ids`, in that order (unknown ones left
/// out), with their counts, loaded together.
pub async fn account_entities(
    db: &Database,
    urls: &LocalUrls,
    ids: &[i64],
) -> Result<Vec<Account>> {
    let found = details::authors(db, ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id))
        .map(|a| Account::new(urls, &a.account, a.posting, a.follows))
        .collect())
}

/// The `Account` entity of `account`, with its counts, a local leader's
/// directory fields, and the account it moved to if it moved.
pub async fn account_entity(
    db: &Database,
    urls: &LocalUrls,
    account: &DomainAccount,
) -> Result<Account> {
    let numbers = details::author(db, account.id).await?;
    let mut entity = Account::new(urls, account, numbers.posting, numbers.follows);
    // A leader's role, school and trust show among the fields, as other servers
    // see them (their profile screen fetches the account alone).
    if account.is_local()
        && account.kind == staffroom_domain::accounts::account::AccountKind::Person
        && let Some(leader) = staffroom_domain::directory::leader::find(db, account.id).await?
    {
        let shown = staffroom_federation::objects::directory::leader_fields(urls, &leader);
        entity
            .fields
            .extend(shown.into_iter().map(|(name, value)| Field {
                name: name.to_owned(),
                value,
                verified_at: None,
            }));
    }
    if let Some(moved_to) = account.moved_to_id
        && let Ok(found) = staffroom_domain::accounts::account::get(db, moved_to).await
    {
        let numbers = details::author(db, found.id).await?;
        entity.moved = Some(Box::new(Account::new(
            urls,
            &found,
            numbers.posting,
            numbers.follows,
        )));
    }
    Ok(entity)
}

/// The `Status` entity of `post`, as `viewer` (the signed-in account, if any) sees it.
/// A boost carries the boosted post in `reblog`.
pub async fn render(
    db: &Database,
    urls: &LocalUrls,
    post: &Post,
    viewer: Option<&DomainAccount>,
) -> Result<Status> {
    render_all(db, urls, std::slice::from_ref(post), viewer)
        .await?
        .pop()
        .ok_or(staffroom_domain::Error::NotFound("post"))
}

/// Renders each of `posts` for `viewer`, in order, loading what they show for all of
/// them at once (a fixed number of queries per page). A boost whose original is
/// gone is left out.
pub async fn render_all(
    db: &Database,
    urls: &LocalUrls,
    posts: &[Post],
    viewer: Option<&DomainAccount>,
) -> Result<Vec<Status>> {
    let original_ids: Vec<i64> = posts.iter().filter_map(|p| p.reblog_of_id).collect();
    let originals = post::get_many(db, &original_ids).await?;
    let mut every: Vec<&Post> = Vec::with_capacity(posts.len() + originals.len());
    every.extend(posts);
    every.extend(originals.values());
    let page = details::load_page(db, &every, viewer.map(|v| v.id)).await?;
    let with_poll: Vec<i64> = every
        .iter()
        .map(|p| p.id)
        .filter(|id| page.posts.get(id).is_some_and(|d| d.has_poll))
        .collect();
    let polls = polls_of(db, &every, &with_poll, viewer).await?;
    // Each author's entity is made once for the page, and copied into their posts.
    let mut authors: HashMap<i64, Arc<Account>> = HashMap::new();
    for post in &every {
        if let Some(author) = page.accounts.get(&post.account_id) {
            authors.entry(post.account_id).or_insert_with(|| {
                Arc::new(Account::new(
                    urls,
                    &author.account,
                    author.posting,
                    author.follows,
                ))
            });
        }
    }
    let shown = Shown {
        urls,
        details: &page.posts,
        authors: &authors,
        accounts: &page.accounts,
        polls: &polls,
    };
    let mut statuses = Vec::with_capacity(posts.len());
    for post in posts {
        let Some(mut status) = shown.status_of(post) else {
            continue;
        };
        if let Some(original_id) = post.reblog_of_id {
            let Some(inner) = originals
                .get(&original_id)
                .and_then(|original| shown.status_of(original))
            else {
                continue;
            };
            status.favourited = inner.favourited;
            status.reblogged = inner.reblogged;
            status.bookmarked = inner.bookmarked;
            status.reblog = Some(Box::new(inner));
        }
        if viewer.is_none() {
            status.favourited = None;
            status.reblogged = None;
            status.muted = None;
            status.bookmarked = None;
            status.pinned = None;
        }
        statuses.push(status);
    }
    Ok(statuses)
}

/// The `Poll` entities of the posts `ids` (those of `posts` that have a poll), as
/// `viewer` sees them, by post id: two queries for a page with polls, none for
/// a page without.
async fn polls_of(
    db: &Database,
    posts: &[&Post],
    ids: &[i64],
    viewer: Option<&DomainAccount>,
) -> Result<HashMap<i64, Poll>> {
    let found = poll::of_posts(db, ids).await?;
    if found.is_empty() {
        return Ok(HashMap::new());
    }
    let with_poll: Vec<i64> = found.keys().copied().collect();
    let mut own = match viewer {
        Some(viewer) => poll::own_votes(db, viewer.id, &with_poll).await?,
        None => HashMap::new(),
    };
    let now = chrono::Utc::now();
    Ok(found
        .iter()
        .map(|(id, found)| {
            let by_author =
                viewer.is_some_and(|v| posts.iter().any(|p| p.id == *id && p.account_id == v.id));
            let own_votes = viewer.map(|_| own.remove(id).unwrap_or_default());
            (*id, Poll::new(found, now, own_votes, by_author))
        })
        .collect())
}

/// What was loaded for a page, from which each of its statuses is made.
struct Shown<'a> {
    urls: &'a LocalUrls,
    details: &'a HashMap<i64, PostDetails>,
    /// The authors' entities, by account id.
    authors: &'a HashMap<i64, Arc<Account>>,
    /// The authors and mentioned accounts, by account id.
    accounts: &'a HashMap<i64, AuthorDetails>,
    polls: &'a HashMap<i64, Poll>,
}

/// The entity of one post from what was loaded for its page.
impl Shown<'_> {
    fn status_of(&self, post: &Post) -> Option<Status> {
        let Shown { urls, polls, .. } = *self;
        let author = self.accounts.get(&post.account_id)?;
        let account = self.authors.get(&post.account_id)?.clone();
        let empty;
        let details = match self.details.get(&post.id) {
            Some(found) => found,
            None => {
                empty = PostDetails::default();
                &empty
            }
        };
        let username = &author.account.username;
        let (uri, url) = match &post.uri {
            Some(uri) => (uri.clone(), post.url.clone().or_else(|| Some(uri.clone()))),
            None if post.reblog_of_id.is_some() => {
                (format!("{}/activity", urls.post(username, post.id)), None)
            }
            // A local article's page is its own (`post.url`).
            None => (
                urls.post(username, post.id),
                Some(
                    post.url
                        .clone()
                        .unwrap_or_else(|| urls.post_page(username, post.id)),
                ),
            ),
        };
        let mentions = details
            .mentions
            .iter()
            .map(|a| Mention {
                id: a.id.to_string(),
                username: a.username.clone(),
                url: any_actor_id(urls, a),
                acct: a.acct(),
            })
            .collect();
        let tags = details
            .tags
            .iter()
            .map(|name| Tag {
                url: urls.tag(name),
                name: name.clone(),
            })
            .collect();
        Some(Status {
            id: post.id.to_string(),
            uri,
            url,
            created_at: timestamp(post.created_at),
            edited_at: post.edited_at.map(timestamp),
            account,
            content: post.content.clone(),
            text: None,
            visibility: post.visibility.name(),
            local_only: post.local_only,
            sensitive: post.sensitive,
            spoiler_text: post.spoiler_text.clone(),
            media_attachments: details
                .media
                .iter()
                .map(|medium| MediaAttachment::new(urls, medium))
                .collect(),
            application: None,
            mentions,
            tags,
            emojis: Vec::new(),
            reblogs_count: details.reblogs,
            favourites_count: details.favourites,
            replies_count: details.replies,
            in_reply_to_id: post.in_reply_to_id.map(|id| id.to_string()),
            in_reply_to_account_id: details.in_reply_to_account_id.map(|id| id.to_string()),
            reblog: None,
            poll: polls.get(&post.id).cloned(),
            card: None,
            language: post.language.clone(),
            filtered: Vec::new(),
            favourited: Some(details.favourited),
            reblogged: Some(details.reblogged),
            muted: Some(false),
            bookmarked: Some(details.bookmarked),
            pinned: Some(details.pinned),
        })
    }
}

/// Renders `posts` for `viewer` as [`render_all`] does, with the viewer's filters
/// for `context` applied: a post a `hide` filter matches is left out, one a `warn`
/// or `blur` filter matches carries them in `filtered`. The filters are loaded once
/// and each post is checked in memory.
pub async fn render_filtered(
    db: &Database,
    urls: &LocalUrls,
    posts: &[Post],
    viewer: Option<&DomainAccount>,
    context: Context,
) -> Result<Vec<Status>> {
    let active = match viewer {
        Some(me) => ActiveFilters::load(db, me.id, context, chrono::Utc::now()).await?,
        None => ActiveFilters::none(),
    };
    render_with(db, urls, posts, viewer, &active).await
}

/// Renders `posts` for `viewer` with the filters `active` applied (see
/// [`render_filtered`]).
pub async fn render_with(
    db: &Database,
    urls: &LocalUrls,
    posts: &[Post],
    viewer: Option<&DomainAccount>,
    active: &ActiveFilters,
) -> Result<Vec<Status>> {
    if active.is_empty() {
        return render_all(db, urls, posts, viewer).await;
    }
    let original_ids: Vec<i64> = posts.iter().filter_map(|p| p.reblog_of_id).collect();
    let originals = post::get_many(db, &original_ids).await?;
    let mut kept = Vec::with_capacity(posts.len());
    let mut found: HashMap<String, Vec<serde_json::Value>> = HashMap::new();
    for one in posts {
        let shown = one
            .reblog_of_id
            .and_then(|id| originals.get(&id))
            .unwrap_or(one);
        let matches = active.check(shown);
        if hides(&matches) {
            continue;
        }
        if !matches.is_empty() {
            found.insert(
                one.id.to_string(),
                matches.iter().map(super::filter::result).collect(),
            );
        }
        kept.push(one.clone());
    }
    let mut statuses = render_all(db, urls, &kept, viewer).await?;
    for status in &mut statuses {
        if let Some(results) = found.remove(&status.id) {
            if let Some(inner) = status.reblog.as_mut() {
                inner.filtered = results.clone();
            }
            status.filtered = results;
        }
    }
    Ok(statuses)
}
