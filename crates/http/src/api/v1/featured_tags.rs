//! `/api/v1/featured_tags`: the hashtags a person features on their profile, and
//! `/api/v1/accounts/{id}/featured_tags` for anyone reading that profile.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::posts::featured_tag::{self, FeaturedTag as DomainFeaturedTag};
use staffroom_domain::visibility::suspended;

use super::accounts::target;
use super::tags::Tag;
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::path_id::PathId;

/// A featured hashtag as apps read it.
#[derive(Debug, Serialize)]
pub struct FeaturedTag {
    pub id: String,
    pub name: String,
    pub url: String,
    pub statuses_count: u64,
    /// The day of the newest public post with it (`YYYY-MM-DD`), as Mastodon.
    pub last_status_at: Option<String>,
}

fn entity(state: &AppState, featured: &DomainFeaturedTag) -> FeaturedTag {
    FeaturedTag {
        id: featured.id.to_string(),
        name: featured.tag.name.clone(),
        url: state.urls().tag(&featured.tag.name),
        statuses_count: featured.statuses_count,
        last_status_at: featured
            .last_status_at
            .map(|day| day.format("%Y-%m-%d").to_string()),
    }
}

/// `GET /api/v1/featured_tags`: the signed-in person's.
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<FeaturedTag>>> {
    auth.require(&["read:accounts", "read"])?;
    let me = auth.account()?;
    let featured = featured_tag::of_account(state.db(), me.id).await?;
    Ok(Json(featured.iter().map(|f| entity(&state, f)).collect()))
}

/// The form of `POST /api/v1/featured_tags`.
#[derive(Debug, Deserialize)]
pub struct FeatureForm {
    name: Option<String>,
}

/// `POST /api/v1/featured_tags`: feature the hashtag `name` (with or without `#`).
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<FeatureForm>,
) -> ApiResult<Json<FeaturedTag>> {
    auth.require(&["write:accounts", "write"])?;
    let me = auth.account()?;
    let name = form.name.unwrap_or_default();
    let name = name.trim().trim_start_matches('#');
    if name.is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: name can't be blank",
        ));
    }
    let featured = featured_tag::feature(state.db(), me.id, name, Utc::now()).await?;
    Ok(Json(entity(&state, &featured)))
}

/// `DELETE /api/v1/featured_tags/{id}`
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:accounts", "write"])?;
    let me = auth.account()?;
    featured_tag::unfeature(state.db(), me.id, id).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/featured_tags/suggestions`: hashtags the person used lately and
/// does not feature yet.
pub async fn suggestions(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Tag>>> {
    auth.require(&["read:accounts", "read"])?;
    let me = auth.account()?;
    let mut tags = Vec::new();
    for found in featured_tag::suggestions(state.db(), me.id).await? {
        tags.push(super::tags::entity(&state, &found, Some(me)).await?);
    }
    Ok(Json(tags))
}

/// `GET /api/v1/accounts/{id}/featured_tags`: what a profile features; nothing
/// while the account is suspended, but to itself.
pub async fn of_account(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<FeaturedTag>>> {
    let viewer = auth.viewer(&["read:accounts", "read"])?;
    let account = target(&state, id).await?;
    if viewer.as_ref().map(|v| v.id) != Some(account.id)
        && suspended::is_suspended(state.db(), account.id).await?
    {
        return Ok(Json(Vec::new()));
    }
    let featured = featured_tag::of_account(state.db(), account.id).await?;
    Ok(Json(featured.iter().map(|f| entity(&state, f)).collect()))
}
