//! `Report` (what the reporter sees) and `Admin::Report` with `Admin::Account`
//! (what moderators see).

use serde::Serialize;
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::moderation::report::Report as DomainReport;
use staffroom_domain::{
    Database, Result,
    access::user,
    moderation::{report, suspension},
    posts::post,
};

use super::account::Role;
use super::status::{Status, account_entity, render_all};
use super::{Account, timestamp};
use staffroom_federation::LocalUrls;

/// A report, as its reporter sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: String,
    pub action_taken: bool,
    pub action_taken_at: Option<String>,
    pub category: &'static str,
    pub comment: String,
    pub forwarded: bool,
    pub created_at: String,
    pub status_ids: Option<Vec<String>>,
    pub rule_ids: Option<Vec<String>>,
    pub target_account: Account,
}

/// The `Report` entity of `found`.
pub async fn report_entity(
    db: &Database,
    urls: &LocalUrls,
    found: &DomainReport,
) -> Result<Report> {
    let target = staffroom_domain::accounts::account::get(db, found.target_account_id).await?;
    Ok(Report {
        id: found.id.to_string(),
        action_taken: found.is_resolved(),
        action_taken_at: found.action_taken_at.map(timestamp),
        category: found.category.name(),
        comment: found.comment.clone(),
        forwarded: found.forwarded,
        created_at: timestamp(found.created_at),
        status_ids: (!found.post_ids.is_empty())
            .then(|| found.post_ids.iter().map(i64::to_string).collect()),
        rule_ids: None,
        target_account: account_entity(db, urls, &target).await?,
    })
}

/// An account as moderators see it: its user's details for a person here.
#[derive(Debug, Clone, Serialize)]
pub struct AdminAccount {
    pub id: String,
    pub username: String,
    pub domain: Option<String>,
    pub created_at: String,
    pub email: Option<String>,
    pub ip: Option<String>,
    pub ips: Vec<serde_json::Value>,
    pub locale: Option<String>,
    pub invite_request: Option<String>,
    pub role: Option<Role>,
    pub confirmed: bool,
    pub approved: bool,
    pub disabled: bool,
    pub silenced: bool,
    pub sensitized: bool,
    pub suspended: bool,
    pub account: Account,
}

/// The `Admin::Account` entity of `account`.
pub async fn admin_account_entity(
    db: &Database,
    urls: &LocalUrls,
    account: &DomainAccount,
) -> Result<AdminAccount> {
    let person = if account.is_local() {
        user::get(db, account.id).await.ok()
    } else {
        None
    };
    let suspended = account.suspended
        || match &account.uri {
            Some(uri) => suspension::is_suspended(db, uri).await?,
            None => false,
        };
    Ok(AdminAccount {
        id: account.id.to_string(),
        username: account.username.clone(),
        domain: account.domain.clone(),
        created_at: timestamp(account.created_at),
        email: person.as_ref().map(|u| u.email.clone()),
        ip: None,
        ips: Vec::new(),
        locale: None,
        invite_request: None,
        role: person.as_ref().map(|u| Role::of(u.role)),
        confirmed: true,
        approved: person.as_ref().is_none_or(|u| u.approved),
        disabled: person.as_ref().is_some_and(|u| u.disabled),
        silenced: account.silenced,
        sensitized: false,
        suspended,
        account: account_entity(db, urls, account).await?,
    })
}

/// A report, as moderators see it.
#[derive(Debug, Clone, Serialize)]
pub struct AdminReport {
    pub id: String,
    pub action_taken: bool,
    pub action_taken_at: Option<String>,
    pub category: &'static str,
    pub comment: String,
    pub forwarded: bool,
    pub created_at: String,
    pub updated_at: String,
    pub account: AdminAccount,
    pub target_account: AdminAccount,
    pub assigned_account: Option<AdminAccount>,
    pub action_taken_by_account: Option<AdminAccount>,
    pub statuses: Vec<Status>,
    pub rules: Vec<serde_json::Value>,
}

/// The `Admin::Report` entity of `found`, its posts as `viewer` (a moderator)
/// sees them.
pub async fn admin_report_entity(
    db: &Database,
    urls: &LocalUrls,
    found: &DomainReport,
    viewer: &DomainAccount,
) -> Result<AdminReport> {
    let people = report::accounts_of(db, found).await?;
    let admin_entity = |id: i64| {
        let person = people.iter().find(|a| a.id == id).cloned();
        async move {
            match person {
                Some(person) => admin_account_entity(db, urls, &person).await.map(Some),
                None => Ok(None),
            }
        }
    };
    let account = admin_entity(found.account_id)
        .await?
        .ok_or(staffroom_domain::Error::NotFound("account"))?;
    let target_account = admin_entity(found.target_account_id)
        .await?
        .ok_or(staffroom_domain::Error::NotFound("account"))?;
    let action_taken_by_account = match found.action_taken_by_id {
        Some(id) => admin_entity(id).await?,
        None => None,
    };
    let posts = post::get_many(db, &found.post_ids).await?;
    let posts: Vec<_> = found
        .post_ids
        .iter()
        .filter_map(|id| posts.get(id).cloned())
        .collect();
    Ok(AdminReport {
        id: found.id.to_string(),
        action_taken: found.is_resolved(),
        action_taken_at: found.action_taken_at.map(timestamp),
        category: found.category.name(),
        comment: found.comment.clone(),
        forwarded: found.forwarded,
        created_at: timestamp(found.created_at),
        updated_at: timestamp(found.updated_at),
        account,
        target_account,
        assigned_account: None,
        action_taken_by_account,
        statuses: render_all(db, urls, &posts, Some(viewer)).await?,
        rules: Vec::new(),
    })
}
