//! Follows started or answered here, told to other servers: a local person follows or
//! unfollows a remote account, or a locked local person approves or refuses a
//! request.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use chrono::Utc;
use serde_json::{Value, json};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::graph::follow::{self, Follow};
use staffroom_domain::graph::follow_request;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::compose::MentionRef;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::person::DbActor;
use crate::protocol::context;
use crate::send;

/// The remote actor `uri`, from the database or fetched (with a signed GET).
pub async fn resolve_actor(data: &Data, uri: &str) -> Result<Account, Error> {
    let id = ObjectId::<DbActor>::parse(uri).map_err(activitypub_federation::error::Error::from)?;
    Ok(id.dereference(data).await?.account)
}

/// The account a typed mention names: a local one, or a remote one found by
/// WebFinger and fetched. `None` when there is no such account.
pub async fn resolve_mention(data: &Data, mention: &MentionRef) -> Result<Option<Account>, Error> {
    let local_domain = data.urls.domain();
    match &mention.domain {
        None => Ok(account::find_local(&data.db, &mention.username).await?),
        Some(domain) if domain.eq_ignore_ascii_case(local_domain) => {
            Ok(account::find_local(&data.db, &mention.username).await?)
        }
        Some(domain) => {
            let identifier = format!("{}@{domain}", mention.username);
            match webfinger_resolve_actor::<FederationData, DbActor>(&identifier, data).await {
                Ok(actor) => Ok(Some(actor.account)),
                Err(e) => {
                    tracing::info!(%identifier, error = %e, "a mention could not be resolved");
                    Ok(None)
                }
            }
        }
    }
}

fn follow_activity(data: &FederationData, follower: &Account, target: &Account, id: &str) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Follow",
        "actor": actor_id(&data.urls, follower),
        "object": target.uri,
        "to": [target.uri],
    })
}

fn inbox_of(target: &Account) -> Vec<String> {
    target
        .remote
        .as_ref()
        .map(|r| r.inbox.clone())
        .into_iter()
        .collect()
}

/// The local `follower` asks to follow the remote `target`: a pending follow until
/// the target's server answers.
pub async fn follow_remote(
    data: &FederationData,
    follower: &Account,
    target: &Account,
) -> Result<Follow, Error> {
    if !follower.is_local() || target.is_local() {
        return Err(Error::Refused(
            "a local account follows a remote one here".into(),
        ));
    }
    let id = send::new_activity_id(&data.urls);
    let stored =
        follow_request::request(&data.db, follower, target, Some(id.clone()), Utc::now()).await?;
    let activity_id = stored.uri.clone().unwrap_or(id);
    let activity = follow_activity(data, follower, target, &activity_id);
    send::deliver(data, follower, activity, inbox_of(target)).await?;
    Ok(stored)
}

/// The local `follower` stops following (or withdraws the request to) `target`.
pub async fn unfollow_remote(
    data: &FederationData,
    follower: &Account,
    target: &Account,
) -> Result<(), Error> {
    let Some(existing) = follow::find(&data.db, follower.id, target.id).await? else {
        return Ok(());
    };
    follow::remove(&data.db, follower.id, target.id).await?;
    let follow_id = existing
        .uri
        .unwrap_or_else(|| send::new_activity_id(&data.urls));
    let undo = json!({
        "@context": context(),
        "id": format!("{follow_id}/undo"),
        "type": "Undo",
        "actor": actor_id(&data.urls, follower),
        "to": [target.uri],
        "object": follow_activity(data, follower, target, &follow_id),
    });
    send::deliver(data, follower, undo, inbox_of(target)).await
}

/// The local `target` answers the follow request of the remote `follower`:
/// `accepted` sends an `Accept`, otherwise a `Reject` and the request is dropped.
pub async fn answer_request(
    data: &FederationData,
    target: &Account,
    follower: &Account,
    accepted: bool,
) -> Result<(), Error> {
    let request = follow::find(&data.db, follower.id, target.id)
        .await?
        .ok_or(Error::Domain(staffroom_domain::Error::NotFound(
            "follow request",
        )))?;
    if accepted {
        follow::accept(&data.db, request.id).await?;
    } else {
        follow::remove(&data.db, follower.id, target.id).await?;
    }
    send_answer(data, target, follower, &request, accepted).await
}

/// Sends `Accept` (or `Reject`) of `request` from the local `target` to the remote
/// `follower`.
pub async fn send_answer(
    data: &FederationData,
    target: &Account,
    follower: &Account,
    request: &Follow,
    accepted: bool,
) -> Result<(), Error> {
    if follower.is_local() {
        return Ok(());
    }
    let target_id = actor_id(&data.urls, target);
    let follower_id = follower.uri.clone().unwrap_or_default();
    let answer = json!({
        "@context": context(),
        "id": send::new_activity_id(&data.urls),
        "type": if accepted { "Accept" } else { "Reject" },
        "actor": target_id,
        "to": [follower_id],
        "object": {
            "id": request.uri,
            "type": "Follow",
            "actor": follower_id,
            "object": target_id,
        },
    });
    send::deliver(data, target, answer, inbox_of(follower)).await
}

/// `follower` (local) follows `target`, local or remote; `notify` asks to be told
/// of each new post. The follow as it stands (a request while a locked or remote
/// account has not answered).
pub async fn follow(
    data: &FederationData,
    follower: &Account,
    target: &Account,
    notify: Option<bool>,
) -> Result<Follow, Error> {
    if follower.id == target.id {
        return Err(Error::Domain(staffroom_domain::Error::Forbidden(
            "an account cannot follow itself".into(),
        )));
    }
    let existing = follow::find(&data.db, follower.id, target.id).await?;
    let stored = match existing {
        Some(existing) => existing,
        None if target.is_local() => {
            let now = Utc::now();
            let stored = follow_request::request(&data.db, follower, target, None, now).await?;
            data.events
                .notified(
                    &data.db,
                    crate::events::mark(now),
                    follower.id,
                    None,
                    &[Kind::Follow, Kind::FollowRequest],
                )
                .await;
            stored
        }
        None => follow_remote(data, follower, target).await?,
    };
    if let Some(notify) = notify {
        follow::set_notify(&data.db, follower.id, target.id, notify).await?;
    }
    Ok(stored)
}

/// `follower` (local) stops following, or withdraws its request to, `target`.
pub async fn unfollow(
    data: &FederationData,
    follower: &Account,
    target: &Account,
) -> Result<(), Error> {
    if target.is_local() {
        follow::remove(&data.db, follower.id, target.id).await?;
        Ok(())
    } else {
        unfollow_remote(data, follower, target).await
    }
}

fn block_activity(data: &FederationData, account: &Account, target: &Account, id: &str) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Block",
        "actor": actor_id(&data.urls, account),
        "object": target.uri,
        "to": [target.uri],
    })
}

/// The local `account` blocks `target`: follows between them end, and a remote
/// target's server is told (so that it stops delivering and showing).
pub async fn block(
    data: &FederationData,
    account: &Account,
    target: &Account,
) -> Result<(), Error> {
    let already = staffroom_domain::graph::block::blocks(&data.db, account.id, target.id).await?;
    let id = send::new_activity_id(&data.urls);
    staffroom_domain::graph::block::block(
        &data.db,
        account.id,
        target.id,
        Some(id.clone()),
        Utc::now(),
    )
    .await?;
    if already || target.is_local() {
        return Ok(());
    }
    let activity = block_activity(data, account, target, &id);
    send::deliver(data, account, activity, inbox_of(target)).await
}

/// The local `account` lifts its block of `target`.
pub async fn unblock(
    data: &FederationData,
    account: &Account,
    target: &Account,
) -> Result<(), Error> {
    let uri = staffroom_domain::graph::block::uri_of(&data.db, account.id, target.id).await?;
    if !staffroom_domain::graph::block::unblock(&data.db, account.id, target.id).await?
        || target.is_local()
    {
        return Ok(());
    }
    let block_id = uri.unwrap_or_else(|| send::new_activity_id(&data.urls));
    let undo = json!({
        "@context": context(),
        "id": format!("{block_id}/undo"),
        "type": "Undo",
        "actor": actor_id(&data.urls, account),
        "to": [target.uri],
        "object": block_activity(data, account, target, &block_id),
    });
    send::deliver(data, account, undo, inbox_of(target)).await
}
