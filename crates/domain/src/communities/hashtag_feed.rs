//! Hashtag feeds: every hashtag used here has a feed, an actor that other instances
//! subscribe to so that a discussion under the tag is whole on each of them.
//!
//! A subscription is a follow by an instance actor of a feed actor. It works both
//! ways, as a relay does: the feed announces to its subscribers every public post
//! with its tag that its instance knows, and the subscribing instance passes the
//! public posts with the tag that it knows on to the feed. Each sender (a local
//! feed, or the instance actor passing posts on) sends a post at most once, so
//! that subscriptions in a ring settle.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use crate::accounts::account::{Account, AccountKind};
use crate::entities::{accounts, feed_announcements, follows};
use crate::posts::compose::normalize_tag;
use crate::posts::post::{Post, Visibility};
use crate::{Error, Result, posts::tag};

/// The longest tag that has a feed (the longest username an account may have).
pub const MAX_FEED_TAG_CHARS: usize = 64;

/// How many of its newest posts a feed sends a new subscriber, and a new
/// subscription passes on to the feed it joins.
pub const BACKFILL_POSTS: u64 = 40;

/// The `acct` of the feed of `name`: a `#` keeps feeds apart from people, whose
/// names cannot hold one.
fn feed_acct(name: &str) -> String {
    format!("#{name}")
}

/// The feed of the tag `name` (normalised here), if the tag has been used here and
/// its feed has been asked for before.
pub async fn find_local(db: &impl ConnectionTrait, name: &str) -> Result<Option<Account>> {
    let row = accounts::Entity::find()
        .filter(accounts::Column::Acct.eq(feed_acct(&normalize_tag(name))))
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::Kind.eq(AccountKind::HashtagFeed.as_str()))
        .one(db)
        .await?;
    Ok(row.map(Account::from))
}

/// The name of the feed of the tag `name`, normalised, if it may have one: a
/// valid hashtag of at most [`MAX_FEED_TAG_CHARS`] characters.
pub fn feed_name(name: &str) -> Option<String> {
    let normalized = normalize_tag(name);
    (crate::posts::compose::is_hashtag(&normalized)
        && normalized.chars().count() <= MAX_FEED_TAG_CHARS)
        .then_some(normalized)
}

/// The feed of the tag `name` (normalised here), made with its key pair the first
/// time it is asked for: every valid hashtag has one, as it has a page, whether
/// or not anyone here has used it yet (so that another instance can subscribe
/// before the first post). `None` for a name that is no hashtag, or too long to
/// have a feed.
pub async fn local(db: &impl ConnectionTrait, name: &str) -> Result<Option<Account>> {
    if let Some(feed) = find_local(db, name).await? {
        return Ok(Some(feed));
    }
    if feed_name(name).is_none() {
        return Ok(None);
    }
    let tag = match tag::find(db, name).await? {
        Some(tag) => tag,
        None => match tag::find_or_create(db, name, Utc::now()).await {
            Ok(tag) => tag,
            Err(Error::Invalid { .. }) => return Ok(None),
            Err(e) => return Err(e),
        },
    };
    if tag.name.chars().count() > MAX_FEED_TAG_CHARS {
        return Ok(None);
    }
    crate::accounts::account::insert_service_actor(
        db,
        AccountKind::HashtagFeed,
        &tag.name,
        &feed_acct(&tag.name),
        &format!("#{}", tag.name),
    )
    .await?;
    find_local(db, &tag.name)
        .await?
        .ok_or(Error::NotFound("hashtag feed"))
        .map(Some)
}

/// Whether `post` may travel through hashtag feeds: public posts only, never
/// boosts.
pub fn travels(post: &Post) -> bool {
    post.visibility == Visibility::Public
        && post.reblog_of_id.is_none()
        && crate::visibility::post::federates(post)
}

/// Records that `sender` sends `post` through a feed; `false` when it already has.
pub async fn claim(
    db: &impl ConnectionTrait,
    sender_id: i64,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let inserted = feed_announcements::Entity::insert(feed_announcements::ActiveModel {
        sender_id: Set(sender_id),
        post_id: Set(post_id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            feed_announcements::Column::SenderId,
            feed_announcements::Column::PostId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// A feed of another instance that this one subscribes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub feed: Account,
    /// Whether the feed has accepted the subscription.
    pub accepted: bool,
}

/// The remote feeds the instance actor `instance_actor_id` subscribes to.
pub async fn subscriptions(
    db: &impl ConnectionTrait,
    instance_actor_id: i64,
) -> Result<Vec<Subscription>> {
    let rows: Vec<(i64, bool)> = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(instance_actor_id))
        .select_only()
        .column(follows::Column::TargetId)
        .column(follows::Column::Accepted)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let feeds = crate::accounts::account::get_many(db, &ids).await?;
    Ok(feeds
        .into_iter()
        .filter(|feed| !feed.is_local())
        .map(|feed| Subscription {
            accepted: rows.iter().any(|(id, ok)| *id == feed.id && *ok),
            feed,
        })
        .collect())
}

/// The tag a feed carries: a remote feed's username is its tag, as a local one's.
pub fn tag_of(feed: &Account) -> String {
    normalize_tag(&feed.username)
}

/// The remote feeds of any of the tags `names` whose subscription by the instance
/// actor has been accepted.
pub async fn subscribed_feeds_of(
    db: &impl ConnectionTrait,
    instance_actor_id: i64,
    names: &[String],
) -> Result<Vec<Account>> {
    let names: Vec<String> = names.iter().map(|n| normalize_tag(n)).collect();
    Ok(subscriptions(db, instance_actor_id)
        .await?
        .into_iter()
        .filter(|s| s.accepted && names.contains(&tag_of(&s.feed)))
        .map(|s| s.feed)
        .collect())
}

/// Whether announces from `actor_id` are posts relayed through hashtag feeds: it is
/// a feed the instance actor subscribes to, or it subscribes to one of this
/// instance's feeds.
pub async fn is_relay_peer(
    db: &impl ConnectionTrait,
    actor_id: i64,
    instance_actor_id: i64,
) -> Result<bool> {
    let subscribed = crate::graph::follow::find(db, instance_actor_id, actor_id)
        .await?
        .is_some_and(|f| f.accepted);
    if subscribed {
        return Ok(true);
    }
    let targets: Vec<i64> = follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(actor_id))
        .filter(follows::Column::Accepted.eq(true))
        .select_only()
        .column(follows::Column::TargetId)
        .into_tuple()
        .all(db)
        .await?;
    let feeds_followed = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(targets))
        .filter(accounts::Column::Kind.eq(AccountKind::HashtagFeed.as_str()))
        .filter(accounts::Column::Domain.is_null())
        .count(db)
        .await?;
    Ok(feeds_followed > 0)
}

/// The local accounts that sent `post_id` on through hashtag feeds.
pub async fn senders_of(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<i64>> {
    Ok(feed_announcements::Entity::find()
        .filter(feed_announcements::Column::PostId.eq(post_id))
        .select_only()
        .column(feed_announcements::Column::SenderId)
        .into_tuple()
        .all(db)
        .await?)
}
