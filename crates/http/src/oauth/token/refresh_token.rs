//! `grant_type=refresh_token`: an app trades the refresh token it was issued
//! with a person's token for a new token and refresh token (RFC 6749 §6); the
//! old pair stops working.

use chrono::Utc;
use staffroom_domain::Error as DomainError;
use staffroom_domain::access::oauth::{self, App, Scopes};

use super::{Granted, TokenRequest};
use crate::AppState;
use crate::error::OauthError;

/// The new pair for the refresh token in `request`, with the old token's scopes
/// or the fewer `scopes` asked for: `invalid_grant` for an unknown, spent or
/// revoked refresh token or another app's, `invalid_scope` for more scopes than
/// the old token had.
pub(super) async fn grant(
    state: &AppState,
    app: &App,
    request: &TokenRequest,
    scopes: Option<Scopes>,
) -> Granted {
    let Some(refresh_token) = request.refresh_token.as_deref() else {
        return Err(OauthError::invalid_request("refresh_token is required.").into());
    };
    match oauth::refresh(state.db(), app, refresh_token, scopes, Utc::now()).await {
        Ok(token) => Ok(token),
        Err(DomainError::Forbidden(reason)) => Err(OauthError::invalid_grant(reason).into()),
        Err(DomainError::Invalid { reason, .. }) => {
            Err(OauthError::invalid_scope(format!("The requested scope {reason}.")).into())
        }
        Err(e) => Err(e.into()),
    }
}
