//! `/users/{username}/outbox`: posts as `Create`, boosts (a group's announces) as
//! `Announce`. A closed group's outbox holds what is written to it, for its
//! members and their servers alone.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::communities::group;
use staffroom_domain::timelines;
use staffroom_domain::visibility::post::Viewer;
use staffroom_federation::groups;
use staffroom_federation::objects::outbox;

use crate::error::{ApiError, ApiResult};
use crate::signed_fetch::SignedViewer;
use crate::{AppState, activity_json};

/// Posts on one outbox page.
const PAGE_SIZE: u64 = 20;

#[derive(Debug, Deserialize)]
pub struct Params {
    page: Option<bool>,
    max_id: Option<String>,
}

/// `GET /users/{username}/outbox[?page=true[&max_id=ID]]`
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(params): Query<Params>,
    SignedViewer(viewer): SignedViewer,
) -> ApiResult<Response> {
    let account = super::local_person(&state, &username).await?;
    let db = state.db();
    if group::is_closed(&account) {
        return closed_group(&state, &account, viewer, params.page == Some(true)).await;
    }
    let total = timelines::account::count_outbox_by_account(db, account.id).await?;
    if params.page != Some(true) {
        return Ok(activity_json::respond(&outbox::collection(
            state.urls(),
            &account,
            total,
        )));
    }
    let max_id = params
        .max_id
        .map(|id| {
            id.parse::<i64>()
                .map_err(|_| ApiError::bad_request("max_id must be a post id"))
        })
        .transpose()?;
    let mut posts =
        timelines::account::outbox_by_account(db, account.id, max_id, PAGE_SIZE + 1).await?;
    let more = posts.len() as u64 > PAGE_SIZE;
    posts.truncate(PAGE_SIZE as usize);
    let urls = state.urls();
    let items = outbox::items(&state.federation(), &account, &posts).await?;
    let oldest = posts.last().map(|p| p.id);
    Ok(activity_json::respond(&outbox::page(
        urls, &account, total, items, max_id, oldest, more,
    )))
}

/// The outbox of the local closed `group`: the latest posts written to it (in
/// one page) for a member or a member's server that signed the fetch (`viewer`),
/// empty for anyone else.
async fn closed_group(
    state: &AppState,
    group: &Account,
    viewer: Viewer,
    page: bool,
) -> ApiResult<Response> {
    let signer = match viewer {
        Viewer::Account(id) => Some(account::get(state.db(), id).await?),
        Viewer::Anonymous => None,
    };
    let items = groups::history(&state.federation(), group, signer.as_ref()).await?;
    let total = items.len() as u64;
    let urls = state.urls();
    if !page {
        return Ok(activity_json::respond(&outbox::collection(
            urls, group, total,
        )));
    }
    Ok(activity_json::respond(&outbox::page(
        urls, group, total, items, None, None, false,
    )))
}
