//! `Follow`: someone on another server follows a local person, joins a local group
//! or subscribes to a hashtag feed; an account that is not locked accepts at once with an `Accept`
//! delivered back, and a feed sends its new subscriber its latest posts.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FollowType;
use activitypub_federation::traits::{Activity, Object};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::graph::follow_request;
use staffroom_domain::notifications::notification::Kind;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events;
use crate::objects::person::{DbActor, is_followable_local, is_local_feed, is_local_group};
use crate::relationships;
use crate::{groups, hashtag_feeds};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: ObjectId<DbActor>,
    pub object: ObjectId<DbActor>,
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
            relationships::send_answer(
                data.app_data(),
                &target.account,
                &follower.account,
                &follow,
                true,
            )
            .await?;
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
