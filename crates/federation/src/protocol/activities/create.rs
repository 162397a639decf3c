//! `Create`: a new post.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::CreateType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Create<O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub actor: ObjectId<DbActor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, deserialize_with = "ids")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "ids")]
    pub cc: Vec<String>,
    /// The post: a `Note` when sent, any kind of post (or anything else) received.
    pub object: O,
}
