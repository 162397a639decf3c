//! A local account's outbox: its public posts as `Create` activities.

use staffroom_domain::account::Account;

use crate::LocalUrls;
use crate::objects::actor::actor_id;
use crate::objects::note::create_activity;
use crate::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use crate::protocol::context;
use crate::protocol::note::Note;

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

/// One page of the outbox: `notes` (newest first) as `Create` activities; `oldest`
/// is the id of the last post, and `more` says whether older ones follow.
pub fn page(
    urls: &LocalUrls,
    account: &Account,
    total: u64,
    notes: Vec<Note>,
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
        ordered_items: notes.into_iter().map(create_activity).collect(),
    }
}
