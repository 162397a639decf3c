//! `Join` and `Leave`: a person asks to take part in an event, or no longer
//! will, as Mobilizon sends them (the event is the `object`, by id). The two
//! differ only in their type.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{JoinType, LeaveType};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JoinOrLeave<K, O = Value> {
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
    /// The event: its id when sent, its id or the event received.
    pub object: O,
}

/// A request to take part in an event.
pub type Join<O = Value> = JoinOrLeave<JoinType, O>;
/// The end of a participation.
pub type Leave<O = Value> = JoinOrLeave<LeaveType, O>;
