//! `Move`: an account moved to a new account (Mastodon's account migration).

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::MoveType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Move {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: MoveType,
    pub actor: ObjectId<DbActor>,
    /// The account that moved: the actor itself.
    pub object: Value,
    /// The new account.
    pub target: Url,
}
