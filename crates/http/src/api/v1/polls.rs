//! `/api/v1/polls`: a status's poll, and voting in it.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::posts::poll;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::polls;

use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::poll::Poll;
use crate::error::ApiResult;
use crate::form::{FormOrJson, Id};
use crate::path_id::PathId;

/// `GET /api/v1/polls/{id}`: the poll (its id is its status's), for whoever may
/// see the status.
pub async fn show(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<Poll>> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let seen_as = viewer
        .as_ref()
        .map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
    let db = state.db();
    let post = find_visible(db, id, seen_as).await?;
    let found = poll::get(db, id)
        .await?
        .ok_or(staffroom_domain::Error::NotFound("poll"))?;
    let own_votes = match &viewer {
        Some(viewer) => Some(
            poll::own_votes(db, viewer.id, &[id])
                .await?
                .remove(&id)
                .unwrap_or_default(),
        ),
        None => None,
    };
    let by_author = viewer.is_some_and(|v| v.id == post.account_id);
    Ok(Json(Poll::new(&found, Utc::now(), own_votes, by_author)))
}

#[derive(Debug, Deserialize)]
pub struct VoteForm {
    /// `choices[]=0&choices[]=2` in a form, `"choices": [0, 2]` in JSON.
    #[serde(default, alias = "choices[]")]
    choices: Vec<Id>,
}

/// `POST /api/v1/polls/{id}/votes`: the reader votes; the poll as it now is.
pub async fn vote(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<VoteForm>,
) -> ApiResult<Json<Poll>> {
    auth.require(&["write:statuses"])?;
    let voter = auth.account()?;
    let choices = Id::parse_all(&form.choices, "choices")?;
    let cast = polls::vote(&state.federation(), voter, id, &choices).await?;
    let own_votes = cast.choices.clone();
    let by_author = cast.post.account_id == voter.id;
    Ok(Json(Poll::new(
        &cast.poll,
        Utc::now(),
        Some(own_votes),
        by_author,
    )))
}
