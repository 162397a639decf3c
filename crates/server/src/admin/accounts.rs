//! `staffroom admin account ...`: silencing accounts, here or elsewhere, and
//! suspending people here or accounts of other servers.

use std::io::Write;

use chrono::Utc;
use staffroom_domain::access::user;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_domain::moderation::{local_suspension, silence, suspension};
use staffroom_domain::{Database, Error};
use staffroom_federation::context::Data;
use staffroom_federation::suspension as told;

use crate::config::Config;

use crate::failure::Failure;

/// The person of this instance `account` names (a username, with or without a
/// leading `@`), if it names one.
async fn local_person(db: &Database, account: &str) -> Result<Option<Account>, Failure> {
    let name = account.trim().trim_start_matches('@');
    if name.contains('@') || name.contains('/') {
        return Ok(None);
    }
    match user::find_by_username(db, name).await {
        Ok(found) => Ok(Some(found.account)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(other) => Err(Failure::failed(other)),
    }
}

/// What the other servers are told through.
async fn federation_data(db: &Database, config: &Config) -> Result<Data, Failure> {
    let federation = crate::app::federation(config, db)
        .await
        .map_err(Failure::failed)?;
    Ok(federation.config.to_request_data())
}

/// `admin account suspend ACCOUNT [--reason]`: a person here, or an account of
/// another server.
pub async fn suspend(
    db: &Database,
    config: &Config,
    account: &str,
    reason: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    if let Some(person) = local_person(db, account).await? {
        let data = federation_data(db, config).await?;
        let done = told::suspend(&data, Staff::Operator, person.id, reason)
            .await
            .map_err(Failure::failed)?;
        let at = local_suspension::find(db, done.id)
            .await
            .map_err(Failure::failed)?
            .map_or_else(Utc::now, |(at, _)| at);
        let _ = writeln!(
            out,
            "{} is suspended: nothing of them is shown and they are signed out; their account will be deleted on {} unless the suspension is lifted.",
            done.username,
            (at + local_suspension::RETENTION).format("%Y-%m-%d")
        );
        return Ok(());
    }
    let suspended = staff::suspend(db, Staff::Operator, account, reason, Utc::now())
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Failure::failed(format!(
                "no person here nor account of another server called '{account}' is known here"
            )),
            other => Failure::failed(other),
        })?;
    let _ = writeln!(
        out,
        "{} ({}) is suspended: what it brought is removed, and nothing more of it gets in.",
        suspended.acct, suspended.uri
    );
    Ok(())
}

/// `admin account unsuspend ACCOUNT`
pub async fn unsuspend(
    db: &Database,
    config: &Config,
    account: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lifted = match local_person(db, account).await? {
        Some(person) => {
            let data = federation_data(db, config).await?;
            told::unsuspend(&data, Staff::Operator, person.id)
                .await
                .map(|_| ())
                .map_err(|e| match e {
                    staffroom_federation::Error::Domain(e) => e,
                    other => Error::Internal(other.to_string()),
                })
        }
        None => staff::lift_suspension(db, Staff::Operator, account, Utc::now()).await,
    };
    match lifted {
        Ok(()) => {
            let _ = writeln!(out, "{account} is no longer suspended.");
            Ok(())
        }
        Err(Error::NotFound(_)) => Err(Failure::failed(format!("'{account}' is not suspended"))),
        Err(other) => Err(Failure::failed(other)),
    }
}

/// `admin account suspended`: the people here, then the accounts of other
/// servers.
pub async fn list(db: &Database, out: &mut dyn Write) -> Result<(), Failure> {
    let here = local_suspension::list(db).await.map_err(Failure::failed)?;
    let all = suspension::list(db).await.map_err(Failure::failed)?;
    if here.is_empty() && all.is_empty() {
        let _ = writeln!(out, "No account is suspended.");
    }
    for one in here {
        let _ = writeln!(
            out,
            "{}  (here, deleted on {})  {}  {}",
            one.account.username,
            one.erased_at(local_suspension::RETENTION)
                .format("%Y-%m-%d"),
            one.suspended_at.format("%Y-%m-%d"),
            one.reason
        );
    }
    for one in all {
        let _ = writeln!(
            out,
            "{}  {}  {}  {}",
            one.acct,
            one.uri,
            one.created_at.format("%Y-%m-%d"),
            one.reason
        );
    }
    Ok(())
}

/// `admin account silence ACCOUNT` and `unsilence ACCOUNT` (`silenced: false`).
pub async fn set_silenced(
    db: &Database,
    account: &str,
    silenced: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let found = silence::find(db, account).await.map_err(|e| match e {
        Error::NotFound(_) => {
            Failure::failed(format!("no account called '{account}' is known here"))
        }
        other => Failure::failed(other),
    })?;
    let done = staff::set_silenced(db, Staff::Operator, found.id, silenced, Utc::now())
        .await
        .map_err(Failure::failed)?;
    let _ = if silenced {
        writeln!(
            out,
            "{} is silenced: its posts are left out of public and hashtag timelines but for its followers.",
            done.acct()
        )
    } else {
        writeln!(out, "{} is no longer silenced.", done.acct())
    };
    Ok(())
}
