//! Users: the people who sign in to this instance, each with a local account.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::accounts::account::{self, Account, AccountKind};
use crate::accounts::keys::KeyPair;
use crate::entities::{accounts, users};
use crate::{Error, Result, access::credentials, id};

/// The most characters an email address may have.
pub const MAX_EMAIL_CHARS: usize = 254;

/// What a user may do on the instance beyond their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    User,
    Moderator,
    Admin,
}

impl Role {
    /// Every role, by name.
    pub const NAMES: [&'static str; 3] = ["user", "moderator", "admin"];

    pub fn name(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    /// The role called `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "user" => Some(Self::User),
            "moderator" => Some(Self::Moderator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A user of this instance with their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub account: Account,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    /// False while the account waits for an administrator's approval.
    pub approved: bool,
    /// False until the person follows the link mailed to their address (where the
    /// instance sends mail).
    pub confirmed: bool,
    /// Whether signing in also takes a code from an authenticator app.
    pub two_factor: bool,
    pub last_active_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl User {
    fn from_rows(user: users::Model, account: accounts::Model) -> Self {
        Self {
            account: account.into(),
            email: user.email,
            role: Role::from_name(&user.role).unwrap_or(Role::User),
            disabled: user.disabled,
            approved: user.approved,
            confirmed: user.confirmed,
            two_factor: user.otp_secret.is_some(),
            last_active_at: user.last_active_at,
            created_at: user.created_at,
        }
    }

    /// Whether this user may sign in now.
    pub fn can_sign_in(&self) -> bool {
        self.approved && self.confirmed && !self.disabled
    }
}

/// Everything needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
    pub approved: bool,
    /// Whether the email address counts as confirmed from the start.
    pub confirmed: bool,
    pub invite_id: Option<i64>,
    /// Why they want to join, when they signed up themselves.
    pub sign_up_reason: Option<String>,
    /// The account's key pair, made with [`KeyPair::generate`].
    pub keys: KeyPair,
}

/// Checks the shape of an email address: one `@`, a local part and a domain with a dot.
pub fn check_email(email: &str) -> Result<()> {
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(Error::invalid("email", "is too long"));
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(Error::invalid("email", "is not an email address"))
    }
}

/// Creates a user and their local account. Nothing is stored when any input is
/// invalid or the username or email address is taken.
pub async fn create(db: &(impl ConnectionTrait + TransactionTrait), new: NewUser) -> Result<User> {
    account::check_username(&new.username)?;
    check_email(&new.email)?;
    let display_name = new.display_name.trim().to_owned();
    if display_name.chars().count() > account::MAX_DISPLAY_NAME_CHARS {
        return Err(Error::invalid(
            "display_name",
            format!(
                "is too long: use at most {} characters",
                account::MAX_DISPLAY_NAME_CHARS
            ),
        ));
    }
    credentials::check_strength(&new.password, &new.username, &new.email)?;
    let email = new.email.to_lowercase();
    if account::find_local(db, &new.username).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the username '{}' is already taken",
            new.username
        )));
    }
    account::check_not_deleted(db, &new.username).await?;
    if find_by_email(db, &email).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the email address '{email}' is already in use"
        )));
    }
    let password_hash = credentials::hash_password(new.password).await?;

    let now = Utc::now();
    let account_id = id::new_id(now);
    let txn = crate::database::begin_write(db).await?;
    let account = accounts::ActiveModel {
        id: Set(account_id),
        kind: Set(AccountKind::Person.as_str().to_owned()),
        acct: Set(new.username.to_lowercase()),
        username: Set(new.username),
        domain: Set(None),
        display_name: Set(display_name),
        note: Set(String::new()),
        locked: Set(false),
        bot: Set(false),
        discoverable: Set(true),
        uri: Set(None),
        public_key_pem: Set(new.keys.public_key_pem),
        private_key_pem: Set(Some(new.keys.private_key_pem)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation_as_conflict(e, "the username is already taken"))?;
    let user = users::ActiveModel {
        account_id: Set(account_id),
        email: Set(email),
        password_hash: Set(password_hash),
        role: Set(new.role.name().to_owned()),
        disabled: Set(false),
        approved: Set(new.approved),
        invite_id: Set(new.invite_id),
        last_active_at: Set(None),
        created_at: Set(now),
        sign_up_reason: Set(new.sign_up_reason),
        confirmed: Set(new.confirmed),
        otp_secret: Set(None),
        otp_last_step: Set(None),
        unconfirmed_email: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_violation_as_conflict(e, "the email address is already in use"))?;
    txn.commit().await?;
    Ok(User::from_rows(user, account))
}

/// A unique-key violation (two sign-ups racing for one name) becomes a conflict.
pub(crate) fn unique_violation_as_conflict(err: sea_orm::DbErr, message: &str) -> Error {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(message.to_owned()),
        _ => Error::Database(err),
    }
}

/// The user whose account is called `username`.
pub async fn find_by_username(db: &impl ConnectionTrait, username: &str) -> Result<User> {
    let row = users::Entity::find()
        .find_also_related(accounts::Entity)
        .filter(accounts::Column::Acct.eq(username.to_lowercase()))
        .filter(accounts::Column::Domain.is_null())
        .one(db)
        .await?;
    match row {
        Some((user, Some(account))) => Ok(User::from_rows(user, account)),
        _ => Err(Error::NotFound("user")),
    }
}

/// A page of this instance's people, newest first (by account id), those whose
/// username or email holds `query` when one is given.
pub async fn list(
    db: &impl ConnectionTrait,
    query: Option<&str>,
    page: crate::page::Page,
) -> Result<Vec<User>> {
    let mut select = users::Entity::find();
    if let Some(query) = query.map(str::trim).filter(|q| !q.is_empty()) {
        let escaped = crate::accounts::account::like_escaped(&query.to_lowercase());
        let pattern = || LikeExpr::new(format!("%{escaped}%")).escape('\\');
        select = select.filter(
            sea_orm::Condition::any()
                .add(accounts::Column::Acct.like(pattern()))
                .add(users::Column::Email.like(pattern())),
        );
    }
    let mut rows = page
        .apply(select, users::Column::AccountId)
        .find_also_related(accounts::Entity)
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows
        .into_iter()
        .filter_map(|(user, account)| account.map(|account| User::from_rows(user, account)))
        .collect())
}

/// The user whose account is `account_id`.
pub async fn get(db: &impl ConnectionTrait, account_id: i64) -> Result<User> {
    match users::Entity::find_by_id(account_id)
        .find_also_related(accounts::Entity)
        .one(db)
        .await?
    {
        Some((user, Some(account))) => Ok(User::from_rows(user, account)),
        _ => Err(Error::NotFound("user")),
    }
}

/// The user whose account is `account_id`, if their role is at least `role`;
/// `Forbidden` otherwise.
pub async fn require_role(db: &impl ConnectionTrait, account_id: i64, role: Role) -> Result<User> {
    let user = match get(db, account_id).await {
        Ok(user) => user,
        Err(Error::NotFound(_)) => {
            return Err(Error::Forbidden(format!(
                "this is for the instance's {}s",
                role.name()
            )));
        }
        Err(e) => return Err(e),
    };
    if user.role < role {
        return Err(Error::Forbidden(format!(
            "this is for the instance's {}s",
            role.name()
        )));
    }
    Ok(user)
}

/// The user with this email address, whatever its case.
pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<User>> {
    let row = users::Entity::find()
        .find_also_related(accounts::Entity)
        .filter(users::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await?;
    Ok(match row {
        Some((user, Some(account))) => Some(User::from_rows(user, account)),
        _ => None,
    })
}

/// Gives `username` the role `role`.
pub async fn set_role(db: &impl ConnectionTrait, username: &str, role: Role) -> Result<User> {
    let user = find_by_username(db, username).await?;
    users::ActiveModel {
        account_id: Set(user.account.id),
        role: Set(role.name().to_owned()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(User { role, ..user })
}

/// Sets a new password for `username`, if it is strong enough.
pub async fn set_password(
    db: &impl ConnectionTrait,
    username: &str,
    password: String,
) -> Result<User> {
    let user = find_by_username(db, username).await?;
    credentials::check_strength(&password, &user.account.username, &user.email)?;
    let password_hash = credentials::hash_password(password).await?;
    store_password_hash(db, user.account.id, password_hash).await?;
    Ok(user)
}

/// Stores `password_hash` (made by [`credentials::hash_password`]) as the password
/// of `account_id`.
pub(crate) async fn store_password_hash(
    db: &impl ConnectionTrait,
    account_id: i64,
    password_hash: String,
) -> Result<()> {
    users::ActiveModel {
        account_id: Set(account_id),
        password_hash: Set(password_hash),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Whether `password` is the password of `user`.
pub async fn verify_password(
    db: &impl ConnectionTrait,
    user: &User,
    password: &str,
) -> Result<bool> {
    let hash = users::Entity::find_by_id(user.account.id)
        .one(db)
        .await?
        .map(|row| row.password_hash)
        .ok_or(Error::NotFound("user"))?;
    credentials::verify_password(password.to_owned(), hash).await
}

/// Disables (or enables again) `username`: a disabled user cannot sign in, and what
/// they posted stays.
pub async fn set_disabled(
    db: &impl ConnectionTrait,
    username: &str,
    disabled: bool,
) -> Result<User> {
    let user = find_by_username(db, username).await?;
    users::ActiveModel {
        account_id: Set(user.account.id),
        disabled: Set(disabled),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(User { disabled, ..user })
}

/// The users waiting for an administrator's approval, oldest first, each with the
/// reason they gave.
pub async fn awaiting_approval(db: &impl ConnectionTrait) -> Result<Vec<(User, Option<String>)>> {
    let rows = users::Entity::find()
        .find_also_related(accounts::Entity)
        .filter(users::Column::Approved.eq(false))
        .order_by_asc(users::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, account)| {
            let reason = user.sign_up_reason.clone();
            account.map(|account| (User::from_rows(user, account), reason))
        })
        .collect())
}

/// Approves `username`, who signed up while registrations needed approval: they may
/// sign in from now on.
pub async fn approve(db: &impl ConnectionTrait, username: &str) -> Result<User> {
    let user = find_by_username(db, username).await?;
    users::ActiveModel {
        account_id: Set(user.account.id),
        approved: Set(true),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(User {
        approved: true,
        ..user
    })
}

/// Checks `password` for the user `username`: the user, if it matches and they may
/// sign in. The same `NotFound` answers an unknown user and a wrong password.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    username_or_email: &str,
    password: &str,
) -> Result<User> {
    let user = if username_or_email.contains('@') {
        find_by_email(db, username_or_email).await?
    } else {
        find_by_username(db, username_or_email).await.ok()
    };
    let Some(user) = user else {
        return Err(Error::NotFound("user"));
    };
    if !verify_password(db, &user, password).await? {
        return Err(Error::NotFound("user"));
    }
    if !user.can_sign_in() {
        return Err(Error::Forbidden(if user.disabled {
            "this account is disabled".to_owned()
        } else if !user.confirmed {
            "this account's email address is not confirmed yet".to_owned()
        } else {
            "this account is waiting for approval".to_owned()
        }));
    }
    Ok(user)
}

/// Records that `account_id` used the instance now (for the active-user counts);
/// an account without a user (a trust's or a school's) is left as it is.
pub async fn touch(db: &impl ConnectionTrait, account_id: i64, at: DateTime<Utc>) -> Result<()> {
    users::Entity::update_many()
        .col_expr(
            users::Column::LastActiveAt,
            sea_orm::sea_query::Expr::value(Some(at)),
        )
        .filter(users::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The instance's moderators and administrators who are not disabled, who are
/// told when someone asks to join.
pub async fn staff(db: &impl ConnectionTrait) -> Result<Vec<User>> {
    let rows = users::Entity::find()
        .find_also_related(accounts::Entity)
        .filter(users::Column::Role.is_in([Role::Moderator.name(), Role::Admin.name()]))
        .filter(users::Column::Disabled.eq(false))
        .order_by_asc(users::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(user, account)| account.map(|account| User::from_rows(user, account)))
        .collect())
}

/// The instance's contact: its longest-standing administrator who is not disabled.
pub async fn contact(db: &impl ConnectionTrait) -> Result<Option<User>> {
    let row = users::Entity::find()
        .find_also_related(accounts::Entity)
        .filter(users::Column::Role.eq(Role::Admin.name()))
        .filter(users::Column::Disabled.eq(false))
        .order_by_asc(users::Column::CreatedAt)
        .one(db)
        .await?;
    Ok(match row {
        Some((user, Some(account))) => Some(User::from_rows(user, account)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_need_a_local_part_and_a_dotted_domain() {
        for good in ["a@example.org", "head.teacher+staffroom@school.sch.uk"] {
            assert!(check_email(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "alice",
            "@example.org",
            "a@localhost",
            "a@b@c.org",
            "a b@c.org",
            "a@.org",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roles_round_trip_by_name() {
        for name in Role::NAMES {
            assert_eq!(Role::from_name(name).map(Role::name), Some(name));
        }
        assert!(Role::Admin > Role::Moderator && Role::Moderator > Role::User);
    }
}
