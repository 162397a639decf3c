//! What a search finds, for the API (`/api/v2/search`) and the web app's search
//! page alike: accounts by name or address, hashtags by name, posts by their
//! words (full-text, with `from:`, `has:media`, `before:`, `after:` and
//! `during:`; see [`staffroom_domain::posts::search`]), and the post or
//! account a URL names. With `resolve`, an address or URL new here is looked up on
//! its server and fetched; only signed-in people may make the instance fetch.

use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::accounts::remote;
use staffroom_domain::page::Page;
use staffroom_domain::posts::post::{self, Post};
use staffroom_domain::posts::search::{self as post_search, Search, Terms};
use staffroom_domain::posts::tag::{self, Tag};
use staffroom_domain::visibility::post::{Viewer, is_visible};
use staffroom_federation::resolve::{self, Found as Resolved};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// The longest query accepted.
pub const MAX_QUERY_CHARS: usize = 500;

/// Which kinds of results are wanted.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub accounts: bool,
    pub posts: bool,
    pub hashtags: bool,
}

impl Wanted {
    /// Every kind.
    pub const ALL: Self = Self {
        accounts: true,
        posts: true,
        hashtags: true,
    };
}

/// What a search found, each kind at most the limit.
#[derive(Debug, Default)]
pub struct Found {
    pub accounts: Vec<Account>,
    /// Posts the viewer may see.
    pub posts: Vec<Post>,
    pub hashtags: Vec<Tag>,
}

/// Whether `q` is an address of someone on another server (or here).
pub fn is_address(q: &str) -> bool {
    let q = q.trim_start_matches('@');
    if q.contains(char::is_whitespace) {
        return false;
    }
    match q.split_once('@') {
        Some((user, domain)) => !user.is_empty() && (domain.contains('.') || domain.contains(':')),
        None => false,
    }
}

/// Which page of posts a search asks for: Mastodon's `offset`, `max_id` and
/// `min_id`, and the `account_id` whose posts only are wanted.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostPaging {
    pub offset: u64,
    pub max_id: Option<i64>,
    pub min_id: Option<i64>,
    pub account_id: Option<i64>,
}

/// What `q` finds for `viewer`, at most `limit` of each kind; `resolve` looks new
/// addresses and URLs up (for a signed-in viewer only).
pub async fn find(
    state: &AppState,
    viewer: Option<&Account>,
    q: &str,
    wanted: Wanted,
    limit: u64,
    resolve: bool,
    paging: PostPaging,
) -> ApiResult<Found> {
    let q = q.trim();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request("q is too long"));
    }
    let resolve = resolve && viewer.is_some();
    let mut found = Found::default();
    if q.is_empty() {
        return Ok(found);
    }
    let db = state.db();
    let data = state.federation();
    if q.starts_with("http://") || q.starts_with("https://") {
        let known = if resolve {
            resolve::url(&data, q).await?
        } else {
            known_url(state, q).await?
        };
        match known {
            Some(Resolved::Account(account)) if wanted.accounts => found.accounts.push(account),
            Some(Resolved::Post(post)) if wanted.posts => {
                let seen_as = viewer.map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
                if is_visible(db, &post, seen_as).await? {
                    found.posts.push(post);
                }
            }
            _ => {}
        }
        found.accounts.retain(|a| !a.suspended);
        return Ok(found);
    }
    // An address names an account; its words are not searched for.
    if wanted.posts && !is_address(q) {
        found.posts = find_posts(state, viewer, q, limit, paging).await?;
    }
    if wanted.accounts && paging.offset == 0 {
        if resolve
            && is_address(q)
            && let Some(account) = resolve::account_by_address(&data, q).await?
        {
            found.accounts.push(account);
        }
        for candidate in account::search(db, q, limit).await? {
            if !found.accounts.iter().any(|a| a.id == candidate.id) {
                found.accounts.push(candidate);
            }
        }
        found.accounts.truncate(limit as usize);
        // Suspended accounts are not found, as on Mastodon.
        found.accounts.retain(|a| !a.suspended);
    }
    if wanted.hashtags && paging.offset == 0 && !q.contains('@') && !q.contains('/') {
        found.hashtags = tag::search(db, q, limit).await?;
    }
    Ok(found)
}

/// The posts whose words `q` holds (with its operators), that `viewer` may see.
async fn find_posts(
    state: &AppState,
    viewer: Option<&Account>,
    q: &str,
    limit: u64,
    paging: PostPaging,
) -> ApiResult<Vec<staffroom_domain::posts::post::Post>> {
    let terms = Terms::parse(q);
    let db = state.db();
    let mut author_id = paging.account_id;
    if let Some(from) = &terms.from {
        let named = match (from.as_str(), from.split_once('@')) {
            ("me", _) => viewer.map(|me| me.id),
            (name, None) => account::find_local(db, name).await?.map(|a| a.id),
            (_, Some((name, domain))) if domain.eq_ignore_ascii_case(state.urls().domain()) => {
                account::find_local(db, name).await?.map(|a| a.id)
            }
            (acct, Some(_)) => remote::find_by_acct(db, acct).await?.map(|a| a.id),
        };
        match (named, author_id) {
            (None, _) => return Ok(Vec::new()),
            (Some(named), Some(asked)) if named != asked => return Ok(Vec::new()),
            (Some(named), _) => author_id = Some(named),
        }
    }
    let search = Search {
        terms,
        author_id,
        offset: paging.offset,
        page: Page {
            max_id: paging.max_id,
            since_id: None,
            min_id: paging.min_id,
            limit: Some(limit),
        },
    };
    Ok(post_search::find(db, &search, viewer.map(|a| a.id)).await?)
}

/// What `url` names among what this instance already stores.
async fn known_url(state: &AppState, url: &str) -> ApiResult<Option<Resolved>> {
    let db = state.db();
    if let Some(post) = post::find_by_uri(db, url).await? {
        return Ok(Some(Resolved::Post(post)));
    }
    if let Some(account) = staffroom_domain::accounts::remote::find_by_uri(db, url).await? {
        return Ok(Some(Resolved::Account(account)));
    }
    Ok(None)
}
