//! Who a request speaks for: the bearer token, checked once here, and the scopes it
//! grants, checked by each handler with [`Auth::require`].

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use staffroom_domain::Error as DomainError;
use staffroom_domain::access::oauth::{self, Grant};
use staffroom_domain::accounts::account::Account;

use crate::AppState;
use crate::error::ApiError;

/// A request with a valid access token.
#[derive(Debug, Clone)]
pub struct Auth(pub Grant);

fn invalid_token() -> ApiError {
    ApiError::unauthorized("The access token is invalid")
}

impl Auth {
    /// Refuses (403) unless the token grants `scope` (or one of `any_of`).
    pub fn require(&self, any_of: &[&str]) -> Result<(), ApiError> {
        if any_of.iter().any(|scope| self.0.scopes.allows(scope)) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "This action is outside the authorized scopes",
            ))
        }
    }

    /// The signed-in account (422 for an app's own token, as Mastodon answers).
    pub fn account(&self) -> Result<&Account, ApiError> {
        self.0
            .account
            .as_ref()
            .ok_or_else(|| ApiError::unprocessable("This method requires an authenticated user"))
    }
}

/// The token of an `Authorization: Bearer` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or_else(invalid_token)?;
        Auth::check(state, token).await
    }
}

impl Auth {
    /// The grant of `token`, wherever the request carried it: 401 for an unknown or
    /// revoked one.
    pub async fn check(state: &AppState, token: &str) -> Result<Self, ApiError> {
        match oauth::authenticate(state.db(), token).await {
            Ok(grant) => Ok(Self(grant)),
            Err(DomainError::NotFound(_)) => Err(invalid_token()),
            Err(DomainError::Forbidden(message)) => Err(ApiError::forbidden(message)),
            Err(other) => Err(other.into()),
        }
    }
}

/// A request that may carry a token: `None` without one; a bad token is still 401.
#[derive(Debug, Clone)]
pub struct MaybeAuth(pub Option<Auth>);

impl MaybeAuth {
    /// The signed-in account, if any, once the token is checked for one of `any_of`
    /// (403 without it); `None` for a request without a token or with an app's own.
    pub fn viewer(&self, any_of: &[&str]) -> Result<Option<Account>, ApiError> {
        match &self.0 {
            Some(auth) => {
                auth.require(any_of)?;
                Ok(auth.0.account.clone())
            }
            None => Ok(None),
        }
    }
}

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            Ok(Self(Some(Auth::from_request_parts(parts, state).await?)))
        } else {
            Ok(Self(None))
        }
    }
}
