//! `Like`: a person here favourites a post from elsewhere, and its author's
//! server is told; someone elsewhere favourites a post stored here, and the
//! post's author is notified.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::LikeType;
use activitypub_federation::traits::Activity;
use chrono::Utc;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::interaction;
use url::Url;

use super::stored_post;
use crate::activities::send_to;
use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::protocol::activities::like::Like;

impl Like<String> {
    /// `actor` favourites the post `object`; `id` is the favourite's own.
    pub fn new(id: &str, actor: &str, object: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: LikeType::Like,
            actor: ObjectId::parse(actor)?,
            object: object.to_owned(),
        })
    }

    /// The local `account`'s favourite `id` of the post `object`, sent to the
    /// server of its `author` elsewhere.
    pub async fn send(
        data: &FederationData,
        account: &Account,
        author: &Account,
        id: &str,
        object: &str,
    ) -> Result<(), Error> {
        send_to(data, account, author, id, object, Self::new).await
    }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_like_names_the_post_by_its_id() {
        let like = Like::new(
            "https://a.example/activities/4",
            "https://a.example/users/ann",
            "https://b.example/notes/5",
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&like).unwrap(),
            json!({
                "id": "https://a.example/activities/4",
                "type": "Like",
                "actor": "https://a.example/users/ann",
                "object": "https://b.example/notes/5",
            })
        );
    }
}
