//! `Announce`: a boost, a group passing on its members' posts (FEP-1b12), or a
//! hashtag feed relaying posts with its tag.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::AnnounceType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::activities::undo::Undoable;
use crate::protocol::values::{ids, optional_id};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce<O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub actor: ObjectId<DbActor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub cc: Vec<String>,
    /// The group a closed group's announce is in.
    #[serde(
        default,
        deserialize_with = "optional_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<String>,
    /// What is announced: a post's id, a closed group's post embedded, or (from
    /// Lemmy and Mbin) a whole activity.
    pub object: O,
}

impl<O> Undoable for Announce<O> {
    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &ObjectId<DbActor> {
        &self.actor
    }
}
