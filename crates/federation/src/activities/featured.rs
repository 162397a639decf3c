//! `Add` and `Remove`: a person here pins a post to their featured collection,
//! or unpins it, and their followers' servers are told. Neither is read when it
//! comes from elsewhere yet.

use activitypub_federation::fetch::object_id::ObjectId;
use serde::Serialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::graph::follow;
use staffroom_domain::posts::post::Post;
use url::Url;

use crate::context::FederationData;
use crate::error::Error;
use crate::objects::actor::{actor_id, featured_id};
use crate::protocol::PUBLIC;
use crate::protocol::activities::add_or_remove::AddOrRemove;
use crate::send;

impl<K: Default + Serialize> AddOrRemove<K> {
    /// `actor` adds the post `object` to its collection `target` (or removes it
    /// from there), publicly; `id` is the activity's own.
    pub fn new(id: &str, actor: &str, object: &str, target: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: K::default(),
            actor: ObjectId::parse(actor)?,
            to: vec![PUBLIC.to_owned()],
            object: object.to_owned(),
            target: target.to_owned(),
        })
    }

    /// The local `account` pins its `post` (`Add`) or unpins it (`Remove`): its
    /// followers' servers are told.
    pub async fn send(data: &FederationData, account: &Account, post: &Post) -> Result<(), Error> {
        let change = Self::new(
            &send::new_activity_id(&data.urls),
            &actor_id(&data.urls, account),
            &data.urls.post(&account.username, post.id),
            &featured_id(&data.urls, account),
        )?;
        let inboxes = follow::follower_inboxes(&data.db, account.id).await?;
        send::deliver(data, account, &change, inboxes).await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::protocol::activities::add_or_remove::{Add, Remove};

    #[test]
    fn a_pin_adds_the_post_to_the_featured_collection() {
        let parts = [
            "https://a.example/activities/9",
            "https://a.example/users/ann",
            "https://a.example/users/ann/statuses/5",
            "https://a.example/users/ann/collections/featured",
        ];
        let add = Add::new(parts[0], parts[1], parts[2], parts[3]).unwrap();
        assert_eq!(
            serde_json::to_value(add).unwrap(),
            json!({
                "id": parts[0],
                "type": "Add",
                "actor": parts[1],
                "to": [PUBLIC],
                "object": parts[2],
                "target": parts[3],
            })
        );
        let remove = Remove::new(parts[0], parts[1], parts[2], parts[3]).unwrap();
        assert_eq!(serde_json::to_value(remove).unwrap()["type"], "Remove");
    }
}
