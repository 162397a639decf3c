//! Accounts: the actors of this instance and of the others it knows.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::accounts;
use crate::{Error, Result};

/// The most characters a username may have.
pub const MAX_USERNAME_CHARS: usize = 30;
/// The most characters a display name may have.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// The username of the instance actor, which signs the instance's own fetches.
pub const INSTANCE_ACTOR_USERNAME: &str = "instance.actor";

/// Usernames kept for the instance's own actors.
const RESERVED_USERNAMES: &[&str] = &[
    INSTANCE_ACTOR_USERNAME,
    "instance",
    "staffroom",
    "actor",
    "relay",
    "tags",
];

/// What kind of actor an account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// A person: a leader, a teacher, an administrator.
    Person,
    /// The instance itself, which signs the fetches it makes.
    Instance,
    /// The feed of one hashtag, which other instances subscribe to (its username
    /// is the tag's name).
    HashtagFeed,
    /// An organisation of the directory: a trust or a school.
    Organization,
    /// A group (FEP-1b12): its followers are its members, and it announces to them
    /// what members address to it (its username is the group's handle).
    Group,
}

impl AccountKind {
    /// The name stored for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Instance => "instance",
            Self::HashtagFeed => "hashtag_feed",
            Self::Organization => "organization",
            Self::Group => "group",
        }
    }

    pub(crate) fn parse(stored: &str) -> Self {
        match stored {
            "instance" => Self::Instance,
            "hashtag_feed" => Self::HashtagFeed,
            "organization" => Self::Organization,
            "group" => Self::Group,
            _ => Self::Person,
        }
    }
}

/// An account as the rest of Staffroom sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub kind: AccountKind,
    pub username: String,
    /// `None` for an account of this instance.
    pub domain: Option<String>,
    pub display_name: String,
    /// The profile text, as HTML.
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    /// The ActivityPub id of a remote account.
    pub uri: Option<String>,
    pub public_key_pem: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where a remote account is reached; `None` for local accounts.
    pub remote: Option<RemoteEndpoints>,
    /// The name/value pairs shown on the profile.
    pub fields: Vec<ProfileField>,
    /// The profile picture, if one was set.
    pub avatar: Option<Picture>,
    /// The wide picture at the top of the profile, if one was set.
    pub header: Option<Picture>,
    /// The account it moved to: a remote account whose `Move` was accepted,
    /// or a local account that moved away (then read-only, see
    /// [`crate::accounts::moving`]).
    pub moved_to_id: Option<i64>,
    /// Whether a moderator silenced it: its posts are then listed in public and
    /// hashtag timelines only for its followers.
    pub silenced: bool,
    /// Whether it is suspended: a person here by a moderator (see
    /// [`crate::moderation::local_suspension`]), a remote account by its own
    /// server. Nothing of a suspended account is shown to anyone else.
    pub suspended: bool,
}

/// An avatar or a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// A file of this instance's media store (a local account's upload).
    Stored(String),
    /// Where another server serves it (a remote account's).
    Remote(String),
}

impl Picture {
    fn of(file: Option<String>, remote: Option<String>) -> Option<Self> {
        file.map(Self::Stored).or(remote.map(Self::Remote))
    }
}

/// One name/value pair of a profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileField {
    pub name: String,
    /// As HTML (links made links).
    pub value: String,
    /// What a local person typed, for editing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The most fields a local profile has.
pub const MAX_FIELDS: usize = 4;
/// The most fields kept of a remote profile.
pub const MAX_REMOTE_FIELDS: usize = 16;
/// The most characters of a field's name or value as typed.
pub const MAX_FIELD_CHARS: usize = 255;

/// `fields` as stored.
pub(crate) fn fields_json(fields: &[ProfileField]) -> String {
    serde_json::to_string(fields).unwrap_or_else(|_| "[]".to_owned())
}

/// A typed field value as HTML: escaped, and an `http(s)` URL made a link.
pub fn field_html(value: &str) -> String {
    let value = value.trim();
    let escaped = crate::html::escape(value);
    if (value.starts_with("https://") || value.starts_with("http://"))
        && !value.contains(char::is_whitespace)
    {
        let shown = value
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        format!(
            "<a href=\"{escaped}\" target=\"_blank\" rel=\"nofollow noopener noreferrer me\">{}</a>",
            crate::html::escape(shown)
        )
    } else {
        escaped
    }
}

/// Where a remote actor receives and publishes, as its actor document says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteEndpoints {
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    /// The actor's profile page.
    pub url: Option<String>,
    /// When the actor document was last fetched.
    pub fetched_at: Option<DateTime<Utc>>,
}

impl RemoteEndpoints {
    /// Where to deliver: the shared inbox when there is one.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox.as_deref().unwrap_or(&self.inbox)
    }
}

impl Account {
    /// Whether this account lives on this instance.
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }

    /// The name to show: the display name, or the username when there is none.
    pub fn shown_name(&self) -> &str {
        if self.display_name.trim().is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }

    /// `username` for a local account, `username@domain` for a remote one.
    pub fn acct(&self) -> String {
        match &self.domain {
            Some(domain) => format!("{}@{domain}", self.username),
            None => self.username.clone(),
        }
    }
}

impl From<accounts::Model> for Account {
    fn from(row: accounts::Model) -> Self {
        let remote = match (&row.domain, row.inbox_url) {
            (Some(_), Some(inbox)) => Some(RemoteEndpoints {
                inbox,
                shared_inbox: row.shared_inbox_url,
                outbox: row.outbox_url,
                followers: row.followers_url,
                following: row.following_url,
                url: row.url,
                fetched_at: row.fetched_at,
            }),
            _ => None,
        };
        Self {
            remote,
            id: row.id,
            kind: AccountKind::parse(&row.kind),
            username: row.username,
            domain: row.domain,
            display_name: row.display_name,
            note: row.note,
            locked: row.locked,
            bot: row.bot,
            discoverable: row.discoverable,
            uri: row.uri,
            public_key_pem: row.public_key_pem,
            created_at: row.created_at,
            updated_at: row.updated_at,
            fields: serde_json::from_str(&row.fields).unwrap_or_default(),
            avatar: Picture::of(row.avatar_file, row.avatar_remote_url),
            header: Picture::of(row.header_file, row.header_remote_url),
            moved_to_id: row.moved_to_id,
            silenced: row.silenced_at.is_some(),
            suspended: row.suspended_at.is_some(),
        }
    }
}

/// What an account has posted: the count and the time of the newest post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PostingStats {
    pub posts: u64,
    pub last_post_at: Option<DateTime<Utc>>,
}

/// Checks that `username` is a valid name for a new local account: letters, digits
/// and underscores (dots and dashes inside), at most 30 characters, not reserved.
pub fn check_username(username: &str) -> Result<()> {
    if username.is_empty() {
        return Err(Error::invalid("username", "must not be empty"));
    }
    if username.chars().count() > MAX_USERNAME_CHARS {
        return Err(Error::invalid(
            "username",
            format!("is too long: use at most {MAX_USERNAME_CHARS} characters"),
        ));
    }
    let inner_ok = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-';
    let edge_ok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let first = username.chars().next().is_some_and(edge_ok);
    let last = username.chars().last().is_some_and(edge_ok);
    if !(first && last && username.chars().all(inner_ok)) {
        return Err(Error::invalid(
            "username",
            "may contain only letters, digits and underscores, with dots or dashes inside",
        ));
    }
    if RESERVED_USERNAMES.contains(&username.to_ascii_lowercase().as_str()) {
        return Err(Error::invalid("username", "is reserved"));
    }
    Ok(())
}

/// Finds the local account called `username`, whatever its case (a deleted one
/// is no account: see [`find_deleted_local`]).
pub async fn find_local(db: &impl ConnectionTrait, username: &str) -> Result<Option<Account>> {
    let row = accounts::Entity::find()
        .filter(accounts::Column::Acct.eq(username.to_lowercase()))
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::DeletedAt.is_null())
        .one(db)
        .await?;
    Ok(row.map(Account::from))
}

/// What remains of a deleted local account: its username, kept so that nobody
/// else takes it, and when it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedAccount {
    pub id: i64,
    pub username: String,
    pub deleted_at: DateTime<Utc>,
}

/// The deleted local account that was called `username`, whatever its case.
pub async fn find_deleted_local(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<DeletedAccount>> {
    let row = accounts::Entity::find()
        .filter(accounts::Column::Acct.eq(username.to_lowercase()))
        .filter(accounts::Column::Domain.is_null())
        .filter(accounts::Column::DeletedAt.is_not_null())
        .one(db)
        .await?;
    Ok(row.and_then(|row| {
        Some(DeletedAccount {
            deleted_at: row.deleted_at?,
            id: row.id,
            username: row.username,
        })
    }))
}

/// Checks that no deleted account had the name `username`: a deleted account's
/// name is never given again. `Conflict` when one did.
pub async fn check_not_deleted(db: &impl ConnectionTrait, username: &str) -> Result<()> {
    match find_deleted_local(db, username).await? {
        Some(deleted) => Err(Error::Conflict(format!(
            "the username '{}' belonged to an account that was deleted, and is not given again",
            deleted.username
        ))),
        None => Ok(()),
    }
}

/// The instance actor, created with its key pair the first time it is asked for.
pub async fn instance_actor(db: &impl ConnectionTrait) -> Result<Account> {
    if let Some(actor) = find_local(db, INSTANCE_ACTOR_USERNAME).await? {
        return Ok(actor);
    }
    insert_service_actor(
        db,
        AccountKind::Instance,
        INSTANCE_ACTOR_USERNAME,
        INSTANCE_ACTOR_USERNAME,
        "",
    )
    .await?;
    find_local(db, INSTANCE_ACTOR_USERNAME)
        .await?
        .ok_or(Error::NotFound("instance actor"))
}

/// Stores a local actor that no person signs in as (the instance actor, a
/// hashtag feed), with a new key pair, unless an account already has its `acct`
/// (another process made it first: theirs is used).
pub(crate) async fn insert_service_actor(
    db: &impl ConnectionTrait,
    kind: AccountKind,
    username: &str,
    acct: &str,
    display_name: &str,
) -> Result<()> {
    use sea_orm::sea_query::OnConflict;
    let keys = crate::accounts::keys::KeyPair::generate().await?;
    let now = chrono::Utc::now();
    let row = accounts::ActiveModel {
        id: Set(crate::id::new_id(now)),
        kind: Set(kind.as_str().to_owned()),
        username: Set(username.to_owned()),
        domain: Set(None),
        acct: Set(acct.to_owned()),
        display_name: Set(display_name.to_owned()),
        note: Set(String::new()),
        // The instance actor answers no follows; a feed takes every subscriber.
        locked: Set(kind == AccountKind::Instance),
        bot: Set(true),
        discoverable: Set(false),
        uri: Set(None),
        public_key_pem: Set(keys.public_key_pem),
        private_key_pem: Set(Some(keys.private_key_pem)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    accounts::Entity::insert(row)
        .on_conflict(
            OnConflict::column(accounts::Column::Acct)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The local `account` with its key pair, made now if it has none yet. Trusts and
/// schools are created without keys (an import of thousands would otherwise wait
/// on key generation); they get theirs the first time their actor is shown or
/// signs. When two processes race, the first pair stored is the one kept.
pub async fn ensure_keys(db: &impl ConnectionTrait, account: Account) -> Result<Account> {
    use sea_orm::sea_query::Expr;
    if !account.is_local() || !account.public_key_pem.is_empty() {
        return Ok(account);
    }
    let keys = crate::accounts::keys::KeyPair::generate().await?;
    accounts::Entity::update_many()
        .col_expr(
            accounts::Column::PublicKeyPem,
            Expr::value(keys.public_key_pem),
        )
        .col_expr(
            accounts::Column::PrivateKeyPem,
            Expr::value(Some(keys.private_key_pem)),
        )
        .filter(accounts::Column::Id.eq(account.id))
        .filter(accounts::Column::PublicKeyPem.eq(""))
        .exec(db)
        .await?;
    get(db, account.id).await
}

/// Locks (or unlocks) the local account `id`: a locked account approves each
/// follower.
pub async fn set_locked(db: &impl ConnectionTrait, id: i64, locked: bool) -> Result<Account> {
    use sea_orm::ActiveModelTrait;
    let row = accounts::ActiveModel {
        id: Set(id),
        locked: Set(locked),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(row.into())
}

/// The most characters of a profile note.
pub const MAX_NOTE_CHARS: usize = 1_000;

/// What a person changes on their profile; `None` keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    pub display_name: Option<String>,
    /// Plain text, shown as paragraphs.
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<bool>,
    /// Name/value pairs as typed, replacing all earlier ones.
    pub fields: Option<Vec<(String, String)>>,
}

/// Changes the profile of the local account `id`; the account as it now is.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    id: i64,
    change: ProfileChange,
) -> Result<Account> {
    use sea_orm::ActiveModelTrait;
    let mut row = accounts::ActiveModel {
        id: Set(id),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    if let Some(name) = change.display_name {
        let name = name.trim().to_owned();
        if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
            return Err(Error::Invalid {
                field: "display_name",
                reason: format!("is too long: use at most {MAX_DISPLAY_NAME_CHARS} characters"),
            });
        }
        row.display_name = Set(name);
    }
    if let Some(note) = change.note {
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(Error::Invalid {
                field: "note",
                reason: format!("is too long: use at most {MAX_NOTE_CHARS} characters"),
            });
        }
        row.note = Set(crate::html::paragraphs(note.trim()));
    }
    if let Some(locked) = change.locked {
        row.locked = Set(locked);
    }
    if let Some(bot) = change.bot {
        row.bot = Set(bot);
    }
    if let Some(discoverable) = change.discoverable {
        row.discoverable = Set(discoverable);
    }
    if let Some(fields) = change.fields {
        if fields.len() > MAX_FIELDS {
            return Err(Error::Invalid {
                field: "fields_attributes",
                reason: format!("has too many fields: at most {MAX_FIELDS}"),
            });
        }
        let mut kept = Vec::new();
        for (name, value) in fields {
            let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
            if name.is_empty() && value.is_empty() {
                continue;
            }
            if name.chars().count() > MAX_FIELD_CHARS || value.chars().count() > MAX_FIELD_CHARS {
                return Err(Error::Invalid {
                    field: "fields_attributes",
                    reason: format!("names and values have at most {MAX_FIELD_CHARS} characters"),
                });
            }
            kept.push(ProfileField {
                value: field_html(&value),
                name,
                source: Some(value),
            });
        }
        row.fields = Set(fields_json(&kept));
    }
    Ok(row.update(db).await?.into())
}

/// `text` for a `LIKE` pattern: its wildcards taken literally.
pub(crate) fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The kinds of account that search and the profile directory show: people,
/// the trusts and schools of the directory, and groups.
const DIRECTORY_KINDS: [AccountKind; 3] = [
    AccountKind::Person,
    AccountKind::Organization,
    AccountKind::Group,
];

/// People, organisations and groups (not the instance actor or feeds, nor
/// suspended accounts) whose username or `acct` starts with `query`, or whose
/// display name contains it; local ones first, at most `limit`.
pub async fn search(db: &impl ConnectionTrait, query: &str, limit: u64) -> Result<Vec<Account>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
    use sea_orm::{Condition, QueryOrder, QuerySelect};
    let query = query.trim().trim_start_matches('@').to_lowercase();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let escaped = like_escaped(&query);
    let starts = LikeExpr::new(format!("{escaped}%")).escape('\\');
    let contains = LikeExpr::new(format!("%{escaped}%")).escape('\\');
    let rows = accounts::Entity::find()
        .filter(accounts::Column::Kind.is_in(DIRECTORY_KINDS.map(AccountKind::as_str)))
        .filter(accounts::Column::DeletedAt.is_null())
        .filter(accounts::Column::SuspendedAt.is_null())
        .filter(
            Condition::any()
                .add(Expr::col(accounts::Column::Acct).like(starts))
                .add(
                    Expr::expr(Func::lower(Expr::col(accounts::Column::DisplayName)))
                        .like(contains),
                ),
        )
        .order_by_asc(accounts::Column::Domain.is_not_null())
        .order_by_asc(accounts::Column::Acct)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Account::from).collect())
}

/// How the profile directory is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryOrder {
    /// Most recently updated profiles first.
    Active,
    /// Newest accounts first.
    New,
}

/// A page of the profile directory: people, trusts and schools that are
/// discoverable and not suspended (this instance's only, with `local_only`),
/// skipping `offset`.
pub async fn directory(
    db: &impl ConnectionTrait,
    local_only: bool,
    order: DirectoryOrder,
    offset: u64,
    limit: u64,
) -> Result<Vec<Account>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut query = accounts::Entity::find()
        .filter(accounts::Column::Kind.is_in(DIRECTORY_KINDS.map(AccountKind::as_str)))
        .filter(accounts::Column::Discoverable.eq(true))
        .filter(accounts::Column::DeletedAt.is_null())
        .filter(accounts::Column::SuspendedAt.is_null());
    if local_only {
        query = query.filter(accounts::Column::Domain.is_null());
    }
    query = match order {
        DirectoryOrder::Active => query.order_by_desc(accounts::Column::UpdatedAt),
        DirectoryOrder::New => query.order_by_desc(accounts::Column::Id),
    };
    Ok(query
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Account::from)
        .collect())
}

/// The accounts with these ids, in the order given (missing and deleted ones
/// left out).
pub async fn get_many(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Account>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: std::collections::HashMap<i64, Account> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(ids.iter().copied()))
        .filter(accounts::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, Account::from(row)))
        .collect();
    Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
}

/// The account with this id; `NotFound` for a deleted one too.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Account> {
    accounts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.deleted_at.is_none())
        .map(Account::from)
        .ok_or(Error::NotFound("account"))
}

/// The local account `id` that signs what the delivery queue sends: a deleted
/// one too, whose `Delete` must still go out signed.
pub async fn get_sender(db: &impl ConnectionTrait, id: i64) -> Result<Account> {
    accounts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.domain.is_none())
        .map(Account::from)
        .ok_or(Error::NotFound("account"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_mastodon_shape() {
        for good in ["alice", "Alice_99", "a", "head.teacher", "j-smith", "_x_"] {
            assert!(check_username(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            ".alice",
            "alice-",
            "al ice",
            "ålice",
            "a@b",
            &"x".repeat(31),
        ] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
        assert!(check_username("Instance").is_err());
    }
}
