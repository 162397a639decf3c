//! `POST /api/staffroom/v1/trusts/{id}/statuses` and `.../schools/{id}/statuses`:
//! a trust's or school's own posts (its announcements), written by the people who
//! run it and federated from its account like anyone's.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use staffroom_domain::directory;
use staffroom_domain::posts::post::Visibility;
use staffroom_federation::publish;

use super::{RecordId, editor};
use crate::AppState;
use crate::auth::Auth;
use crate::entities::status::{Status, render};
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;

/// An announcement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    status: String,
    visibility: Option<String>,
    #[serde(default)]
    spoiler_text: String,
    language: Option<String>,
}

/// Posts `form` as the trust or school `id` (its admins, instance admins).
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    RecordId(id): RecordId,
    FormOrJson(form): FormOrJson<Announcement>,
) -> ApiResult<Json<Status>> {
    let editor = editor(&auth)?;
    let org = directory::poster(state.db(), editor, id).await?;
    let visibility = match form.visibility.as_deref() {
        None | Some("") => Visibility::Public,
        Some(name @ ("public" | "unlisted" | "private")) => {
            Visibility::from_name(name).unwrap_or(Visibility::Public)
        }
        Some(other) => {
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Validation failed: visibility '{other}' is not one of public, unlisted, private"
                ),
            ));
        }
    };
    let draft = publish::Draft {
        text: form.status,
        visibility,
        spoiler_text: form.spoiler_text,
        language: form.language.filter(|l| !l.is_empty() && l.len() <= 16),
        in_reply_to_id: None,
        media_ids: Vec::new(),
    };
    let created = publish::create_post(&state.federation(), &org, draft).await?;
    Ok(Json(
        render(state.db(), state.urls(), &created, Some(&org)).await?,
    ))
}
