//! `/api/v1/tags/{name}` and `/api/v1/followed_tags`: hashtags, and following them
//! so that their public posts reach the home timeline.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use serde::Serialize;
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::posts::tag::{self, Tag as DomainTag};

use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::error::{ApiError, ApiResult};
use crate::pagination::Pagination;

/// A hashtag as apps read it.
#[derive(Debug, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
    pub history: Vec<History>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
}

/// One day of a tag's use; the numbers are strings, as Mastodon sends them.
#[derive(Debug, Serialize)]
pub struct History {
    pub day: String,
    pub uses: String,
    pub accounts: String,
}

/// The entity of `found`, with `following` for a signed-in `viewer`.
pub(crate) async fn entity(
    state: &AppState,
    found: &DomainTag,
    viewer: Option<&DomainAccount>,
) -> ApiResult<Tag> {
    let db = state.db();
    let history = tag::history(db, found, Utc::now())
        .await?
        .into_iter()
        .map(|day| History {
            day: day.day.timestamp().to_string(),
            uses: day.uses.to_string(),
            accounts: day.accounts.to_string(),
        })
        .collect();
    let following = match viewer {
        Some(viewer) => Some(tag::is_followed(db, viewer.id, found).await?),
        None => None,
    };
    Ok(Tag {
        name: found.name.clone(),
        url: state.urls().tag(&found.name),
        history,
        following,
    })
}

/// `GET /api/v1/tags/{name}`
pub async fn show(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(name): Path<String>,
) -> ApiResult<Json<Tag>> {
    let viewer = auth.viewer(&["read:statuses", "read:follows"])?;
    let found = tag::find(state.db(), &name)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(entity(&state, &found, viewer.as_ref()).await?))
}

/// `POST /api/v1/tags/{name}/follow`
pub async fn follow(
    State(state): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Tag>> {
    auth.require(&["write:follows", "follow"])?;
    let me = auth.account()?;
    let found = tag::find_or_create(state.db(), &name, Utc::now()).await?;
    tag::follow(state.db(), me.id, &found, Utc::now()).await?;
    Ok(Json(entity(&state, &found, Some(me)).await?))
}

/// `POST /api/v1/tags/{name}/unfollow`
pub async fn unfollow(
    State(state): State<AppState>,
    auth: Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Tag>> {
    auth.require(&["write:follows", "follow"])?;
    let me = auth.account()?;
    let found = tag::find(state.db(), &name)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tag::unfollow(state.db(), me.id, &found).await?;
    Ok(Json(entity(&state, &found, Some(me)).await?))
}

/// `GET /api/v1/followed_tags`
pub async fn followed(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:follows", "follow"])?;
    let me = auth.account()?;
    let rows = tag::followed(state.db(), me.id, pagination.page).await?;
    let mut tags = Vec::with_capacity(rows.len());
    for (_, found) in &rows {
        tags.push(entity(&state, found, Some(me)).await?);
    }
    Ok(pagination.respond(
        &state.urls().origin(),
        &tags,
        rows.first().map(|(cursor, _)| *cursor),
        rows.last().map(|(cursor, _)| *cursor),
    ))
}
