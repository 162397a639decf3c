//! The Mastodon `Account` entity.

use serde::Serialize;
use staffroom_domain::accounts::account::{
    Account as DomainAccount, AccountKind, Picture, PostingStats,
};
use staffroom_domain::accounts::preferences::Preferences;
use staffroom_federation::LocalUrls;

use super::{date, timestamp};
use crate::assets;

/// An account as Mastodon apps read it.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub group: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: u64,
    pub following_count: u64,
    pub statuses_count: u64,
    pub last_status_at: Option<String>,
    pub hide_collections: bool,
    pub noindex: bool,
    pub emojis: Vec<serde_json::Value>,
    pub roles: Vec<serde_json::Value>,
    pub fields: Vec<Field>,
    /// The account this one moved to, when it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved: Option<Box<Account>>,
    /// `true` while the account is suspended (left out otherwise, as Mastodon
    /// does); its profile is then shown empty.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suspended: bool,
}

/// A profile field.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

impl Account {
    /// The entity for `account`, whose posting is summed up in `posting` and whose
    /// follows are counted in `follows` (followers, following).
    pub fn new(
        urls: &LocalUrls,
        account: &DomainAccount,
        posting: PostingStats,
        follows: (u64, u64),
    ) -> Self {
        let (url, uri) = match &account.uri {
            Some(uri) => (uri.clone(), uri.clone()),
            None => (
                urls.profile(&account.username),
                urls.actor(&account.username),
            ),
        };
        let (avatar, header) = picture_urls(urls, account);
        Self {
            id: account.id.to_string(),
            username: account.username.clone(),
            acct: account.acct(),
            display_name: account.display_name.clone(),
            locked: account.locked,
            bot: account.bot || account.kind == AccountKind::Instance,
            discoverable: account.discoverable,
            indexable: account.discoverable,
            group: account.kind == AccountKind::Group,
            created_at: timestamp(account.created_at),
            note: account.note.clone(),
            url,
            uri,
            avatar_static: avatar.clone(),
            avatar,
            header_static: header.clone(),
            header,
            followers_count: follows.0,
            following_count: follows.1,
            statuses_count: posting.posts,
            last_status_at: posting.last_post_at.map(date),
            hide_collections: false,
            noindex: !account.discoverable,
            emojis: Vec::new(),
            roles: Vec::new(),
            fields: account
                .fields
                .iter()
                .map(|field| Field {
                    name: field.name.clone(),
                    value: field.value.clone(),
                    verified_at: None,
                })
                .collect(),
            moved: None,
            suspended: false,
        }
        .hidden_if_suspended(account)
    }

    /// What Mastodon shows of a suspended account: its names and `suspended`,
    /// no profile text, fields or pictures.
    fn hidden_if_suspended(mut self, account: &DomainAccount) -> Self {
        if !account.suspended {
            return self;
        }
        self.suspended = true;
        self.display_name = String::new();
        self.note = String::new();
        self.fields = Vec::new();
        self.locked = false;
        self.bot = false;
        self.discoverable = false;
        self.indexable = false;
        self.noindex = true;
        self.statuses_count = 0;
        self.last_status_at = None;
        self
    }
}

/// The signed-in user's own `Account`, with `source` and `role`.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialAccount {
    #[serde(flatten)]
    pub account: Account,
    pub source: Source,
    pub role: Role,
}

/// What the user typed for their profile, and their posting defaults.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub privacy: &'static str,
    pub sensitive: bool,
    pub language: String,
    pub note: String,
    pub fields: Vec<Field>,
    pub follow_requests_count: u64,
    pub hide_collections: bool,
    pub discoverable: bool,
    pub indexable: bool,
    /// The accounts this one is also known as (its aliases), as GoToSocial
    /// shows them; left out when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_known_as_uris: Vec<String>,
}

/// Where `account`'s avatar and header are served: an upload or a copy of a
/// remote account's picture from this instance's media, else a remote account's
/// from its server, or the defaults.
pub fn picture_urls(urls: &LocalUrls, account: &DomainAccount) -> (String, String) {
    let url = |picture: Option<&Picture>, default: &str| match picture {
        _ if account.suspended => urls.absolute(default),
        Some(Picture::Stored(file)) => urls.media(file),
        Some(Picture::Remote(url)) => url.clone(),
        None => urls.absolute(default),
    };
    (
        url(account.avatar.as_ref(), assets::DEFAULT_AVATAR),
        url(account.header.as_ref(), assets::DEFAULT_HEADER),
    )
}

/// A user's role on the instance.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub color: String,
    pub permissions: String,
    pub highlighted: bool,
}

impl CredentialAccount {
    pub fn new(
        urls: &LocalUrls,
        user: &staffroom_domain::access::user::User,
        preferences: &Preferences,
        posting: PostingStats,
        follows: (u64, u64),
        follow_requests: u64,
    ) -> Self {
        let account = Account::new(urls, &user.account, posting, follows);
        Self {
            source: Source {
                privacy: preferences.visibility.name(),
                sensitive: preferences.sensitive,
                language: preferences.language.clone().unwrap_or_default(),
                note: user.account.note.clone(),
                fields: user
                    .account
                    .fields
                    .iter()
                    .map(|field| Field {
                        name: field.name.clone(),
                        value: field.source.clone().unwrap_or_else(|| field.value.clone()),
                        verified_at: None,
                    })
                    .collect(),
                follow_requests_count: follow_requests,
                hide_collections: false,
                discoverable: user.account.discoverable,
                indexable: user.account.discoverable,
                also_known_as_uris: Vec::new(),
            },
            role: Role::of(user.role),
            account,
        }
    }
}

impl Role {
    /// The entity of `role`, with Mastodon's ids and permission bits for its
    /// built-in roles.
    pub fn of(role: staffroom_domain::access::user::Role) -> Self {
        let (id, permissions, highlighted) = match role {
            staffroom_domain::access::user::Role::User => ("-99", "0", false),
            staffroom_domain::access::user::Role::Moderator => ("2", "1308", true),
            staffroom_domain::access::user::Role::Admin => ("3", "1048575", true),
        };
        Self {
            id: id.to_owned(),
            name: match role {
                staffroom_domain::access::user::Role::User => String::new(),
                other => other.name().to_owned(),
            },
            color: String::new(),
            permissions: permissions.to_owned(),
            highlighted,
        }
    }
}
