//! `grant_type=authorization_code`: an app exchanges the code the person's
//! consent gave it (with PKCE when the authorization asked for it) for a token.

use chrono::Utc;
use staffroom_domain::Error as DomainError;
use staffroom_domain::access::authorization_code::{self, Exchange};
use staffroom_domain::access::oauth::App;

use super::{Granted, TokenRequest};
use crate::AppState;
use crate::error::OauthError;

/// The token of the code in `request`, issued once: a code presented again
/// fails with `invalid_grant` (and revokes the token it gave).
pub(super) async fn grant(state: &AppState, app: &App, request: &TokenRequest) -> Granted {
    let Some(code) = request.code.as_deref() else {
        return Err(OauthError::invalid_request("code is required.").into());
    };
    let exchange = Exchange {
        app,
        code,
        redirect_uri: request.redirect_uri.as_deref(),
        code_verifier: request.code_verifier.as_deref(),
    };
    match authorization_code::exchange(state.db(), exchange, Utc::now()).await {
        Ok(token) => Ok(token),
        Err(DomainError::Forbidden(reason)) => Err(OauthError::invalid_grant(reason).into()),
        Err(e) => Err(e.into()),
    }
}
