//! Activities of types Staffroom does not act on: accepted (with a checked signature)
//! and ignored, as the protocol asks.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Activity;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Other {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: ObjectId<DbActor>,
}

#[async_trait::async_trait]
impl Activity for Other {
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

    async fn receive(self, _data: &Data) -> Result<(), Self::Error> {
        tracing::debug!(id = %self.id, kind = %self.kind, "ignored an activity of a type not handled");
        Ok(())
    }
}
