//! `GET /api/v2/search`: accounts, hashtags and statuses by what a person types —
//! with `resolve=true`, an address (`@user@server`) or a URL is looked up on its
//! server and fetched.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use staffroom_domain::accounts::account::{self, Account as DomainAccount};
use staffroom_domain::posts::tag;
use staffroom_domain::visibility::post::is_visible;
use staffroom_domain::{posts::post, visibility::post::Viewer};
use staffroom_federation::resolve::{self, Found};

use crate::AppState;
use crate::api::v1::tags::{Tag, entity as tag_entity};
use crate::auth::MaybeAuth;
use crate::entities::Account;
use crate::entities::status::{Status, account_entity, render};
use crate::error::{ApiError, ApiResult};
use crate::params::flag;

/// The longest query accepted.
const MAX_QUERY_CHARS: usize = 500;
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
}

/// What a search found.
#[derive(Debug, Default, Serialize)]
pub struct Results {
    accounts: Vec<Account>,
    statuses: Vec<Status>,
    hashtags: Vec<Tag>,
}

/// Which result types were asked for.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    accounts: bool,
    statuses: bool,
    hashtags: bool,
}

impl Wanted {
    fn parse(kind: Option<&str>) -> ApiResult<Self> {
        let only = |accounts, statuses, hashtags| Self {
            accounts,
            statuses,
            hashtags,
        };
        match kind {
            None | Some("") => Ok(only(true, true, true)),
            Some("accounts") => Ok(only(true, false, false)),
            Some("statuses") => Ok(only(false, true, false)),
            Some("hashtags") => Ok(only(false, false, true)),
            Some(other) => Err(ApiError::bad_request(format!(
                "type must be accounts, statuses or hashtags, not '{other}'"
            ))),
        }
    }
}

/// Whether `q` is an address of someone on another server (or here).
pub(crate) fn is_address(q: &str) -> bool {
    let q = q.trim_start_matches('@');
    match q.split_once('@') {
        Some((user, domain)) => !user.is_empty() && (domain.contains('.') || domain.contains(':')),
        None => false,
    }
}

/// `GET /api/v2/search?q=...&type=...&resolve=true`
pub async fn search(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<Results>> {
    let viewer = auth.viewer(&["read:search"])?;
    let q = params.q.unwrap_or_default();
    let q = q.trim();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request("q is too long"));
    }
    let wanted = Wanted::parse(params.kind.as_deref())?;
    let limit = match params.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| ApiError::bad_request("limit must be a number"))?
            .clamp(1, MAX_LIMIT),
    };
    // Results come in one page; a later page is empty.
    if params
        .offset
        .as_deref()
        .is_some_and(|o| !o.is_empty() && o != "0")
    {
        return Ok(Json(Results::default()));
    }
    // Only signed-in people may make this server fetch from others.
    let resolve = flag("resolve", params.resolve.as_deref())? && viewer.is_some();
    let mut results = Results::default();
    if q.is_empty() {
        return Ok(Json(results));
    }
    let db = state.db();
    let data = state.federation();
    let mut found = Vec::new();
    if q.starts_with("http://") || q.starts_with("https://") {
        let known = if resolve {
            resolve::url(&data, q).await?
        } else {
            known_url(&state, q).await?
        };
        match known {
            Some(Found::Account(found_account)) if wanted.accounts => found.push(found_account),
            Some(Found::Post(found_post)) if wanted.statuses => {
                let seen_as = viewer
                    .as_ref()
                    .map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
                if is_visible(db, &found_post, seen_as).await? {
                    results
                        .statuses
                        .push(render(db, state.urls(), &found_post, viewer.as_ref()).await?);
                }
            }
            _ => {}
        }
    } else if wanted.accounts {
        if resolve
            && is_address(q)
            && let Some(found_account) = resolve::account_by_address(&data, q).await?
        {
            found.push(found_account);
        }
        for candidate in account::search(db, q, limit).await? {
            if !found.iter().any(|a: &DomainAccount| a.id == candidate.id) {
                found.push(candidate);
            }
        }
    }
    for found_account in found.iter().take(limit as usize) {
        results
            .accounts
            .push(account_entity(db, state.urls(), found_account).await?);
    }
    if wanted.hashtags && !q.contains('@') && !q.contains('/') {
        for found_tag in tag::search(db, q, limit).await? {
            results
                .hashtags
                .push(tag_entity(&state, &found_tag, viewer.as_ref()).await?);
        }
    }
    Ok(Json(results))
}

/// What `url` names among what this instance already stores.
async fn known_url(state: &AppState, url: &str) -> ApiResult<Option<Found>> {
    let db = state.db();
    if let Some(found_post) = post::find_by_uri(db, url).await? {
        return Ok(Some(Found::Post(found_post)));
    }
    if let Some(found_account) = staffroom_domain::accounts::remote::find_by_uri(db, url).await? {
        return Ok(Some(Found::Account(found_account)));
    }
    Ok(None)
}
