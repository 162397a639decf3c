//! Groups between instances (FEP-1b12; the rules are in `domain::group`).
//!
//! A group is an actor of type `Group` whose followers are its members. Joining is
//! a `Follow` (an open group accepts at once, a closed one holds a request for its
//! moderators), leaving an `Undo` of it. A member's post that names the group — a
//! mention, or the group in `to`, `cc` or `audience` — is announced by the group to
//! every member, once: the announce is the group's boost of the post, so members
//! here see it in their home timelines and members elsewhere receive an
//! `Announce`.

use staffroom_domain::account::{self, Account};
use staffroom_domain::group;
use staffroom_domain::post::{Post, Visibility};

use crate::context::FederationData;
use crate::error::Error;
use crate::interactions;
use crate::protocol::note::RemoteNoteObject;
use crate::protocol::values::id_of;

/// The groups among `addressed` that take `post` pass it to their members: a
/// public or unlisted post is announced; a direct post to a closed group is kept
/// for its members (who see it through `domain::group::reaches`).
pub async fn share(data: &FederationData, post: &Post, addressed: &[Account]) -> Result<(), Error> {
    for addressee in addressed {
        if group::take_private_post(&data.db, addressee, post, chrono::Utc::now()).await? {
            tracing::info!(group = %addressee.username, post = post.id, "post written to a closed group");
            continue;
        }
        if !group::announces(&data.db, addressee, post).await? {
            continue;
        }
        let visibility = match post.visibility {
            Visibility::Public => Visibility::Public,
            _ => Visibility::Unlisted,
        };
        interactions::reblog(data, addressee, post, visibility).await?;
        tracing::info!(group = %addressee.username, post = post.id, "group announced a post");
    }
    Ok(())
}

/// The id of the post an `Announce` passes on: its object, or — as Lemmy and Mbin
/// announce what members do, whole — the post inside an announced `Create`.
/// `None` for an announced activity of any other kind (votes, removals ...).
pub fn announced_post_id(object: &serde_json::Value) -> Option<&str> {
    match object.get("type").and_then(serde_json::Value::as_str) {
        Some("Create") => object.get("object").and_then(id_of),
        Some(
            "Update" | "Delete" | "Remove" | "Like" | "Dislike" | "Undo" | "Add" | "Block"
            | "Follow" | "Accept" | "Reject" | "Flag" | "Lock" | "Announce",
        ) => None,
        _ => id_of(object),
    }
}

/// The local accounts a note from elsewhere names: its mentions, and the actors in
/// its `to`, `cc` and `audience`.
pub async fn addressed_here(
    data: &FederationData,
    note: &RemoteNoteObject,
) -> Result<Vec<Account>, Error> {
    let mut found: Vec<Account> = Vec::new();
    let named = note
        .tag
        .iter()
        .filter(|tag| tag.get("type").and_then(|t| t.as_str()) == Some("Mention"))
        .chain(&note.to)
        .chain(&note.cc)
        .chain(&note.audience)
        .filter_map(id_of);
    for href in named {
        if let Some(username) = data.urls.local_username(href)
            && let Some(local) = account::find_local(&data.db, &username).await?
            && !found.iter().any(|a| a.id == local.id)
        {
            found.push(local);
        }
    }
    Ok(found)
}

/// How many of its latest announces a group sends a new member elsewhere.
pub const BACKFILL_POSTS: u64 = 40;

/// A new `member` of the local `group` on another server catches up: the
/// group's latest announces, oldest first, are sent to their inbox alone.
pub async fn welcome(
    data: &FederationData,
    group: &Account,
    member: &Account,
) -> Result<(), Error> {
    let Some(inbox) = member.remote.as_ref().map(|r| r.inbox.clone()) else {
        return Ok(());
    };
    let page = staffroom_domain::timeline::Page {
        limit: Some(BACKFILL_POSTS),
        ..Default::default()
    };
    let filter = staffroom_domain::timeline::AccountFilter::default();
    let mut boosts =
        staffroom_domain::timeline::account(&data.db, group.id, None, &filter, page).await?;
    boosts.reverse();
    let originals: Vec<i64> = boosts.iter().filter_map(|b| b.reblog_of_id).collect();
    let originals = staffroom_domain::post::get_many(&data.db, &originals).await?;
    for boost in &boosts {
        let Some(post) = boost.reblog_of_id.and_then(|id| originals.get(&id)) else {
            continue;
        };
        let activity = interactions::announce_activity(data, group, boost, post).await?;
        crate::send::deliver(data, group, activity, vec![inbox.clone()]).await?;
    }
    Ok(())
}

/// A moderator removes `member` from the local `group`: the membership ends, and a
/// remote member's server is told with a `Reject` of their `Follow` (as Mastodon
/// does when removing a follower). `false` when they were no member.
pub async fn remove_member(
    data: &FederationData,
    group: &Account,
    member: &Account,
) -> Result<bool, Error> {
    let Some(membership) = staffroom_domain::follow::find(&data.db, member.id, group.id).await?
    else {
        return Ok(false);
    };
    staffroom_domain::follow::remove(&data.db, member.id, group.id).await?;
    crate::relationships::send_answer(data, group, member, &membership, false).await?;
    Ok(true)
}

/// A moderator bans `account` from the local `group`: removed if a member, and
/// blocked by the group, so that a request to join again is refused; a remote
/// account's server is told with a `Block`.
pub async fn ban(data: &FederationData, group: &Account, account: &Account) -> Result<(), Error> {
    remove_member(data, group, account).await?;
    crate::relationships::block(data, group, account).await
}

/// A moderator lifts the group's ban of `account`.
pub async fn unban(data: &FederationData, group: &Account, account: &Account) -> Result<(), Error> {
    crate::relationships::unblock(data, group, account).await
}

/// A moderator takes `post` out of the local `group`: the group takes back its
/// announce, and members elsewhere receive the `Undo`; a post written to a closed
/// group is no longer shown to its members.
pub async fn remove_post(data: &FederationData, group: &Account, post: &Post) -> Result<(), Error> {
    if group::drop_private_post(&data.db, group.id, post.id).await? {
        return Ok(());
    }
    interactions::unreblog(data, group, post).await
}

/// The moderators collection of the local `group` (its `attributedTo`), listed in
/// full: a group has few moderators.
pub fn moderators_collection(
    urls: &crate::LocalUrls,
    group: &Account,
    moderators: &[Account],
) -> serde_json::Value {
    let items: Vec<String> = moderators
        .iter()
        .map(|m| crate::objects::follows::any_actor_id(urls, m))
        .collect();
    serde_json::json!({
        "@context": crate::protocol::context(),
        "id": format!("{}/moderators", crate::objects::actor::actor_id(urls, group)),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })
}
