//! A local account's outbox: its public posts as `Create` activities, and its
//! boosts (a group's: what it announced) as `Announce` activities.

use activitypub_federation::protocol::context::WithContext;
use serde::Serialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::posts::post::{self, Post};

use crate::LocalUrls;
use crate::context::FederationData;
use crate::error::Error;
use crate::interactions;
use crate::objects::actor::actor_id;
use crate::objects::note;
use crate::protocol::activities::announce::Announce;
use crate::protocol::activities::create::Create;
use crate::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use crate::protocol::note::Note;
use crate::protocol::with_context;

/// What an outbox holds: a post's `Create`, or a boost's `Announce`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Item {
    Create(Box<Create<Note>>),
    Announce(Box<Announce<String>>),
}

/// The outbox collection of `account`, holding `total` posts.
pub fn collection(
    urls: &LocalUrls,
    account: &Account,
    total: u64,
) -> WithContext<OrderedCollection> {
    let id = format!("{}/outbox", actor_id(urls, account));
    let first = format!("{id}?page=true");
    with_context(OrderedCollection::paged(id, total, first))
}

/// The activities of `posts` (newest first) of the local `account`: a `Create` of
/// each of its own posts, an `Announce` of each of its boosts.
pub async fn items(
    data: &FederationData,
    account: &Account,
    posts: &[Post],
) -> Result<Vec<Item>, Error> {
    let boosted: Vec<i64> = posts.iter().filter_map(|p| p.reblog_of_id).collect();
    let originals = post::get_many(&data.db, &boosted).await?;
    let mut items = Vec::with_capacity(posts.len());
    for one in posts {
        match one.reblog_of_id {
            Some(original) => {
                let Some(original) = originals.get(&original) else {
                    continue;
                };
                let boost = interactions::announce_of(data, account, one, original).await?;
                items.push(Item::Announce(Box::new(boost)));
            }
            None => {
                let extras = note::extras(&data.db, &data.urls, one).await?;
                let create = Create::new(note::note_of(&data.urls, account, one, &extras))?;
                items.push(Item::Create(Box::new(create)));
            }
        }
    }
    Ok(items)
}

/// One page of the outbox: `items` (newest first, see [`items`]); `oldest` is the
/// id of the last post, and `more` says whether older ones follow.
pub fn page<T>(
    urls: &LocalUrls,
    account: &Account,
    total: u64,
    items: Vec<T>,
    max_id: Option<i64>,
    oldest: Option<i64>,
    more: bool,
) -> WithContext<OrderedCollectionPage<T>> {
    let outbox = format!("{}/outbox", actor_id(urls, account));
    let id = match max_id {
        Some(max_id) => format!("{outbox}?page=true&max_id={max_id}"),
        None => format!("{outbox}?page=true"),
    };
    let next = more
        .then_some(oldest)
        .flatten()
        .map(|oldest| format!("{outbox}?page=true&max_id={oldest}"));
    with_context(OrderedCollectionPage::new(id, outbox, total, items, next))
}
