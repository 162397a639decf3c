//! `POST /oauth/token`: the client authenticates, then the grant it names is
//! handled by its own module: [`authorization_code`], [`client_credentials`],
//! [`refresh_token`] and [`password`] (when the instance allows it: for test
//! clients, off by default). A token that speaks for a person comes with a
//! refresh token.
//! Refusals are OAuth errors ([`OauthError`]); a failure of this side answers in
//! the API's error shape.

mod authorization_code;
mod client_credentials;
mod password;
mod refresh_token;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::Error as DomainError;
use staffroom_domain::access::oauth::{self, App, IssuedToken, Scopes};

use crate::AppState;
use crate::error::{ApiError, OauthError};
use crate::form::FormOrJson;

#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
    username: Option<String>,
    password: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    scope: String,
    created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
}

/// The `Token` entity of a token just issued.
pub fn issued(issued: IssuedToken) -> Response {
    Json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer",
        scope: issued.scopes.to_string(),
        created_at: issued.created_at.timestamp(),
        refresh_token: issued.refresh_token,
    })
    .into_response()
}

/// Why no token is issued.
enum Refusal {
    /// The request does not hold, said as OAuth says it.
    Oauth(OauthError),
    /// Something failed on this side.
    Failed(ApiError),
}

impl From<OauthError> for Refusal {
    fn from(error: OauthError) -> Self {
        Self::Oauth(error)
    }
}

impl From<DomainError> for Refusal {
    fn from(error: DomainError) -> Self {
        Self::Failed(error.into())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Self::Oauth(error) => error.into_response(),
            Self::Failed(error) => error.into_response(),
        }
    }
}

/// What a grant gives: a token, or why not.
type Granted = Result<IssuedToken, Refusal>;

/// `POST /oauth/token`: the client authenticates in the body or with HTTP Basic,
/// as the metadata says.
pub async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    FormOrJson(request): FormOrJson<TokenRequest>,
) -> Response {
    match grant(&state, &headers, request).await {
        Ok(token) => issued(token),
        Err(refusal) => refusal.into_response(),
    }
}

/// The token the grant of `request` gives its client.
async fn grant(state: &AppState, headers: &HeaderMap, mut request: TokenRequest) -> Granted {
    if request.client_id.is_none()
        && let Some((id, secret)) = basic_credentials(headers)
    {
        request.client_id = Some(id);
        request.client_secret = Some(secret);
    }
    let app = client(state, &request).await?;
    if request.grant_type.as_deref() == Some("authorization_code") {
        return authorization_code::grant(state, &app, &request).await;
    }
    // The other grants name their scopes (the app's own when they do not), which
    // are read before the grant type is.
    let scopes = match request.scope.as_deref() {
        Some(scope) => {
            Scopes::parse(scope).map_err(|e| OauthError::invalid_scope(e.to_string()))?
        }
        None => app.scopes.clone(),
    };
    match request.grant_type.as_deref() {
        Some("refresh_token") => {
            let narrower = request.scope.is_some().then_some(scopes);
            refresh_token::grant(state, &app, &request, narrower).await
        }
        Some("client_credentials") => client_credentials::grant(state, &app, scopes).await,
        Some("password") if state.settings().password_grant => {
            password::grant(state, &app, &request, scopes).await
        }
        Some(other) => Err(OauthError::unsupported_grant_type(format!(
            "The grant type '{other}' is not supported here."
        ))
        .into()),
        None => Err(OauthError::invalid_request("grant_type is required.").into()),
    }
}

/// The app whose credentials `request` carries.
async fn client(state: &AppState, request: &TokenRequest) -> Result<App, Refusal> {
    let (Some(client_id), Some(client_secret)) = (
        request.client_id.as_deref(),
        request.client_secret.as_deref(),
    ) else {
        return Err(OauthError::invalid_client(
            "Client authentication failed: client_id and client_secret are required.",
        )
        .into());
    };
    match oauth::find_app(state.db(), client_id, client_secret).await {
        Ok(app) => Ok(app),
        Err(DomainError::NotFound(_)) => Err(OauthError::invalid_client(
            "Client authentication failed due to unknown client.",
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}

/// A token issued to `app` for `account_id` (none for the app's own token) with
/// `scopes`, which the app must have been registered with (`invalid_scope`).
async fn issue_token(
    state: &AppState,
    app: &App,
    account_id: Option<i64>,
    scopes: Scopes,
) -> Granted {
    match oauth::issue_token(state.db(), app, account_id, scopes, Utc::now()).await {
        Ok(token) => Ok(token),
        Err(DomainError::Forbidden(reason)) => Err(OauthError::invalid_scope(reason).into()),
        Err(e) => Err(e.into()),
    }
}

/// The client credentials of an `Authorization: Basic` header (RFC 6749 §2.3.1:
/// each part form-encoded, then the pair in base64).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine;
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let pair = String::from_utf8(decoded).ok()?;
    let (id, secret) = pair.split_once(':')?;
    let form_decoded = |part: &str| {
        url::form_urlencoded::parse(format!("v={part}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((form_decoded(id), form_decoded(secret)))
}
