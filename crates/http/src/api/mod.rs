//! The Mastodon client API, one module per URL segment.

pub mod staffroom;
pub mod v1;
pub mod v2;

use staffroom_domain::{access::user, stats};

use crate::AppState;
use crate::entities::Account;
use crate::entities::status::account_entity;
use crate::error::ApiResult;

/// What both instance endpoints show: the counts and the contact account.
pub(crate) async fn instance_facts(
    state: &AppState,
) -> ApiResult<(stats::InstanceStats, Option<Account>)> {
    let db = state.db();
    let stats = stats::instance(db, chrono::Utc::now()).await?;
    let contact = match user::contact(db).await? {
        Some(admin) => Some(account_entity(db, state.urls(), &admin.account).await?),
        None => None,
    };
    Ok((stats, contact))
}
