//! `POST /api/staffroom/v1/trusts/{id}/statuses` and `.../schools/{id}/statuses`:
//! a trust's or school's own posts (its announcements), written by the people who
//! run it and federated from its account like anyone's.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use staffroom_domain::directory;
use staffroom_domain::posts::post::Visibility;
use staffroom_federation::publish;

use utoipa::ToSchema;

use super::editor;
use super::openapi::{self, ErrorBody, MastodonStatus};
use crate::AppState;
use crate::auth::Auth;
use crate::entities::status::{Status, render};
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::path_id::PathId;

/// An announcement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    status: String,
    /// `public` when left out.
    #[schema(schema_with = openapi::announcement_visibility)]
    visibility: Option<String>,
    #[serde(default)]
    spoiler_text: String,
    language: Option<String>,
}

/// `POST /api/staffroom/v1/trusts/{id}/statuses`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/trusts/{id}/statuses",
    operation_id = "postTrustStatus",
    summary = "Post as the trust (its announcements): the trust's admins, instance admins.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content = Announcement, content_type = "application/json"),
    responses(
        (status = 200, description = "The post, as a Mastodon Status.", body = MastodonStatus),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the write scope, or the account may not post as this trust.", body = ErrorBody),
        (status = 404, description = "No such trust of this instance.", body = ErrorBody),
        (status = 422, description = "A value is not acceptable.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn create_for_trust(
    state: State<AppState>,
    auth: Auth,
    id: PathId,
    form: FormOrJson<Announcement>,
) -> ApiResult<Json<Status>> {
    create(state, auth, id, form).await
}

/// `POST /api/staffroom/v1/schools/{id}/statuses`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/schools/{id}/statuses",
    operation_id = "postSchoolStatus",
    summary = "Post as the school (its announcements): the admins of its trust, instance admins.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content = Announcement, content_type = "application/json"),
    responses(
        (status = 200, description = "The post, as a Mastodon Status.", body = MastodonStatus),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the write scope, or the account may not post as this school.", body = ErrorBody),
        (status = 404, description = "No such school of this instance.", body = ErrorBody),
        (status = 422, description = "A value is not acceptable.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn create_for_school(
    state: State<AppState>,
    auth: Auth,
    id: PathId,
    form: FormOrJson<Announcement>,
) -> ApiResult<Json<Status>> {
    create(state, auth, id, form).await
}

/// Posts `form` as the trust or school `id` (its admins, instance admins).
async fn create(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
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
            return Err(ApiError::unprocessable(format!(
                "Validation failed: visibility '{other}' is not one of public, unlisted, private"
            )));
        }
    };
    let draft = publish::Draft {
        text: form.status,
        visibility,
        spoiler_text: form.spoiler_text,
        sensitive: false,
        language: form.language.filter(|l| !l.is_empty() && l.len() <= 16),
        in_reply_to_id: None,
        media_ids: Vec::new(),
        poll: None,
        event: None,
        article: None,
        local_only: false,
    };
    let created = publish::create_post(&state.federation(), &org, draft).await?;
    Ok(Json(
        render(state.db(), state.urls(), &created, Some(&org)).await?,
    ))
}
