//! Activities Staffroom receives: one module per type, and the enum the inbox parses.

pub mod follow;
pub mod other;
pub mod undo;

use activitypub_federation::traits::Activity;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::received;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;

/// Every activity the inbox accepts. Types Staffroom does not act on are parsed as
/// [`other::Other`]: their signature is still checked, then they are ignored.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum InboxActivity {
    Follow(follow::Follow),
    Undo(undo::Undo),
    Other(other::Other),
}

#[async_trait::async_trait]
impl Activity for InboxActivity {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        match self {
            Self::Follow(a) => a.id(),
            Self::Undo(a) => a.id(),
            Self::Other(a) => a.id(),
        }
    }

    fn actor(&self) -> &Url {
        match self {
            Self::Follow(a) => a.actor(),
            Self::Undo(a) => a.actor(),
            Self::Other(a) => a.actor(),
        }
    }

    async fn verify(&self, data: &Data) -> Result<(), Self::Error> {
        match self {
            Self::Follow(a) => a.verify(data).await,
            Self::Undo(a) => a.verify(data).await,
            Self::Other(a) => a.verify(data).await,
        }
    }

    /// Applies the activity once: a re-delivered id is acknowledged and skipped.
    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let id = self.id().to_string();
        if received::seen(&data.db, &id).await? {
            tracing::debug!(%id, "activity already received");
            return Ok(());
        }
        match self {
            Self::Follow(a) => a.receive(data).await?,
            Self::Undo(a) => a.receive(data).await?,
            Self::Other(a) => a.receive(data).await?,
        }
        received::record(&data.db, &id, Utc::now()).await?;
        Ok(())
    }
}
