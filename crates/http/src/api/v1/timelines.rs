//! `/api/v1/timelines/...`

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::timeline::{self, Scope};

use crate::AppState;
use crate::auth::MaybeAuth;
use crate::entities::status::render;
use crate::error::{ApiError, ApiResult};
use crate::pagination::Pagination;

#[derive(Debug, Deserialize)]
pub struct PublicParams {
    local: Option<String>,
    remote: Option<String>,
}

fn flag(value: Option<&str>) -> Result<bool, ApiError> {
    match value {
        None | Some("" | "false" | "0") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(other) => Err(ApiError::bad_request(format!("'{other}' is not a boolean"))),
    }
}

/// `GET /api/v1/timelines/public[?local=true|remote=true]`
pub async fn public(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    pagination: Pagination,
    Query(params): Query<PublicParams>,
) -> ApiResult<Response> {
    let viewer = match &auth {
        Some(auth) => {
            auth.require(&["read:statuses"])?;
            auth.0.account.clone()
        }
        None => None,
    };
    let scope = match (
        flag(params.local.as_deref())?,
        flag(params.remote.as_deref())?,
    ) {
        (true, _) => Scope::Local,
        (false, true) => Scope::Remote,
        (false, false) => Scope::All,
    };
    let db = state.db();
    let posts = timeline::public(db, scope, pagination.page).await?;
    let mut statuses = Vec::with_capacity(posts.len());
    for post in &posts {
        statuses.push(render(db, state.urls(), post, viewer.as_ref()).await?);
    }
    let mut response = Json(statuses).into_response();
    if let Some(link) = pagination.link(
        &state.urls().origin(),
        posts.first().map(|p| p.id),
        posts.last().map(|p| p.id),
    ) {
        response.headers_mut().insert(LINK, link);
    }
    Ok(response)
}
