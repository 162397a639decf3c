//! `Follow`: a local person follows an account elsewhere (or the instance actor
//! subscribes to a hashtag feed); someone on another server follows a local
//! person, joins a local group or subscribes to a hashtag feed. An account that
//! is not locked accepts at once with an `Accept` delivered back, and a feed or a
//! group sends its new follower its latest posts.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FollowType;
use activitypub_federation::traits::{Activity, Object};
use chrono::Utc;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::graph::follow_request;
use staffroom_domain::notifications::notification::Kind;
use url::Url;

use crate::activities::send_to;
use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events;
use crate::objects::follows::any_actor_id;
use crate::objects::person::{is_followable_local, is_local_feed, is_local_group};
use crate::protocol::activities::accept_or_reject::Accept;
use crate::protocol::activities::follow::Follow;
use crate::{groups, hashtag_feeds};

impl Follow {
    /// `actor` asks to follow `object`; `id` is the follow's own.
    pub fn new(id: &str, actor: &str, object: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: FollowType::Follow,
            actor: ObjectId::parse(actor)?,
            object: ObjectId::parse(object)?,
            to: vec![object.to_owned()],
        })
    }

    /// The follow `id` of `actor` to `object` as an answer names it: as it was
    /// stored here, without its addressing.
    pub fn answered(id: &str, actor: &str, object: &str) -> Result<Self, Error> {
        Ok(Self {
            to: Vec::new(),
            ..Self::new(id, actor, object)?
        })
    }

    /// The local `follower` asks to follow `target` elsewhere: the follow `id`
    /// goes to the target's inbox.
    pub async fn send(
        data: &FederationData,
        follower: &Account,
        target: &Account,
        id: &str,
    ) -> Result<(), Error> {
        let object = any_actor_id(&data.urls, target);
        send_to(data, follower, target, id, &object, Self::new).await
    }
}

#[async_trait::async_trait]
impl Activity for Follow {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &Data) -> Result<(), Self::Error> {
        if !self.object.is_local(data) {
            return Err(Error::Refused(
                "this instance only takes follows of its own accounts".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let follower = self.actor.dereference(data).await?;
        let target = self.object.dereference_local(data).await?;
        let feed = is_local_feed(&target);
        if !is_followable_local(&target) && !feed && !is_local_group(&target) {
            return Err(Error::Refused(
                "only people, organisations, groups and hashtag feeds can be followed".into(),
            ));
        }
        let now = Utc::now();
        let follow = follow_request::request(
            &data.db,
            &follower.account,
            &target.account,
            Some(self.id.to_string()),
            now,
        )
        .await?;
        data.events
            .notified(
                &data.db,
                events::mark(now),
                follower.account.id,
                None,
                &[Kind::Follow, Kind::FollowRequest],
            )
            .await;
        tracing::info!(follower = %follower.id(), target = %target.id(), accepted = follow.accepted, "follow received");
        if follow.accepted {
            Accept::send(data.app_data(), &target.account, &follower.account, &follow).await?;
            if feed {
                hashtag_feeds::welcome(data.app_data(), &target.account, &follower.account).await?;
            }
            if is_local_group(&target) {
                groups::welcome(data.app_data(), &target.account, &follower.account).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_follow_names_and_addresses_its_target() {
        let follow = Follow::new(
            "https://a.example/activities/1",
            "https://a.example/users/ann",
            "https://b.example/users/bob",
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&follow).unwrap(),
            json!({
                "id": "https://a.example/activities/1",
                "type": "Follow",
                "actor": "https://a.example/users/ann",
                "object": "https://b.example/users/bob",
                "to": ["https://b.example/users/bob"],
            })
        );
        let answered = Follow::answered(
            "https://b.example/follows/2",
            "https://b.example/users/bob",
            "https://a.example/users/ann",
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&answered).unwrap(),
            json!({
                "id": "https://b.example/follows/2",
                "type": "Follow",
                "actor": "https://b.example/users/bob",
                "object": "https://a.example/users/ann",
            })
        );
    }
}
