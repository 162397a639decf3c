//! `/api/v1/accounts/...`

use axum::Json;
use axum::extract::State;
use staffroom_domain::{account, follow, user};

use crate::AppState;
use crate::auth::Auth;
use crate::entities::account::CredentialAccount;
use crate::error::ApiResult;

/// `GET /api/v1/accounts/verify_credentials`
pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<CredentialAccount>> {
    auth.require(&["read:accounts", "profile"])?;
    let me = auth.account()?;
    let db = state.db();
    let user = user::find_by_username(db, &me.username).await?;
    let posting = account::posting_stats(db, me.id).await?;
    let follows = follow::counts(db, me.id).await?;
    let pending = follow::pending_for(db, me.id).await?.len();
    Ok(Json(CredentialAccount::new(
        state.urls(),
        &user,
        posting,
        follows,
        pending as u64,
    )))
}
