//! `Accept` and `Reject`: a local account grants, or refuses, a follow request
//! from elsewhere (a `Reject` also ends a follow, as a group removes a member),
//! and the follower's server is told; an account elsewhere answers one sent from
//! here, which is then confirmed (and a hashtag feed that accepted the instance,
//! or a closed group that accepted a person here, sends or is asked for what it
//! holds) or dropped.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Activity;
use serde::Serialize;
use serde_json::Value;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::graph::follow;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::person::DbActor;
use crate::protocol::activities::accept_or_reject::{Accept, AcceptOrReject, Reject};
use crate::protocol::activities::follow::Follow;
use crate::protocol::values::id_of;
use crate::{groups, hashtag_feeds, participation, send};

impl<K: Default + Serialize> AcceptOrReject<K, Follow> {
    /// `actor` grants (or refuses) `follower` its follow `follow_id`; `id` is the
    /// answer's own.
    pub fn new(id: &str, actor: &str, follower: &str, follow_id: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: K::default(),
            actor: ObjectId::parse(actor)?,
            to: vec![follower.to_owned()],
            object: Follow::answered(follow_id, follower, actor)?,
        })
    }

    /// The local `target` answers the `request` of `follower`: its server is
    /// told. Nothing is sent when there is nobody elsewhere to tell (a follower
    /// here, or a follow that came without an id).
    pub async fn send(
        data: &FederationData,
        target: &Account,
        follower: &Account,
        request: &follow::Follow,
    ) -> Result<(), Error> {
        let (Some(follower_id), Some(follow_id)) = (&follower.uri, &request.uri) else {
            return Ok(());
        };
        if follower.is_local() {
            return Ok(());
        }
        let id = send::new_activity_id(&data.urls);
        let answer = Self::new(&id, &actor_id(&data.urls, target), follower_id, follow_id)?;
        send::deliver(data, target, &answer, send::inbox_of(follower)).await
    }
}

/// The follow a received answer is about, checked to be one asked of its sender.
async fn answered_follow(
    actor: &ObjectId<DbActor>,
    object: &Value,
    data: &Data,
) -> Result<Option<follow::Follow>, Error> {
    let Some(follow_id) = id_of(object) else {
        return Ok(None);
    };
    let Some(follow) = follow::find_by_uri(&data.db, follow_id).await? else {
        return Ok(None);
    };
    let target = actor.dereference(data).await?;
    if follow.target_id != target.account.id {
        return Err(Error::Refused(
            "only the followed account may answer a follow".into(),
        ));
    }
    Ok(Some(follow))
}

/// An answer to the `Join` of a person here to an event elsewhere, when it is
/// one: whether it was.
async fn answered_join(
    actor: &ObjectId<DbActor>,
    object: &Value,
    data: &Data,
    accepted: bool,
) -> Result<bool, Error> {
    let Some(join_id) = id_of(object) else {
        return Ok(false);
    };
    if staffroom_domain::posts::event::find_by_uri(&data.db, join_id)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    let organiser = actor.dereference(data).await?;
    participation::answered(data.app_data(), &organiser.account, join_id, accepted).await
}

#[async_trait::async_trait]
impl Activity for Accept {
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
        match answered_follow(&self.actor, &self.object, data).await? {
            Some(found) => {
                follow::accept(&data.db, found.id).await?;
                tracing::info!(target = %self.actor.inner(), "follow accepted");
                let instance = account::instance_actor(&data.db).await?;
                if found.follower_id == instance.id && !found.accepted {
                    let feed = account::get(&data.db, found.target_id).await?;
                    hashtag_feeds::joined(data.app_data(), &feed).await?;
                } else if !found.accepted {
                    let target = account::get(&data.db, found.target_id).await?;
                    if let Err(e) = groups::read_history(data, &target).await {
                        tracing::info!(error = %e, "a closed group's history could not be read");
                    }
                }
            }
            None => {
                if !answered_join(&self.actor, &self.object, data, true).await? {
                    tracing::debug!(id = %self.id, "accept of an unknown follow: ignored");
                }
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl Activity for Reject {
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
        if let Some(found) = answered_follow(&self.actor, &self.object, data).await? {
            follow::remove(&data.db, found.follower_id, found.target_id).await?;
            tracing::info!(target = %self.actor.inner(), "follow rejected");
        } else {
            answered_join(&self.actor, &self.object, data, false).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_accept_embeds_the_follow_as_it_came() {
        let accept = Accept::<Follow>::new(
            "https://a.example/activities/3",
            "https://a.example/users/ann",
            "https://b.example/users/bob",
            "https://b.example/follows/2",
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&accept).unwrap(),
            json!({
                "id": "https://a.example/activities/3",
                "type": "Accept",
                "actor": "https://a.example/users/ann",
                "to": ["https://b.example/users/bob"],
                "object": {
                    "id": "https://b.example/follows/2",
                    "type": "Follow",
                    "actor": "https://b.example/users/bob",
                    "object": "https://a.example/users/ann",
                },
            })
        );
        let reject = Reject::<Follow>::new(
            "https://a.example/activities/3",
            "https://a.example/users/ann",
            "https://b.example/users/bob",
            "https://b.example/follows/2",
        )
        .unwrap();
        assert_eq!(serde_json::to_value(&reject).unwrap()["type"], "Reject");
    }
}
