//! `/users/{username}/statuses/{id}`

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use staffroom_domain::post::{self, Viewer};
use staffroom_federation::objects::note::local_note;

use crate::error::{ApiError, ApiResult};
use crate::{AppState, activity_json};

/// `GET /users/{username}/statuses/{id}`: the post as a `Note` to anyone who may see
/// it; 404 to everyone else, as for a post that does not exist.
pub async fn show(
    State(state): State<AppState>,
    Path((username, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let account = super::local_person(&state, &username).await?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    // Signed fetches (which name a viewer) arrive with the federation inbox work.
    let post = post::find_visible(state.db(), id, Viewer::Anonymous).await?;
    if post.account_id != account.id {
        return Err(ApiError::not_found());
    }
    if activity_json::wanted(&headers) {
        Ok(activity_json::respond(&local_note(
            state.urls(),
            &account,
            &post,
            true,
        )))
    } else {
        Ok(Redirect::to(&state.urls().post_page(&account.username, post.id)).into_response())
    }
}
