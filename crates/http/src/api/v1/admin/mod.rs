//! `/api/v1/admin/...`: what moderators and administrators use.

pub mod accounts;
pub mod reports;

use staffroom_domain::accounts::account::Account;
use staffroom_domain::moderation::staff::{self, Duty, Staff};

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;

/// The signed-in moderator, with `scope`.
async fn moderator<'a>(state: &AppState, auth: &'a Auth, scope: &str) -> ApiResult<&'a Account> {
    auth.require(&[scope])?;
    let me = auth.account()?;
    staff::require(state.db(), Staff::Account(me.id), Duty::Moderate).await?;
    Ok(me)
}
