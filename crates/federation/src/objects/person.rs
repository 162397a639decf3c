//! Actors as the ActivityPub library sees them: local accounts (which sign) and
//! remote ones (fetched, checked and stored, with what they say of themselves in
//! the directory).

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor, Object};
use chrono::{DateTime, Utc};
use staffroom_domain::accounts::account::{self, Account, AccountKind, ProfileField};
use staffroom_domain::accounts::remote::{self, RemoteActor};
use staffroom_domain::delivery::queue::domain_of;
use staffroom_domain::directory::remote as directory_remote;
use staffroom_domain::moderation::local_suspension;
use staffroom_domain::{communities::hashtag_feed, moderation::suspension};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::directory::{self, Said};
use crate::protocol::actor::RemoteActorObject;
use crate::sanitize;

/// An account with its ActivityPub id, and its private key when it is local.
#[derive(Debug, Clone)]
pub struct DbActor {
    pub account: Account,
    id: Url,
    private_key_pem: Option<String>,
}

impl DbActor {
    /// The local `account`, ready to sign.
    pub async fn local(data: &FederationData, account: Account) -> Result<Self, Error> {
        let account = account::ensure_keys(&data.db, account).await?;
        let id = Url::parse(&actor_id(&data.urls, &account))
            .map_err(activitypub_federation::error::Error::from)?;
        let private_key_pem = Some(remote::private_key(&data.db, account.id).await?);
        Ok(Self {
            account,
            id,
            private_key_pem,
        })
    }

    fn remote(account: Account) -> Result<Self, Error> {
        let uri = account
            .uri
            .clone()
            .ok_or_else(|| Error::Refused("a remote account without an id".into()))?;
        Ok(Self {
            id: Url::parse(&uri).map_err(activitypub_federation::error::Error::from)?,
            account,
            private_key_pem: None,
        })
    }

    /// The local account an id of this instance names, if any.
    async fn find_local(data: &FederationData, id: &Url) -> Result<Option<Self>, Error> {
        if let Some(tag) = data.urls.local_tag(id.as_str()) {
            return match hashtag_feed::local(&data.db, &tag).await? {
                Some(feed) => Ok(Some(Self::local(data, feed).await?)),
                None => Ok(None),
            };
        }
        let username = if id.as_str() == data.urls.instance_actor() {
            account::INSTANCE_ACTOR_USERNAME.to_owned()
        } else {
            match data.urls.local_username(id.as_str()) {
                Some(username) => username,
                None => return Ok(None),
            }
        };
        match account::find_local(&data.db, &username).await? {
            Some(account) => Ok(Some(Self::local(data, account).await?)),
            None => Ok(None),
        }
    }
}

#[async_trait::async_trait]
impl Object for DbActor {
    type DataType = FederationData;
    type Kind = RemoteActorObject;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        match &self.account.remote {
            Some(remote) => remote.fetched_at,
            // Local accounts are never stale.
            None => Some(Utc::now()),
        }
    }

    async fn read_from_id(id: Url, data: &Data) -> Result<Option<Self>, Self::Error> {
        if let Some(local) = Self::find_local(data.app_data(), &id).await? {
            return Ok(Some(local));
        }
        match remote::find_by_uri(&data.db, id.as_str()).await? {
            Some(account) if account.domain.is_some() => Ok(Some(Self::remote(account)?)),
            _ => Ok(None),
        }
    }

    /// A remote actor whose server answers `410 Gone` is removed here too,
    /// with what it brought, as its `Delete` would.
    async fn delete(&self, data: &Data) -> Result<(), Self::Error> {
        if !self.account.is_local() {
            let removed = remote::delete(&data.db, self.id.as_str()).await?;
            tracing::info!(actor = %self.id, removed, "remote account gone");
        }
        Ok(())
    }

    async fn into_json(self, data: &Data) -> Result<Self::Kind, Self::Error> {
        let document = crate::objects::actor::local_actor(&data.urls, &self.account, None, None);
        let value = serde_json::to_value(document).map_err(|e| Error::Refused(e.to_string()))?;
        serde_json::from_value(value).map_err(|e| Error::Refused(e.to_string()))
    }

    async fn verify(
        json: &Self::Kind,
        expected_domain: &Url,
        _data: &Data,
    ) -> Result<(), Self::Error> {
        verify_domains_match(&json.id, expected_domain)?;
        verify_domains_match(&json.inbox, expected_domain)?;
        if json.public_key.owner != json.id {
            return Err(Error::Refused(
                "the actor's key belongs to another actor".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: Self::Kind, data: &Data) -> Result<Self, Self::Error> {
        // A suspended account is not stored again: nothing it sends or wrote gets in.
        if suspension::is_suspended(&data.db, json.id.as_str()).await? {
            return Err(Error::Refused("this account is suspended here".into()));
        }
        let domain = domain_of(json.id.as_str())
            .ok_or_else(|| Error::Refused("an actor id without a host".into()))?;
        let page_url = json.page_url();
        let (avatar_url, header_url) = (json.avatar_url(), json.header_url());
        let described = json.clone();
        let fields = json
            .property_values()
            .into_iter()
            .map(|(name, value)| ProfileField {
                name,
                value: sanitize::html(&value),
                source: None,
            })
            .collect();
        let actor = RemoteActor {
            fields,
            uri: json.id.to_string(),
            username: json.preferred_username,
            domain,
            display_name: json.name.unwrap_or_default(),
            note: json
                .summary
                .as_deref()
                .map(sanitize::html)
                .unwrap_or_default(),
            locked: json.manually_approves_followers.unwrap_or(false),
            bot: matches!(json.kind.as_str(), "Service" | "Application"),
            group: json.kind == "Group",
            discoverable: json.discoverable.unwrap_or(false),
            public_key_pem: json.public_key.public_key_pem,
            inbox: json.inbox.to_string(),
            shared_inbox: json
                .endpoints
                .and_then(|e| e.shared_inbox)
                .map(|u| u.to_string()),
            outbox: json.outbox.map(|u| u.to_string()),
            followers: json.followers.map(|u| u.to_string()),
            following: json.following.map(|u| u.to_string()),
            url: page_url,
            avatar_url,
            header_url,
        };
        let account = remote::upsert(&data.db, actor, Utc::now()).await?;
        // Its own server says whether it is suspended (Mastodon's `suspended`):
        // then nothing of it is shown here until it says otherwise.
        let suspended =
            described.extension.get("suspended") == Some(&serde_json::Value::Bool(true));
        local_suspension::set_remote(&data.db, account.id, suspended, Utc::now()).await?;
        keep_directory_record(data, &account, &described).await;
        let account = staffroom_domain::accounts::account::get(&data.db, account.id).await?;
        Self::remote(account)
    }
}

/// Keeps what the remote actor `account` (just stored from `json`) says of itself
/// in the directory, fetching the schools a trust lists and the school and trust a
/// leader names when they are new here. A record that cannot be kept is logged and
/// left out; the actor itself stays.
async fn keep_directory_record(data: &Data, account: &Account, json: &RemoteActorObject) {
    if let Err(e) = store_directory_record(data, account, directory::read(json)).await {
        tracing::info!(actor = %json.id, error = %e, "an actor's directory record was not kept");
    }
}

async fn store_directory_record(data: &Data, account: &Account, said: Said) -> Result<(), Error> {
    match said {
        Said::Trust { record, schools } => {
            directory_remote::store_trust(&data.db, account.id, record).await?;
            for school in &schools {
                fetch_new(data, school).await;
            }
        }
        Said::School { mut record, trust } => {
            record.trust = known(data, trust).await;
            directory_remote::store_school(&data.db, account.id, record).await?;
        }
        Said::Leader {
            mut record,
            school,
            trust,
        } => {
            for org in [&trust, &school].into_iter().flatten() {
                fetch_new(data, org).await;
            }
            record.school = known(data, school).await;
            record.trust = known(data, trust).await;
            directory_remote::store_leader(&data.db, account.id, record).await?;
        }
        Said::Nothing => directory_remote::forget(&data.db, account.id).await?,
    }
    Ok(())
}

/// The account of the actor `uri`, local or remote, if this instance knows it.
async fn known(data: &Data, uri: Option<String>) -> Option<i64> {
    let id = Url::parse(&uri?).ok()?;
    match DbActor::read_from_id(id, data).await {
        Ok(found) => found.map(|actor| actor.account.id),
        Err(e) => {
            tracing::info!(error = %e, "a directory actor could not be looked up");
            None
        }
    }
}

/// Fetches the actor `uri` if this instance does not know it yet (best effort).
async fn fetch_new(data: &Data, uri: &str) {
    match remote::find_by_uri(&data.db, uri).await {
        Ok(None) => {}
        _ => return,
    }
    let Ok(id) = Url::parse(uri) else {
        return;
    };
    if let Err(e) = ObjectId::<DbActor>::from(id).dereference(data).await {
        tracing::info!(%uri, error = %e, "a directory actor could not be fetched");
    }
}

impl Actor for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.account.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        let inbox = match &self.account.remote {
            Some(remote) => remote.inbox.clone(),
            None => format!("{}/inbox", self.id),
        };
        Url::parse(&inbox).unwrap_or_else(|_| self.id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.account
            .remote
            .as_ref()
            .and_then(|remote| remote.shared_inbox.as_deref())
            .and_then(|inbox| Url::parse(inbox).ok())
    }
}

/// Whether `actor` is a person of this instance (who can be followed).
pub fn is_local_person(actor: &DbActor) -> bool {
    actor.account.is_local() && actor.account.kind == AccountKind::Person
}

/// Whether `actor` is a group of this instance (which can be joined).
pub fn is_local_group(actor: &DbActor) -> bool {
    actor.account.is_local() && actor.account.kind == AccountKind::Group
}

/// Whether `actor` is a hashtag feed of this instance (which can be subscribed to).
pub fn is_local_feed(actor: &DbActor) -> bool {
    actor.account.is_local() && actor.account.kind == AccountKind::HashtagFeed
}

/// Whether `actor` is an account of this instance that can be followed: a person,
/// or an organisation of the directory.
pub fn is_followable_local(actor: &DbActor) -> bool {
    is_local_person(actor)
        || (actor.account.is_local() && actor.account.kind == AccountKind::Organization)
}
