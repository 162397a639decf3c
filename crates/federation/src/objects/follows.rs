//! The followers and following collections of a local account.

use staffroom_domain::accounts::account::Account;

use crate::LocalUrls;
use crate::objects::actor::actor_id;
use crate::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use crate::protocol::context;

/// The ActivityPub id of `account`, local or remote.
pub fn any_actor_id(urls: &LocalUrls, account: &Account) -> String {
    match &account.uri {
        Some(uri) => uri.clone(),
        None => actor_id(urls, account),
    }
}

/// The collection `id` of `total` accounts.
pub fn collection(id: String, total: u64) -> OrderedCollection {
    OrderedCollection {
        context: context(),
        first: format!("{id}?page=1"),
        id,
        kind: "OrderedCollection".into(),
        total_items: total,
    }
}

/// Page `page` (from 1) of the collection `id`: `members`, and a next page when
/// `more` follow.
pub fn page(
    urls: &LocalUrls,
    id: &str,
    total: u64,
    page: u64,
    members: &[Account],
    more: bool,
) -> OrderedCollectionPage {
    OrderedCollectionPage {
        context: context(),
        id: format!("{id}?page={page}"),
        kind: "OrderedCollectionPage".into(),
        part_of: id.to_owned(),
        total_items: total,
        next: more.then(|| format!("{id}?page={}", page + 1)),
        ordered_items: members
            .iter()
            .map(|a| any_actor_id(urls, a).into())
            .collect(),
    }
}
