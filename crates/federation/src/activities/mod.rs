//! What each activity does, sent or received: one file per type (its wire struct
//! is in `crate::protocol::activities`; `Other`, never sent, keeps its own),
//! holding how it is made (`new`, and named variants such as `Announce::boost`),
//! sent where the type itself says to whom (`send`: a follow to the account
//! followed, an answer to the follower, a like to the post's author ...; the
//! others go through `send::deliver` to the inboxes their use case picks), and
//! checked and applied when it arrives (`verify`, `receive`); and the enum the
//! inbox parses. Folders by topic: `following/` (`Follow`, `Accept` and
//! `Reject`, `Move`), `interactions/` (`Like`, `Announce`), `moderation/`
//! (`Block`, `Flag`); `featured` sends `Add` and `Remove`.

pub mod create;
pub mod delete;
pub mod featured;
pub mod following;
pub mod interactions;
pub mod join_or_leave;
pub mod moderation;
pub mod other;
pub mod undo;
pub mod update;

use activitypub_federation::traits::Activity;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::accounts::account::Account;
use staffroom_domain::delivery::received;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::protocol::activities::{
    accept_or_reject::{Accept, Reject},
    announce::Announce,
    block::Block,
    create::Create,
    delete::Delete,
    flag::Flag,
    follow::Follow,
    join_or_leave::{Join, Leave},
    like::Like,
    moves::Move,
    undo::Undo,
    update::Update,
};
use crate::send;

/// Makes an activity from its id, its actor's and its object's.
type NewActivity<A> = fn(&str, &str, &str) -> Result<A, Error>;

/// Sends what `new` makes of the local `actor` acting on `object` (`id` is the
/// activity's own) to the server of `recipient`, the account it concerns: the
/// followed or blocked account, the author of the post liked.
async fn send_to<A: Serialize>(
    data: &FederationData,
    actor: &Account,
    recipient: &Account,
    id: &str,
    object: &str,
    new: NewActivity<A>,
) -> Result<(), Error> {
    let activity = new(id, &actor_id(&data.urls, actor), object)?;
    send::deliver(data, actor, &activity, send::inbox_of(recipient)).await
}

/// Every activity the inbox accepts. Types Staffroom does not act on are parsed as
/// [`other::Other`]: their signature is still checked, then they are ignored.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum InboxActivity {
    Follow(Follow),
    Accept(Accept),
    Reject(Reject),
    Undo(Undo),
    Create(Create),
    Update(Update),
    Delete(Delete),
    Like(Like),
    Announce(Announce),
    Block(Block),
    Flag(Flag),
    Move(Move),
    Join(Join),
    Leave(Leave),
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
            InboxActivity::Join($a) => $body,
            InboxActivity::Leave($a) => $body,
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
