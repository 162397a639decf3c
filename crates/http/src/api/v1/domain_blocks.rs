//! `/api/v1/domain_blocks`: the servers a person blocks for themself (their
//! accounts' posts stay out of that person's timelines and notifications), as
//! Mastodon lists, adds and removes them: a page of domains with the `Link`
//! header, and `domain` in the form, JSON or query.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::graph::domain_block;

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;

/// The domain a block names.
#[derive(Debug, Default, Deserialize)]
pub struct DomainBody {
    domain: Option<String>,
}

/// `domain` from the body, or else the query; `422` when there is none.
fn domain_of(body: DomainBody, query: DomainBody) -> ApiResult<String> {
    body.domain
        .or(query.domain)
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
        .ok_or_else(|| ApiError::unprocessable("Validation failed: domain is missing"))
}

/// `GET /api/v1/domain_blocks` (`read:blocks`): the domains, newest block
/// first.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:blocks", "follow"])?;
    let me = auth.account()?;
    let rows = domain_block::page(state.db(), me.id, pagination.page).await?;
    let domains: Vec<&str> = rows.iter().map(|(_, d)| d.as_str()).collect();
    Ok(pagination.respond(
        &state.urls().origin(),
        &domains,
        rows.first().map(|r| r.0),
        rows.last().map(|r| r.0),
    ))
}

/// `POST /api/v1/domain_blocks` (`write:blocks`): blocks `domain`, whose
/// accounts then stop following the person (as Mastodon does); `{}`.
pub async fn block(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<DomainBody>,
    FormOrJson(body): FormOrJson<DomainBody>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:blocks", "follow"])?;
    let me = auth.account()?;
    let domain = domain_of(body, query)?;
    staffroom_federation::relationships::block_domain(&state.federation(), me, &domain).await?;
    Ok(Json(serde_json::json!({})))
}

/// `DELETE /api/v1/domain_blocks` (`write:blocks`): lifts the block of
/// `domain`; `{}`, whether it was blocked or not.
pub async fn unblock(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<DomainBody>,
    FormOrJson(body): FormOrJson<DomainBody>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:blocks", "follow"])?;
    let me = auth.account()?;
    let domain = domain_of(body, query)?;
    domain_block::unblock(state.db(), me.id, &domain).await?;
    Ok(Json(serde_json::json!({})))
}
