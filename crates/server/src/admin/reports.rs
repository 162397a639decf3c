//! `staffroom admin reports ...`: reading reports and marking them resolved at
//! the command line.

use std::io::Write;

use chrono::Utc;
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_domain::{Database, Error, accounts::account, moderation::report, posts::post};

use crate::failure::Failure;

fn failed(id: i64) -> impl Fn(Error) -> Failure {
    move |e| match e {
        Error::NotFound(_) => Failure::failed(format!("there is no report {id}")),
        other => Failure::failed(other),
    }
}

/// One report in a line: id, state, date, category, reporter, target, posts,
/// comment.
async fn line(db: &Database, found: &report::Report) -> Result<String, Failure> {
    let people = report::accounts_of(db, found)
        .await
        .map_err(Failure::failed)?;
    let acct = |id: i64| {
        people
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), account::Account::acct)
    };
    Ok(format!(
        "{}  {}  {}  {}  {} -> {}  {} post(s)  {}",
        found.id,
        if found.is_resolved() {
            "resolved"
        } else {
            "open"
        },
        found.created_at.format("%Y-%m-%d"),
        found.category.name(),
        acct(found.account_id),
        acct(found.target_account_id),
        found.post_ids.len(),
        found.comment.replace('\n', " "),
    ))
}

/// `admin reports list [--resolved]`
pub async fn list(db: &Database, resolved: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let found = report::list(db, resolved, 0, report::MAX_PAGE)
        .await
        .map_err(Failure::failed)?;
    if found.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            if resolved {
                "No resolved report."
            } else {
                "No open report."
            }
        );
    }
    for one in &found {
        let _ = writeln!(out, "{}", line(db, one).await?);
    }
    Ok(())
}

/// `admin reports show ID`: the report and the text of its posts.
pub async fn show(db: &Database, id: i64, out: &mut dyn Write) -> Result<(), Failure> {
    let found = report::get(db, id).await.map_err(failed(id))?;
    let _ = writeln!(out, "{}", line(db, &found).await?);
    let posts = post::get_many(db, &found.post_ids)
        .await
        .map_err(Failure::failed)?;
    for id in &found.post_ids {
        if let Some(one) = posts.get(id) {
            let link = one.uri.clone().unwrap_or_else(|| one.id.to_string());
            let _ = writeln!(out, "  {link}: {}", one.content);
        }
    }
    Ok(())
}

/// `admin reports resolve ID` and `admin reports reopen ID`
pub async fn set_resolved(
    db: &Database,
    id: i64,
    resolved: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    staff::set_report_resolved(db, Staff::Operator, id, resolved, Utc::now())
        .await
        .map_err(failed(id))?;
    let _ = writeln!(
        out,
        "Report {id} is {}.",
        if resolved { "resolved" } else { "open again" }
    );
    Ok(())
}
