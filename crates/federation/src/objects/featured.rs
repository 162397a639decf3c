//! A person's featured collection: their pinned posts, as Mastodon reads them to
//! show them on the profile — the public and unlisted ones only, as `Note`s.

use activitypub_federation::protocol::context::WithContext;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::posts::pin;
use staffroom_domain::{posts::post::Visibility, visibility::post::Viewer};

use crate::context::FederationData;
use crate::error::Error;
use crate::objects::actor::featured_id;
use crate::objects::note;
use crate::protocol::collection::OrderedCollection;
use crate::protocol::note::Note;
use crate::protocol::with_context;

/// The featured collection of the local `account`, listed in full (latest pin
/// first).
pub async fn collection(
    data: &FederationData,
    account: &Account,
) -> Result<WithContext<OrderedCollection<Note>>, Error> {
    let pinned = pin::pinned_for(&data.db, account.id, Viewer::Anonymous).await?;
    let mut items = Vec::with_capacity(pinned.len());
    for post in pinned
        .iter()
        .filter(|p| matches!(p.visibility, Visibility::Public | Visibility::Unlisted))
    {
        let extras = note::extras(&data.db, &data.urls, post).await?;
        items.push(note::note_of(&data.urls, account, post, &extras));
    }
    let id = featured_id(&data.urls, account);
    Ok(with_context(OrderedCollection::listed(id, items)))
}
