//! `/users/{username}/collections/featured`: a person's pinned posts, as
//! Mastodon reads them to show them on the profile — the public and unlisted
//! ones only, as `Note`s.

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::json;
use staffroom_domain::posts::pin;
use staffroom_domain::{posts::post::Visibility, visibility::post::Viewer};
use staffroom_federation::objects::actor::actor_id;
use staffroom_federation::objects::note;
use staffroom_federation::protocol::context;

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
    let db = state.db();
    let urls = state.urls();
    let pinned = pin::pinned_for(db, account.id, Viewer::Anonymous).await?;
    let mut items = Vec::with_capacity(pinned.len());
    for post in pinned
        .iter()
        .filter(|p| matches!(p.visibility, Visibility::Public | Visibility::Unlisted))
    {
        let extras = note::extras(db, urls, post).await?;
        items.push(note::note_of(urls, &account, post, &extras, false));
    }
    Ok(activity_json::respond(&json!({
        "@context": context(),
        "id": format!("{}/collections/featured", actor_id(urls, &account)),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })))
}
