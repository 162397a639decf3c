//! `Flag`: another server reports an account of this instance (and some of its
//! posts) to our moderators, as Mastodon forwards a report. Its `object` names
//! the account and the posts, in any order; `content` is the reporter's comment.
//! What names nothing of this instance is acknowledged and dropped.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FlagType;
use activitypub_federation::traits::Activity;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use staffroom_domain::{accounts::account, moderation::report};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::objects::post::DbPost;
use crate::protocol::values::{id_of, one_or_many};

/// The most entries of a `Flag`'s `object` read.
const MAX_OBJECTS: usize = 101;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    pub actor: ObjectId<DbActor>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub object: Vec<Value>,
    #[serde(default)]
    pub content: Option<String>,
}

#[async_trait::async_trait]
impl Activity for Flag {
    type DataType = FederationData;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data) -> Result<(), Self::Error> {
        if self.object.is_empty() {
            return Err(Error::Refused("a report that names nothing".into()));
        }
        Ok(())
    }

    async fn receive(self, data: &Data) -> Result<(), Self::Error> {
        let mut target = None;
        let mut posts = Vec::new();
        for named in self.object.iter().take(MAX_OBJECTS).filter_map(id_of) {
            if let Some(username) = data.urls.local_username(named)
                && let Some(found) = account::find_local(&data.db, &username).await?
                && !named.contains("/statuses/")
            {
                target.get_or_insert(found);
                continue;
            }
            let Ok(url) = Url::parse(named) else {
                continue;
            };
            if let Ok(found) = ObjectId::<DbPost>::from(url).dereference_local(data).await
                && found.post.local
            {
                posts.push(found.post);
            }
        }
        // A report naming only posts is about their author.
        let target = match (target, posts.first()) {
            (Some(target), _) => target,
            (None, Some(first)) => account::get(&data.db, first.account_id).await?,
            (None, None) => {
                tracing::debug!(id = %self.id, "a report about nobody here: ignored");
                return Ok(());
            }
        };
        let reporter = self.actor.dereference(data).await?;
        let post_ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
        // Plain text (Mastodon sends the reporter's words as they typed them);
        // kept as text and shown escaped.
        let comment = self.content.clone().unwrap_or_default();
        let mark = crate::events::mark(Utc::now());
        let made = report::receive(
            &data.db,
            &reporter.account,
            &target,
            &post_ids,
            &comment,
            self.id.as_str(),
            Utc::now(),
        )
        .await?;
        data.events
            .notified(
                &data.db,
                mark,
                reporter.account.id,
                None,
                &[staffroom_domain::notifications::notification::Kind::AdminReport],
            )
            .await;
        tracing::info!(report = made.id, target = %target.username, "report received");
        Ok(())
    }
}
