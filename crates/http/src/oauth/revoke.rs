//! `POST /oauth/revoke`

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;
use staffroom_domain::access::oauth;

use crate::AppState;
use crate::error::OauthError;
use crate::form::FormOrJson;

#[derive(Debug, Deserialize)]
pub struct RevokeRequest {
    client_id: String,
    client_secret: String,
    token: String,
}

/// `POST /oauth/revoke`: the token stops working; an unknown token is no error (RFC 7009).
pub async fn revoke(
    State(state): State<AppState>,
    FormOrJson(request): FormOrJson<RevokeRequest>,
) -> Response {
    let app = match oauth::find_app(state.db(), &request.client_id, &request.client_secret).await {
        Ok(app) => app,
        Err(_) => {
            return OauthError::unauthorized_client("You are not authorized to revoke this token")
                .into_response();
        }
    };
    match oauth::revoke(state.db(), &app, &request.token, Utc::now()).await {
        Ok(()) => Json(json!({})).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}
