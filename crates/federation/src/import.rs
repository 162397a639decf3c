//! Importing a list of accounts another server exported (see
//! `staffroom_domain::accounts::import` for reading the file): each account is
//! found — here, known here, or looked up on its server — and followed, blocked or
//! muted through the usual use cases, which tell the other servers; an import that
//! replaces also takes away those the file does not name. Every account that could
//! not be handled is reported with why.

use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::accounts::import::{self, Kind, Row};
use staffroom_domain::accounts::remote;
use staffroom_domain::graph::mute;

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
    /// No account answers to the address.
    NotFound,
    /// Finding the account failed on this server.
    LookupFailed,
    /// More accounts new here than [`MAX_LOOKUPS`] came before it.
    NotLookedUp,
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

/// Follows, blocks or mutes the accounts of `rows` for `me`, in order; when
/// `replace`, then takes away every account of `kind` the file does not name.
pub async fn run(data: &Data, me: &Account, kind: Kind, rows: &[Row], replace: bool) -> Outcome {
    let mut outcome = Outcome::default();
    let mut lookups_left = MAX_LOOKUPS;
    for row in rows {
        let done = match target_of(data, &row.address, &mut lookups_left).await {
            Ok(target) if target.id == me.id => Err(Reason::OwnAccount),
            Ok(target) => act(data, me, kind, row, &target)
                .await
                .map_err(Reason::Failed),
            Err(reason) => Err(reason),
        };
        match done {
            Ok(()) => outcome.applied += 1,
            Err(reason) => outcome.failures.push(Failure {
                address: row.address.clone(),
                reason,
            }),
        }
    }
    if replace {
        take_away(data, me, kind, rows, &mut outcome).await;
    }
    outcome
}

/// Unfollows, unblocks or unmutes for `me` every account of `kind` whose address is
/// not among `rows`.
async fn take_away(data: &Data, me: &Account, kind: Kind, rows: &[Row], outcome: &mut Outcome) {
    let Ok(current) = import::current(&data.db, me.id, kind, data.urls.domain(), Utc::now()).await
    else {
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
        let done = match account::get(&data.db, id).await {
            Ok(target) => match kind {
                Kind::Following => relationships::unfollow(data, me, &target).await,
                Kind::Blocks => relationships::unblock(data, me, &target).await,
                Kind::Mutes => mute::unmute(&data.db, me.id, id)
                    .await
                    .map(|_| ())
                    .map_err(Into::into),
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
    }
}
