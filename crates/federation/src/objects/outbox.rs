//! A local account's outbox: its public posts as `Create` activities, and its
//! boosts (a group's: what it announced) as `Announce` activities.

use serde_json::Value;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::posts::post::{self, Post};

use crate::LocalUrls;
use crate::context::FederationData;
use crate::error::Error;
use crate::interactions;
use crate::objects::actor::actor_id;
use crate::objects::note;
use crate::objects::note::create_activity;
use crate::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use crate::protocol::context;

/// The outbox collection of `account`, holding `total` posts.
pub fn collection(urls: &LocalUrls, account: &Account, total: u64) -> OrderedCollection {
    let id = format!("{}/outbox", actor_id(urls, account));
    OrderedCollection {
        context: context(),
        first: format!("{id}?page=true"),
        id,
        kind: "OrderedCollection".into(),
        total_items: total,
    }
}

/// The activities of `posts` (newest first) of the local `account`: a `Create` of
/// each of its own posts, an `Announce` of each of its boosts.
pub async fn items(
    data: &FederationData,
    account: &Account,
    posts: &[Post],
) -> Result<Vec<Value>, Error> {
    let boosted: Vec<i64> = posts.iter().filter_map(|p| p.reblog_of_id).collect();
    let originals = post::get_many(&data.db, &boosted).await?;
    let mut items = Vec::with_capacity(posts.len());
    for one in posts {
        match one.reblog_of_id {
            Some(original) => {
                let Some(original) = originals.get(&original) else {
                    continue;
                };
                let mut activity =
                    interactions::announce_activity(data, account, one, original).await?;
                if let Value::Object(map) = &mut activity {
                    map.remove("@context");
                }
                items.push(activity);
            }
            None => {
                let extras = note::extras(&data.db, &data.urls, one).await?;
                items.push(create_activity(note::note_of(
                    &data.urls, account, one, &extras, false,
                )));
            }
        }
    }
    Ok(items)
}

/// One page of the outbox: `items` (newest first, see [`items`]); `oldest` is the
/// id of the last post, and `more` says whether older ones follow.
pub fn page(
    urls: &LocalUrls,
    account: &Account,
    total: u64,
    items: Vec<Value>,
    max_id: Option<i64>,
    oldest: Option<i64>,
    more: bool,
) -> OrderedCollectionPage {
    let outbox = format!("{}/outbox", actor_id(urls, account));
    let id = match max_id {
        Some(max_id) => format!("{outbox}?page=true&max_id={max_id}"),
        None => format!("{outbox}?page=true"),
    };
    let next = more
        .then_some(oldest)
        .flatten()
        .map(|oldest| format!("{outbox}?page=true&max_id={oldest}"));
    OrderedCollectionPage {
        context: context(),
        id,
        kind: "OrderedCollectionPage".into(),
        part_of: outbox,
        total_items: total,
        next,
        ordered_items: items,
    }
}
