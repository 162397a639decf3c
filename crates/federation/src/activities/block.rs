//! `Block`: someone on another server blocks a person here. Follows between them
//! end, and the block is kept so that the blocker's posts and notifications stay
//! away from the blocked person, and the relationship shows it.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::BlockType;
use activitypub_federation::traits::Activity;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::protocol::values::id_of;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: BlockType,
    pub actor: ObjectId<DbActor>,
    pub object: Value,
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
