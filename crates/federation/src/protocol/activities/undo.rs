//! `Undo`: an actor takes back an activity of its own (a follow, a favourite, a
//! boost or an announce, a block).

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::UndoType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

/// An activity that can be taken back: what its `Undo` is made from.
pub trait Undoable {
    /// The activity's id.
    fn id(&self) -> &Url;
    /// Who did it, and may undo it.
    fn actor(&self) -> &ObjectId<DbActor>;
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undo<O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub actor: ObjectId<DbActor>,
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    /// The activity undone: embedded (as Mastodon and Lemmy send it) or its id.
    pub object: O,
}
