//! Groups between instances (FEP-1b12; the rules are in `domain::group`).
//!
//! A group is an actor of type `Group` whose followers are its members. Joining is
//! a `Follow` (an open group accepts at once, a closed one holds a request for its
//! moderators), leaving an `Undo` of it. A member's post that names the group — a
//! mention, or the group in `to`, `cc` or `audience` — is announced by the group to
//! every member, once: the announce is the group's boost of the post, so members
//! here see it in their home timelines and members elsewhere receive an
//! `Announce`.
//!
//! A closed group's posts are direct posts that name the group. They cannot be
//! fetched from their authors' servers by anyone else, so the group passes each
//! one to its members' servers embedded in its `Announce` (to its followers, never
//! public), and those servers take it from the group: a member trusts the group
//! with what it passes on, as with a Lemmy private community or a Friendica forum.
//! The group checks the author's membership; the receiving server checks that the
//! post names the group, that its author is on the post's own server, and that the
//! post is not its own. Edits go the same way; deletions and removals by a
//! moderator as `Undo` of the announce.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::protocol::context::WithContext;
use activitypub_federation::traits::Object;
use chrono::{DateTime, Utc};
use serde_json::Value;
use staffroom_domain::accounts::account::{self, Account, AccountKind};
use staffroom_domain::delivery::queue::domain_of;
use staffroom_domain::posts::post::{self, Post, Visibility};
use staffroom_domain::visibility;
use staffroom_domain::{communities::group, graph::follow};

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::Event;
use crate::group_announces::{self, Change};
use crate::interactions;
use crate::objects::actor::actor_id;
use crate::objects::follows::any_actor_id;
use crate::objects::note;
use crate::objects::post::{DbPost, read_note, remove_remote, visibility};
use crate::protocol::activities::accept_or_reject::Reject;
use crate::protocol::activities::announce::Announce;
use crate::protocol::activities::undo::Undo;
use crate::protocol::collection::OrderedCollection;
use crate::protocol::note::{Note, RemoteNoteObject};
use crate::protocol::values::id_of;
use crate::protocol::with_context;
use crate::send;

/// The closed groups among `addressed` that take `post` (see
/// `domain::group::take_private_post`) keep it for their members. Done before
/// listeners hear of the post, so that a member's stream has it.
pub async fn keep_for_closed_groups(
    data: &FederationData,
    post: &Post,
    addressed: &[Account],
) -> Result<(), Error> {
    for addressee in addressed {
        if group::take_private_post(&data.db, addressee, post, Utc::now()).await? {
            tracing::info!(group = %addressee.username, post = post.id, "post written to a closed group");
        }
    }
    Ok(())
}

/// The groups of this instance among `addressed` pass `post` to their members:
/// a closed group that keeps it (see [`keep_for_closed_groups`]) sends it to its
/// members elsewhere; a group announces a member's public or unlisted post (a
/// closed group to its members only).
///
/// A local-only post is not announced by any group: a group's announces reach
/// its members on other servers.
pub async fn share(data: &FederationData, post: &Post, addressed: &[Account]) -> Result<(), Error> {
    if !staffroom_domain::visibility::post::federates(post) {
        return Ok(());
    }
    for addressee in addressed {
        if group::has_private_post(&data.db, addressee.id, post.id).await? {
            if addressee.is_local() {
                pass_private_post(data, addressee, post, None).await?;
            }
            continue;
        }
        if !group::announces(&data.db, addressee, post).await? {
            continue;
        }
        // A closed group announces to its members alone: who is in it is theirs
        // to know, so its announces are not public.
        let visibility = match post.visibility {
            _ if group::is_closed(addressee) => Visibility::Private,
            Visibility::Public => Visibility::Public,
            _ => Visibility::Unlisted,
        };
        let boost = interactions::reblog(data, addressee, post, visibility).await?;
        group_announces::send(data, addressee, &boost, post, Change::Created, None).await?;
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
/// group's latest announces, oldest first, are sent to their inbox alone. (What
/// is written to a closed group their server reads from the group's outbox: see
/// [`history`].)
pub async fn welcome(
    data: &FederationData,
    group: &Account,
    member: &Account,
) -> Result<(), Error> {
    let Some(inbox) = member.remote.as_ref().map(|r| r.inbox.clone()) else {
        return Ok(());
    };
    let page = staffroom_domain::page::Page {
        limit: Some(BACKFILL_POSTS),
        ..Default::default()
    };
    let filter = staffroom_domain::timelines::account::AccountFilter::default();
    let mut boosts =
        staffroom_domain::timelines::account::account(&data.db, group.id, None, &filter, page)
            .await?;
    boosts.reverse();
    let originals: Vec<i64> = boosts.iter().filter_map(|b| b.reblog_of_id).collect();
    let originals = staffroom_domain::posts::post::get_many(&data.db, &originals).await?;
    for boost in &boosts {
        let Some(post) = boost.reblog_of_id.and_then(|id| originals.get(&id)) else {
            continue;
        };
        let announce = interactions::announce_of(data, group, boost, post).await?;
        send::deliver(data, group, &announce, vec![inbox.clone()]).await?;
        let inboxes = Some(vec![inbox.clone()]);
        group_announces::send(data, group, boost, post, Change::Created, inboxes).await?;
    }
    Ok(())
}

/// The local `moderator` answers the waiting follow request of `follower`: one
/// made to the moderator's own account if there is one, or else one to join a
/// group they moderate.
pub async fn answer_request_as(
    data: &FederationData,
    moderator: &Account,
    follower: &Account,
    accepted: bool,
) -> Result<(), Error> {
    let asked_them = follow::find(&data.db, follower.id, moderator.id)
        .await?
        .is_some_and(|f| !f.accepted);
    match group::request_answered_by(&data.db, moderator.id, follower.id).await? {
        Some(group_id) if !asked_them => {
            let group = account::get(&data.db, group_id).await?;
            answer_request(data, &group, follower, accepted).await
        }
        _ => crate::relationships::answer_request(data, moderator, follower, accepted).await,
    }
}

/// A moderator answers `follower`'s request to join the local `group`: an
/// accepted member elsewhere is told and catches up (see [`welcome`]).
pub async fn answer_request(
    data: &FederationData,
    group: &Account,
    follower: &Account,
    accepted: bool,
) -> Result<(), Error> {
    crate::relationships::answer_request(data, group, follower, accepted).await?;
    if accepted {
        welcome(data, group, follower).await?;
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
    let Some(membership) =
        staffroom_domain::graph::follow::find(&data.db, member.id, group.id).await?
    else {
        return Ok(false);
    };
    staffroom_domain::graph::follow::remove(&data.db, member.id, group.id).await?;
    Reject::send(data, group, member, &membership).await?;
    Ok(true)
}

/// A moderator bans `account` from the local `group`: removed if a member, and
/// blocked by the group, so that a request to join again is refused; a remote
/// account's server is told with a `Block`. A moderator cannot be banned.
pub async fn ban(data: &FederationData, group: &Account, account: &Account) -> Result<(), Error> {
    group::require_bannable(&data.db, group.id, account.id).await?;
    remove_member(data, group, account).await?;
    crate::relationships::block(data, group, account).await
}

/// A moderator lifts the group's ban of `account`.
pub async fn unban(data: &FederationData, group: &Account, account: &Account) -> Result<(), Error> {
    crate::relationships::unblock(data, group, account).await
}

/// A moderator takes `post` out of the local `group`: the group takes back its
/// announce, and members elsewhere receive the `Undo`; a post written to a closed
/// group is no longer shown to its members, here or elsewhere.
pub async fn remove_post(data: &FederationData, group: &Account, post: &Post) -> Result<(), Error> {
    if group::drop_private_post(&data.db, group.id, post.id).await? {
        return withdraw_private_post(data, group, post, Origin::Told).await;
    }
    interactions::unreblog(data, group, post).await
}

/// The moderators collection of the local `group` (its `attributedTo`), listed in
/// full: a group has few moderators.
pub fn moderators_collection(
    urls: &crate::LocalUrls,
    group: &Account,
    moderators: &[Account],
) -> WithContext<OrderedCollection<String>> {
    let items = moderators.iter().map(|m| any_actor_id(urls, m)).collect();
    let id = format!("{}/moderators", actor_id(urls, group));
    with_context(OrderedCollection::listed(id, items))
}

/// The local closed `group`'s `Announce` of `post`, the post embedded (its
/// members elsewhere cannot fetch it), for the group's followers only; an
/// announce of the edit made at `edited_at` has an id of its own.
async fn private_announce(
    data: &FederationData,
    group: &Account,
    post: &Post,
    edited_at: Option<DateTime<Utc>>,
) -> Result<Announce<Note>, Error> {
    let author = account::get(&data.db, post.account_id).await?;
    let extras = note::extras(&data.db, &data.urls, post).await?;
    let note = note::note_of(&data.urls, &author, post, &extras);
    let announce = Announce::in_closed_group(&data.urls, group, post, note)?;
    match edited_at {
        Some(at) => announce.edited(at),
        None => Ok(announce),
    }
}

/// Whether the server a post comes from hears what its group does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// It has the post already (it keeps it for its own members), or deleted it.
    Left,
    /// A moderator took the post out: its server's members stop seeing it too.
    Told,
}

/// The inboxes of the local `group`'s members elsewhere, with or without the
/// server `post` comes from.
async fn member_inboxes(
    data: &FederationData,
    group: &Account,
    post: &Post,
    origin: Origin,
) -> Result<Vec<String>, Error> {
    let mut inboxes = follow::follower_inboxes(&data.db, group.id).await?;
    let from = post.uri.as_deref().and_then(domain_of);
    if origin == Origin::Left && from.is_some() {
        inboxes.retain(|inbox| domain_of(inbox) != from);
    }
    Ok(inboxes)
}

/// The local closed `group` passes `post`, written to it, to its members'
/// servers (again, when it was edited at `edited_at`).
async fn pass_private_post(
    data: &FederationData,
    group: &Account,
    post: &Post,
    edited_at: Option<DateTime<Utc>>,
) -> Result<(), Error> {
    let inboxes = member_inboxes(data, group, post, Origin::Left).await?;
    if inboxes.is_empty() {
        return Ok(());
    }
    let announce = private_announce(data, group, post, edited_at).await?;
    send::deliver(data, group, &announce, inboxes).await
}

/// The local closed `group` takes `post` back from its members' servers.
async fn withdraw_private_post(
    data: &FederationData,
    group: &Account,
    post: &Post,
    origin: Origin,
) -> Result<(), Error> {
    let inboxes = member_inboxes(data, group, post, origin).await?;
    if inboxes.is_empty() {
        return Ok(());
    }
    let object = note_id(data, post).await?;
    let announced = Announce::named_by_closed_group(&data.urls, group, post, object)?;
    let to = vec![format!("{}/followers", actor_id(&data.urls, group))];
    send::deliver(data, group, &Undo::new(announced, to)?, inboxes).await
}

/// The ActivityPub id of `post`.
async fn note_id(data: &FederationData, post: &Post) -> Result<String, Error> {
    if let Some(uri) = &post.uri {
        return Ok(uri.clone());
    }
    let author = account::get(&data.db, post.account_id).await?;
    Ok(data.urls.post(&author.username, post.id))
}

/// Where the groups of this instance passed `post` on, found before it is
/// deleted: the closed groups it was written to, and the open groups' announces
/// of it.
#[derive(Debug, Default)]
pub struct Shared {
    closed: Vec<Account>,
    announces: Vec<(Account, Post)>,
}

/// Where the groups of this instance passed `post` on (see [`Shared`]).
pub async fn shared_by_groups(data: &FederationData, post: &Post) -> Result<Shared, Error> {
    let mut shared = Shared::default();
    for id in group::groups_of_private_post(&data.db, post.id).await? {
        let found = account::get(&data.db, id).await?;
        if found.is_local() {
            shared.closed.push(found);
        }
    }
    for boost in group::announces_of(&data.db, post.id).await? {
        let found = account::get(&data.db, boost.account_id).await?;
        shared.announces.push((found, boost));
    }
    Ok(shared)
}

/// `post` was edited (here, or by an `Update` from its server): each group here
/// that passed it on passes on the edit. A closed group sends the new version
/// embedded; an open group announces the post again, and its members' servers
/// fetch the new version from the post's own server.
pub async fn pass_on_edit(data: &FederationData, post: &Post) -> Result<(), Error> {
    let Some(edited_at) = post.edited_at else {
        return Ok(());
    };
    if !staffroom_domain::visibility::post::federates(post) {
        return Ok(());
    }
    let shared = shared_by_groups(data, post).await?;
    for group in &shared.closed {
        pass_private_post(data, group, post, Some(edited_at)).await?;
    }
    for (group, boost) in &shared.announces {
        let inboxes = member_inboxes(data, group, post, Origin::Left).await?;
        if inboxes.is_empty() {
            continue;
        }
        let announce = interactions::announce_of(data, group, boost, post)
            .await?
            .edited(edited_at)?;
        send::deliver(data, group, &announce, inboxes.clone()).await?;
        let edited = Change::Edited(edited_at);
        group_announces::send(data, group, boost, post, edited, Some(inboxes)).await?;
    }
    Ok(())
}

/// `post`, deleted here, is taken back by the groups that passed it on
/// (`shared`, as [`shared_by_groups`] found it before): each sends `Undo` of its
/// announce to its members' servers, which remove the post when its own server
/// says it is gone (open groups) or when no group they know keeps it (closed).
pub async fn withdraw(data: &FederationData, post: &Post, shared: Shared) -> Result<(), Error> {
    for group in &shared.closed {
        withdraw_private_post(data, group, post, Origin::Left).await?;
    }
    for (group, boost) in &shared.announces {
        let inboxes = member_inboxes(data, group, post, Origin::Left).await?;
        if inboxes.is_empty() {
            continue;
        }
        let deleted = Change::Deleted;
        group_announces::send(data, group, boost, post, deleted, Some(inboxes.clone())).await?;
        let undo = interactions::announce_of(data, group, boost, post)
            .await?
            .withdraw()?;
        send::deliver(data, group, &undo, inboxes).await?;
    }
    Ok(())
}

/// The post a group's `Announce` embeds when it is not public (a closed group
/// passing on what its members wrote to it): the object itself, or the post in
/// an embedded `Create`. `None` for an announce of a public post, or of an id.
pub fn embedded_private_post(object: &Value) -> Option<RemoteNoteObject> {
    let object = match object.get("type").and_then(Value::as_str) {
        Some("Create") => object.get("object")?,
        _ => object,
    };
    if !object.is_object() {
        return None;
    }
    let note: RemoteNoteObject = serde_json::from_value(object.clone()).ok()?;
    // Announced votes, removals and the like (a Lemmy `Like` has no `to` at
    // all) are no posts, whatever their addressing.
    read_note(&note).ok()?;
    match visibility(&note, None) {
        Visibility::Public | Visibility::Unlisted => None,
        _ => Some(note),
    }
}

/// Whether `note` names `group`: in its addressing, its `audience` or a mention.
fn names_group(note: &RemoteNoteObject, group: &Account) -> bool {
    let Some(uri) = group.uri.as_deref() else {
        return false;
    };
    note.to
        .iter()
        .chain(&note.cc)
        .chain(&note.audience)
        .chain(
            note.tag
                .iter()
                .filter(|tag| tag.get("type").and_then(Value::as_str) == Some("Mention")),
        )
        .filter_map(id_of)
        .any(|id| id == uri)
}

/// A closed `group` elsewhere passes on `note`, written to it: kept for the
/// group's members here (new, or a newer version of one this group passed on
/// before). Nothing is kept unless someone here is a member, the note names the
/// group, its author is on its own server, and it is neither a post of this
/// instance nor one stored here some other way.
pub async fn receive_private_post(
    data: &Data,
    group: &Account,
    note: RemoteNoteObject,
) -> Result<(), Error> {
    if group.is_local() || group.kind != AccountKind::Group {
        return Ok(());
    }
    // A request waiting for its answer counts: the group may send a new member
    // its history before its `Accept` arrives.
    if !follow::followed_here(&data.db, group.id).await? {
        tracing::debug!(group = %group.acct(), "a group nobody here is a member of: ignored");
        return Ok(());
    }
    if !names_group(&note, group) {
        return Err(Error::Refused(
            "a group may only pass on posts written to it".into(),
        ));
    }
    if note
        .id
        .as_str()
        .starts_with(&format!("{}/", data.urls.origin()))
    {
        return Ok(());
    }
    let id = note.id.clone();
    DbPost::verify(&note, &id, data).await?;
    let updated = note
        .updated
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    let known = post::find_by_uri(&data.db, id.as_str()).await?;
    // A post stored here already, and not as this group's, stays as it is: a
    // group cannot show its members a post that reached this instance some
    // other way (a direct message, say), nor rewrite one.
    if let Some(found) = &known
        && !group::has_private_post(&data.db, group.id, found.id).await?
    {
        tracing::info!(group = %group.acct(), post = %id, "a group passed on a post stored here otherwise: left as it is");
        return Ok(());
    }
    let stored = match &known {
        Some(found) if found.edited_at.map(|t| t.fixed_offset()) >= updated => found.clone(),
        _ => DbPost::from_json(note, data).await?.post,
    };
    group::record_private_post(&data.db, group.id, stored.id, Utc::now()).await?;
    match known {
        None => data.events.publish(Event::PostCreated(stored.id)),
        Some(found) if found.edited_at != stored.edited_at => {
            data.events.publish(Event::PostUpdated(stored.id));
        }
        Some(_) => {}
    }
    tracing::info!(group = %group.acct(), post = %id, "a closed group passed on a post");
    Ok(())
}

/// A closed `group` elsewhere takes back its announce of the post `uri`: its
/// members here no longer see it through the group, and it is removed when
/// nothing else here keeps it (no other group, nobody here named in it).
pub async fn receive_private_withdrawal(
    data: &Data,
    group: &Account,
    uri: &str,
) -> Result<bool, Error> {
    let Some(found) = post::find_by_uri(&data.db, uri).await? else {
        return Ok(false);
    };
    if !group::drop_private_post(&data.db, group.id, found.id).await? {
        return Ok(false);
    }
    let kept_elsewhere = !group::groups_of_private_post(&data.db, found.id)
        .await?
        .is_empty()
        || !post::mentioned_accounts(&data.db, found.id)
            .await?
            .is_empty();
    if !found.local && found.visibility == Visibility::Direct && !kept_elsewhere {
        remove_remote(data, &found).await?;
    }
    tracing::info!(group = %group.acct(), post = %uri, "a closed group took back a post");
    Ok(true)
}

/// Refetches `post`, shared again by an open group (the group passes on an
/// edit), from its own server; whether it changed.
pub async fn refresh_shared(data: &Data, post: &Post) -> Result<bool, Error> {
    let Some(uri) = post.uri.as_deref() else {
        return Ok(false);
    };
    let Ok(id) = ObjectId::<DbPost>::parse(uri) else {
        return Ok(false);
    };
    let fresh = id.dereference_forced(data).await?;
    let changed = fresh.post.edited_at != post.edited_at;
    if changed {
        data.events.publish(Event::PostUpdated(fresh.post.id));
    }
    Ok(changed)
}

/// A `group` elsewhere takes back its announce `announce` of the post `uri`: a
/// closed group's post is withdrawn (see [`receive_private_withdrawal`]); an open
/// group's boost is removed, and the post itself too when its own server says it
/// is gone (the group passes on its author's deletion).
pub async fn receive_withdrawal(
    data: &Data,
    group: &Account,
    announce: &str,
    uri: &str,
) -> Result<(), Error> {
    if receive_private_withdrawal(data, group, uri).await? {
        return Ok(());
    }
    let boost = post::find_by_uri(&data.db, announce).await?;
    if staffroom_domain::posts::interaction::unreblog_by_uri(&data.db, group.id, announce).await?
        && let Some(boost) = boost
        && let Some(gone) = crate::events::removal(&data.db, &boost).await
    {
        data.events.post_deleted(gone);
    }
    crate::hashtag_feeds::recheck(data, uri).await
}

/// A `group` elsewhere announces an activity about a post it shared, as Lemmy
/// and Mbin pass on what happens in a community: an `Update` fetches the post
/// again from its own server; a `Delete` or a moderator's `Remove` asks its
/// server whether it is gone and removes it if so. Whether `object` was such an
/// activity.
pub async fn receive_announced_change(
    data: &Data,
    group: &Account,
    object: &Value,
) -> Result<bool, Error> {
    let kind = object.get("type").and_then(Value::as_str);
    if !matches!(kind, Some("Update" | "Delete" | "Remove")) {
        return Ok(false);
    }
    let Some(uri) = object.get("object").and_then(id_of) else {
        return Ok(true);
    };
    if !follow::followed_here(&data.db, group.id).await? {
        return Ok(true);
    }
    let Some(found) = post::find_by_uri(&data.db, uri).await? else {
        return Ok(true);
    };
    if found.local {
        return Ok(true);
    }
    if kind == Some("Update") {
        refresh_shared(data, &found).await?;
    } else {
        crate::hashtag_feeds::recheck(data, uri).await?;
    }
    Ok(true)
}

/// The outbox items of the local closed `group` for `signer` (who signed the
/// fetch): its latest posts written to it, newest first, each in the group's
/// `Announce` with the post embedded — for a member or a member's server, and
/// nothing for anyone else.
pub async fn history(
    data: &FederationData,
    group: &Account,
    signer: Option<&Account>,
) -> Result<Vec<Announce<Note>>, Error> {
    let Some(signer) = signer else {
        return Ok(Vec::new());
    };
    if !group::is_closed(group)
        || !visibility::group::may_read_history(&data.db, group.id, signer).await?
    {
        return Ok(Vec::new());
    }
    let ids = group::latest_private_posts(&data.db, group.id, BACKFILL_POSTS).await?;
    let found = post::get_many(&data.db, &ids).await?;
    let mut items = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(post) = found.get(id) {
            items.push(private_announce(data, group, post, None).await?);
        }
    }
    Ok(items)
}

/// The items of a fetched collection: its `orderedItems` (or `items`), or those
/// of its first page, embedded or fetched (one fetch, no further).
async fn collection_items(data: &Data, collection: Value) -> Result<Vec<Value>, Error> {
    let items_of = |page: &Value| {
        page.get("orderedItems")
            .or_else(|| page.get("items"))
            .and_then(Value::as_array)
            .cloned()
    };
    if let Some(items) = items_of(&collection) {
        return Ok(items);
    }
    let page = match collection.get("first") {
        Some(Value::String(url)) => {
            let Ok(url) = url::Url::parse(url) else {
                return Ok(Vec::new());
            };
            activitypub_federation::fetch::fetch_object_http::<_, Value>(&url, data)
                .await?
                .object
        }
        Some(page) => page.clone(),
        None => return Ok(Vec::new()),
    };
    Ok(items_of(&page).unwrap_or_default())
}

/// A person here has just been accepted into the closed `group` elsewhere: this
/// instance reads what was written to it from the group's outbox (signed by the
/// instance actor; the group answers a server with members), and keeps the
/// latest posts for its members.
pub async fn read_history(data: &Data, group: &Account) -> Result<(), Error> {
    if group.is_local() || !group::is_closed(group) {
        return Ok(());
    }
    let Some(outbox) = group
        .remote
        .as_ref()
        .and_then(|r| r.outbox.as_deref())
        .and_then(|u| url::Url::parse(u).ok())
    else {
        return Ok(());
    };
    if domain_of(outbox.as_str()) != group.domain {
        return Ok(());
    }
    let collection = activitypub_federation::fetch::fetch_object_http::<_, Value>(&outbox, data)
        .await?
        .object;
    let items = collection_items(data, collection).await?;
    let group_id = group.uri.as_deref().unwrap_or_default();
    let mut kept = 0;
    for item in items.iter().take(BACKFILL_POSTS as usize).rev() {
        if item.get("type").and_then(Value::as_str) != Some("Announce")
            || item.get("actor").and_then(id_of) != Some(group_id)
        {
            continue;
        }
        let Some(note) = item.get("object").and_then(embedded_private_post) else {
            continue;
        };
        match receive_private_post(data, group, note).await {
            Ok(()) => kept += 1,
            Err(e) => tracing::info!(error = %e, "a post of a group's history was refused"),
        }
    }
    tracing::info!(group = %group.acct(), kept, "read a closed group's history");
    Ok(())
}
