//! `POST /oauth/token`

use axum::Json;
use axum::extract::State;
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::access::authorization_code;
use staffroom_domain::access::oauth::{self, App, IssuedToken, Scopes};
use staffroom_domain::access::user;

use super::OauthError;
use crate::AppState;
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
}

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    access_token: String,
    token_type: &'static str,
    scope: String,
    created_at: i64,
}

fn error(status: StatusCode, error: &'static str, description: impl Into<String>) -> Response {
    (
        status,
        Json(OauthError {
            error,
            error_description: description.into(),
        }),
    )
        .into_response()
}

/// The `Token` entity of a token just issued.
pub fn issued(issued: IssuedToken) -> Response {
    Json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer",
        scope: issued.scopes.to_string(),
        created_at: issued.created_at.timestamp(),
    })
    .into_response()
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

/// `POST /oauth/token`: `authorization_code` (with PKCE when the authorization asked
/// for it), `client_credentials`, and `password` when the instance allows it (for
/// test clients; off by default). The client authenticates in the body or with
/// HTTP Basic, as the metadata says.
pub async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    FormOrJson(mut request): FormOrJson<TokenRequest>,
) -> Response {
    let db = state.db();
    if request.client_id.is_none()
        && let Some((id, secret)) = basic_credentials(&headers)
    {
        request.client_id = Some(id);
        request.client_secret = Some(secret);
    }
    let (Some(client_id), Some(client_secret)) = (
        request.client_id.as_deref(),
        request.client_secret.as_deref(),
    ) else {
        return error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed: client_id and client_secret are required.",
        );
    };
    let app: App = match oauth::find_app(db, client_id, client_secret).await {
        Ok(app) => app,
        Err(staffroom_domain::Error::NotFound(_)) => {
            return error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "Client authentication failed due to unknown client.",
            );
        }
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    if request.grant_type.as_deref() == Some("authorization_code") {
        let Some(code) = request.code.as_deref() else {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "code is required.",
            );
        };
        let exchange = authorization_code::Exchange {
            app: &app,
            code,
            redirect_uri: request.redirect_uri.as_deref(),
            code_verifier: request.code_verifier.as_deref(),
        };
        return match authorization_code::exchange(db, exchange, Utc::now()).await {
            Ok(token) => issued(token),
            Err(staffroom_domain::Error::Forbidden(reason)) => {
                error(StatusCode::BAD_REQUEST, "invalid_grant", reason)
            }
            Err(e) => crate::error::ApiError::from(e).into_response(),
        };
    }
    let scopes = match request.scope.as_deref() {
        Some(scope) => match Scopes::parse(scope) {
            Ok(scopes) => scopes,
            Err(e) => return error(StatusCode::BAD_REQUEST, "invalid_scope", e.to_string()),
        },
        None => app.scopes.clone(),
    };
    let account_id = match request.grant_type.as_deref() {
        Some("client_credentials") => None,
        Some("password") if state.settings().password_grant => {
            let (Some(username), Some(password)) =
                (request.username.as_deref(), request.password.as_deref())
            else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "username and password are required.",
                );
            };
            match user::authenticate(db, username, password).await {
                Ok(user) => Some(user.account.id),
                Err(staffroom_domain::Error::Forbidden(reason)) => {
                    return error(StatusCode::BAD_REQUEST, "invalid_grant", reason);
                }
                Err(staffroom_domain::Error::NotFound(_)) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "invalid_grant",
                        "The provided credentials are invalid.",
                    );
                }
                Err(e) => return crate::error::ApiError::from(e).into_response(),
            }
        }
        Some(other) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("The grant type '{other}' is not supported here."),
            );
        }
        None => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is required.",
            );
        }
    };
    match oauth::issue_token(db, &app, account_id, scopes, Utc::now()).await {
        Ok(token) => issued(token),
        Err(staffroom_domain::Error::Forbidden(reason)) => {
            error(StatusCode::BAD_REQUEST, "invalid_scope", reason)
        }
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}
