//! `Like`: a favourite of a post.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::LikeType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::activities::undo::Undoable;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Like<O = Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: LikeType,
    pub actor: ObjectId<DbActor>,
    /// The post liked: its id when sent, its id or the post received.
    pub object: O,
}

impl<O> Undoable for Like<O> {
    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &ObjectId<DbActor> {
        &self.actor
    }
}
