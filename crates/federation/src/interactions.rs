//! Favourites and boosts made here, told to other servers: a `Like` goes to the
//! post's author, an `Announce` to the booster's followers and the author; taking
//! either back sends its `Undo`.

use chrono::Utc;
use serde_json::{Value, json};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::{graph::follow, posts::interaction};

use crate::LocalUrls;
use crate::context::FederationData;
use crate::error::Error;
use crate::events::{self, Event};
use crate::objects::actor::actor_id;
use crate::protocol::context;
use crate::{send, timestamp};

/// The ActivityPub id of `post`, written by `author`.
fn post_uri(urls: &LocalUrls, author: &Account, post: &Post) -> String {
    post.uri
        .clone()
        .unwrap_or_else(|| urls.post(&author.username, post.id))
}

/// The id of the `Announce` of the local boost `boost` by `booster`.
pub fn announce_id(urls: &LocalUrls, booster: &Account, boost: &Post) -> String {
    format!("{}/activity", urls.post(&booster.username, boost.id))
}

/// The inbox of a remote author (none for a local one).
fn author_inbox(author: &Account) -> Vec<String> {
    author
        .remote
        .as_ref()
        .map(|r| r.inbox.clone())
        .into_iter()
        .collect()
}

fn undo(data: &FederationData, actor: &Account, object: Value, to: Vec<String>) -> Value {
    let id = object.get("id").and_then(Value::as_str).map_or_else(
        || send::new_activity_id(&data.urls),
        |id| format!("{id}/undo"),
    );
    json!({
        "@context": context(),
        "id": id,
        "type": "Undo",
        "actor": actor_id(&data.urls, actor),
        "to": to,
        "object": object,
    })
}

fn like(data: &FederationData, actor: &Account, id: &str, object: &str) -> Value {
    json!({
        "id": id,
        "type": "Like",
        "actor": actor_id(&data.urls, actor),
        "object": object,
    })
}

/// The local `account` favourites `post` (which it may see).
pub async fn favourite(data: &FederationData, account: &Account, post: &Post) -> Result<(), Error> {
    let id = send::new_activity_id(&data.urls);
    let now = Utc::now();
    let new = interaction::favourite(&data.db, account.id, post, Some(id.clone()), now).await?;
    data.events
        .interacted(&data.db, now, account.id, post.id, Kind::Favourite)
        .await;
    let author = account::get(&data.db, post.account_id).await?;
    if !new || author.is_local() {
        return Ok(());
    }
    let mut activity = like(data, account, &id, &post_uri(&data.urls, &author, post));
    activity["@context"] = context();
    send::deliver(data, account, activity, author_inbox(&author)).await
}

/// The local `account` takes back its favourite of `post`.
pub async fn unfavourite(
    data: &FederationData,
    account: &Account,
    post: &Post,
) -> Result<(), Error> {
    let Some(uri) = interaction::unfavourite(&data.db, account.id, post.id).await? else {
        return Ok(());
    };
    let author = account::get(&data.db, post.account_id).await?;
    if author.is_local() {
        return Ok(());
    }
    let id = uri.unwrap_or_else(|| send::new_activity_id(&data.urls));
    let object = like(data, account, &id, &post_uri(&data.urls, &author, post));
    let to = author.uri.clone().into_iter().collect();
    let activity = undo(data, account, object, to);
    send::deliver(data, account, activity, author_inbox(&author)).await
}

/// Who hears of a boost: the booster's followers and the boosted post's author.
async fn boost_audience(
    data: &FederationData,
    booster: &Account,
    author: &Account,
) -> Result<Vec<String>, Error> {
    let mut inboxes = follow::follower_inboxes(&data.db, booster.id).await?;
    inboxes.extend(author_inbox(author));
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

fn announce(
    data: &FederationData,
    booster: &Account,
    author: &Account,
    boost: &Post,
    post: &Post,
) -> Value {
    let actor = actor_id(&data.urls, booster);
    let followers = format!("{actor}/followers");
    let public = "https://www.w3.org/ns/activitystreams#Public".to_owned();
    let author_id = actor_id(&data.urls, author);
    let (to, cc) = match boost.visibility {
        Visibility::Public => (vec![public], vec![author_id, followers]),
        // A closed group passes a public post to its members alone.
        Visibility::Private | Visibility::Direct => (vec![followers], vec![author_id]),
        Visibility::Unlisted => (vec![followers], vec![author_id, public]),
    };
    json!({
        "id": announce_id(&data.urls, booster, boost),
        "type": "Announce",
        "actor": actor,
        "published": timestamp(boost.created_at),
        "to": to,
        "cc": cc,
        "object": post_uri(&data.urls, author, post),
    })
}

/// The local `account` boosts `post` with `visibility` (public or unlisted): the
/// boost, stored and announced.
pub async fn reblog(
    data: &FederationData,
    account: &Account,
    post: &Post,
    visibility: Visibility,
) -> Result<Post, Error> {
    let now = Utc::now();
    let (boost, new) =
        interaction::reblog(&data.db, account.id, post, None, visibility, now).await?;
    if !new {
        return Ok(boost);
    }
    data.events.publish(Event::PostCreated(boost.id));
    data.events
        .interacted(&data.db, now, account.id, post.id, Kind::Reblog)
        .await;
    let author = account::get(&data.db, post.account_id).await?;
    let activity = announce_activity(data, account, &boost, post).await?;
    let inboxes = boost_audience(data, account, &author).await?;
    send::deliver(data, account, activity, inboxes).await?;
    Ok(boost)
}

/// The `Announce` of `post` that the local `booster`'s `boost` is, ready to send.
pub async fn announce_activity(
    data: &FederationData,
    booster: &Account,
    boost: &Post,
    post: &Post,
) -> Result<Value, Error> {
    let author = account::get(&data.db, post.account_id).await?;
    let mut activity = announce(data, booster, &author, boost, post);
    activity["@context"] = context();
    Ok(activity)
}

/// The local `account` takes back its boost of `post`.
pub async fn unreblog(data: &FederationData, account: &Account, post: &Post) -> Result<(), Error> {
    let Some(boost) = interaction::unreblog(&data.db, account.id, post.id).await? else {
        return Ok(());
    };
    // A boost has no tags or mentions of its own: what it was is all there is to tell.
    if let Some(removed) = events::removal(&data.db, &boost).await {
        data.events.post_deleted(removed);
    }
    let author = account::get(&data.db, post.account_id).await?;
    let object = announce(data, account, &author, &boost, post);
    let to = object["to"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let activity = undo(data, account, object, to);
    let inboxes = boost_audience(data, account, &author).await?;
    send::deliver(data, account, activity, inboxes).await
}
