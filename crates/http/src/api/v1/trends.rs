//! `/api/v1/trends/tags`: the hashtags of the current challenges first, then the
//! tags most people used in public posts this week; `/api/v1/trends/statuses`:
//! the public posts favourited and boosted the most these last days.

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use serde_json::{Value, json};
use staffroom_domain::filters::filter::Context;
use staffroom_domain::timelines::trending;
use staffroom_domain::{communities::challenge, posts::tag};

use super::tags::{Tag, entity};
use crate::AppState;
use crate::auth::MaybeAuth;
use crate::entities::status::{Status, render_filtered};
use crate::error::ApiResult;
use crate::params::OffsetPage;

/// The most tags one page lists, and how many when the app does not say.
const MAX_LIMIT: u64 = 20;
const DEFAULT_LIMIT: u64 = 10;

/// `GET /api/v1/trends/tags?offset=&limit=` (also `/api/v1/trends`)
pub async fn tags(
    State(state): State<AppState>,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<Tag>>> {
    let (offset, limit) = page.read(DEFAULT_LIMIT, MAX_LIMIT, 1_000)?;
    let now = Utc::now();
    let db = state.db();
    let mut found = Vec::new();
    for running in challenge::current(db, now).await? {
        if let Some(featured) = tag::find(db, &running.hashtag).await?
            && !found.contains(&featured)
        {
            found.push(featured);
        }
    }
    for trending in tag::trending(db, now, 0, offset + limit + found.len() as u64).await? {
        if !found.contains(&trending) {
            found.push(trending);
        }
    }
    let page = found
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX));
    let mut out = Vec::new();
    for one in page {
        out.push(entity(&state, &one, None).await?);
    }
    Ok(Json(out))
}

/// The most trending posts one page lists, and how many when the app does not say.
const MAX_STATUSES: u64 = 40;
const DEFAULT_STATUSES: u64 = 20;

/// `GET /api/v1/trends/statuses?offset=&limit=`: the public posts of the last
/// days favourited and boosted the most (see
/// [`staffroom_domain::timelines::trending`]), as the reader may see them.
pub async fn statuses(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<Status>>> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let (offset, limit) = page.read(DEFAULT_STATUSES, MAX_STATUSES, 1_000)?;
    let posts = trending::statuses(
        state.db(),
        viewer.as_ref().map(|v| v.id),
        Utc::now(),
        offset,
        limit,
    )
    .await?;
    Ok(Json(
        render_filtered(
            state.db(),
            state.urls(),
            &posts,
            viewer.as_ref(),
            Context::Public,
        )
        .await?,
    ))
}

/// `GET /api/v1/trends/links`: not computed; empty.
pub async fn empty() -> Json<Value> {
    Json(json!([]))
}
