//! `Like` and `Announce`: someone favourites or boosts a post stored here; the
//! post's author is notified. An `Announce` by a hashtag feed peer relays a post
//! instead (see `hashtag_feeds`); one by an account followed here (a group
//! passing on a member's post) of a post not stored here fetches the post first;
//! a closed group's announce carries the post itself (see `groups`).

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::{AnnounceType, LikeType};
use activitypub_federation::traits::Activity;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use staffroom_domain::accounts::account::AccountKind;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::{graph::follow, posts::interaction};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::Event;
use crate::objects::person::DbActor;
use crate::objects::post::{DbPost, visibility_of_addressing};
use crate::protocol::values::{id_of, one_or_many};
use crate::{groups, hashtag_feeds};

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

/// The post an announce names, fetched from its server when it is not stored
/// here; `None` when it cannot be (gone, not public, or its server is blocked).
async fn fetched_post(object: &Value, data: &Data) -> Option<DbPost> {
    let id = groups::announced_post_id(object).and_then(|id| Url::parse(id).ok())?;
    match ObjectId::<DbPost>::from(id).dereference(data).await {
        Ok(post) => Some(post),
        Err(e) => {
            tracing::info!(error = %e, "an announced post could not be fetched: dropped");
            None
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Like {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: LikeType,
    pub actor: ObjectId<DbActor>,
    pub object: Value,
}

#[async_trait::async_trait]
impl Activity for Like {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let Some(post) = stored_post(&self.object, data).await? else {
            return Ok(());
        };
        let actor = self.actor.dereference(data).await?;
        let now = Utc::now();
        interaction::favourite(
            &data.db,
            actor.account.id,
            &post.post,
            Some(self.id.to_string()),
            now,
        )
        .await?;
        data.events
            .interacted(
                &data.db,
                now,
                actor.account.id,
                post.post.id,
                Kind::Favourite,
            )
            .await;
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub actor: ObjectId<DbActor>,
    pub object: Value,
    #[serde(default, deserialize_with = "one_or_many")]
    pub to: Vec<Value>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub cc: Vec<Value>,
}

#[async_trait::async_trait]
impl Activity for Announce {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let actor = self.actor.dereference(data).await?;
        if hashtag_feeds::is_relayed(data.app_data(), &actor.account).await? {
            return hashtag_feeds::receive_relayed(data, &self.object, &actor.account).await;
        }
        let from_group = actor.account.kind == AccountKind::Group;
        if from_group && let Some(note) = groups::embedded_private_post(&self.object) {
            return groups::receive_private_post(data, &actor.account, note).await;
        }
        if from_group
            && groups::receive_announced_change(data, &actor.account, &self.object).await?
        {
            return Ok(());
        }
        let Some(shared) = groups::announced_post_id(&self.object) else {
            return Ok(());
        };
        let post = match stored_post(&Value::from(shared), data).await? {
            Some(post) => post,
            // What an account followed here shares (a group announcing its members'
            // posts) is fetched from its author's server.
            None if follow::followed_here(&data.db, actor.account.id).await? => {
                match fetched_post(&self.object, data).await {
                    Some(post) => post,
                    None => return Ok(()),
                }
            }
            None => return Ok(()),
        };
        let followers = actor
            .account
            .remote
            .as_ref()
            .and_then(|r| r.followers.clone());
        let visibility = visibility_of_addressing(&self.to, &self.cc, followers.as_deref());
        if from_group
            && interaction::has_reblogged(&data.db, actor.account.id, post.post.id).await?
        {
            // A group announces a post again, by a new id, when it was edited.
            let again = staffroom_domain::posts::post::find_by_uri(&data.db, self.id.as_str())
                .await?
                .is_some();
            if !post.post.local && !again {
                groups::refresh_shared(data, &post.post).await?;
            }
            return Ok(());
        }
        let now = Utc::now();
        match interaction::reblog(
            &data.db,
            actor.account.id,
            &post.post,
            Some(self.id.as_str()),
            visibility,
            now,
        )
        .await
        {
            Ok((boost, new)) => {
                if new {
                    data.events.publish(Event::PostCreated(boost.id));
                    data.events
                        .interacted(&data.db, now, actor.account.id, post.post.id, Kind::Reblog)
                        .await;
                }
                Ok(())
            }
            // A boost of a post that cannot be boosted is dropped, not an error.
            Err(staffroom_domain::Error::Forbidden(_)) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
