//! `Create`: a new local post, sent to its audience; a new post from another
//! server, stored when it belongs here: its author is followed from this
//! instance, or it mentions, addresses or answers someone or something here.
//! Anything else is acknowledged and dropped. A post a member addresses to a
//! local group is announced by the group. A note with a `name` that answers a
//! local poll is a vote (see [`crate::polls`]), never stored as a post.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::CreateType;
use activitypub_federation::traits::{Activity, Object};
use chrono::Utc;
use serde_json::Value;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::notifications::recipients;
use staffroom_domain::{accounts::account, graph::follow};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::{self, Event};
use crate::groups;
use crate::hashtag_feeds;
use crate::objects::post::{DbPost, mentions_of, read_note};
use crate::polls;
use crate::protocol::activities::create::Create;
use crate::protocol::note::{Note, RemoteNoteObject};
use crate::protocol::values::id_of;

impl Create<Note> {
    /// The `Create` that publishes `note`, from its author to its audience.
    pub fn new(note: Note) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(&format!("{}/activity", note.id))?,
            kind: CreateType::Create,
            actor: ObjectId::parse(&note.attributed_to)?,
            published: Some(note.published.clone()),
            to: note.to.clone(),
            cc: note.cc.clone(),
            object: note,
        })
    }
}

/// Whether `note` names anything of this instance: a mention, an addressee, or the
/// post it answers.
fn touches_this_instance(note: &RemoteNoteObject, data: &FederationData) -> bool {
    let origin = format!("{}/", data.urls.origin());
    let ours = |value: &Value| id_of(value).is_some_and(|id| id.starts_with(&origin));
    note.tag.iter().any(ours)
        || note.to.iter().any(ours)
        || note.cc.iter().any(ours)
        || note.in_reply_to.as_ref().is_some_and(ours)
}

#[async_trait::async_trait]
impl Activity for Create {
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
        let Ok(note) = serde_json::from_value::<RemoteNoteObject>(self.object.clone()) else {
            tracing::debug!(id = %self.id, "created object is not a post: ignored");
            return Ok(());
        };
        let Ok(content) = read_note(&note) else {
            tracing::debug!(id = %self.id, kind = %note.kind, "created object is not a post: ignored");
            return Ok(());
        };
        if content.author != *self.actor.inner() {
            return Err(Error::Refused(
                "an actor may only create its own posts".into(),
            ));
        }
        DbPost::verify(&note, &self.id, data).await?;
        let author = self.actor.dereference(data).await?;
        if polls::receive_vote(data.app_data(), &author.account, &note).await? {
            return Ok(());
        }
        let wanted = follow::followed_here(&data.db, author.account.id).await?
            || touches_this_instance(&note, data.app_data());
        if !wanted {
            tracing::debug!(id = %note.id, "post for nobody here: ignored");
            return Ok(());
        }
        let mentioned = mentions_of(&note);
        let addressed = groups::addressed_here(data.app_data(), &note).await?;
        let mark = events::mark(Utc::now());
        let stored = DbPost::from_json(note, data).await?;
        for href in mentioned {
            if let Some(username) = data.urls.local_username(&href)
                && let Some(local) = account::find_local(&data.db, &username).await?
            {
                recipients::tell(
                    &data.db,
                    local.id,
                    author.account.id,
                    Kind::Mention,
                    Some(stored.post.id),
                    Utc::now(),
                )
                .await?;
            }
        }
        groups::keep_for_closed_groups(data.app_data(), &stored.post, &addressed).await?;
        data.events.publish(Event::PostCreated(stored.post.id));
        data.events
            .notified(
                &data.db,
                mark,
                author.account.id,
                Some(stored.post.id),
                &[Kind::Mention, Kind::Status],
            )
            .await;
        tracing::info!(post = %stored.id(), "remote post stored");
        hashtag_feeds::relay(data.app_data(), &stored.post, None).await?;
        groups::share(data.app_data(), &stored.post, &addressed).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::note::sample;

    #[test]
    fn a_create_carries_the_note_and_its_addressing() {
        let create = serde_json::to_value(Create::new(sample()).unwrap()).unwrap();
        let note = serde_json::to_value(sample()).unwrap();
        assert_eq!(
            create,
            json!({
                "id": "https://a.example/users/ann/statuses/5/activity",
                "type": "Create",
                "actor": "https://a.example/users/ann",
                "published": "2026-01-02T03:04:05Z",
                "to": note["to"],
                "cc": note["cc"],
                "object": note,
            })
        );
    }
}
