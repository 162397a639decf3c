//! `/api/v1/statuses`

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::post::{self, Viewer, Visibility};
use staffroom_federation::{ErrorKind, publish};

use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::status::{Status, render};
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;

/// The most characters of an `Idempotency-Key`.
const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

#[derive(Debug, Deserialize)]
pub struct NewStatus {
    status: Option<String>,
    visibility: Option<String>,
    spoiler_text: Option<String>,
    in_reply_to_id: Option<String>,
    language: Option<String>,
    /// `media_ids[]=1&media_ids[]=2` in a form, `"media_ids": ["1", "2"]` in JSON.
    #[serde(default, alias = "media_ids[]")]
    media_ids: Vec<crate::form::Id>,
}

fn parse_id(id: &str) -> ApiResult<i64> {
    id.parse().map_err(|_| ApiError::not_found())
}

fn federation_error(e: staffroom_federation::Error) -> ApiError {
    match e {
        staffroom_federation::Error::Domain(domain) => domain.into(),
        other => match other.kind() {
            ErrorKind::Internal => {
                tracing::error!(error = %other, "federation failed while answering a request");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
            _ => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()),
        },
    }
}

/// `POST /api/v1/statuses`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    FormOrJson(form): FormOrJson<NewStatus>,
) -> ApiResult<Json<Status>> {
    auth.require(&["write:statuses"])?;
    let author = auth.account()?;
    let db = state.db();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| {
            k.chars()
                .take(MAX_IDEMPOTENCY_KEY_CHARS)
                .collect::<String>()
        });
    if let Some(key) = &key
        && let Some(earlier) = post::find_by_idempotency_key(db, author.id, key, Utc::now()).await?
    {
        return Ok(Json(
            render(db, state.urls(), &earlier, Some(author)).await?,
        ));
    }
    let visibility = match form.visibility.as_deref() {
        None | Some("") => Visibility::Public,
        Some(name) => Visibility::from_name(name)
            .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("Validation failed: Visibility '{name}' is not one of public, unlisted, private, direct")))?,
    };
    let in_reply_to_id = match form.in_reply_to_id.as_deref() {
        None | Some("") => None,
        Some(id) => Some(parse_id(id)?),
    };
    let draft = publish::Draft {
        text: form.status.unwrap_or_default(),
        visibility,
        spoiler_text: form.spoiler_text.unwrap_or_default(),
        language: form.language.filter(|l| !l.is_empty() && l.len() <= 16),
        in_reply_to_id,
        media_ids: crate::form::Id::parse_all(&form.media_ids, "media_ids")?,
    };
    let created = publish::create_post(&state.federation(), author, draft)
        .await
        .map_err(federation_error)?;
    if let Some(key) = &key {
        post::remember_idempotency_key(db, author.id, key, created.id, Utc::now()).await?;
    }
    let mut status = render(db, state.urls(), &created, Some(author)).await?;
    status.text = created.source.clone();
    Ok(Json(status))
}

/// `GET /api/v1/statuses/{id}`
pub async fn show(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(id): Path<String>,
) -> ApiResult<Json<Status>> {
    let viewer = match &auth {
        Some(auth) => {
            auth.require(&["read:statuses"])?;
            auth.0.account.clone()
        }
        None => None,
    };
    let seen_as = viewer
        .as_ref()
        .map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
    let post = post::find_visible(state.db(), parse_id(&id)?, seen_as).await?;
    Ok(Json(
        render(state.db(), state.urls(), &post, viewer.as_ref()).await?,
    ))
}

/// `DELETE /api/v1/statuses/{id}`: the deleted status, with its `text` for
/// "delete and redraft".
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Status>> {
    auth.require(&["write:statuses"])?;
    let author = auth.account()?;
    let id = parse_id(&id)?;
    // Rendered before it goes; whether the author may delete it is decided by
    // `publish::delete_post` (and the domain beneath it).
    let post = post::find_visible(state.db(), id, Viewer::Account(author.id)).await?;
    let mut status = render(state.db(), state.urls(), &post, Some(author)).await?;
    let deleted = publish::delete_post(&state.federation(), author, id)
        .await
        .map_err(federation_error)?;
    status.text = deleted.source;
    Ok(Json(status))
}
