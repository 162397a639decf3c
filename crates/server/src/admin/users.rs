//! `staffroom admin create-user|set-role|disable-user|enable-user|delete-user|
//! pending-users|approve-user|reset-password|disable-2fa|create-invite`: local
//! people and invitations.

use std::io::Write;

use chrono::{TimeDelta, Utc};
use staffroom_domain::access::account_token::{self, Purpose};
use staffroom_domain::access::user::{self, NewUser, Role};
use staffroom_domain::access::{credentials, two_factor};
use staffroom_domain::accounts::keys::KeyPair;
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_domain::{Database, Error};
use staffroom_federation::deletion;
use staffroom_http::mail::{self, Instance};

use crate::config::Config;
use crate::failure::Failure;

/// A domain error as one line for the administrator.
fn failure(err: Error, username: &str) -> Failure {
    match err {
        Error::NotFound(_) => Failure::failed(format!("there is no user called '{username}'")),
        other => Failure::failed(other),
    }
}

/// The arguments of `admin create-user`.
#[derive(Debug)]
pub struct NewUserArgs {
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// `None` to generate one and print it.
    pub password: Option<String>,
}

/// `admin create-user`
pub async fn create_user(
    db: &Database,
    args: NewUserArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let generated = args.password.is_none();
    let password = args.password.unwrap_or_else(credentials::generate_password);
    let keys = KeyPair::generate().await.map_err(Failure::failed)?;
    let username = args.username.clone();
    let user = user::create(
        db,
        NewUser {
            username: args.username,
            email: args.email,
            display_name: args.display_name,
            role: args.role,
            password: password.clone(),
            approved: true,
            confirmed: true,
            invite_id: None,
            sign_up_reason: None,
            keys,
        },
    )
    .await
    .map_err(|e| failure(e, &username))?;
    let _ = writeln!(
        out,
        "Created user {} ({}) with email {}.",
        user.account.username,
        user.role.name(),
        user.email
    );
    if generated {
        let _ = writeln!(out, "Password: {password}");
        let _ = writeln!(
            out,
            "This password is shown only now: keep it somewhere safe."
        );
    }
    Ok(())
}

/// `admin set-role`
pub async fn set_role(
    db: &Database,
    username: &str,
    role: Role,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let user = staff::set_role(db, Staff::Operator, username, role, Utc::now())
        .await
        .map_err(|e| failure(e, username))?;
    let _ = writeln!(out, "{} is now {}.", user.account.username, article(role));
    Ok(())
}

fn article(role: Role) -> &'static str {
    match role {
        Role::User => "a user",
        Role::Moderator => "a moderator",
        Role::Admin => "an admin",
    }
}

/// `admin disable-user` and `admin enable-user`
pub async fn set_disabled(
    db: &Database,
    username: &str,
    disabled: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let user = staff::set_disabled(db, Staff::Operator, username, disabled, Utc::now())
        .await
        .map_err(|e| failure(e, username))?;
    if disabled {
        let _ = writeln!(
            out,
            "{} is disabled and can no longer sign in.",
            user.account.username
        );
    } else {
        let _ = writeln!(
            out,
            "{} is enabled and can sign in again.",
            user.account.username
        );
    }
    Ok(())
}

/// `admin delete-user`: deletes the account and everything of it, and queues
/// its `Delete` for the servers that know it (the serving instance's worker
/// delivers it).
pub async fn delete_user(
    db: &Database,
    config: &Config,
    username: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let federation = crate::app::federation(config, db)
        .await
        .map_err(Failure::failed)?;
    let data = federation.config.to_request_data();
    let store = crate::app::media_store(config);
    deletion::delete_by_staff(&data, &store, Staff::Operator, username)
        .await
        .map_err(|e| match e {
            staffroom_federation::Error::Domain(e) => failure(e, username),
            other => Failure::failed(other),
        })?;
    let _ = writeln!(
        out,
        "The account of {username} is deleted; its username stays reserved."
    );
    Ok(())
}

/// `admin pending-users`
pub async fn pending_users(db: &Database, out: &mut dyn Write) -> Result<(), Failure> {
    let pending = user::awaiting_approval(db).await.map_err(Failure::failed)?;
    if pending.is_empty() {
        let _ = writeln!(out, "Nobody is waiting for approval.");
    }
    for (user, reason) in pending {
        let _ = writeln!(
            out,
            "{} <{}>, signed up {}: {}",
            user.account.username,
            user.email,
            user.created_at.format("%Y-%m-%d %H:%M UTC"),
            reason.as_deref().unwrap_or("(no reason given)")
        );
    }
    Ok(())
}

/// `admin approve-user`
pub async fn approve_user(
    db: &Database,
    config: &Config,
    username: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let user = staff::approve_user(db, Staff::Operator, username, Utc::now())
        .await
        .map_err(|e| failure(e, username))?;
    if config.smtp.is_some() {
        let instance = Instance {
            title: &config.title,
            urls: &config.urls,
        };
        mail::queue(db, mail::approved(instance, &user), Utc::now())
            .await
            .map_err(Failure::failed)?;
        let _ = writeln!(out, "A mail tells {} so.", user.email);
    }
    let _ = writeln!(
        out,
        "{} is approved and can sign in.",
        user.account.username
    );
    if user.disabled {
        let _ = writeln!(
            out,
            "Note: {} is also disabled; 'admin enable-user' lets them in.",
            user.account.username
        );
    }
    Ok(())
}

/// `admin disable-2fa`: turns two-factor sign-in off for someone locked out (their
/// device and recovery codes lost); they sign in with their password alone, and
/// are told by mail when the instance sends mail.
pub async fn disable_two_factor(
    db: &Database,
    config: &Config,
    username: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let user = user::find_by_username(db, username)
        .await
        .map_err(|e| failure(e, username))?;
    if !user.two_factor {
        let _ = writeln!(
            out,
            "{} does not use two-factor sign-in; nothing changed.",
            user.account.username
        );
        return Ok(());
    }
    two_factor::turn_off(db, user.account.id)
        .await
        .map_err(Failure::failed)?;
    let _ = writeln!(
        out,
        "Two-factor sign-in is off for {}: they sign in with their password alone, and can turn it on again in their settings.",
        user.account.username
    );
    if config.smtp.is_some() {
        let instance = Instance {
            title: &config.title,
            urls: &config.urls,
        };
        let user = user::User {
            two_factor: false,
            ..user
        };
        mail::queue(
            db,
            mail::two_factor_changed(instance, &user, false),
            Utc::now(),
        )
        .await
        .map_err(Failure::failed)?;
        let _ = writeln!(out, "A mail tells {} so.", user.email);
    }
    Ok(())
}

/// `admin reset-password`: a reset link for the operator to hand over, made
/// whether or not the instance sends mail. It is printed, never logged.
pub async fn reset_password(
    db: &Database,
    config: &Config,
    username: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let user = user::find_by_username(db, username)
        .await
        .map_err(|e| failure(e, username))?;
    let token = account_token::issue(db, user.account.id, Purpose::ResetPassword, Utc::now())
        .await
        .map_err(Failure::failed)?;
    let _ = writeln!(
        out,
        "Give {} this link to choose a new password; it works once, for one hour:",
        user.account.username
    );
    let _ = writeln!(out, "{}", mail::reset_link(&config.urls, &token));
    if user.disabled {
        let _ = writeln!(
            out,
            "Note: {} is disabled; 'admin enable-user' lets them in.",
            user.account.username
        );
    }
    Ok(())
}

/// `admin create-invite`
pub async fn create_invite(
    db: &Database,
    config: &Config,
    max_uses: Option<i32>,
    expires_in_days: Option<i64>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let expires_at = expires_in_days.map(|days| Utc::now() + TimeDelta::days(days));
    let invite = staff::create_invite(db, Staff::Operator, max_uses, expires_at, Utc::now())
        .await
        .map_err(Failure::failed)?;
    let _ = writeln!(out, "Invite code: {}", invite.code);
    let uses = invite
        .max_uses
        .map_or("no limit".to_owned(), |n| n.to_string());
    let expiry = invite.expires_at.map_or("never".to_owned(), |at| {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    });
    let _ = writeln!(out, "Uses: {uses}; expires: {expiry}.");
    if !config.registrations.needs_invite() {
        let _ = writeln!(
            out,
            "Note: registrations are '{}', so sign-up does not ask for an invite.",
            config.registrations
        );
    }
    Ok(())
}
