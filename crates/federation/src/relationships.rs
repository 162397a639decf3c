//! Follows started or answered here, told to other servers: a local person follows or
//! unfollows a remote account, or a locked local person approves or refuses a
//! request.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::graph::domain_block;
use staffroom_domain::graph::follow::{self, Follow};
use staffroom_domain::graph::follow_request;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::compose::MentionRef;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::follows::any_actor_id;
use crate::objects::person::DbActor;
use crate::protocol::activities::accept_or_reject::{Accept, Reject};
use crate::protocol::activities::block::Block;
use crate::protocol::activities::follow::Follow as FollowActivity;
use crate::protocol::activities::undo::Undo;
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
    FollowActivity::send(data, follower, target, &activity_id).await?;
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
    let target_id = any_actor_id(&data.urls, target);
    let follow = FollowActivity::new(&follow_id, &actor_id(&data.urls, follower), &target_id)?;
    let undo = Undo::new(follow, vec![target_id])?;
    send::deliver(data, follower, &undo, send::inbox_of(target)).await
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
    if accepted {
        Accept::send(data, target, follower, &request).await
    } else {
        Reject::send(data, target, follower, &request).await
    }
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
    Block::send(data, account, target, &id).await
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
    let target_id = any_actor_id(&data.urls, target);
    let block = Block::new(&block_id, &actor_id(&data.urls, account), &target_id)?;
    let undo = Undo::new(block, vec![target_id])?;
    send::deliver(data, account, &undo, send::inbox_of(target)).await
}

/// The local `account` blocks the server `domain` for themself (within
/// `domain_block::MAX_DOMAIN_BLOCKS`), as Mastodon does: its accounts' posts
/// and notifications stay out of the person's sight, and its accounts stop
/// following them, each one's server told with a `Reject` of the follow. How
/// many followers were removed.
pub async fn block_domain(
    data: &FederationData,
    account: &Account,
    domain: &str,
) -> Result<usize, Error> {
    let domain = domain_block::normalised(domain)?;
    if domain.eq_ignore_ascii_case(data.urls.domain()) {
        return Err(Error::Domain(staffroom_domain::Error::Invalid {
            field: "domain",
            reason: "is this server's own".into(),
        }));
    }
    domain_block::block_within_limit(&data.db, account.id, &domain, Utc::now()).await?;
    remove_followers_on(data, account, &domain).await
}

/// The followers of the local `account` on the server `domain` it blocks
/// stop following it; their servers get a `Reject` of the follow. How many.
pub async fn remove_followers_on(
    data: &FederationData,
    account: &Account,
    domain: &str,
) -> Result<usize, Error> {
    let followers = follow::followers_on(&data.db, account.id, domain).await?;
    for (follower, request) in &followers {
        follow::remove(&data.db, follower.id, account.id).await?;
        if let Err(e) = Reject::send(data, account, follower, request).await {
            tracing::info!(follower = ?follower.uri, error = %e, "the removed follower's server was not told");
        }
    }
    Ok(followers.len())
}
