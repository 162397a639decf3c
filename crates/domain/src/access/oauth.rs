//! OAuth 2 for client apps: registered apps, scopes, and access tokens (kept only as
//! SHA-256 hashes).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationDef, Set, TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::accounts::account::Account;
use crate::entities::{accounts, oauth_apps, oauth_tokens, users};
use crate::{Error, Result, access::credentials, id};

/// Every scope an app may ask for (Mastodon's set).
pub const KNOWN_SCOPES: &[&str] = &[
    "read",
    "write",
    "follow",
    "push",
    "profile",
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
    "admin:read",
    "admin:write",
    "admin:read:accounts",
    "admin:read:reports",
    "admin:write:accounts",
    "admin:write:reports",
];

/// The most characters of an app's name.
pub const MAX_APP_NAME_CHARS: usize = 200;
/// The most redirect URIs an app may register.
pub const MAX_REDIRECT_URIS: usize = 10;

/// A set of scopes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

impl Scopes {
    /// Reads space-separated scopes; empty means `read`.
    pub fn parse(text: &str) -> Result<Self> {
        let mut set = BTreeSet::new();
        for scope in text.split_whitespace() {
            if !KNOWN_SCOPES.contains(&scope) {
                return Err(Error::invalid("scope", format!("'{scope}' is not a scope")));
            }
            set.insert(scope.to_owned());
        }
        if set.is_empty() {
            set.insert("read".to_owned());
        }
        Ok(Self(set))
    }

    /// Whether these scopes grant `required` (such as `read:statuses`): the scope
    /// itself, its parent (`read`; `admin:read` for `admin:read:reports`), or
    /// `follow` for the follow-related ones.
    pub fn allows(&self, required: &str) -> bool {
        if self.0.contains(required) {
            return true;
        }
        // `read:statuses` is part of `read`, `admin:read:reports` of `admin:read`.
        let parent = required
            .rsplit_once(':')
            .map_or(required, |(parent, _)| parent);
        if self.0.contains(parent) {
            return true;
        }
        // `follow` is the old umbrella for following, blocking and muting.
        let follow_family = [
            "read:follows",
            "write:follows",
            "read:blocks",
            "write:blocks",
            "read:mutes",
            "write:mutes",
        ];
        self.0.contains("follow") && follow_family.contains(&required)
    }

    /// Whether every scope of `other` is among these (an app may not be granted more
    /// than it registered for).
    pub fn covers(&self, other: &Scopes) -> bool {
        other.0.iter().all(|scope| self.allows(scope))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.iter().collect();
        f.write_str(&joined.join(" "))
    }
}

/// A registered client app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    pub id: i64,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: Scopes,
    pub client_id: String,
    pub client_secret: String,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<oauth_apps::Model> for App {
    type Error = Error;

    fn try_from(row: oauth_apps::Model) -> Result<Self> {
        Ok(Self {
            id: row.id,
            name: row.name,
            website: row.website,
            redirect_uris: row.redirect_uris.lines().map(str::to_owned).collect(),
            scopes: Scopes::parse(&row.scopes)?,
            client_id: row.client_id,
            client_secret: row.client_secret,
            created_at: row.created_at,
        })
    }
}

/// What an app registers with.
#[derive(Debug, Clone)]
pub struct NewApp {
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: Scopes,
}

/// Registers an app and gives it its client id and secret.
pub async fn register_app(
    db: &impl ConnectionTrait,
    new: NewApp,
    now: DateTime<Utc>,
) -> Result<App> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("client_name", "can't be blank"));
    }
    if name.chars().count() > MAX_APP_NAME_CHARS {
        return Err(Error::invalid(
            "client_name",
            format!("is too long: at most {MAX_APP_NAME_CHARS} characters"),
        ));
    }
    let uris: Vec<String> = new
        .redirect_uris
        .iter()
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .collect();
    if uris.is_empty() {
        return Err(Error::invalid("redirect_uris", "can't be blank"));
    }
    if uris.len() > MAX_REDIRECT_URIS {
        return Err(Error::invalid(
            "redirect_uris",
            format!("are too many: at most {MAX_REDIRECT_URIS}"),
        ));
    }
    for uri in &uris {
        // Any scheme is fine (apps use their own, such as `com.example.app:/cb`);
        // what matters is that it is an absolute URI without a fragment.
        let parsed = url::Url::parse(uri).map_err(|_| {
            Error::invalid("redirect_uris", format!("'{uri}' is not an absolute URI"))
        })?;
        if parsed.fragment().is_some() || uri.chars().count() > 2_000 {
            return Err(Error::invalid(
                "redirect_uris",
                format!("'{uri}' must not have a fragment"),
            ));
        }
    }
    let row = oauth_apps::ActiveModel {
        id: Set(id::new_id(now)),
        name: Set(name.to_owned()),
        website: Set(new
            .website
            .map(|w| w.trim().chars().take(2_000).collect())
            .filter(|w: &String| !w.is_empty())),
        redirect_uris: Set(uris.join("\n")),
        scopes: Set(new.scopes.to_string()),
        client_id: Set(credentials::random_code(43)),
        client_secret: Set(credentials::random_code(43)),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    App::try_from(row)
}

/// The app whose public client id is `client_id` (as an authorization request names
/// it, without the secret).
pub async fn find_app_by_client_id(db: &impl ConnectionTrait, client_id: &str) -> Result<App> {
    oauth_apps::Entity::find()
        .filter(oauth_apps::Column::ClientId.eq(client_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("app"))
        .and_then(App::try_from)
}

/// The app with these credentials; `NotFound` when either is wrong.
pub async fn find_app(
    db: &impl ConnectionTrait,
    client_id: &str,
    client_secret: &str,
) -> Result<App> {
    let app = find_app_by_client_id(db, client_id).await?;
    // Compare in constant time, so that the secret cannot be guessed byte by byte.
    if !credentials::constant_time_eq(app.client_secret.as_bytes(), client_secret.as_bytes()) {
        return Err(Error::NotFound("app"));
    }
    Ok(app)
}

/// The app `id`.
pub async fn get_app(db: &impl ConnectionTrait, id: i64) -> Result<App> {
    oauth_apps::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("app"))
        .and_then(App::try_from)
}

/// The SHA-256 of a secret (a token, a code), hex: what the database keeps of it.
pub(crate) fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A token just issued (the only time its text is known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub id: i64,
    pub token: String,
    /// The refresh token that trades this token for a new pair: only for a
    /// token that speaks for a person.
    pub refresh_token: Option<String>,
    pub scopes: Scopes,
    pub created_at: DateTime<Utc>,
}

/// What a suspended person's app is told, as Mastodon says it: they may sign in
/// on the web pages only, to take their archive or delete their account.
pub const SUSPENDED: &str = "Your login is currently disabled";

/// Issues a token to `app`, for `account_id` (never while it is suspended) or
/// for the app itself, with `scopes` (which the app must have registered for).
pub async fn issue_token(
    db: &impl ConnectionTrait,
    app: &App,
    account_id: Option<i64>,
    scopes: Scopes,
    now: DateTime<Utc>,
) -> Result<IssuedToken> {
    if !app.scopes.covers(&scopes) {
        return Err(Error::Forbidden(
            "the requested scope is not one the app registered for".into(),
        ));
    }
    if let Some(account_id) = account_id
        && crate::visibility::suspended::is_suspended(db, account_id).await?
    {
        return Err(Error::Forbidden(SUSPENDED.into()));
    }
    let token = credentials::random_code(43);
    let refresh_token = account_id.map(|_| credentials::random_code(43));
    let token_id = id::new_id(now);
    oauth_tokens::ActiveModel {
        id: Set(token_id),
        app_id: Set(app.id),
        account_id: Set(account_id),
        token_hash: Set(hash(&token)),
        scopes: Set(scopes.to_string()),
        created_at: Set(now),
        revoked_at: Set(None),
        last_used_at: Set(None),
        refresh_token_hash: Set(refresh_token.as_deref().map(hash)),
    }
    .insert(db)
    .await?;
    Ok(IssuedToken {
        id: token_id,
        token,
        refresh_token,
        scopes,
        created_at: now,
    })
}

/// What an app is told when a refresh token does not hold.
pub const INVALID_REFRESH_TOKEN: &str = "The provided authorization grant is invalid, expired, revoked, or was issued to another client.";

/// Trades `refresh_token`, which `app` was issued with a token still valid, for
/// a new token and refresh token with the same person and scopes (or the fewer
/// `scopes` asked for), and revokes the old pair: a refresh token works once.
/// `Forbidden` when it is unknown, revoked or another app's, or when `scopes`
/// asks for more than the old token had.
pub async fn refresh(
    db: &(impl ConnectionTrait + TransactionTrait),
    app: &App,
    refresh_token: &str,
    scopes: Option<Scopes>,
    now: DateTime<Utc>,
) -> Result<IssuedToken> {
    let txn = crate::database::begin_write(db).await?;
    let old = oauth_tokens::Entity::find()
        .filter(oauth_tokens::Column::RefreshTokenHash.eq(hash(refresh_token)))
        .filter(oauth_tokens::Column::AppId.eq(app.id))
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .one(&txn)
        .await?
        .ok_or_else(|| Error::Forbidden(INVALID_REFRESH_TOKEN.into()))?;
    let granted = Scopes::parse(&old.scopes)?;
    let scopes = match scopes {
        Some(asked) if !granted.covers(&asked) => {
            return Err(Error::invalid(
                "scope",
                "asks for more than the refreshed token had",
            ));
        }
        Some(asked) => asked,
        None => granted,
    };
    // Revoked first and only if still valid, so that two trades of one refresh
    // token at once cannot both succeed.
    let revoked = oauth_tokens::Entity::update_many()
        .col_expr(
            oauth_tokens::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(oauth_tokens::Column::Id.eq(old.id))
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if revoked.rows_affected == 0 {
        return Err(Error::Forbidden(INVALID_REFRESH_TOKEN.into()));
    }
    let issued = issue_token(&txn, app, old.account_id, scopes, now).await?;
    txn.commit().await?;
    Ok(issued)
}

/// Who a token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub app_id: i64,
    /// `None` for an app's own token.
    pub account: Option<Account>,
    pub scopes: Scopes,
}

/// The grant of `token`; `NotFound` for an unknown or revoked token, `Forbidden` for
/// the token of a user who may no longer sign in.
pub async fn authenticate(db: &impl ConnectionTrait, token: &str) -> Result<Grant> {
    // The token, its user and their account in one read: every signed request pays it.
    let of_user: RelationDef = oauth_tokens::Entity::belongs_to(users::Entity)
        .from(oauth_tokens::Column::AccountId)
        .to(users::Column::AccountId)
        .into();
    let (row, user, found) = oauth_tokens::Entity::find()
        .join(JoinType::LeftJoin, of_user)
        .select_also(users::Entity)
        .and_also_related(accounts::Entity)
        .filter(oauth_tokens::Column::TokenHash.eq(hash(token)))
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or(Error::NotFound("token"))?;
    let account = match row.account_id {
        Some(_) => {
            let user = user.ok_or(Error::NotFound("token"))?;
            if user.disabled || !user.approved || !user.confirmed {
                return Err(Error::Forbidden("this account cannot sign in".into()));
            }
            if found.as_ref().is_some_and(|a| a.suspended_at.is_some()) {
                return Err(Error::Forbidden(SUSPENDED.into()));
            }
            Some(Account::from(found.ok_or(Error::NotFound("account"))?))
        }
        None => None,
    };
    let now = Utc::now();
    if row
        .last_used_at
        .is_none_or(|at| at + LAST_USED_PRECISION <= now)
    {
        oauth_tokens::ActiveModel {
            id: Set(row.id),
            last_used_at: Set(Some(now)),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(Grant {
        app_id: row.app_id,
        account,
        scopes: Scopes::parse(&row.scopes)?,
    })
}

/// How stale a token's recorded last use may get before a request writes it again.
const LAST_USED_PRECISION: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// An app someone authorised, with what its valid tokens for them allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorisedApp {
    pub app_id: i64,
    pub name: String,
    pub website: Option<String>,
    /// Every scope of its valid tokens.
    pub scopes: Scopes,
    /// When the first of them was issued.
    pub created_at: DateTime<Utc>,
    /// When one of them was last used, if known.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The apps `account_id` authorised that still hold a valid token, most recently
/// authorised first.
pub async fn authorised_apps(
    db: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<AuthorisedApp>> {
    let tokens = oauth_tokens::Entity::find()
        .filter(oauth_tokens::Column::AccountId.eq(account_id))
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .order_by_asc(oauth_tokens::Column::Id)
        .all(db)
        .await?;
    let mut apps: Vec<AuthorisedApp> = Vec::new();
    for token in tokens {
        let scopes = Scopes::parse(&token.scopes)?;
        if let Some(app) = apps.iter_mut().find(|a| a.app_id == token.app_id) {
            app.scopes.0.extend(scopes.0);
            app.last_used_at = app.last_used_at.max(token.last_used_at);
            continue;
        }
        let app = get_app(db, token.app_id).await?;
        apps.push(AuthorisedApp {
            app_id: app.id,
            name: app.name,
            website: app.website,
            scopes,
            created_at: token.created_at,
            last_used_at: token.last_used_at,
        });
    }
    apps.reverse();
    Ok(apps)
}

/// Revokes every token `app_id` holds for `account_id`; `NotFound` when it holds
/// none.
pub async fn revoke_app_for_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    app_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let revoked = oauth_tokens::Entity::update_many()
        .col_expr(
            oauth_tokens::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(oauth_tokens::Column::AccountId.eq(account_id))
        .filter(oauth_tokens::Column::AppId.eq(app_id))
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if revoked.rows_affected == 0 {
        return Err(Error::NotFound("app"));
    }
    Ok(())
}

/// Revokes the token `token_id` (if it is still valid).
pub(crate) async fn revoke_by_id(
    db: &impl ConnectionTrait,
    token_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    revoke_matching(db, oauth_tokens::Column::Id.eq(token_id), now).await
}

/// Revokes every valid token issued for `account_id`, whatever the app.
pub async fn revoke_for_account(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    revoke_matching(db, oauth_tokens::Column::AccountId.eq(account_id), now).await
}

/// Revokes `token` if `app` issued it; revoking an unknown token is no error.
pub async fn revoke(
    db: &impl ConnectionTrait,
    app: &App,
    token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let matching = sea_orm::Condition::all()
        .add(oauth_tokens::Column::TokenHash.eq(hash(token)))
        .add(oauth_tokens::Column::AppId.eq(app.id));
    revoke_matching(db, matching, now).await
}

/// Revokes the valid tokens that match `condition`.
async fn revoke_matching(
    db: &impl ConnectionTrait,
    condition: impl sea_orm::sea_query::IntoCondition,
    now: DateTime<Utc>,
) -> Result<()> {
    oauth_tokens::Entity::update_many()
        .col_expr(
            oauth_tokens::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(condition)
        .filter(oauth_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_grant_their_children_and_follow_its_family() {
        let read = Scopes::parse("read").unwrap();
        assert!(read.allows("read:statuses") && !read.allows("write:statuses"));
        let write = Scopes::parse("write:statuses follow").unwrap();
        assert!(write.allows("write:statuses") && !write.allows("write:media"));
        assert!(write.allows("write:follows") && write.allows("read:blocks"));
        assert_eq!(Scopes::parse("").unwrap().to_string(), "read");
        assert!(Scopes::parse("read wrte").is_err());
    }

    #[test]
    fn an_app_gets_no_more_than_it_registered_for() {
        let registered = Scopes::parse("read write").unwrap();
        assert!(registered.covers(&Scopes::parse("read:accounts write:statuses").unwrap()));
        assert!(!registered.covers(&Scopes::parse("follow").unwrap()));
        assert!(!registered.covers(&Scopes::parse("admin:read").unwrap()));
    }

    #[test]
    fn admin_scopes_cover_their_parts_and_nothing_else() {
        let admin = Scopes::parse("admin:read").unwrap();
        assert!(admin.allows("admin:read:reports"));
        assert!(!admin.allows("admin:write:reports"));
        assert!(!Scopes::parse("read").unwrap().allows("admin:read:reports"));
        assert!(
            !Scopes::parse("write")
                .unwrap()
                .allows("admin:write:reports")
        );
    }
}
