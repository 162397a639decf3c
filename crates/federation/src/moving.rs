//! Moving a local account away, told to other servers, and the part of a move
//! that is the same whichever server it starts on.
//!
//! A person first lists, on their *new* account, the old one as an alias (its
//! `alsoKnownAs`). On the *old* account they then give their password and the
//! new account's address: the new account's document (fetched afresh, or read
//! here when it is local) must name the old one, the move is recorded (the old
//! account becomes read-only, see `staffroom_domain::accounts::moving`) and a
//! `Move` is queued for its followers' servers in the same transaction.
//! Followers on this instance are moved at once: they follow the new account
//! (its server asked, when it is remote) and stop following the old one, as
//! they do when another server's `Move` arrives here.

use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::traits::Object;
use chrono::Utc;
use staffroom_domain::Database;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::accounts::moving::{self, Notice};
use staffroom_domain::graph::follow;
use url::Url;

use crate::LocalUrls;
use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::follows::any_actor_id;
use crate::objects::person::DbActor;
use crate::protocol::activities::moves::Move;
use crate::protocol::actor::{Actor, RemoteActorObject};
use crate::protocol::values::id_of;
use crate::resolve::{self, Found};
use crate::{relationships, send};

/// Adds to `actor`, the document of the local `account`, its aliases
/// (`alsoKnownAs`) and the account it moved to (`movedTo`).
pub async fn add_to_actor(
    db: &Database,
    urls: &LocalUrls,
    account: &Account,
    actor: &mut Actor,
) -> Result<(), Error> {
    actor.also_known_as = moving::aliases(db, account.id).await?;
    actor.moved_to = match account.moved_to_id {
        Some(new_id) => Some(any_actor_id(urls, &account::get(db, new_id).await?)),
        None => None,
    };
    Ok(())
}

/// The account `typed` names: an ActivityPub id or profile URL, or an address
/// (`user@server`, `@user@server`, or a local `user`), fetched when it is not
/// known here yet. `Invalid` naming `field` when nothing is found.
pub async fn find_account(data: &Data, typed: &str, field: &'static str) -> Result<Account, Error> {
    let typed = typed.trim();
    let found = if typed.starts_with("https://") || typed.starts_with("http://") {
        match resolve::url(data, typed).await? {
            Some(Found::Account(account)) => Some(account),
            _ => None,
        }
    } else {
        resolve::account_by_address(data, typed).await?
    };
    found.ok_or_else(|| {
        Error::Domain(staffroom_domain::Error::Invalid {
            field,
            reason: format!("names no account that can be found: {typed}"),
        })
    })
}

/// The local `account` lists the account `typed` names as an alias (see
/// [`find_account`]).
pub async fn add_alias(data: &Data, account: &Account, typed: &str) -> Result<(), Error> {
    let other = find_account(data, typed, "alias").await?;
    let own = actor_id(&data.urls, account);
    let uri = any_actor_id(&data.urls, &other);
    moving::add_alias(&data.db, account, &own, &uri, Utc::now()).await?;
    Ok(())
}

/// The local `account`'s aliases become the accounts `typed` names, all found
/// before any is stored (the API's way: the whole list at once).
pub async fn set_aliases(data: &Data, account: &Account, typed: &[String]) -> Result<(), Error> {
    if typed.len() > moving::MAX_ALIASES {
        return Err(Error::Domain(staffroom_domain::Error::Invalid {
            field: "also_known_as_uris",
            reason: format!(
                "holds too many: an account lists at most {} aliases",
                moving::MAX_ALIASES
            ),
        }));
    }
    let mut uris = Vec::with_capacity(typed.len());
    for one in typed.iter().filter(|t| !t.trim().is_empty()) {
        let other = find_account(data, one, "also_known_as_uris").await?;
        uris.push(any_actor_id(&data.urls, &other));
    }
    let own = actor_id(&data.urls, account);
    moving::set_aliases(&data.db, account, &own, &uris, Utc::now()).await?;
    Ok(())
}

/// The account `target` (an ActivityPub id), when it names `old_id` among its
/// aliases: a local account as stored here, a remote one fetched afresh (and
/// stored as it now is). `Refused` when it does not name the old account.
pub async fn confirmed_target(data: &Data, old_id: &str, target: &Url) -> Result<Account, Error> {
    let refused =
        || Error::Refused("the new account does not name the old one in alsoKnownAs".into());
    if let Some(username) = data.urls.local_username(target.as_str()) {
        let new = account::find_local(&data.db, &username)
            .await?
            .ok_or(Error::Domain(staffroom_domain::Error::NotFound("account")))?;
        if !moving::has_alias(&data.db, new.id, old_id).await? {
            return Err(refused());
        }
        return Ok(new);
    }
    let document: RemoteActorObject = fetch_object_http(target, data).await?.object;
    if !document
        .also_known_as
        .iter()
        .filter_map(id_of)
        .any(|id| id == old_id)
    {
        return Err(refused());
    }
    DbActor::verify(&document, target, data).await?;
    Ok(DbActor::from_json(document, data).await?.account)
}

/// Each person of this instance who followed `old` follows `new` instead (a
/// request where `new` approves its followers, its server asked when it is
/// remote) and stops following `old`; how many were moved. One follower's
/// trouble (a block between them, say) stops nobody else.
pub async fn take_followers_along(
    data: &FederationData,
    old: &Account,
    new: &Account,
) -> Result<usize, Error> {
    let followers = follow::local_followers(&data.db, old.id).await?;
    let mut moved = 0;
    for follower in &followers {
        if follower.id == new.id {
            continue;
        }
        if let Err(e) = relationships::follow(data, follower, new, None).await {
            tracing::info!(follower = %follower.username, error = %e, "not moved along");
            continue;
        }
        relationships::unfollow(data, follower, old).await?;
        moved += 1;
    }
    Ok(moved)
}

/// The local `account` moves to the account `target` names (see
/// [`find_account`]), confirming with its `password` and, when two-factor
/// sign-in is on, a `code`: the new account as found. `Invalid` (field
/// `password` or `code`) when one is wrong, `Forbidden` during the cooldown,
/// `Refused` when the new account does not name this one; nothing changes
/// then.
pub async fn move_to(
    data: &Data,
    account: &Account,
    password: &str,
    code: Option<&str>,
    target: &str,
) -> Result<Account, Error> {
    moving::ensure_active(account)?;
    moving::check_may_move(&data.db, account, password, code, Utc::now()).await?;
    let found = find_account(data, target, "moved_to_uri").await?;
    if found.id == account.id {
        return Err(Error::Domain(staffroom_domain::Error::Invalid {
            field: "moved_to_uri",
            reason: "is this account itself".into(),
        }));
    }
    let old_id = actor_id(&data.urls, account);
    let new_uri = Url::parse(&any_actor_id(&data.urls, &found))?;
    let new = confirmed_target(data, &old_id, &new_uri).await?;
    let activity = Move::new(
        &send::new_activity_id(&data.urls),
        &old_id,
        new_uri.as_str(),
    )?;
    let inboxes = follow::follower_inboxes(&data.db, account.id).await?;
    let notice = send::prepare(data, account, &activity, inboxes)
        .await?
        .map(|(activity, inboxes)| Notice { activity, inboxes });
    moving::record_move(&data.db, account, new.id, notice, Utc::now()).await?;
    data.wake_delivery.notify_one();
    let moved = take_followers_along(data, account, &new).await?;
    tracing::info!(
        from = %old_id,
        to = %new_uri,
        followers_here = moved,
        "a local account moved"
    );
    Ok(new)
}
