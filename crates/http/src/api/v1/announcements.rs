//! `/api/v1/announcements`: the instance's current challenges, as the
//! announcements Mastodon apps show at the top of the home timeline; each person
//! dismisses them for themself.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Serialize;
use serde_json::{Value, json};
use staffroom_domain::communities::challenge::{self, Challenge};

use crate::AppState;
use crate::api::staffroom::challenges::announcement_html;
use crate::auth::Auth;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::path_id::PathId;

/// A hashtag an announcement names.
#[derive(Debug, Serialize)]
pub struct AnnouncementTag {
    pub name: String,
    pub url: String,
}

/// Mastodon's `Announcement`.
#[derive(Debug, Serialize)]
pub struct Announcement {
    pub id: String,
    pub content: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub all_day: bool,
    pub published_at: String,
    pub updated_at: String,
    pub read: bool,
    pub mentions: Vec<Value>,
    pub statuses: Vec<Value>,
    pub tags: Vec<AnnouncementTag>,
    pub emojis: Vec<Value>,
    pub reactions: Vec<Value>,
}

fn entity(state: &AppState, found: &Challenge, read: bool) -> Announcement {
    Announcement {
        id: found.id.to_string(),
        content: announcement_html(state, found),
        starts_at: Some(timestamp(found.starts_at)),
        ends_at: Some(timestamp(found.ends_at)),
        all_day: false,
        published_at: timestamp(found.created_at),
        updated_at: timestamp(found.updated_at),
        read,
        mentions: Vec::new(),
        statuses: Vec::new(),
        tags: vec![AnnouncementTag {
            name: found.hashtag.clone(),
            url: state.urls().tag(&found.hashtag),
        }],
        emojis: Vec::new(),
        reactions: Vec::new(),
    }
}

/// `GET /api/v1/announcements`: the challenges running now, each marked `read`
/// once dismissed.
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Announcement>>> {
    auth.require(&["read"])?;
    let current = challenge::current(state.db(), Utc::now()).await?;
    let ids: Vec<i64> = current.iter().map(|c| c.id).collect();
    let dismissed = match &auth.0.account {
        Some(me) => challenge::dismissed(state.db(), me.id, &ids).await?,
        None => Vec::new(),
    };
    Ok(Json(
        current
            .iter()
            .map(|c| entity(&state, c, dismissed.contains(&c.id)))
            .collect(),
    ))
}

/// `POST /api/v1/announcements/{id}/dismiss`
pub async fn dismiss(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    auth.require(&["write:accounts"])?;
    let me = auth.account()?;
    challenge::dismiss(state.db(), me.id, id).await?;
    Ok(Json(json!({})))
}

/// `PUT` and `DELETE /api/v1/announcements/{id}/reactions/{name}`: reactions to
/// announcements are not kept; the app is told so rather than misled.
pub async fn reaction(auth: Auth) -> ApiResult<Json<Value>> {
    auth.require(&["write:favourites"])?;
    Err(ApiError::unprocessable(
        "Reactions to announcements are not supported on this server",
    ))
}
