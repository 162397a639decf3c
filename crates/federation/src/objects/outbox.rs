//! A local account's outbox: its public posts as `Create` activities.

use staffroom_domain::account::Account;
use staffroom_domain::post::Post;

use crate::LocalUrls;
use crate::objects::actor::actor_id;
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
            .map(|post| create_activity(urls, account, post))
            .collect(),
    }
}
