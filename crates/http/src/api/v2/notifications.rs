//! `/api/v2/notifications`: notifications grouped as Mastodon 4.3 serves them.
//! Favourites and boosts of one post, and follows, within one window of
//! `notification::GROUP_SPAN_HOURS` (12) hours share a group (`favourite-POST-HOUR`,
//! `follow-HOUR`); the others stand alone (`ungrouped-ID`). A page holds up to
//! `limit` groups, each counted and sampled among the notifications the page
//! read; the accounts and posts they name come once, beside the groups.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::filters::filter::Context as FilterContext;
use staffroom_domain::filters::matching::ActiveFilters;
use staffroom_domain::notifications::notification::{
    self, Filter, GROUPED, GroupKey, Kind, Notification,
};
use staffroom_domain::page::Page;

use crate::AppState;
use crate::api::v1::notifications::entity;
use crate::auth::Auth;
use crate::entities::report::Report;
use crate::entities::status::Status;
use crate::entities::{Account, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::pagination::Pagination;
use crate::params;

/// How many accounts a group shows.
const SAMPLE_ACCOUNTS: usize = 8;
/// How many notifications one page reads at most to fill its groups.
const MAX_READ: usize = 400;
/// The most unread groups counted.
const MAX_UNREAD: usize = 1_000;

/// A `NotificationGroup`.
#[derive(Debug, Serialize)]
struct Group {
    group_key: String,
    notifications_count: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    most_recent_notification_id: String,
    page_min_id: String,
    page_max_id: String,
    latest_page_notification_at: String,
    sample_account_ids: Vec<String>,
    status_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<Report>,
}

/// `GroupedNotificationsResults`.
#[derive(Debug, Serialize, Default)]
struct Grouped {
    accounts: Vec<Account>,
    statuses: Vec<Status>,
    notification_groups: Vec<Group>,
}

/// The groups of `found` (newest first), with the accounts and posts they name.
async fn group(
    state: &AppState,
    me: &DomainAccount,
    found: &[Notification],
    grouped: &[Kind],
    active: &ActiveFilters,
) -> ApiResult<Grouped> {
    let mut result = Grouped::default();
    let mut keys: Vec<GroupKey> = Vec::new();
    for one in found {
        let Some(rendered) = entity(state, me, one, active).await? else {
            continue;
        };
        let key = GroupKey::of(one, grouped);
        let account_id = rendered.account.id.clone();
        if !result.accounts.iter().any(|a| a.id == account_id) {
            result.accounts.push(rendered.account);
        }
        let status_id = rendered.status.as_ref().map(|s| s.id.clone());
        if let Some(status) = rendered.status
            && !result.statuses.iter().any(|s| s.id == status.id)
        {
            result.statuses.push(status);
        }
        match keys.iter().position(|k| *k == key) {
            Some(at) => {
                let group = &mut result.notification_groups[at];
                group.notifications_count += 1;
                group.page_min_id = one.id.to_string();
                if group.sample_account_ids.len() < SAMPLE_ACCOUNTS
                    && !group.sample_account_ids.contains(&account_id)
                {
                    group.sample_account_ids.push(account_id);
                }
            }
            None => {
                keys.push(key);
                result.notification_groups.push(Group {
                    group_key: key.text(),
                    notifications_count: 1,
                    kind: one.kind.name(),
                    most_recent_notification_id: one.id.to_string(),
                    page_min_id: one.id.to_string(),
                    page_max_id: one.id.to_string(),
                    latest_page_notification_at: timestamp(one.created_at),
                    sample_account_ids: vec![account_id],
                    status_id,
                    report: rendered.report,
                });
            }
        }
    }
    Ok(result)
}

/// The kinds named by the list parameter `name` (unknown names are ignored).
fn kinds(query: Option<&str>, name: &str) -> Vec<Kind> {
    params::list(query, name, Kind::ALL.len() * 2)
        .iter()
        .filter_map(|n| Kind::from_name(n))
        .collect()
}

/// The notifications of a page of up to `limit` groups, newest first: read in
/// pages from the cursors until a further group would not fit.
async fn read_groups(
    state: &AppState,
    me: &DomainAccount,
    filter: &Filter,
    page: Page,
    limit: usize,
    grouped: &[Kind],
) -> ApiResult<Vec<Notification>> {
    if page.min_id.is_some() {
        // Newer than a cursor: one page of notifications, grouped.
        return Ok(notification::list(state.db(), me.id, filter, page).await?);
    }
    let mut kept: Vec<Notification> = Vec::new();
    let mut keys: Vec<GroupKey> = Vec::new();
    let mut cursor = page;
    cursor.limit = Some(staffroom_domain::page::MAX_LIMIT);
    while kept.len() < MAX_READ {
        let batch = notification::list(state.db(), me.id, filter, cursor).await?;
        let Some(last) = batch.last() else { break };
        cursor.max_id = Some(last.id);
        let full = batch.len() < staffroom_domain::page::MAX_LIMIT as usize;
        for one in batch {
            let key = GroupKey::of(&one, grouped);
            if !keys.contains(&key) {
                if keys.len() == limit {
                    return Ok(kept);
                }
                keys.push(key);
            }
            kept.push(one);
        }
        if full {
            break;
        }
    }
    Ok(kept)
}

/// `GET /api/v2/notifications[?types[]=...&exclude_types[]=...&grouped_types[]=...&account_id=...]`
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
    uri: Uri,
) -> ApiResult<Response> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let query = uri.query();
    let from_account_id = match params::list(query, "account_id", 1).first() {
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| ApiError::bad_request("account_id must be an id"))?,
        ),
        None => None,
    };
    let filter = Filter {
        kinds: kinds(query, "types"),
        excluded: kinds(query, "exclude_types"),
        from_account_id,
    };
    let grouped = if params::list(query, "grouped_types", 1).is_empty() {
        GROUPED.to_vec()
    } else {
        kinds(query, "grouped_types")
    };
    let limit = usize::try_from(pagination.page.limit()).unwrap_or(20);
    let found = read_groups(&state, me, &filter, pagination.page, limit, &grouped).await?;
    let active =
        ActiveFilters::load(state.db(), me.id, FilterContext::Notifications, Utc::now()).await?;
    let result = group(&state, me, &found, &grouped, &active).await?;
    let mut response = Json(result).into_response();
    if let Some(link) = pagination.link(
        &state.urls().origin(),
        found.first().map(|n| n.id),
        found.last().map(|n| n.id),
    ) {
        response
            .headers_mut()
            .insert(axum::http::header::LINK, link);
    }
    Ok(response)
}

fn parse_key(text: &str) -> ApiResult<GroupKey> {
    GroupKey::parse(text).ok_or_else(ApiError::not_found)
}

/// `GET /api/v2/notifications/{group_key}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let key = parse_key(&key)?;
    let found = notification::in_group(state.db(), me.id, key).await?;
    let result = group(&state, me, &found, &GROUPED, &ActiveFilters::none()).await?;
    if result.notification_groups.is_empty() {
        return Err(ApiError::not_found());
    }
    Ok(Json(serde_json::to_value(result).unwrap_or_default()))
}

/// `GET /api/v2/notifications/{group_key}/accounts`
pub async fn accounts(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<Account>>> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let key = parse_key(&key)?;
    let found = notification::in_group(state.db(), me.id, key).await?;
    let result = group(&state, me, &found, &GROUPED, &ActiveFilters::none()).await?;
    if result.notification_groups.is_empty() {
        return Err(ApiError::not_found());
    }
    Ok(Json(result.accounts))
}

/// `POST /api/v2/notifications/{group_key}/dismiss`
pub async fn dismiss(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:notifications"])?;
    let me = auth.account()?;
    notification::dismiss_group(state.db(), me.id, parse_key(&key)?).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v2/notifications/unread_count`: the groups of the notifications newer
/// than the reading position in notifications (up to 1,000).
pub async fn unread_count(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["read:notifications"])?;
    let me = auth.account()?;
    let read =
        staffroom_domain::timelines::marker::get(state.db(), me.id, &["notifications".to_owned()])
            .await?
            .first()
            .map_or(0, |m| m.last_read_id);
    let mut keys: Vec<GroupKey> = Vec::new();
    let mut page = Page {
        since_id: Some(read),
        limit: Some(staffroom_domain::page::MAX_LIMIT),
        ..Page::default()
    };
    let mut scanned = 0;
    while scanned < MAX_UNREAD {
        let batch = notification::list(state.db(), me.id, &Filter::default(), page).await?;
        let Some(last) = batch.last() else { break };
        page.max_id = Some(last.id);
        scanned += batch.len();
        for one in &batch {
            let key = GroupKey::of(one, &GROUPED);
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        if batch.len() < staffroom_domain::page::MAX_LIMIT as usize {
            break;
        }
    }
    Ok(Json(
        serde_json::json!({ "count": keys.len().min(MAX_UNREAD) }),
    ))
}
