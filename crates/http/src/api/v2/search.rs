//! `GET /api/v2/search`: accounts, hashtags and statuses by what a person types —
//! statuses by their words (full-text, paged by `offset` or `max_id`/`min_id`,
//! narrowed by `account_id`) — and with `resolve=true`, an address
//! (`@user@server`) or a URL is looked up on its server and fetched.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::v1::tags::{Tag, entity as tag_entity};
use crate::auth::MaybeAuth;
use crate::entities::Account;
use crate::entities::status::{Status, account_entity, render_all};
use crate::error::{ApiError, ApiResult};
use crate::pagination::Pagination;
use crate::params::{flag, number};
use crate::search::{PostPaging, Wanted, find};

/// Results of each type when the app does not say; the most it may ask for.
const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 40;

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    resolve: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    account_id: Option<String>,
}

/// The most results one may skip with `offset`.
const MAX_OFFSET: u64 = 10_000;

/// What a search found.
#[derive(Debug, Default, Serialize)]
pub struct Results {
    accounts: Vec<Account>,
    statuses: Vec<Status>,
    hashtags: Vec<Tag>,
}

/// Which result types were asked for, as the `type` parameter names them.
fn wanted(kind: Option<&str>) -> ApiResult<Wanted> {
    let only = |accounts, posts, hashtags| Wanted {
        accounts,
        posts,
        hashtags,
    };
    match kind {
        None | Some("") => Ok(Wanted::ALL),
        Some("accounts") => Ok(only(true, false, false)),
        Some("statuses") => Ok(only(false, true, false)),
        Some("hashtags") => Ok(only(false, false, true)),
        Some(other) => Err(ApiError::bad_request(format!(
            "type must be accounts, statuses or hashtags, not '{other}'"
        ))),
    }
}

/// `GET /api/v2/search?q=...&type=...&resolve=true`
pub async fn search(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Query(params): Query<SearchParams>,
    pagination: Pagination,
) -> ApiResult<Json<Results>> {
    let viewer = auth.viewer(&["read:search"])?;
    let q = params.q.unwrap_or_default();
    let wanted = wanted(params.kind.as_deref())?;
    let limit = match params.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| ApiError::bad_request("limit must be a number"))?
            .clamp(1, MAX_LIMIT),
    };
    let resolve = flag("resolve", params.resolve.as_deref())?;
    let account_id = match params.account_id.as_deref() {
        None | Some("") => None,
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| ApiError::bad_request("account_id must be an id"))?,
        ),
    };
    let paging = PostPaging {
        offset: number("offset", params.offset.as_deref(), 0)?.min(MAX_OFFSET),
        max_id: pagination.page.max_id,
        min_id: pagination.page.min_id,
        account_id,
    };
    let found = find(&state, viewer.as_ref(), &q, wanted, limit, resolve, paging).await?;
    let db = state.db();
    let mut results = Results::default();
    for account in &found.accounts {
        results
            .accounts
            .push(account_entity(db, state.urls(), account).await?);
    }
    results.statuses = render_all(db, state.urls(), &found.posts, viewer.as_ref()).await?;
    for found_tag in &found.hashtags {
        results
            .hashtags
            .push(tag_entity(&state, found_tag, viewer.as_ref()).await?);
    }
    Ok(Json(results))
}
