//! The followers and following collections of a local account.

use activitypub_federation::protocol::context::WithContext;
use staffroom_domain::accounts::account::Account;

use crate::LocalUrls;
use crate::objects::actor::actor_id;
use crate::protocol::collection::{CountedCollection, OrderedCollection, OrderedCollectionPage};
use crate::protocol::with_context;

/// The ActivityPub id of `account`, local or remote.
pub fn any_actor_id(urls: &LocalUrls, account: &Account) -> String {
    match &account.uri {
        Some(uri) => uri.clone(),
        None => actor_id(urls, account),
    }
}

/// The collection `id` of `total` accounts.
pub fn collection(id: String, total: u64) -> WithContext<OrderedCollection> {
    let first = format!("{id}?page=1");
    with_context(OrderedCollection::paged(id, total, first))
}

/// The followers collection `id` of a group, `total` members, in the shape Lemmy
/// reads a community's subscribers from.
pub fn group_followers(id: String, total: u64) -> WithContext<CountedCollection> {
    let first = format!("{id}?page=1");
    with_context(CountedCollection::new(id, total, first))
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
) -> WithContext<OrderedCollectionPage<String>> {
    with_context(OrderedCollectionPage::new(
        format!("{id}?page={page}"),
        id.to_owned(),
        total,
        members.iter().map(|a| any_actor_id(urls, a)).collect(),
        more.then(|| format!("{id}?page={}", page + 1)),
    ))
}
