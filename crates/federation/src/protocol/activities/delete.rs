//! `Delete`: a post, or a whole account, removed by its author.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::DeleteType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete<O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: ObjectId<DbActor>,
    #[serde(default, deserialize_with = "ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "ids")]
    pub cc: Vec<String>,
    /// What is deleted: a `Tombstone` carrying its id when sent, its id or a
    /// `Tombstone` received.
    pub object: O,
}
