//! `Update`: an edited local post, or a changed local profile, sent to where the
//! post or the profile went; an edited post, or a changed profile, from its own
//! author elsewhere.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::UpdateType;
use activitypub_federation::traits::{Activity, Object};
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::post;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::{self, Event};
use crate::objects::person::DbActor;
use crate::objects::post::{DbPost, read_note};
use crate::protocol::PUBLIC;
use crate::protocol::activities::update::Update;
use crate::protocol::actor::{Actor, RemoteActorObject};
use crate::protocol::note::{Note, RemoteNoteObject};
use crate::{groups, hashtag_feeds};

impl Update<Note> {
    /// The `Update` `id` of the edited `note`, from its author to its audience.
    pub fn of_note(id: &str, note: Note) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: UpdateType::Update,
            actor: ObjectId::parse(&note.attributed_to)?,
            to: note.to.clone(),
            cc: note.cc.clone(),
            object: note,
        })
    }
}

impl Update<Actor> {
    /// The `Update` `id` of the changed actor document `actor`, public and for
    /// its followers.
    pub fn of_actor(id: &str, actor: Actor) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: UpdateType::Update,
            actor: ObjectId::parse(&actor.id)?,
            to: vec![PUBLIC.to_owned()],
            cc: actor.followers.clone().into_iter().collect(),
            object: actor,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Update {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        if let Ok(profile) = serde_json::from_value::<RemoteActorObject>(self.object.clone()) {
            if profile.id != *self.actor.inner() {
                return Err(Error::Refused(
                    "an actor may only update its own profile".into(),
                ));
            }
            DbActor::verify(&profile, &self.id, data).await?;
            DbActor::from_json(profile, data).await?;
            return Ok(());
        }
        let Ok(note) = serde_json::from_value::<RemoteNoteObject>(self.object) else {
            tracing::debug!(id = %self.id, "updated object is neither a post nor a profile: ignored");
            return Ok(());
        };
        let content = read_note(&note)?;
        if content.author != *self.actor.inner() {
            return Err(Error::Refused(
                "an actor may only update its own posts".into(),
            ));
        }
        if post::find_by_uri(&data.db, note.id.as_str())
            .await?
            .is_none()
        {
            // An edit of a post that never came here: nothing to change.
            return Ok(());
        }
        DbPost::verify(&note, &self.id, data).await?;
        let mark = events::mark(chrono::Utc::now());
        let stored = DbPost::from_json(note, data).await?;
        data.events.publish(Event::PostUpdated(stored.post.id));
        hashtag_feeds::pass_on_edit(data.app_data(), &stored.post).await?;
        groups::pass_on_edit(data.app_data(), &stored.post).await?;
        data.events
            .notified(
                &data.db,
                mark,
                stored.post.account_id,
                Some(stored.post.id),
                &[Kind::Update],
            )
            .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::note::sample;

    #[test]
    fn an_update_carries_the_edited_note_and_its_addressing() {
        let update = Update::of_note("https://a.example/activities/6", sample()).unwrap();
        let note = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            serde_json::to_value(update).unwrap(),
            json!({
                "id": "https://a.example/activities/6",
                "type": "Update",
                "actor": "https://a.example/users/ann",
                "to": note["to"],
                "cc": note["cc"],
                "object": note,
            })
        );
    }
}
