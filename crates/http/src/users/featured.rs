//! `/users/{username}/collections/featured`: a person's pinned posts, as
//! Mastodon reads them to show them on the profile (the document is
//! `federation::objects::featured`'s).

use axum::extract::{Path, State};
use axum::response::Response;
use staffroom_federation::objects::featured;

use crate::error::ApiResult;
use crate::signed_fetch::SignedViewer;
use crate::{AppState, activity_json};

/// `GET /users/{username}/collections/featured`
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    _: SignedViewer,
) -> ApiResult<Response> {
    let account = super::local_person(&state, &username).await?;
    let document = featured::collection(&state.federation(), &account).await?;
    Ok(activity_json::respond(&document))
}
