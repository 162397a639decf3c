//! Importing a file another server exported (see
//! `staffroom_domain::accounts::import` for reading the file): each account is
//! found — here, known here, or looked up on its server — and followed, blocked or
//! muted through the usual use cases, which tell the other servers; each domain of
//! a domain blocks file is blocked for the importer; each post of a
//! bookmarks file is found the same way and bookmarked if the importer may see it;
//! each account of a lists file is followed, as Mastodon does, and put in the list
//! of that title, made if missing. An import that replaces also takes away those
//! the file does not name. Every row that could not be handled is reported with
//! why.

use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::accounts::import::{self, Kind, Row};
use staffroom_domain::accounts::remote;
use staffroom_domain::graph::{domain_block, follow, mute};
use staffroom_domain::lists::{list, member};
use staffroom_domain::posts::{bookmark, post};
use staffroom_domain::visibility::post::{Viewer, is_visible};

use crate::context::Data;
use crate::error::Error;
use crate::{relationships, resolve};

/// The most accounts of other servers, not known here yet, one import looks up:
/// each takes a request to their server. Those past it are reported, and the same
/// file imported again goes on with them.
pub const MAX_LOOKUPS: usize = 100;

/// Why an account of an import was not handled.
#[derive(Debug)]
pub enum Reason {
    /// The file names the importer themself.
    OwnAccount,
    /// Domain blocks: the file names this instance's own domain.
    OwnServer,
    /// No account answers to the address.
    NotFound,
    /// Finding the account failed on this server.
    LookupFailed,
    /// More accounts or posts new here than [`MAX_LOOKUPS`] came before it.
    NotLookedUp,
    /// Bookmarks: the post is not one the importer may see.
    NotVisible,
    /// Lists: the account was asked to be followed and has not accepted yet, and
    /// a list holds only accounts followed.
    FollowPending,
    /// The accounts already followed, blocked or muted could not be read, so none
    /// was taken away.
    CurrentUnread,
    /// Following, blocking or muting it (or taking that back) failed.
    Failed(Error),
}

/// An account of an import that was not handled, and why (`address` is empty when
/// the reason concerns no one account).
#[derive(Debug)]
pub struct Failure {
    pub address: String,
    pub reason: Reason,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Accounts of the file followed, blocked or muted.
    pub applied: usize,
    /// Accounts not in the file taken away, when it replaced.
    pub removed: usize,
    pub failures: Vec<Failure>,
}

/// Follows, blocks or mutes the accounts of `rows` for `me`, bookmarks their
/// posts or puts their accounts in lists, in order; when `replace` (and `kind`
/// may replace), then takes away every account or bookmark of `kind` the file
/// does not name.
pub async fn run(data: &Data, me: &Account, kind: Kind, rows: &[Row], replace: bool) -> Outcome {
    let mut outcome = Outcome::default();
    let mut lookups_left = MAX_LOOKUPS;
    for row in rows {
        let done = if kind == Kind::Bookmarks {
            bookmark_post(data, me, &row.address, &mut lookups_left).await
        } else if kind == Kind::DomainBlocks {
            block_domain(data, me, &row.address).await
        } else {
            match target_of(data, &row.address, &mut lookups_left).await {
                Ok(target) if target.id == me.id => Err(Reason::OwnAccount),
                Ok(target) if kind == Kind::Lists => {
                    put_in_list(data, me, row.list.as_deref().unwrap_or_default(), &target).await
                }
                Ok(target) => act(data, me, kind, row, &target)
                    .await
                    .map_err(Reason::Failed),
                Err(reason) => Err(reason),
            }
        };
        match done {
            Ok(()) => outcome.applied += 1,
            Err(reason) => outcome.failures.push(Failure {
                address: row.address.clone(),
                reason,
            }),
        }
    }
    if replace && kind.replaceable() {
        take_away(data, me, kind, rows, &mut outcome).await;
    }
    outcome
}

/// `me` blocks the server `domain` for themself; their own is refused.
async fn block_domain(data: &Data, me: &Account, domain: &str) -> Result<(), Reason> {
    if domain.eq_ignore_ascii_case(data.urls.domain()) {
        return Err(Reason::OwnServer);
    }
    domain_block::block(&data.db, me.id, domain, Utc::now())
        .await
        .map_err(|e| Reason::Failed(e.into()))?;
    let domain = domain_block::normalised(domain).map_err(|e| Reason::Failed(e.into()))?;
    crate::relationships::remove_followers_on(data, me, &domain)
        .await
        .map_err(Reason::Failed)?;
    Ok(())
}

/// `me` bookmarks the post at `url`, found here or fetched from its server while
/// `lookups_left` allows, if they may see it.
async fn bookmark_post(
    data: &Data,
    me: &Account,
    url: &str,
    lookups_left: &mut usize,
) -> Result<(), Reason> {
    let known = match data.urls.local_post_id(url) {
        Some(id) => post::get_for_federation(&data.db, id).await,
        None => post::find_by_uri(&data.db, url).await,
    }
    .map_err(|_| Reason::LookupFailed)?;
    let found = match known {
        Some(found) => found,
        None if data.urls.local_post_id(url).is_some() => return Err(Reason::NotFound),
        None if *lookups_left == 0 => return Err(Reason::NotLookedUp),
        None => {
            *lookups_left -= 1;
            match resolve::url(data, url).await {
                Ok(Some(resolve::Found::Post(found))) => found,
                _ => return Err(Reason::NotFound),
            }
        }
    };
    if !is_visible(&data.db, &found, Viewer::Account(me.id))
        .await
        .map_err(|e| Reason::Failed(e.into()))?
    {
        return Err(Reason::NotVisible);
    }
    bookmark::add(&data.db, me.id, found.id, Utc::now())
        .await
        .map_err(|e| Reason::Failed(e.into()))
}

/// `me` follows `target`, unless they do already, and puts them in their list
/// titled `title`, made if there is none. As on Mastodon, the follow comes first;
/// a follow waiting for approval leaves them out of the list, which holds only
/// accounts followed.
async fn put_in_list(
    data: &Data,
    me: &Account,
    title: &str,
    target: &Account,
) -> Result<(), Reason> {
    let failed = |e: Error| Reason::Failed(e);
    let lists = list::all(&data.db, me.id)
        .await
        .map_err(|e| failed(e.into()))?;
    let found = match lists.into_iter().find(|l| l.title == title.trim()) {
        Some(found) => found,
        None => list::create(
            &data.db,
            me.id,
            title,
            list::RepliesPolicy::default(),
            false,
            Utc::now(),
        )
        .await
        .map_err(|e| failed(e.into()))?,
    };
    let followed = match follow::find(&data.db, me.id, target.id)
        .await
        .map_err(|e| failed(e.into()))?
    {
        Some(existing) => existing,
        None => relationships::follow(data, me, target, None)
            .await
            .map_err(failed)?,
    };
    if !followed.accepted {
        return Err(Reason::FollowPending);
    }
    member::add(&data.db, me.id, found.id, &[target.id], Utc::now())
        .await
        .map_err(|e| failed(e.into()))
}

/// Unfollows, unblocks or unmutes for `me` every account of `kind` whose address is
/// not among `rows`.
async fn take_away(data: &Data, me: &Account, kind: Kind, rows: &[Row], outcome: &mut Outcome) {
    let Ok(current) = import::current(&data.db, me.id, kind, &data.urls, Utc::now()).await else {
        outcome.failures.push(Failure {
            address: String::new(),
            reason: Reason::CurrentUnread,
        });
        return;
    };
    for (id, address) in current {
        if rows
            .iter()
            .any(|r| r.address.eq_ignore_ascii_case(&address))
        {
            continue;
        }
        if matches!(kind, Kind::Bookmarks | Kind::DomainBlocks) {
            let removed = if kind == Kind::Bookmarks {
                bookmark::remove(&data.db, me.id, id).await
            } else {
                domain_block::unblock(&data.db, me.id, &address).await
            };
            match removed {
                Ok(()) => outcome.removed += 1,
                Err(error) => outcome.failures.push(Failure {
                    address,
                    reason: Reason::Failed(error.into()),
                }),
            }
            continue;
        }
        let done = match account::get(&data.db, id).await {
            Ok(target) => match kind {
                Kind::Following => relationships::unfollow(data, me, &target).await,
                Kind::Blocks => relationships::unblock(data, me, &target).await,
                Kind::Mutes => mute::unmute(&data.db, me.id, id)
                    .await
                    .map(|_| ())
                    .map_err(Into::into),
                Kind::DomainBlocks | Kind::Bookmarks | Kind::Lists => Ok(()),
            },
            Err(error) => Err(error.into()),
        };
        match done {
            Ok(()) => outcome.removed += 1,
            Err(error) => outcome.failures.push(Failure {
                address,
                reason: Reason::Failed(error),
            }),
        }
    }
}

/// The account `address` names: one of this instance, one known here, or one
/// looked up on its server while `lookups_left` allows.
async fn target_of(
    data: &Data,
    address: &str,
    lookups_left: &mut usize,
) -> Result<Account, Reason> {
    let (username, domain) = address.split_once('@').ok_or(Reason::NotFound)?;
    if domain.eq_ignore_ascii_case(data.urls.domain()) {
        return account::find_local(&data.db, username)
            .await
            .map_err(|_| Reason::LookupFailed)?
            .ok_or(Reason::NotFound);
    }
    if let Some(known) = remote::find_by_acct(&data.db, address)
        .await
        .map_err(|_| Reason::LookupFailed)?
    {
        return Ok(known);
    }
    if *lookups_left == 0 {
        return Err(Reason::NotLookedUp);
    }
    *lookups_left -= 1;
    resolve::account_by_address(data, address)
        .await
        .ok()
        .flatten()
        .ok_or(Reason::NotFound)
}

/// `me` follows, blocks or mutes `target` as `row` asks.
async fn act(
    data: &Data,
    me: &Account,
    kind: Kind,
    row: &Row,
    target: &Account,
) -> Result<(), Error> {
    match kind {
        Kind::Following => relationships::follow(data, me, target, Some(row.notify))
            .await
            .map(|_| ()),
        Kind::Blocks => relationships::block(data, me, target).await,
        Kind::Mutes => mute::mute(
            &data.db,
            me.id,
            target.id,
            row.hide_notifications,
            0,
            Utc::now(),
        )
        .await
        .map_err(Into::into),
        Kind::DomainBlocks | Kind::Bookmarks | Kind::Lists => Ok(()),
    }
}
