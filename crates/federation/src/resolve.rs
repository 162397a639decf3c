//! Finding what a person searches for by address: `user@server` by WebFinger, and a
//! URL of an actor or a post, fetched (signed, by the instance actor) when it is not
//! known here yet.

use activitypub_federation::fetch::object_id::ObjectId;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::accounts::remote;
use staffroom_domain::posts::compose::MentionRef;
use staffroom_domain::posts::post::{self, Post};
use url::Url;

use crate::context::Data;
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::objects::post::DbPost;
use crate::relationships::resolve_mention;

/// What an address or URL led to.
#[derive(Debug, Clone)]
pub enum Found {
    Account(Account),
    Post(Post),
}

/// The account `user@server` (or a local `user`), fetched by WebFinger when new.
pub async fn account_by_address(data: &Data, address: &str) -> Result<Option<Account>, Error> {
    let address = address
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    let (username, domain) = match address.split_once('@') {
        Some((username, domain)) => (username, Some(domain)),
        None => (address, None),
    };
    if username.is_empty() || domain.is_some_and(str::is_empty) {
        return Ok(None);
    }
    let mention = MentionRef {
        username: username.to_owned(),
        domain: domain.map(str::to_owned),
    };
    resolve_mention(data, &mention).await
}

/// What `url` names: a local or known actor or post, or one fetched now. `None` when
/// nothing usable is there.
pub async fn url(data: &Data, url: &str) -> Result<Option<Found>, Error> {
    let Ok(parsed) = Url::parse(url) else {
        return Ok(None);
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Ok(None);
    }
    if let Some(username) = data.urls.local_username(url)
        && let Some(local) = account::find_local(&data.db, &username).await?
    {
        return Ok(Some(Found::Account(local)));
    }
    if let Some(known) = post::find_by_uri(&data.db, url).await? {
        return Ok(Some(Found::Post(known)));
    }
    if let Some(known) = remote::find_by_uri(&data.db, url).await? {
        return Ok(Some(Found::Account(known)));
    }
    if let Ok(actor) = ObjectId::<DbActor>::from(parsed.clone())
        .dereference(data)
        .await
    {
        return Ok(Some(Found::Account(actor.account)));
    }
    match ObjectId::<DbPost>::from(parsed).dereference(data).await {
        Ok(found) => Ok(Some(Found::Post(found.post))),
        Err(e) => {
            tracing::info!(%url, error = %e, "a searched URL could not be resolved");
            Ok(None)
        }
    }
}
