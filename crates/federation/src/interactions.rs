//! Favourites and boosts made here, told to other servers: a `Like` goes to the
//! post's author, an `Announce` to the booster's followers and the author; taking
//! either back sends its `Undo`.

use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::visibility::post::federates;
use staffroom_domain::{graph::follow, posts::interaction};

use crate::LocalUrls;
use crate::context::FederationData;
use crate::error::Error;
use crate::events::{self, Event};
use crate::objects::actor::actor_id;
use crate::protocol::activities::announce::Announce;
use crate::protocol::activities::like::Like;
use crate::protocol::activities::undo::Undo;
use crate::send;

/// The ActivityPub id of `post`, written by `author`.
fn post_uri(urls: &LocalUrls, author: &Account, post: &Post) -> String {
    post.uri
        .clone()
        .unwrap_or_else(|| urls.post(&author.username, post.id))
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
    Like::send(
        data,
        account,
        &author,
        &id,
        &post_uri(&data.urls, &author, post),
    )
    .await
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
    let actor = actor_id(&data.urls, account);
    let like = Like::new(&id, &actor, &post_uri(&data.urls, &author, post))?;
    let to = author.uri.clone().into_iter().collect();
    let undo = Undo::new(like, to)?;
    send::deliver(data, account, &undo, send::inbox_of(&author)).await
}

/// Who hears of a boost: the booster's followers and the boosted post's author.
async fn boost_audience(
    data: &FederationData,
    booster: &Account,
    author: &Account,
) -> Result<Vec<String>, Error> {
    let mut inboxes = follow::follower_inboxes(&data.db, booster.id).await?;
    inboxes.extend(send::inbox_of(author));
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
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
    // A boost of a local-only post stays here, as the post does.
    if !federates(post) {
        return Ok(boost);
    }
    let author = account::get(&data.db, post.account_id).await?;
    let announce = Announce::boost(&data.urls, account, &author, &boost, post)?;
    let inboxes = boost_audience(data, account, &author).await?;
    send::deliver(data, account, &announce, inboxes).await?;
    Ok(boost)
}

/// The `Announce` of `post` that the local `booster`'s `boost` is.
pub async fn announce_of(
    data: &FederationData,
    booster: &Account,
    boost: &Post,
    post: &Post,
) -> Result<Announce<String>, Error> {
    let author = account::get(&data.db, post.account_id).await?;
    Announce::boost(&data.urls, booster, &author, boost, post)
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
    if !federates(post) {
        return Ok(());
    }
    let author = account::get(&data.db, post.account_id).await?;
    let announce = Announce::boost(&data.urls, account, &author, &boost, post)?;
    let inboxes = boost_audience(data, account, &author).await?;
    send::deliver(data, account, &announce.withdraw()?, inboxes).await
}
