//! Activities Staffroom receives: one module per type, and the enum the inbox parses.

pub mod accept;
pub mod block;
pub mod create;
pub mod delete;
pub mod flag;
pub mod follow;
pub mod like;
pub mod moves;
pub mod other;
pub mod undo;
pub mod update;

use activitypub_federation::traits::Activity;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::delivery::received;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;

/// Every activity the inbox accepts. Types Staffroom does not act on are parsed as
/// [`other::Other`]: their signature is still checked, then they are ignored.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum InboxActivity {
    Follow(follow::Follow),
    Accept(accept::Accept),
    Reject(accept::Reject),
    Undo(undo::Undo),
    Create(create::Create),
    Update(update::Update),
    Delete(delete::Delete),
    Like(like::Like),
    Announce(like::Announce),
    Block(block::Block),
    Flag(flag::Flag),
    Move(moves::Move),
    Other(other::Other),
}

/// Calls `$method` on whichever activity `$self` holds.
macro_rules! each {
    ($self:expr, $a:ident => $body:expr) => {
        match $self {
            InboxActivity::Follow($a) => $body,
            InboxActivity::Accept($a) => $body,
            InboxActivity::Reject($a) => $body,
            InboxActivity::Undo($a) => $body,
            InboxActivity::Create($a) => $body,
            InboxActivity::Update($a) => $body,
            InboxActivity::Delete($a) => $body,
            InboxActivity::Like($a) => $body,
            InboxActivity::Announce($a) => $body,
            InboxActivity::Block($a) => $body,
            InboxActivity::Flag($a) => $body,
            InboxActivity::Move($a) => $body,
            InboxActivity::Other($a) => $body,
        }
    };
}

#[async_trait::async_trait]
impl Activity for InboxActivity {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        each!(self, a => a.id())
    }

    fn actor(&self) -> &Url {
        each!(self, a => a.actor())
    }

    async fn verify(&self, data: &Data) -> Result<(), Self::Error> {
        each!(self, a => a.verify(data).await)
    }

    /// Applies the activity once: a re-delivered id is acknowledged and skipped.
    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let id = self.id().to_string();
        if received::seen(&data.db, &id).await? {
            tracing::debug!(%id, "activity already received");
            return Ok(());
        }
        each!(self, a => a.receive(data).await?);
        received::record(&data.db, &id, Utc::now()).await?;
        Ok(())
    }
}
