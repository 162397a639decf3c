//! Interactions with posts: `Like` (a favourite) and `Announce` (a boost, a
//! group passing on its members' posts, a hashtag feed relaying posts).

pub mod announce;
pub mod like;

use activitypub_federation::fetch::object_id::ObjectId;
use serde_json::Value;
use url::Url;

use crate::context::Data;
use crate::error::Error;
use crate::objects::post::DbPost;
use crate::protocol::values::id_of;

/// The post an activity names, if it is stored here (a favourite or boost of
/// anything else is not ours to count).
async fn stored_post(object: &Value, data: &Data) -> Result<Option<DbPost>, Error> {
    let Some(id) = id_of(object).and_then(|id| Url::parse(id).ok()) else {
        return Err(Error::Refused("the activity names no post".into()));
    };
    Ok(ObjectId::<DbPost>::from(id)
        .dereference_local(data)
        .await
        .ok())
}
