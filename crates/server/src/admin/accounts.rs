//! `staffroom admin account ...`: silencing accounts, here or elsewhere, and
//! suspending accounts of other servers.

use std::io::Write;

use chrono::Utc;
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_domain::moderation::{silence, suspension};
use staffroom_domain::{Database, Error};

use crate::failure::Failure;

/// `admin account suspend ACCOUNT [--reason]`
pub async fn suspend(
    db: &Database,
    account: &str,
    reason: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let suspended = staff::suspend(db, Staff::Operator, account, reason, Utc::now())
        .await
        .map_err(|e| match e {
            Error::NotFound(_) => Failure::failed(format!(
                "no account of another server called '{account}' is known here"
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
pub async fn unsuspend(db: &Database, account: &str, out: &mut dyn Write) -> Result<(), Failure> {
    match staff::lift_suspension(db, Staff::Operator, account, Utc::now()).await {
        Ok(()) => {
            let _ = writeln!(out, "{account} is no longer suspended.");
            Ok(())
        }
        Err(Error::NotFound(_)) => Err(Failure::failed(format!("'{account}' is not suspended"))),
        Err(other) => Err(Failure::failed(other)),
    }
}

/// `admin account suspended`
pub async fn list(db: &Database, out: &mut dyn Write) -> Result<(), Failure> {
    let all = suspension::list(db).await.map_err(Failure::failed)?;
    if all.is_empty() {
        let _ = writeln!(out, "No account is suspended.");
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
