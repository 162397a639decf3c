//! `Flag`: a report made here goes on to the reported account's server; another
//! server reports an account of this instance (and some of its
//! posts) to our moderators, as Mastodon forwards a report. Its `object` names
//! the account and the posts, in any order; `content` is the reporter's comment.
//! What names nothing of this instance is acknowledged and dropped.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FlagType;
use activitypub_federation::traits::Activity;
use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::moderation::report::{self, Report};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::post::DbPost;
use crate::protocol::activities::flag::Flag;
use crate::send;

/// The most entries of a `Flag`'s `object` read.
const MAX_OBJECTS: usize = 101;

impl Flag {
    /// `actor` reports `object` (an account and some of its posts) to `to`, the
    /// account, with the reporter's `content`; `id` is the report's own.
    pub fn new(
        id: &str,
        actor: &str,
        to: &str,
        content: &str,
        object: Vec<String>,
    ) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: FlagType::Flag,
            actor: ObjectId::parse(actor)?,
            to: vec![to.to_owned()],
            content: Some(content.to_owned()),
            object,
        })
    }

    /// Sends `report` about the `target` elsewhere to the target's server, from
    /// the instance actor (the reporter is not named), as Mastodon does.
    pub async fn send(
        data: &FederationData,
        report: &Report,
        target: &Account,
    ) -> Result<(), Error> {
        let Some(uri) = &target.uri else {
            return Ok(());
        };
        let posts = staffroom_domain::posts::post::get_many(&data.db, &report.post_ids).await?;
        let mut object = vec![uri.clone()];
        object.extend(
            report
                .post_ids
                .iter()
                .filter_map(|id| posts.get(id)?.uri.clone()),
        );
        let instance = account::instance_actor(&data.db).await?;
        let flag = Self::new(
            &send::new_activity_id(&data.urls),
            &actor_id(&data.urls, &instance),
            uri,
            &report.comment,
            object,
        )?;
        send::deliver(data, &instance, &flag, send::inbox_of(target)).await
    }
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
        for named in self.object.iter().take(MAX_OBJECTS) {
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_flag_names_the_account_and_its_posts() {
        let flag = Flag::new(
            "https://a.example/activities/8",
            "https://a.example/actor",
            "https://b.example/users/bob",
            "Spam",
            vec![
                "https://b.example/users/bob".to_owned(),
                "https://b.example/notes/5".to_owned(),
            ],
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&flag).unwrap(),
            json!({
                "id": "https://a.example/activities/8",
                "type": "Flag",
                "actor": "https://a.example/actor",
                "to": ["https://b.example/users/bob"],
                "content": "Spam",
                "object": ["https://b.example/users/bob", "https://b.example/notes/5"],
            })
        );
    }
}
