//! `Delete`: a local post removed, told to where it went; a local account
//! deleted, told to the servers that know it; a post, or a whole account,
//! removed by its own author elsewhere. A post that hashtag feeds relayed
//! from here is withdrawn from where they sent it.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::DeleteType;
use activitypub_federation::protocol::tombstone::Tombstone;
use activitypub_federation::traits::Activity;
use staffroom_domain::accounts::remote;
use staffroom_domain::posts::post;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::post::remove_remote;
use crate::protocol::activities::delete::Delete;
use crate::protocol::note::Note;
use crate::protocol::values::id_of;
use crate::{groups, hashtag_feeds};

impl Delete<Tombstone> {
    /// The `Delete` of the local `note`, which is gone: a `Tombstone` for its
    /// audience.
    pub fn new(note: &Note) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(&format!("{}#delete", note.id))?,
            kind: DeleteType::Delete,
            actor: ObjectId::parse(&note.attributed_to)?,
            to: note.to.clone(),
            cc: note.cc.clone(),
            object: Tombstone::new(Url::parse(&note.id)?),
        })
    }
}

impl Delete<Url> {
    /// The `Delete` of the local actor `actor_id` itself, whose account is
    /// deleted: other servers remove it and everything they hold of it.
    pub fn of_actor(actor_id: &str) -> Result<Self, Error> {
        let actor = Url::parse(actor_id)?;
        Ok(Self {
            id: Url::parse(&format!("{actor_id}#delete"))?,
            kind: DeleteType::Delete,
            actor: ObjectId::parse(actor_id)?,
            to: vec![crate::protocol::PUBLIC.to_owned()],
            cc: Vec::new(),
            object: actor,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Delete {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        if id_of(&self.object).is_none() {
            return Err(Error::Refused("a delete that names nothing".into()));
        }
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let target = id_of(&self.object).unwrap_or_default();
        if target == self.actor.inner().as_str() {
            let removed = remote::delete(&data.db, target).await?;
            tracing::info!(actor = %target, removed, "remote account deleted");
            return Ok(());
        }
        let author = self.actor.dereference(data).await?;
        let removed = match post::find_by_uri(&data.db, target).await? {
            Some(found) if found.account_id == author.account.id => {
                let relayed = hashtag_feeds::relayed_to(data.app_data(), &found).await?;
                let shared = groups::shared_by_groups(data.app_data(), &found).await?;
                remove_remote(data, &found).await?;
                hashtag_feeds::withdraw(data.app_data(), &found, target, relayed).await?;
                groups::withdraw(data.app_data(), &found, shared).await?;
                true
            }
            _ => false,
        };
        tracing::info!(post = %target, removed, "remote post deleted");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::note::sample;

    #[test]
    fn an_account_deletes_itself_publicly() {
        assert_eq!(
            serde_json::to_value(Delete::of_actor("https://a.example/users/ann").unwrap()).unwrap(),
            json!({
                "id": "https://a.example/users/ann#delete",
                "type": "Delete",
                "actor": "https://a.example/users/ann",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [],
                "object": "https://a.example/users/ann",
            })
        );
    }

    #[test]
    fn a_delete_leaves_a_tombstone_for_the_same_audience() {
        let mut note = sample();
        // A direct post: `cc` stays an array, empty.
        note.to = vec!["https://b.example/users/bob".into()];
        note.cc = Vec::new();
        assert_eq!(
            serde_json::to_value(Delete::new(&note).unwrap()).unwrap(),
            json!({
                "id": "https://a.example/users/ann/statuses/5#delete",
                "type": "Delete",
                "actor": "https://a.example/users/ann",
                "to": ["https://b.example/users/bob"],
                "cc": [],
                "object": {"id": "https://a.example/users/ann/statuses/5", "type": "Tombstone"},
            })
        );
    }
}
