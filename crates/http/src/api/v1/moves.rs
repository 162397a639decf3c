//! `/api/v1/accounts/alias` and `/api/v1/accounts/move`: moving an account
//! away, with GoToSocial's API (Mastodon has these in its settings pages
//! only). What a move does is `staffroom_federation::moving`'s to say.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_federation::moving;

use super::accounts::credential_account;
use crate::AppState;
use crate::auth::Auth;
use crate::entities::account::CredentialAccount;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::users::profile_changed;

#[derive(Debug, Deserialize)]
pub struct AliasForm {
    /// `also_known_as_uris[]=...` in a form, a JSON array otherwise; an empty
    /// list clears the aliases.
    #[serde(default, alias = "also_known_as_uris[]")]
    also_known_as_uris: Vec<String>,
}

/// `POST /api/v1/accounts/alias`: the signed-in account's aliases become the
/// accounts listed (ActivityPub ids or `user@server` addresses); the account
/// as it now is.
pub async fn alias(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<AliasForm>,
) -> ApiResult<Json<CredentialAccount>> {
    auth.require(&["write:accounts"])?;
    let me = auth.account()?;
    moving::set_aliases(&state.federation(), me, &form.also_known_as_uris).await?;
    profile_changed(&state, me).await?;
    Ok(Json(credential_account(&state, me).await?))
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    password: Option<String>,
    moved_to_uri: Option<String>,
    /// A current two-factor code (or a recovery code), needed when
    /// two-factor sign-in is on.
    #[serde(alias = "otp_attempt")]
    code: Option<String>,
}

/// The most characters of a two-factor or recovery code.
const MAX_CODE_CHARS: usize = 32;

/// `POST /api/v1/accounts/move`: the signed-in account moves to the account
/// `moved_to_uri` names, confirming with its `password` and, when two-factor
/// sign-in is on, a current `code` (`422` without it). `202 Accepted` with the
/// account as it now is (its `moved` the new account).
pub async fn move_account(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<MoveForm>,
) -> ApiResult<(StatusCode, Json<CredentialAccount>)> {
    auth.require(&["write:accounts"])?;
    let me = auth.account()?;
    let password = form.password.unwrap_or_default();
    let target = form.moved_to_uri.unwrap_or_default();
    if password.is_empty() || password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(ApiError::unprocessable(
            "Validation failed: password is not right",
        ));
    }
    if target.trim().is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: moved_to_uri must name the account to move to",
        ));
    }
    let code = form.code.unwrap_or_default();
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(ApiError::unprocessable(
            "Validation failed: code is not right",
        ));
    }
    let code = Some(code.as_str()).filter(|c| !c.trim().is_empty());
    let data = state.federation();
    moving::move_to(&data, me, &password, code, &target).await?;
    let moved = staffroom_domain::accounts::account::get(state.db(), me.id).await?;
    profile_changed(&state, &moved).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(credential_account(&state, &moved).await?),
    ))
}
