//! `Join` and `Leave` received: someone elsewhere asks to take part in an event
//! here, or no longer will (see [`crate::participation`], which also sends them).

use activitypub_federation::traits::Activity;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::participation;
use crate::protocol::activities::join_or_leave::{Join, Leave};
use crate::protocol::values::id_of;

#[async_trait::async_trait]
impl Activity for Join {
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
        let Some(object) = id_of(&self.object) else {
            return Err(Error::Refused("a join names no event".into()));
        };
        let actor = self.actor.dereference(data).await?;
        participation::receive_join(data.app_data(), &actor.account, self.id.as_str(), object).await
    }
}

#[async_trait::async_trait]
impl Activity for Leave {
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
        let Some(object) = id_of(&self.object) else {
            return Err(Error::Refused("a leave names no event".into()));
        };
        let actor = self.actor.dereference(data).await?;
        participation::receive_leave(data.app_data(), &actor.account, object).await
    }
}
