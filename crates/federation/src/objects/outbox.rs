//! A local account's outbox: its public posts as `Create` activities.

use serde_json::{Value, json};
use staffroom_domain::account::Account;
use staffroom_domain::post::Post;

use crate::LocalUrls;
use crate::objects::actor::actor_id;
use crate::objects::note::local_note;
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

/// One page of the outbox: `posts` (newest first); `more` when older ones follow.
pub fn page(
    urls: &LocalUrls,
    account: &Account,
    total: u64,
    posts: &[Post],
    max_id: Option<i64>,
    more: bool,
) -> OrderedCollectionPage {
    let outbox = format!("{}/outbox", actor_id(urls, account));
    let id = match max_id {
        Some(max_id) => format!("{outbox}?page=true&max_id={max_id}"),
        None => format!("{outbox}?page=true"),
    };
    let next = more
        .then(|| {
            posts
                .last()
                .map(|oldest| format!("{outbox}?page=true&max_id={}", oldest.id))
        })
        .flatten();
    OrderedCollectionPage {
        context: context(),
        id,
        kind: "OrderedCollectionPage".into(),
        part_of: outbox,
        total_items: total,
        next,
        ordered_items: posts
            .iter()
            .map(|post| create(urls, account, post))
            .collect(),
    }
}

/// The `Create` activity that published `post`.
fn create(urls: &LocalUrls, account: &Account, post: &Post) -> Value {
    let note = local_note(urls, account, post, false);
    json!({
        "id": format!("{}/activity", note.id),
        "type": "Create",
        "actor": note.attributed_to,
        "published": note.published,
        "to": note.to,
        "cc": note.cc,
        "object": note,
    })
}
