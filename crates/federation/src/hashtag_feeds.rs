//! Hashtag feeds between instances (the rules are in `domain::hashtag_feed`).
//!
//! Subscribing: the instance actor follows another instance's feed actor
//! (`https://host/tags/name`, or `name@host` by WebFinger). From then on posts
//! travel both ways, as through a relay: the feed `Announce`s to its subscribers
//! every public post with its tag that its instance knows, and each subscriber's
//! instance actor `Announce`s to the feed the public posts with the tag that it
//! knows. A new subscriber is sent the feed's latest posts, and the feed the
//! subscriber's. A relayed post is fetched from its author's server (never taken
//! from the announce), so domain rules apply and nothing is forged; it is stored
//! once by its id however many feeds announce it, and each sender announces a post
//! once, so rings of subscriptions settle.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use activitypub_federation::protocol::context::WithContext;
use chrono::Utc;
use serde_json::Value;
use staffroom_domain::accounts::account::{self, Account, AccountKind};
use staffroom_domain::communities::hashtag_feed::{self, BACKFILL_POSTS, Subscription};
use staffroom_domain::delivery::queue::domain_of;
use staffroom_domain::moderation::staff::{self, FeedChange, Staff};
use staffroom_domain::posts::post::Post;
use staffroom_domain::timelines;
use staffroom_domain::{graph::follow, posts::tag};
use staffroom_domain::{page::Page, timelines::public::Scope};

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::Event;
use crate::objects::actor::actor_id;
use crate::objects::person::DbActor;
use crate::objects::post::{DbPost, remove_remote};
use crate::protocol::activities::announce::Announce;
use crate::protocol::collection::OrderedCollection;
use crate::protocol::values::id_of;
use crate::protocol::{PUBLIC, with_context};
use crate::{relationships, send};

/// The ActivityPub id of `post`.
async fn post_uri(data: &FederationData, post: &Post) -> Result<String, Error> {
    if let Some(uri) = &post.uri {
        return Ok(uri.clone());
    }
    let author = account::get(&data.db, post.account_id).await?;
    Ok(data.urls.post(&author.username, post.id))
}

/// Sends `post` on through every hashtag feed it belongs to: each local feed of
/// its tags announces it to its subscribers, and the instance actor passes it on
/// to the feeds of its tags that this instance subscribes to. Each sender does so
/// once per post. Nothing goes back to the post's own server, nor to `came_from`
/// (the server that relayed it here).
pub async fn relay(
    data: &FederationData,
    post: &Post,
    came_from: Option<&str>,
) -> Result<(), Error> {
    if !hashtag_feed::travels(post) {
        return Ok(());
    }
    // What the public timelines leave out (a silenced account's posts) is not
    // relayed either.
    if !timelines::public::in_public(&data.db, Scope::All, None, post.id).await? {
        return Ok(());
    }
    let names = tag::of_post(&data.db, post.id).await?;
    if names.is_empty() {
        return Ok(());
    }
    let origin = post.uri.as_deref().and_then(domain_of);
    let skip = |inbox: &String| {
        let domain = domain_of(inbox);
        domain.is_some() && (domain == origin || domain.as_deref() == came_from)
    };
    let object = post_uri(data, post).await?;
    let now = Utc::now();
    for name in &names {
        let Some(feed) = hashtag_feed::find_local(&data.db, name).await? else {
            continue;
        };
        let mut inboxes = follow::follower_inboxes(&data.db, feed.id).await?;
        inboxes.retain(|inbox| !skip(inbox));
        if inboxes.is_empty() || !hashtag_feed::claim(&data.db, feed.id, post.id, now).await? {
            continue;
        }
        let announce = Announce::relay(&data.urls, &feed, post, &object, vec![PUBLIC.to_owned()])?;
        send::deliver(data, &feed, &announce, inboxes).await?;
    }
    let instance = account::instance_actor(&data.db).await?;
    let feeds = hashtag_feed::subscribed_feeds_of(&data.db, instance.id, &names).await?;
    let mut inboxes: Vec<String> = feeds
        .iter()
        .flat_map(send::inbox_of)
        .filter(|i| !skip(i))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    if inboxes.is_empty() || !hashtag_feed::claim(&data.db, instance.id, post.id, now).await? {
        return Ok(());
    }
    let mut to: Vec<String> = feeds.iter().filter_map(|f| f.uri.clone()).collect();
    to.push(PUBLIC.to_owned());
    let announce = Announce::relay(&data.urls, &instance, post, &object, to)?;
    send::deliver(data, &instance, &announce, inboxes).await
}

/// Sends the latest public posts with `name` that this instance knows, oldest
/// first, from the local `sender` to `inbox` alone: a new subscriber catches up
/// with a feed, and a feed with a new subscriber.
async fn catch_up(
    data: &FederationData,
    sender: &Account,
    name: &str,
    inbox: String,
    to: String,
) -> Result<(), Error> {
    let page = Page {
        limit: Some(BACKFILL_POSTS),
        ..Page::default()
    };
    let mut posts = timelines::public::tag(&data.db, name, Scope::All, None, page).await?;
    posts.reverse();
    let target = domain_of(&inbox);
    for post in posts {
        if post.uri.as_deref().and_then(domain_of) == target {
            continue;
        }
        // Recorded, so that the post's edits and deletion follow it there.
        hashtag_feed::claim(&data.db, sender.id, post.id, Utc::now()).await?;
        let object = post_uri(data, &post).await?;
        let to = vec![to.clone(), PUBLIC.to_owned()];
        let announce = Announce::relay(&data.urls, sender, &post, &object, to)?;
        send::deliver(data, sender, &announce, vec![inbox.clone()]).await?;
    }
    Ok(())
}

/// A remote `subscriber` has joined the local `feed`: it is sent the feed's latest
/// posts.
pub async fn welcome(
    data: &FederationData,
    feed: &Account,
    subscriber: &Account,
) -> Result<(), Error> {
    let (Some(inbox), Some(to)) = (send::inbox_of(subscriber).pop(), subscriber.uri.clone()) else {
        return Ok(());
    };
    catch_up(data, feed, &hashtag_feed::tag_of(feed), inbox, to).await
}

/// The remote `feed` accepted this instance's subscription: the feed is sent this
/// instance's latest posts with its tag.
pub async fn joined(data: &FederationData, feed: &Account) -> Result<(), Error> {
    let instance = account::instance_actor(&data.db).await?;
    let (Some(inbox), Some(to)) = (send::inbox_of(feed).pop(), feed.uri.clone()) else {
        return Ok(());
    };
    catch_up(data, &instance, &hashtag_feed::tag_of(feed), inbox, to).await
}

/// Whether an `Announce` by `actor` is a post relayed through hashtag feeds.
pub async fn is_relayed(data: &FederationData, actor: &Account) -> Result<bool, Error> {
    let instance = account::instance_actor(&data.db).await?;
    Ok(hashtag_feed::is_relay_peer(&data.db, actor.id, instance.id).await?)
}

/// A post relayed by the feed peer `relayer`: fetched from its author's server
/// when new, then sent on through this instance's feeds. A post that cannot be
/// fetched (its server is blocked, or it is gone or not public) is dropped.
pub async fn receive_relayed(data: &Data, object: &Value, relayer: &Account) -> Result<(), Error> {
    let Some(id) = id_of(object).and_then(|id| url::Url::parse(id).ok()) else {
        return Err(Error::Refused("the announce names no post".into()));
    };
    let id = ObjectId::<DbPost>::from(id);
    let known = id
        .dereference_local(data)
        .await
        .ok()
        .map(|found| found.post);
    // A post known here is fetched again: an announce of it may carry an edit.
    let fetched = match &known {
        Some(_) => id.dereference_forced(data).await,
        None => id.dereference(data).await,
    };
    let post = match (fetched, known.clone()) {
        (Ok(found), _) => found.post,
        (Err(e), Some(known)) => {
            tracing::info!(object = %id.inner(), error = %e, "a relayed post could not be fetched again: kept as it was");
            known
        }
        (Err(e), None) => {
            tracing::info!(object = %id.inner(), error = %e, "a relayed post could not be fetched: dropped");
            return Ok(());
        }
    };
    match known {
        None => {
            data.events.publish(Event::PostCreated(post.id));
            tracing::info!(post = %id.inner(), relayer = ?relayer.uri, "relayed post stored");
        }
        Some(before) if before.edited_at != post.edited_at => {
            data.events.publish(Event::PostUpdated(post.id));
            pass_on_edit(data.app_data(), &post).await?;
        }
        Some(_) => {}
    }
    let came_from = relayer.uri.as_deref().and_then(domain_of);
    relay(data.app_data(), &post, came_from.as_deref()).await
}

/// Where this instance sent `post` on through hashtag feeds: each local sender
/// (a feed, or the instance actor) with the inboxes it reaches.
pub async fn relayed_to(
    data: &FederationData,
    post: &Post,
) -> Result<Vec<(Account, Vec<String>)>, Error> {
    let senders = hashtag_feed::senders_of(&data.db, post.id).await?;
    if senders.is_empty() {
        return Ok(Vec::new());
    }
    let names = tag::of_post(&data.db, post.id).await?;
    let mut out = Vec::new();
    for sender in account::get_many(&data.db, &senders).await? {
        let inboxes = match sender.kind {
            AccountKind::HashtagFeed => follow::follower_inboxes(&data.db, sender.id).await?,
            AccountKind::Instance => hashtag_feed::subscribed_feeds_of(&data.db, sender.id, &names)
                .await?
                .iter()
                .flat_map(send::inbox_of)
                .collect(),
            AccountKind::Person | AccountKind::Organization | AccountKind::Group => Vec::new(),
        };
        out.push((sender, inboxes));
    }
    Ok(out)
}

/// Every inbox `post` was relayed to (see [`relayed_to`]): its edits and deletion
/// go there too.
pub async fn relayed_inboxes(data: &FederationData, post: &Post) -> Result<Vec<String>, Error> {
    Ok(relayed_to(data, post)
        .await?
        .into_iter()
        .flat_map(|(_, inboxes)| inboxes)
        .collect())
}

/// The relayed `post` was edited (an `Update` from its author, or a fresh copy
/// fetched after an announce): every sender here that passed it on announces it
/// again, so that the instances it reached fetch the new version, and pass it on
/// in turn. Nothing goes to the post's own server.
pub async fn pass_on_edit(data: &FederationData, post: &Post) -> Result<(), Error> {
    let Some(edited_at) = post.edited_at else {
        return Ok(());
    };
    let origin = post.uri.as_deref().and_then(domain_of);
    let object = post_uri(data, post).await?;
    for (sender, mut inboxes) in relayed_to(data, post).await? {
        inboxes.retain(|inbox| domain_of(inbox) != origin);
        if inboxes.is_empty() {
            continue;
        }
        let announce =
            Announce::relay(&data.urls, &sender, post, &object, vec![PUBLIC.to_owned()])?
                .edited(edited_at)?;
        send::deliver(data, &sender, &announce, inboxes).await?;
    }
    Ok(())
}

/// `post`, deleted here, is taken back from where it was relayed (`relayed`, as
/// [`relayed_to`] found it before the deletion): each sender sends `Undo` of its
/// `Announce`, and each instance that took the post from it checks with the
/// post's own server whether it is gone, and passes the news on.
pub async fn withdraw(
    data: &FederationData,
    post: &Post,
    object: &str,
    relayed: Vec<(Account, Vec<String>)>,
) -> Result<(), Error> {
    for (sender, inboxes) in relayed {
        if inboxes.is_empty() {
            continue;
        }
        let undo = Announce::relay(&data.urls, &sender, post, object, vec![PUBLIC.to_owned()])?
            .withdraw()?;
        send::deliver(data, &sender, &undo, inboxes).await?;
    }
    Ok(())
}

/// Whether a fetch failed because the document is not there (deleted, or never
/// was), rather than because its server could not be reached.
fn is_gone(error: &Error) -> bool {
    use activitypub_federation::error::Error as Protocol;
    matches!(
        error,
        Error::Protocol(
            Protocol::NotFound
                | Protocol::ObjectDeleted(_)
                | Protocol::ParseFetchedObject(..)
                | Protocol::FetchInvalidContentType(_)
                | Protocol::FetchWrongId(_)
        )
    )
}

/// A feed peer took back its announce of the post `uri`: the post is fetched
/// again from its own server, and removed here (and from where this instance
/// relayed it) when it is gone there. A relay alone cannot make a post
/// disappear.
pub async fn recheck(data: &Data, uri: &str) -> Result<(), Error> {
    let Some(found) = staffroom_domain::posts::post::find_by_uri(&data.db, uri).await? else {
        return Ok(());
    };
    if found.local {
        return Ok(());
    }
    let Ok(id) = ObjectId::<DbPost>::parse(uri) else {
        return Ok(());
    };
    match id.dereference_forced(data).await {
        Ok(_) => Ok(()),
        Err(e) if is_gone(&e) => {
            let relayed = relayed_to(data.app_data(), &found).await?;
            remove_remote(data, &found).await?;
            tracing::info!(post = %uri, "a relayed post is gone from its server: removed");
            withdraw(data.app_data(), &found, uri, relayed).await
        }
        Err(e) => {
            tracing::info!(post = %uri, error = %e, "a withdrawn post could not be checked: kept");
            Ok(())
        }
    }
}

/// How an administrator names a feed to subscribe to: its URL, or
/// `name@host` (also `#name@host`), found by WebFinger.
pub async fn find_feed(data: &Data, target: &str) -> Result<Account, Error> {
    let target = target.trim();
    let account = if target.starts_with("https://") || target.starts_with("http://") {
        relationships::resolve_actor(data, target).await?
    } else {
        let address = target.trim_start_matches('#').trim_start_matches('@');
        if !address.contains('@') {
            return Err(Error::Refused(
                "name the feed by its URL or as name@host".into(),
            ));
        }
        let (name, host) = address.split_once('@').unwrap_or((address, ""));
        if !crate::policy::permits_url(data.app_data(), &format!("https://{host}/")).await {
            return Err(Error::Refused(format!(
                "{host} is blocked by this instance's domain policy"
            )));
        }
        webfinger_resolve_actor::<FederationData, DbActor>(address, data)
            .await
            .map_err(|e| why_not_found(name, host, e))?
            .account
    };
    if account.is_local() {
        return Err(Error::Refused(
            "this is one of this instance's own feeds".into(),
        ));
    }
    if !account.bot {
        return Err(Error::Refused(format!(
            "{target} is a person, not a hashtag feed: name the feed by its URL"
        )));
    }
    Ok(account)
}

/// What went wrong finding the feed `name` on `host`, in words.
fn why_not_found(name: &str, host: &str, error: Error) -> Error {
    use activitypub_federation::error::Error as Protocol;
    let Error::Protocol(cause) = &error else {
        return error;
    };
    let said = match cause {
        Protocol::UrlVerificationError(_) => {
            return Error::Refused(format!(
                "{host} is blocked by this instance's domain policy"
            ));
        }
        Protocol::Reqwest(_) | Protocol::ReqwestMiddleware(_) => {
            return Error::Refused(format!("no such server: {host} could not be reached"));
        }
        // The server's own words, when it answered with an error document.
        Protocol::ParseFetchedObject(_, _, body) => Some(
            serde_json::from_str::<Value>(body)
                .ok()
                .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_default(),
        ),
        _ => None,
    };
    Error::Refused(match said {
        Some(said) if said.is_empty() => format!("{host} has no feed #{name}"),
        Some(said) => format!(
            "{host} has no feed #{name}: it answered \"{}\"",
            said.chars().take(200).collect::<String>()
        ),
        None => format!("{host} has no feed #{name}, or refused to say ({cause})"),
    })
}

/// The instance subscribes to the remote feed `target` (see [`find_feed`]).
pub async fn subscribe(data: &Data, target: &str) -> Result<Subscription, Error> {
    let feed = find_feed(data, target).await?;
    // The tag is made known here, so that this instance's own feed of it exists.
    tag::find_or_create(&data.db, &hashtag_feed::tag_of(&feed), Utc::now()).await?;
    let instance = account::instance_actor(&data.db).await?;
    let follow = match follow::find(&data.db, instance.id, feed.id).await? {
        Some(existing) => existing,
        None => relationships::follow_remote(data.app_data(), &instance, &feed).await?,
    };
    Ok(Subscription {
        accepted: follow.accepted,
        feed,
    })
}

/// The instance stops following the remote feed `target`; `false` when it did not
/// subscribe to it.
pub async fn unsubscribe(data: &Data, target: &str) -> Result<bool, Error> {
    let instance = account::instance_actor(&data.db).await?;
    let subscriptions = hashtag_feed::subscriptions(&data.db, instance.id).await?;
    let target = target.trim();
    let named = |feed: &Account| {
        feed.uri.as_deref() == Some(target)
            || feed
                .acct()
                .eq_ignore_ascii_case(target.trim_start_matches('#'))
    };
    let Some(found) = subscriptions.into_iter().find(|s| named(&s.feed)) else {
        return Ok(false);
    };
    relationships::unfollow_remote(data.app_data(), &instance, &found.feed).await?;
    Ok(true)
}

/// [`subscribe`] for the member of staff `staff` (an administrator), written to
/// the audit log.
pub async fn subscribe_for(data: &Data, staff: Staff, target: &str) -> Result<Subscription, Error> {
    let work = async {
        let found = subscribe(data, target).await?;
        let named = found.feed.uri.clone().unwrap_or_else(|| found.feed.acct());
        Ok((found, named))
    };
    staff::change_feed_subscription(&data.db, staff, FeedChange::Subscribe, Utc::now(), work).await
}

/// [`unsubscribe`] for the member of staff `staff` (an administrator), written to
/// the audit log; `NotFound` when the instance did not subscribe to `target`.
pub async fn unsubscribe_for(data: &Data, staff: Staff, target: &str) -> Result<(), Error> {
    let work = async {
        if !unsubscribe(data, target).await? {
            let missing = staffroom_domain::Error::NotFound("hashtag feed subscription");
            return Err(Error::Domain(missing));
        }
        Ok(((), target.trim().to_owned()))
    };
    staff::change_feed_subscription(&data.db, staff, FeedChange::Unsubscribe, Utc::now(), work)
        .await
}

/// The outbox of the local `feed`: its latest announces, newest first.
pub async fn outbox(
    data: &FederationData,
    feed: &Account,
) -> Result<WithContext<OrderedCollection<Announce<String>>>, Error> {
    let page = Page {
        limit: Some(BACKFILL_POSTS),
        ..Page::default()
    };
    let posts = timelines::public::tag(
        &data.db,
        &hashtag_feed::tag_of(feed),
        Scope::All,
        None,
        page,
    )
    .await?;
    let mut items = Vec::with_capacity(posts.len());
    for post in &posts {
        let object = post_uri(data, post).await?;
        items.push(Announce::relay(
            &data.urls,
            feed,
            post,
            &object,
            vec![PUBLIC.to_owned()],
        )?);
    }
    let id = format!("{}/outbox", actor_id(&data.urls, feed));
    Ok(with_context(OrderedCollection::listed(id, items)))
}

/// A challenge whose hashtag gathers around another instance's feed
/// (`feed_host`) makes this instance subscribe to that feed. `None` when the
/// challenge names no other instance.
pub async fn follow_challenge(
    data: &Data,
    challenge: &staffroom_domain::communities::challenge::Challenge,
) -> Option<Result<Subscription, Error>> {
    let host = challenge.feed_host.as_deref()?;
    if host.eq_ignore_ascii_case(data.urls.domain()) {
        return None;
    }
    Some(subscribe(data, &format!("{}@{host}", challenge.hashtag)).await)
}
