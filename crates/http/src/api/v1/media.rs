//! `/api/v1/media`: uploading images, sound, video and PDF documents (processed at
//! once, so the answer is the finished attachment), reading them back and changing
//! their description and focus.

use axum::Json;
use axum::extract::State;
use axum::extract::multipart::{Field, Multipart, MultipartError, MultipartRejection};
use serde::Deserialize;
use staffroom_domain::media::{self, Focus, MAX_MEDIA_BYTES, Upload};

use crate::AppState;
use crate::auth::Auth;
use crate::entities::media_attachment::MediaAttachment;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::path_id::PathId;

/// The largest upload request any setting allows: a file at the largest limit that
/// may be set, a thumbnail, and room for the other fields. The upload routes raise
/// the body limit to this; the instance's own limits stop reading far earlier.
pub const MAX_UPLOAD_BODY_BYTES: usize = 2 * MAX_MEDIA_BYTES + 64 * 1024;

/// The largest profile-picture request: two images and room for other fields.
pub const MAX_PICTURE_BODY_BYTES: usize = media::MAX_FILE_BYTES + 64 * 1024;

/// The scopes that allow uploading and changing media.
const SCOPES: &[&str] = &["write:media"];

fn too_large(field: &str, limit: usize) -> ApiError {
    ApiError::unprocessable(format!(
        "Validation failed: {field} is too large: at most {limit} bytes"
    ))
}

fn unreadable(e: &MultipartError) -> ApiError {
    let error = ApiError::multipart(e);
    if error.is_too_large() {
        too_large("file", MAX_UPLOAD_BODY_BYTES)
    } else {
        ApiError::unprocessable(format!("Validation failed: {}", e.body_text()))
    }
}

/// The bytes of a file field, read piece by piece and refused as soon as they pass
/// `limit`, so that no more than that is ever held.
async fn bytes_of(mut field: Field<'_>, name: &str, limit: usize) -> ApiResult<Vec<u8>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(&e))? {
        if bytes.len() + chunk.len() > limit {
            return Err(too_large(name, limit));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Reads a focus point written `x,y`.
fn parse_focus(text: &str) -> ApiResult<Focus> {
    let invalid = || {
        ApiError::unprocessable(
            "Validation failed: focus must be two numbers from -1.0 to 1.0, such as 0.5,-0.25",
        )
    };
    let (x, y) = text.trim().split_once(',').ok_or_else(invalid)?;
    let x: f64 = x.trim().parse().map_err(|_| invalid())?;
    let y: f64 = y.trim().parse().map_err(|_| invalid())?;
    Focus::new(x, y).map_err(|_| invalid())
}

async fn text_of(field: Field<'_>) -> ApiResult<String> {
    field.text().await.map_err(|e| unreadable(&e))
}

/// Reads the multipart form of an upload: `file`, `thumbnail`, `description`,
/// `focus`; no file is read past the largest of `limits` (each kind's own limit is
/// checked once its kind is known).
pub(crate) async fn read_upload(
    mut form: Multipart,
    limits: media::MediaLimits,
) -> ApiResult<Upload> {
    let mut upload = Upload::default();
    let mut has_file = false;
    while let Some(field) = form.next_field().await.map_err(|e| unreadable(&e))? {
        match field.name() {
            Some("file") => {
                upload.bytes = bytes_of(field, "file", limits.largest()).await?;
                has_file = true;
            }
            Some("thumbnail") => {
                let bytes = bytes_of(field, "thumbnail", limits.image).await?;
                upload.thumbnail = (!bytes.is_empty()).then_some(bytes);
            }
            Some("description") => upload.description = Some(text_of(field).await?),
            Some("focus") => upload.focus = Some(parse_focus(&text_of(field).await?)?),
            _ => {}
        }
    }
    if !has_file {
        return Err(ApiError::unprocessable(
            "Validation failed: file must be given",
        ));
    }
    Ok(upload)
}

/// `POST /api/v1/media` (and `POST /api/v2/media`): a multipart form with `file`,
/// and optionally `thumbnail` (a picture for sound or video), `description` and
/// `focus`; answers 200 with the processed medium.
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<MediaAttachment>> {
    auth.require(SCOPES)?;
    let owner = auth.account()?;
    let form =
        form.map_err(|e| ApiError::unprocessable(format!("Validation failed: {}", e.body_text())))?;
    let limits = state.settings().media_limits;
    let upload = read_upload(form, limits).await?;
    let _turn = state.processing_turn().await;
    let medium = media::create_local(state.db(), state.media(), owner, upload, limits).await?;
    Ok(Json(MediaAttachment::new(state.urls(), &medium)))
}

/// `GET /api/v1/media/{id}`: one of the signed-in account's media.
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<MediaAttachment>> {
    auth.require(SCOPES)?;
    let owner = auth.account()?;
    let medium = media::find_own(state.db(), owner.id, id).await?;
    Ok(Json(MediaAttachment::new(state.urls(), &medium)))
}

/// `DELETE /api/v1/media/{id}`: an upload no post uses yet is deleted with its
/// files (an empty object answers); 422 once a post uses it, 404 for anyone
/// else's.
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(SCOPES)?;
    let owner = auth.account()?;
    media::delete_unattached(state.db(), state.media(), owner.id, id).await?;
    Ok(Json(serde_json::json!({})))
}

/// What `PUT /api/v1/media/{id}` may change.
#[derive(Debug, Deserialize)]
pub struct MediaChange {
    description: Option<String>,
    focus: Option<String>,
}

/// `PUT /api/v1/media/{id}`: the description and focus of an upload no post uses yet.
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(change): FormOrJson<MediaChange>,
) -> ApiResult<Json<MediaAttachment>> {
    auth.require(SCOPES)?;
    let owner = auth.account()?;
    let focus = match change.focus.as_deref() {
        None | Some("") => None,
        Some(text) => Some(parse_focus(text)?),
    };
    let medium = media::update(state.db(), owner.id, id, change.description, focus).await?;
    Ok(Json(MediaAttachment::new(state.urls(), &medium)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_points_are_read_and_checked() {
        assert_eq!(
            parse_focus("0.5,-0.25").ok(),
            Some(Focus { x: 0.5, y: -0.25 })
        );
        assert_eq!(
            parse_focus(" -1 , 1 ").ok(),
            Some(Focus { x: -1.0, y: 1.0 })
        );
        for bad in ["", "0.5", "2,0", "a,b", "0,0,0", "NaN,0"] {
            assert!(parse_focus(bad).is_err(), "{bad}");
        }
    }
}
