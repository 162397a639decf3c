//! `Accept` and `Reject`: a remote account answers a follow request sent from here.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{AcceptType, RejectType};
use activitypub_federation::traits::Activity;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use staffroom_domain::accounts::account;
use staffroom_domain::graph::follow::{self, Follow};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::protocol::values::id_of;
use crate::{groups, hashtag_feeds};

/// The follow an answer is about, checked to be one asked of its sender.
async fn answered_follow(
    actor: &ObjectId<DbActor>,
    object: &Value,
    data: &Data,
) -> Result<Option<Follow>, Error> {
    let Some(follow_id) = id_of(object) else {
        return Ok(None);
    };
    let Some(follow) = follow::find_by_uri(&data.db, follow_id).await? else {
        return Ok(None);
    };
    let target = actor.dereference(data).await?;
    if follow.target_id != target.account.id {
        return Err(Error::Refused(
            "only the followed account may answer a follow".into(),
        ));
    }
    Ok(Some(follow))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub actor: ObjectId<DbActor>,
    /// The `Follow`, embedded or by id.
    pub object: Value,
}

#[async_trait::async_trait]
impl Activity for Accept {
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
        match answered_follow(&self.actor, &self.object, data).await? {
            Some(found) => {
                follow::accept(&data.db, found.id).await?;
                tracing::info!(target = %self.actor.inner(), "follow accepted");
                let instance = account::instance_actor(&data.db).await?;
                if found.follower_id == instance.id && !found.accepted {
                    let feed = account::get(&data.db, found.target_id).await?;
                    hashtag_feeds::joined(data.app_data(), &feed).await?;
                } else if !found.accepted {
                    let target = account::get(&data.db, found.target_id).await?;
                    if let Err(e) = groups::read_history(data, &target).await {
                        tracing::info!(error = %e, "a closed group's history could not be read");
                    }
                }
            }
            None => tracing::debug!(id = %self.id, "accept of an unknown follow: ignored"),
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reject {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub actor: ObjectId<DbActor>,
    pub object: Value,
}

#[async_trait::async_trait]
impl Activity for Reject {
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
        if let Some(found) = answered_follow(&self.actor, &self.object, data).await? {
            follow::remove(&data.db, found.follower_id, found.target_id).await?;
            tracing::info!(target = %self.actor.inner(), "follow rejected");
        }
        Ok(())
    }
}
