//! The Mastodon client API, one module per URL segment.

pub mod v1;
pub mod v2;

use staffroom_domain::{account, follow, stats, user};

use crate::AppState;
use crate::entities::Account;
use crate::error::ApiResult;

/// What both instance endpoints show: the counts and the contact account.
pub(crate) async fn instance_facts(
    state: &AppState,
) -> ApiResult<(stats::InstanceStats, Option<Account>)> {
    let db = state.db();
    let stats = stats::instance(db, chrono::Utc::now()).await?;
    let contact = match user::contact(db).await? {
        Some(admin) => {
            let posting = account::posting_stats(db, admin.account.id).await?;
            let follows = follow::counts(db, admin.account.id).await?;
            Some(Account::new(state.urls(), &admin.account, posting, follows))
        }
        None => None,
    };
    Ok((stats, contact))
}
