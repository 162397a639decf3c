//! `Flag`: a report of an account and some of its posts, sent to the moderators of
//! the account's server.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FlagType;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    pub actor: ObjectId<DbActor>,
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    /// The reporter's comment, as they typed it.
    #[serde(default)]
    pub content: Option<String>,
    /// The account and the posts reported, in any order (by id, or embedded when
    /// received).
    #[serde(default, deserialize_with = "ids")]
    pub object: Vec<String>,
}
