//! `grant_type=password`: a token for the person whose username and password
//! the app sends. Only when the instance allows it (for test clients; off by
//! default).

use staffroom_domain::Error as DomainError;
use staffroom_domain::access::oauth::{App, Scopes};
use staffroom_domain::access::user;

use super::{Granted, TokenRequest, issue_token};
use crate::AppState;
use crate::error::OauthError;

/// A token of `app` with `scopes` for the person `request` names, once their
/// password checks out (`invalid_grant` otherwise).
pub(super) async fn grant(
    state: &AppState,
    app: &App,
    request: &TokenRequest,
    scopes: Scopes,
) -> Granted {
    let (Some(username), Some(password)) =
        (request.username.as_deref(), request.password.as_deref())
    else {
        return Err(OauthError::invalid_request("username and password are required.").into());
    };
    let account_id = match user::authenticate(state.db(), username, password).await {
        // As Mastodon does: the grant cannot ask for the second factor.
        Ok(user) if user.two_factor => {
            return Err(OauthError::invalid_grant(
                "This account uses two-factor sign-in: sign in through the browser (/oauth/authorize) instead.",
            )
            .into());
        }
        Ok(user) => user.account.id,
        Err(DomainError::Forbidden(reason)) => return Err(OauthError::invalid_grant(reason).into()),
        Err(DomainError::NotFound(_)) => {
            return Err(OauthError::invalid_grant("The provided credentials are invalid.").into());
        }
        Err(e) => return Err(e.into()),
    };
    issue_token(state, app, Some(account_id), scopes).await
}
