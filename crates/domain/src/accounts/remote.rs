//! Remote actors: accounts of other servers, stored from their actor documents and
//! refreshed when those are fetched again.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::accounts::account::{
    Account, AccountKind, MAX_REMOTE_FIELDS, ProfileField, fields_json,
};
use crate::entities::accounts;
use crate::{Error, Result, id};

/// The most characters kept of a remote display name.
const MAX_REMOTE_NAME_CHARS: usize = 200;
/// The most characters accepted in a remote profile text (HTML).
pub const MAX_REMOTE_NOTE_CHARS: usize = 20_000;
/// The most characters of a URL or username stored.
const MAX_URL_CHARS: usize = 2_048;
const MAX_REMOTE_USERNAME_CHARS: usize = 64;
/// The most characters of a remote profile field's name or value (HTML).
const MAX_REMOTE_FIELD_CHARS: usize = 2_048;

/// What an actor document of another server says, already checked and sanitised by
/// the federation layer.
#[derive(Debug, Clone)]
pub struct RemoteActor {
    pub uri: String,
    pub username: String,
    /// The host of `uri`, with its port if any.
    pub domain: String,
    pub display_name: String,
    /// Sanitised HTML.
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    /// Whether the actor is a group (FEP-1b12) rather than a person.
    pub group: bool,
    pub discoverable: bool,
    pub public_key_pem: String,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    pub url: Option<String>,
    /// Profile fields, values as sanitised HTML (at most [`MAX_REMOTE_FIELDS`] kept).
    pub fields: Vec<ProfileField>,
    /// Where the actor's avatar (`icon`) and header (`image`) are served.
    pub avatar_url: Option<String>,
    pub header_url: Option<String>,
}

impl RemoteActor {
    fn check(&self) -> Result<()> {
        let too_long = |value: &str| value.chars().count() > MAX_URL_CHARS;
        if self.username.is_empty() || self.username.chars().count() > MAX_REMOTE_USERNAME_CHARS {
            return Err(Error::invalid("preferredUsername", "is empty or too long"));
        }
        if self.note.chars().count() > MAX_REMOTE_NOTE_CHARS {
            return Err(Error::invalid("summary", "is too long"));
        }
        let urls = [
            Some(&self.uri),
            Some(&self.inbox),
            self.shared_inbox.as_ref(),
            self.outbox.as_ref(),
            self.followers.as_ref(),
            self.following.as_ref(),
            self.url.as_ref(),
        ];
        if urls.into_iter().flatten().any(|url| too_long(url)) {
            return Err(Error::invalid("id", "a URL is too long"));
        }
        Ok(())
    }
}

/// The account whose ActivityPub id is `uri`.
pub async fn find_by_uri(db: &impl ConnectionTrait, uri: &str) -> Result<Option<Account>> {
    let row = accounts::Entity::find()
        .filter(accounts::Column::Uri.eq(uri))
        .one(db)
        .await?;
    Ok(row.map(Account::from))
}

/// The remote account `name@domain` (any case), if this instance knows it.
pub async fn find_by_acct(db: &impl ConnectionTrait, acct: &str) -> Result<Option<Account>> {
    let row = accounts::Entity::find()
        .filter(accounts::Column::Acct.eq(acct.to_lowercase()))
        .filter(accounts::Column::Domain.is_not_null())
        .one(db)
        .await?;
    Ok(row.map(Account::from))
}

/// Stores `actor` as fetched at `now`: a new account, or the update of the one with
/// the same id. Its key is replaced only by what its own server serves.
pub async fn upsert(
    db: &impl ConnectionTrait,
    actor: RemoteActor,
    now: DateTime<Utc>,
) -> Result<Account> {
    actor.check()?;
    let acct = format!("{}@{}", actor.username, actor.domain).to_lowercase();
    let existing = match accounts::Entity::find()
        .filter(accounts::Column::Uri.eq(actor.uri.as_str()))
        .one(db)
        .await?
    {
        Some(row) => Some(row),
        // The same name at the same server under a new id: the actor was recreated.
        None => {
            accounts::Entity::find()
                .filter(accounts::Column::Acct.eq(acct.as_str()))
                .one(db)
                .await?
        }
    };
    let display_name: String = actor
        .display_name
        .trim()
        .chars()
        .take(MAX_REMOTE_NAME_CHARS)
        .collect();
    let mut row = match &existing {
        Some(row) => accounts::ActiveModel {
            id: Set(row.id),
            ..Default::default()
        },
        None => accounts::ActiveModel {
            id: Set(id::new_id(now)),
            created_at: Set(now),
            private_key_pem: Set(None),
            ..Default::default()
        },
    };
    let kind = if actor.group {
        AccountKind::Group
    } else {
        AccountKind::Person
    };
    row.kind = Set(kind.as_str().to_owned());
    row.username = Set(actor.username);
    row.domain = Set(Some(actor.domain));
    row.acct = Set(acct);
    row.display_name = Set(display_name);
    row.note = Set(actor.note);
    row.locked = Set(actor.locked);
    row.bot = Set(actor.bot);
    row.discoverable = Set(actor.discoverable);
    row.uri = Set(Some(actor.uri));
    row.public_key_pem = Set(actor.public_key_pem);
    row.inbox_url = Set(Some(actor.inbox));
    row.shared_inbox_url = Set(actor.shared_inbox);
    row.outbox_url = Set(actor.outbox);
    row.followers_url = Set(actor.followers);
    row.following_url = Set(actor.following);
    row.url = Set(actor.url);
    let fields: Vec<ProfileField> = actor
        .fields
        .into_iter()
        .filter(|f| {
            f.name.chars().count() <= MAX_REMOTE_FIELD_CHARS
                && f.value.chars().count() <= MAX_REMOTE_FIELD_CHARS
        })
        .take(MAX_REMOTE_FIELDS)
        .map(|f| ProfileField { source: None, ..f })
        .collect();
    row.fields = Set(fields_json(&fields));
    // A picture at an address that is not a web one, or too long, is no picture.
    let picture = |url: Option<String>| {
        url.filter(|u| {
            (u.starts_with("https://") || u.starts_with("http://"))
                && u.chars().count() <= MAX_URL_CHARS
        })
    };
    row.avatar_remote_url = Set(picture(actor.avatar_url));
    row.header_remote_url = Set(picture(actor.header_url));
    row.fetched_at = Set(Some(now));
    row.updated_at = Set(now);
    let saved = if existing.is_some() {
        row.update(db).await?
    } else {
        row.insert(db).await?
    };
    crate::media::remote_cache::queue_pictures(db, existing.as_ref(), &saved, now).await?;
    Ok(saved.into())
}

/// The remote account `old_id` moved to `new_id` (its `Move` checked by the
/// federation layer): the old account says so from now on.
pub async fn set_moved(db: &impl ConnectionTrait, old_id: i64, new_id: i64) -> Result<()> {
    use sea_orm::ActiveModelTrait;
    let old = crate::accounts::account::get(db, old_id).await?;
    if old.is_local() || old_id == new_id {
        return Err(Error::Forbidden(
            "only another server's account moves here".into(),
        ));
    }
    accounts::ActiveModel {
        id: Set(old_id),
        moved_to_id: Set(Some(new_id)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Deletes the remote account `uri` and everything it brought (posts, follows); true
/// if there was one.
pub async fn delete(db: &impl ConnectionTrait, uri: &str) -> Result<bool> {
    let result = accounts::Entity::delete_many()
        .filter(accounts::Column::Uri.eq(uri))
        .filter(accounts::Column::Domain.is_not_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// The private key of the local account `account_id`, for signing what it sends.
pub async fn private_key(db: &impl ConnectionTrait, account_id: i64) -> Result<String> {
    let row = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("signing key"))?;
    let row = match row.private_key_pem {
        Some(_) => row,
        // A local organisation without keys yet gets them now.
        None if row.domain.is_none() => {
            let account = crate::accounts::account::ensure_keys(db, row.into()).await?;
            accounts::Entity::find_by_id(account.id)
                .one(db)
                .await?
                .ok_or(Error::NotFound("signing key"))?
        }
        None => row,
    };
    row.private_key_pem.ok_or(Error::NotFound("signing key"))
}
