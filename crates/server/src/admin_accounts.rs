//! `staffroom admin account ...`: suspending accounts of other servers.

use std::io::Write;

use chrono::Utc;
use staffroom_domain::{Database, Error, moderation::suspension};

use crate::cli::Failure;

/// `admin account suspend ACCOUNT [--reason]`
pub async fn suspend(
    db: &Database,
    account: &str,
    reason: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let suspended = suspension::suspend(db, account, reason, Utc::now())
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
    if suspension::lift(db, account)
        .await
        .map_err(Failure::failed)?
    {
        let _ = writeln!(out, "{account} is no longer suspended.");
        Ok(())
    } else {
        Err(Failure::failed(format!("'{account}' is not suspended")))
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
