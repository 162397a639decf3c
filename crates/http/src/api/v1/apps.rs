//! `/api/v1/apps`

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use staffroom_domain::access::oauth::{self, App, NewApp, Scopes};

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;

#[derive(Debug, Deserialize)]
pub struct NewAppForm {
    client_name: Option<String>,
    /// A string (URIs separated by new lines) or an array of strings.
    redirect_uris: Option<Value>,
    scopes: Option<String>,
    website: Option<String>,
}

/// The `Application` entity (with its credentials, when just created).
#[derive(Debug, Serialize)]
pub struct Application {
    id: String,
    name: String,
    website: Option<String>,
    scopes: Vec<String>,
    redirect_uri: String,
    redirect_uris: Vec<String>,
    vapid_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret_expires_at: Option<i64>,
}

impl Application {
    fn new(app: &App, with_credentials: bool, vapid_key: &str) -> Self {
        Self {
            id: app.id.to_string(),
            name: app.name.clone(),
            website: app.website.clone(),
            scopes: app.scopes.iter().map(str::to_owned).collect(),
            redirect_uri: app.redirect_uris.join("\n"),
            redirect_uris: app.redirect_uris.clone(),
            vapid_key: vapid_key.to_owned(),
            client_id: with_credentials.then(|| app.client_id.clone()),
            client_secret: with_credentials.then(|| app.client_secret.clone()),
            client_secret_expires_at: with_credentials.then_some(0),
        }
    }
}

fn redirect_uris(value: Option<Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => text.split(['\n', ' ']).map(str::to_owned).collect(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `POST /api/v1/apps`
pub async fn create(
    State(state): State<AppState>,
    FormOrJson(form): FormOrJson<NewAppForm>,
) -> ApiResult<Json<Application>> {
    let scopes = Scopes::parse(form.scopes.as_deref().unwrap_or("read"))?;
    let new = NewApp {
        name: form.client_name.unwrap_or_default(),
        website: form.website,
        redirect_uris: redirect_uris(form.redirect_uris),
        scopes,
    };
    let app = oauth::register_app(state.db(), new, Utc::now()).await?;
    Ok(Json(Application::new(
        &app,
        true,
        &state.settings().vapid_public_key,
    )))
}

/// `GET /api/v1/apps/verify_credentials`
pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Application>> {
    let app = oauth::get_app(state.db(), auth.0.app_id)
        .await
        .map_err(|_| ApiError::not_found())?;
    Ok(Json(Application::new(
        &app,
        false,
        &state.settings().vapid_public_key,
    )))
}
