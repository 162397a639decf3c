//! `Announce`: a local account boosts a post, a local group passes on its
//! members' posts (a closed group with the post embedded, to its members alone),
//! a hashtag feed or the instance actor relays posts with a tag. Received: a
//! boost of a post stored here (its author is notified); from a hashtag feed peer,
//! a post relayed (see `hashtag_feeds`); from an account followed here (a group
//! passing on a member's post), a post fetched first if it is not stored here; a
//! closed group's announce carries the post itself (see `groups`).

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::AnnounceType;
use activitypub_federation::traits::Activity;
use chrono::{DateTime, Utc};
use serde_json::Value;
use staffroom_domain::accounts::account::{Account, AccountKind};
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::{graph::follow, posts::interaction};
use url::Url;

use super::stored_post;
use crate::LocalUrls;
use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::Event;
use crate::objects::actor::actor_id;
use crate::objects::follows::any_actor_id;
use crate::objects::post::{DbPost, visibility_of_addressing};
use crate::protocol::PUBLIC;
use crate::protocol::activities::announce::Announce;
use crate::protocol::activities::undo::Undo;
use crate::protocol::note::Note;
use crate::{groups, hashtag_feeds, timestamp};

impl<O> Announce<O> {
    /// `actor` announces `object` to `to` and `cc`; `id` is the announce's own.
    pub fn new(
        id: &str,
        actor: &str,
        published: Option<DateTime<Utc>>,
        to: Vec<String>,
        cc: Vec<String>,
        object: O,
    ) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: AnnounceType::Announce,
            actor: ObjectId::parse(actor)?,
            published: published.map(timestamp),
            to,
            cc,
            audience: None,
            object,
        })
    }

    /// The same announce made again for the edit of its post at `edited_at`,
    /// under an id of its own (so that it is not taken for the first).
    pub fn edited(mut self, edited_at: DateTime<Utc>) -> Result<Self, Error> {
        let id = format!("{}/edits/{}", self.id, edited_at.timestamp_millis());
        self.id = Url::parse(&id)?;
        Ok(self)
    }

    /// The `Undo` that takes the announce back, addressed as it was.
    pub fn withdraw(self) -> Result<Undo<Self>, Error> {
        let to = self.to.clone();
        Undo::new(self, to)
    }
}

impl Announce<String> {
    /// The local `booster`'s boost `boost` of `post`, written by `author`:
    /// addressed as the boost's visibility says.
    pub fn boost(
        urls: &LocalUrls,
        booster: &Account,
        author: &Account,
        boost: &Post,
        post: &Post,
    ) -> Result<Self, Error> {
        let actor = actor_id(urls, booster);
        // The author is named by their own id, wherever they are.
        let (to, cc) = boost_addressing(boost.visibility, &actor, &any_actor_id(urls, author));
        let id = format!("{}/activity", urls.post(&booster.username, boost.id));
        let object = post
            .uri
            .clone()
            .unwrap_or_else(|| urls.post(&author.username, post.id));
        Self::new(&id, &actor, Some(boost.created_at), to, cc, object)
    }

    /// The local `sender` (a hashtag feed, or the instance actor) relays `post`,
    /// whose id is `object`, to `to` and its own followers.
    pub fn relay(
        urls: &LocalUrls,
        sender: &Account,
        post: &Post,
        object: &str,
        to: Vec<String>,
    ) -> Result<Self, Error> {
        let actor = actor_id(urls, sender);
        let id = format!("{actor}/announces/{}", post.id);
        let cc = vec![format!("{actor}/followers")];
        Self::new(
            &id,
            &actor,
            Some(post.created_at),
            to,
            cc,
            object.to_owned(),
        )
    }

    /// The local closed `group`'s announce of `post` (whose id is `object`) as its
    /// `Undo` names it: by its id, its actor and the post alone.
    pub fn named_by_closed_group(
        urls: &LocalUrls,
        group: &Account,
        post: &Post,
        object: String,
    ) -> Result<Self, Error> {
        let id = closed_group_announce_id(urls, group, post);
        Self::new(
            &id,
            &actor_id(urls, group),
            None,
            Vec::new(),
            Vec::new(),
            object,
        )
    }
}

impl Announce<Note> {
    /// The local closed `group` passes on `note`, the post `post` written to it,
    /// embedded (its members elsewhere cannot fetch it), to its followers alone.
    pub fn in_closed_group(
        urls: &LocalUrls,
        group: &Account,
        post: &Post,
        note: Note,
    ) -> Result<Self, Error> {
        let id = closed_group_announce_id(urls, group, post);
        Self::by_closed_group(&id, &actor_id(urls, group), note)
    }

    /// The closed group `group` passes on `note` embedded, in the group (its
    /// `audience`), to its followers alone; `id` is the announce's own.
    fn by_closed_group(id: &str, group: &str, mut note: Note) -> Result<Self, Error> {
        note.audience = Some(group.to_owned());
        let to = vec![format!("{group}/followers")];
        let mut announce = Self::new(id, group, None, to, Vec::new(), note)?;
        announce.audience = Some(group.to_owned());
        Ok(announce)
    }
}

/// The id of the local closed `group`'s announce of `post`.
fn closed_group_announce_id(urls: &LocalUrls, group: &Account, post: &Post) -> String {
    format!("{}/group_posts/{}", actor_id(urls, group), post.id)
}

/// Who a boost by `actor` of a post by `author` is addressed to, by the boost's
/// `visibility`.
fn boost_addressing(
    visibility: Visibility,
    actor: &str,
    author: &str,
) -> (Vec<String>, Vec<String>) {
    let followers = format!("{actor}/followers");
    let (public, author) = (PUBLIC.to_owned(), author.to_owned());
    match visibility {
        Visibility::Public => (vec![public], vec![author, followers]),
        // A closed group passes a public post to its members alone.
        Visibility::Private | Visibility::Direct => (vec![followers], vec![author]),
        Visibility::Unlisted => (vec![followers], vec![author, public]),
    }
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
            // A group passes a post on in two forms (its boost, then the
            // member's `Create` embedded): the second is no edit.
            if self.object.get("type").and_then(Value::as_str) == Some("Create") {
                return Ok(());
            }
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_closed_group_embeds_the_post_for_its_followers_alone() {
        let group = "https://a.example/users/heads";
        let mut note = crate::protocol::note::sample();
        note.to = vec![group.to_owned()];
        note.cc = Vec::new();
        let announce =
            Announce::by_closed_group("https://a.example/users/heads/group_posts/5", group, note)
                .unwrap();
        let announce = serde_json::to_value(announce).unwrap();
        assert_eq!(announce["type"], "Announce");
        assert_eq!(announce["actor"], group);
        assert_eq!(
            announce["to"],
            json!(["https://a.example/users/heads/followers"])
        );
        assert_eq!(announce["audience"], group);
        assert!(announce.get("cc").is_none() && announce.get("published").is_none());
        assert_eq!(announce["object"]["type"], "Note");
        assert_eq!(announce["object"]["audience"], group);
        assert_eq!(announce["object"]["to"], json!([group]));
        assert!(announce["object"].get("@context").is_none());
    }

    #[test]
    fn a_boost_is_addressed_as_its_visibility_says() {
        let actor = "https://a.example/users/ann";
        let author = "https://b.example/users/bob";
        let (to, cc) = boost_addressing(Visibility::Public, actor, author);
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let boost = Announce::new(
            "https://a.example/users/ann/statuses/6/activity",
            actor,
            Some(at),
            to,
            cc,
            "https://b.example/notes/5".to_owned(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&boost).unwrap(),
            json!({
                "id": "https://a.example/users/ann/statuses/6/activity",
                "type": "Announce",
                "actor": actor,
                "published": "2023-11-14T22:13:20Z",
                "to": [PUBLIC],
                "cc": [author, "https://a.example/users/ann/followers"],
                "object": "https://b.example/notes/5",
            })
        );
        let again = boost.edited(at).unwrap();
        assert_eq!(
            again.id.as_str(),
            "https://a.example/users/ann/statuses/6/activity/edits/1700000000000"
        );
        assert_eq!(
            boost_addressing(Visibility::Unlisted, actor, author),
            (
                vec!["https://a.example/users/ann/followers".to_owned()],
                vec![author.to_owned(), PUBLIC.to_owned()]
            )
        );
        assert_eq!(
            boost_addressing(Visibility::Private, actor, author),
            (
                vec!["https://a.example/users/ann/followers".to_owned()],
                vec![author.to_owned()]
            )
        );
    }
}
