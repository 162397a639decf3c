//! `/.well-known/oauth-authorization-server` (RFC 8414)

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use staffroom_domain::access::oauth::KNOWN_SCOPES;

use crate::AppState;

/// `GET /.well-known/oauth-authorization-server`
pub async fn show(State(state): State<AppState>) -> Json<Value> {
    let urls = state.urls();
    let mut grants = vec!["authorization_code", "client_credentials", "refresh_token"];
    if state.settings().password_grant {
        grants.push("password");
    }
    Json(json!({
        "issuer": format!("{}/", urls.origin()),
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": urls.absolute("/oauth/authorize"),
        "token_endpoint": urls.absolute("/oauth/token"),
        "revocation_endpoint": urls.absolute("/oauth/revoke"),
        "app_registration_endpoint": urls.absolute("/api/v1/apps"),
        "scopes_supported": KNOWN_SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "grant_types_supported": grants,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256", "plain"],
    }))
}
