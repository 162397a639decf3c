//! `Block`: a person (or a group) here blocks an account elsewhere, whose server
//! is told; someone on another server blocks a person here. Follows between them
//! end, and the block is kept so that the blocker's posts and notifications stay
//! away from the blocked person, and the relationship shows it.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::BlockType;
use activitypub_federation::traits::Activity;
use chrono::Utc;
use staffroom_domain::accounts::account::Account;
use url::Url;

use crate::activities::send_to;
use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::follows::any_actor_id;
use crate::objects::person::DbActor;
use crate::protocol::activities::block::Block;
use crate::protocol::values::id_of;

impl Block<String> {
    /// `actor` blocks `object`; `id` is the block's own.
    pub fn new(id: &str, actor: &str, object: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: BlockType::Block,
            actor: ObjectId::parse(actor)?,
            to: vec![object.to_owned()],
            object: object.to_owned(),
        })
    }

    /// The local `account`'s block `id` of `target`, sent to the target's server
    /// (so that it stops delivering and showing).
    pub async fn send(
        data: &FederationData,
        account: &Account,
        target: &Account,
        id: &str,
    ) -> Result<(), Error> {
        let object = any_actor_id(&data.urls, target);
        send_to(data, account, target, id, &object, Self::new).await
    }
}

#[async_trait::async_trait]
impl Activity for Block {
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
        let Some(target) = id_of(&self.object).and_then(|id| Url::parse(id).ok()) else {
            return Err(Error::Refused("the block names no account".into()));
        };
        // Only blocks of people here concern this server.
        let Ok(target) = ObjectId::<DbActor>::from(target)
            .dereference_local(data)
            .await
        else {
            return Ok(());
        };
        if !target.account.is_local() {
            return Ok(());
        }
        let blocker = self.actor.dereference(data).await?;
        staffroom_domain::graph::block::block(
            &data.db,
            blocker.account.id,
            target.account.id,
            Some(self.id.to_string()),
            Utc::now(),
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_block_names_and_addresses_the_blocked() {
        let block = Block::new(
            "https://a.example/activities/7",
            "https://a.example/users/ann",
            "https://b.example/users/bob",
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&block).unwrap(),
            json!({
                "id": "https://a.example/activities/7",
                "type": "Block",
                "actor": "https://a.example/users/ann",
                "to": ["https://b.example/users/bob"],
                "object": "https://b.example/users/bob",
            })
        );
    }
}
