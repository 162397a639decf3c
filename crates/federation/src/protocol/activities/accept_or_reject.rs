//! `Accept` and `Reject`: the answer to a follow request (a `Reject` also ends a
//! follow, as a group removes a member). The two differ only in their type.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{AcceptType, RejectType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptOrReject<K, O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: K,
    pub actor: ObjectId<DbActor>,
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    /// The `Follow` answered: embedded when sent, embedded or by id when received.
    pub object: O,
}

/// A follow request granted.
pub type Accept<O = Value> = AcceptOrReject<AcceptType, O>;
/// A follow request refused, or a follow ended.
pub type Reject<O = Value> = AcceptOrReject<RejectType, O>;
