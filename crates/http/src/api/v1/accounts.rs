//! `/api/v1/accounts/...`

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use staffroom_domain::{account, follow, remote, user};

use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::Account;
use crate::entities::account::CredentialAccount;
use crate::entities::status::account_entity;
use crate::error::{ApiError, ApiResult};

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

/// `GET /api/v1/accounts/{id}`
pub async fn show(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<Account>> {
    if let Some(auth) = &auth {
        auth.require(&["read:accounts"])?;
    }
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let found = account::get(state.db(), id).await?;
    if found.kind == account::AccountKind::Instance {
        return Err(ApiError::not_found());
    }
    Ok(Json(
        account_entity(state.db(), state.urls(), &found).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct LookupParams {
    acct: Option<String>,
}

/// `GET /api/v1/accounts/lookup?acct=`: `name`, `@name`, `name@this.domain` or
/// `name@other.server` (one this instance knows).
pub async fn lookup(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Query(params): Query<LookupParams>,
) -> ApiResult<Json<Account>> {
    if let Some(auth) = &auth {
        auth.require(&["read:accounts"])?;
    }
    let acct = params
        .acct
        .ok_or_else(|| ApiError::bad_request("acct is required"))?;
    let acct = acct
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    let db = state.db();
    let found = match acct.split_once('@') {
        None => account::find_local(db, acct).await?,
        Some((name, domain)) if domain.eq_ignore_ascii_case(state.urls().domain()) => {
            account::find_local(db, name).await?
        }
        Some(_) => remote::find_by_acct(db, acct).await?,
    };
    let found = found
        .filter(|a| a.kind != account::AccountKind::Instance)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(account_entity(db, state.urls(), &found).await?))
}
