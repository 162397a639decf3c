//! `Move`: an account of another server moved to a new account (Mastodon's
//! account migration). The new account must name the old one among its
//! `alsoKnownAs`, as Mastodon checks; then the old account shows the move, and
//! each person here who followed it follows the new account instead (a request
//! where the new account approves its followers). A `Move` whose target does
//! not name the old account is refused and changes nothing.

use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::traits::{Activity, Object};
use staffroom_domain::{accounts::remote, graph::follow};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::protocol::activities::moves::Move;
use crate::protocol::actor::RemoteActorObject;
use crate::protocol::values::id_of;
use crate::relationships;

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
        if data.urls.local_username(self.target.as_str()).is_some() {
            return Err(Error::Refused(
                "a move to an account of this instance is not taken yet".into(),
            ));
        }
        let old = self.actor.dereference(data).await?;
        // The new account's own document, fetched now, must name the old one.
        let document: RemoteActorObject = fetch_object_http(&self.target, data).await?.object;
        let old_id = self.actor.inner().as_str();
        if !document
            .also_known_as
            .iter()
            .filter_map(id_of)
            .any(|id| id == old_id)
        {
            return Err(Error::Refused(
                "the new account does not name the old one in alsoKnownAs".into(),
            ));
        }
        DbActor::verify(&document, &self.target, data).await?;
        let new = DbActor::from_json(document, data).await?;
        remote::set_moved(&data.db, old.account.id, new.account.id).await?;
        let followers = follow::local_followers(&data.db, old.account.id).await?;
        for follower in &followers {
            // One follower's trouble (a block between them, say) stops nobody else.
            if let Err(e) =
                relationships::follow(data.app_data(), follower, &new.account, None).await
            {
                tracing::info!(follower = %follower.username, error = %e, "not moved along");
                continue;
            }
            relationships::unfollow(data.app_data(), follower, &old.account).await?;
        }
        tracing::info!(
            from = %old_id,
            to = %self.target,
            followers = followers.len(),
            "an account moved: its followers here follow the new one"
        );
        Ok(())
    }
}
