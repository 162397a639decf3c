//! `Block`: an actor blocks another.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::BlockType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::activities::undo::Undoable;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block<O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: BlockType,
    pub actor: ObjectId<DbActor>,
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    /// The account blocked: its id when sent, its id or its actor received.
    pub object: O,
}

impl<O> Undoable for Block<O> {
    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &ObjectId<DbActor> {
        &self.actor
    }
}
