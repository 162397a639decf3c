//! `Add` and `Remove`: an object put into, or taken out of, a collection (here, a
//! post pinned to or unpinned from its author's featured collection). The two
//! differ only in their type.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{AddType, RemoveType};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddOrRemove<K> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: K,
    pub actor: ObjectId<DbActor>,
    #[serde(default, deserialize_with = "ids")]
    pub to: Vec<String>,
    /// The object's id.
    pub object: String,
    /// The collection's id.
    pub target: String,
}

/// An object put into a collection.
pub type Add = AddOrRemove<AddType>;
/// An object taken out of a collection.
pub type Remove = AddOrRemove<RemoveType>;
