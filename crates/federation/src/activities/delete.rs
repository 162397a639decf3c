//! `Delete`: a post, or a whole account, removed by its own author. A post that
//! hashtag feeds relayed from here is withdrawn from where they sent it.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::DeleteType;
use activitypub_federation::traits::Activity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use staffroom_domain::accounts::remote;
use staffroom_domain::posts::post;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::objects::post::remove_remote;
use crate::protocol::values::id_of;
use crate::{groups, hashtag_feeds};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: ObjectId<DbActor>,
    /// The id of what is deleted, or a `Tombstone` carrying it.
    pub object: Value,
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
