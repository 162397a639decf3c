//! `Move`: an account moved to a new account (Mastodon's account migration).
//! This instance sends one when a local account moves away (see
//! [`crate::moving`]). Received, from an account of another server: the new
//! account (on a third server, or on this one) must name the old one among
//! its `alsoKnownAs`, as Mastodon checks; then the old account shows the
//! move, and each person here who followed it follows the new account instead
//! (a request where the new account approves its followers). A `Move` whose
//! target does not name the old account is refused and changes nothing.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::MoveType;
use activitypub_federation::traits::Activity;
use staffroom_domain::accounts::remote;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::moving;
use crate::protocol::activities::moves::Move;
use crate::protocol::values::id_of;

impl Move {
    /// The `Move` (with the id `id`) of the local actor `old_id` to the
    /// account `new_id`: the actor moves itself.
    pub fn new(id: &str, old_id: &str, new_id: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: MoveType::Move,
            actor: ObjectId::parse(old_id)?,
            object: serde_json::Value::String(old_id.to_owned()),
            target: Url::parse(new_id)?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Move {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        if id_of(&self.object) != Some(self.actor.inner().as_str()) {
            return Err(Error::Refused("an account may only move itself".into()));
        }
        if self.target == *self.actor.inner() {
            return Err(Error::Refused("an account cannot move to itself".into()));
        }
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let old = self.actor.dereference(data).await?;
        // The new account (fetched now, or this instance's own) must name the
        // old one.
        let old_id = self.actor.inner().as_str();
        let new = moving::confirmed_target(data, old_id, &self.target).await?;
        remote::set_moved(&data.db, old.account.id, new.id).await?;
        let moved = moving::take_followers_along(data.app_data(), &old.account, &new).await?;
        tracing::info!(
            from = %old_id,
            to = %self.target,
            followers = moved,
            "an account moved: its followers here follow the new one"
        );
        Ok(())
    }
}
