//! `Undo`: an account here takes back a follow, a favourite, a boost, an announce
//! or a block, and where it went is told; someone elsewhere takes back what they
//! did. Undoing a `Follow` ends it (or withdraws the request); a `Like`,
//! `Announce` or `Block` is taken back; undoing what Staffroom does not track is
//! acknowledged.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::UndoType;
use activitypub_federation::traits::Activity;
use serde_json::Value;
use staffroom_domain::accounts::account::AccountKind;
use staffroom_domain::{graph::follow, posts::interaction};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::protocol::activities::undo::{Undo, Undoable};
use crate::protocol::values::id_of;
use crate::{groups, hashtag_feeds};

impl<O: Undoable> Undo<O> {
    /// Its actor takes back `object`, telling `to`; the undo's id is the undone
    /// activity's with `/undo`.
    pub fn new(object: O, to: Vec<String>) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(&format!("{}/undo", object.id()))?,
            kind: UndoType::Undo,
            actor: object.actor().clone(),
            to,
            object,
        })
    }
}

impl Undo {
    fn undone_type(&self) -> Option<&str> {
        self.object.get("type").and_then(Value::as_str)
    }

    /// The id of the account a `Follow` named, whether embedded or by id.
    fn follow_target(&self) -> Option<Url> {
        let target = self.object.get("object")?;
        let id = target
            .as_str()
            .or_else(|| target.get("id").and_then(Value::as_str))?;
        Url::parse(id).ok()
    }
}

#[async_trait::async_trait]
impl Activity for Undo {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        // Only the actor of an activity may undo it.
        if let Some(actor) = self.object.get("actor").and_then(Value::as_str)
            && actor != self.actor.inner().as_str()
        {
            return Err(Error::Refused(
                "an actor may only undo its own activities".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        match self.undone_type() {
            Some("Follow") => {}
            Some(kind @ ("Like" | "Announce")) => {
                let Some(undone) = id_of(&self.object) else {
                    return Ok(());
                };
                let actor = self.actor.dereference(data).await?;
                if kind == "Announce"
                    && hashtag_feeds::is_relayed(data.app_data(), &actor.account).await?
                {
                    let post = self.object.get("object").and_then(id_of);
                    if let Some(post) = post {
                        hashtag_feeds::recheck(data, post).await?;
                    }
                    return Ok(());
                }
                if kind == "Announce" && actor.account.kind == AccountKind::Group {
                    let post = self.object.get("object").and_then(id_of);
                    if let Some(post) = post {
                        groups::receive_withdrawal(data, &actor.account, undone, post).await?;
                    }
                    return Ok(());
                }
                let removed = if kind == "Like" {
                    interaction::unfavourite_by_uri(&data.db, actor.account.id, undone).await?
                } else {
                    let boost =
                        staffroom_domain::posts::post::find_by_uri(&data.db, undone).await?;
                    let removed =
                        interaction::unreblog_by_uri(&data.db, actor.account.id, undone).await?;
                    // A boost has no tags or mentions of its own: what it was is all
                    // there is to tell.
                    if removed
                        && let Some(boost) = boost
                        && let Some(gone) = crate::events::removal(&data.db, &boost).await
                    {
                        data.events.post_deleted(gone);
                    }
                    removed
                };
                tracing::info!(%kind, removed, "interaction undone");
                return Ok(());
            }
            Some("Block") => {
                let Some(undone) = id_of(&self.object) else {
                    return Ok(());
                };
                let actor = self.actor.dereference(data).await?;
                let removed = staffroom_domain::graph::block::unblock_by_uri(
                    &data.db,
                    actor.account.id,
                    undone,
                )
                .await?;
                tracing::info!(removed, "block undone");
                return Ok(());
            }
            _ => {
                tracing::debug!(id = %self.id, "undo of an activity not tracked here");
                return Ok(());
            }
        }
        let Some(target) = self.follow_target() else {
            return Err(Error::Refused("the undone follow names no account".into()));
        };
        let target: ObjectId<DbActor> = target.into();
        let Ok(target) = target.dereference_local(data).await else {
            return Ok(());
        };
        let follower = self.actor.dereference(data).await?;
        let removed = follow::remove(&data.db, follower.account.id, target.account.id).await?;
        tracing::info!(follower = %self.actor.inner(), removed, "follow undone");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::activities::follow::Follow;

    #[test]
    fn an_undo_embeds_what_it_takes_back_and_extends_its_id() {
        let follow = Follow::new(
            "https://a.example/activities/1",
            "https://a.example/users/ann",
            "https://b.example/users/bob",
        )
        .unwrap();
        let undo = Undo::new(follow, vec!["https://b.example/users/bob".to_owned()]).unwrap();
        assert_eq!(
            serde_json::to_value(&undo).unwrap(),
            json!({
                "id": "https://a.example/activities/1/undo",
                "type": "Undo",
                "actor": "https://a.example/users/ann",
                "to": ["https://b.example/users/bob"],
                "object": {
                    "id": "https://a.example/activities/1",
                    "type": "Follow",
                    "actor": "https://a.example/users/ann",
                    "object": "https://b.example/users/bob",
                    "to": ["https://b.example/users/bob"],
                },
            })
        );
    }
}
