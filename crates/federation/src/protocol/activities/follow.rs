//! `Follow`: an actor asks to follow another (or to join a group, or to subscribe
//! to a hashtag feed).

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FollowType;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::objects::person::DbActor;
use crate::protocol::activities::undo::Undoable;
use crate::protocol::values::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: ObjectId<DbActor>,
    pub object: ObjectId<DbActor>,
    /// The followed account, as Lemmy wants it; none in a follow embedded in its
    /// answer.
    #[serde(
        default,
        deserialize_with = "ids",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<String>,
}

impl Undoable for Follow {
    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &ObjectId<DbActor> {
        &self.actor
    }
}
