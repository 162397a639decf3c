//! `/users/{username}/followers` and `/users/{username}/following`

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::accounts::account::{Account, AccountKind};
use staffroom_domain::communities::group;
use staffroom_domain::graph::follow::{self, Direction};
use staffroom_domain::visibility;
use staffroom_domain::visibility::post::Viewer;
use staffroom_federation::objects::actor::actor_id;
use staffroom_federation::objects::follows;

use crate::error::{ApiError, ApiResult};
use crate::signed_fetch::SignedViewer;
use crate::{AppState, activity_json};

/// Accounts on one page.
const PAGE_SIZE: u64 = 40;
/// The deepest page served (beyond it, counts are what matter).
const MAX_PAGE: u64 = 1_000;

#[derive(Debug, Deserialize)]
pub struct Params {
    pub(crate) page: Option<String>,
}

/// `GET /users/{username}/followers[?page=N]`
pub async fn followers(
    state: State<AppState>,
    path: Path<String>,
    query: Query<Params>,
    viewer: SignedViewer,
) -> ApiResult<Response> {
    show(state, path, query, viewer, Direction::Followers).await
}

/// `GET /users/{username}/following[?page=N]`
pub async fn following(
    state: State<AppState>,
    path: Path<String>,
    query: Query<Params>,
    viewer: SignedViewer,
) -> ApiResult<Response> {
    show(state, path, query, viewer, Direction::Following).await
}

async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(params): Query<Params>,
    viewer: SignedViewer,
    direction: Direction,
) -> ApiResult<Response> {
    let account = super::local_person(&state, &username).await?;
    collection(&state, &account, params, viewer, direction).await
}

/// The followers or following collection of the local `account` (a person, a
/// group or a hashtag feed), or one page of it with `?page=N`. The pages of a
/// closed group's followers (its members) are for its members alone.
pub(crate) async fn collection(
    state: &AppState,
    account: &Account,
    params: Params,
    SignedViewer(viewer): SignedViewer,
    direction: Direction,
) -> ApiResult<Response> {
    let db = state.db();
    let urls = state.urls();
    let (followers, following) = follow::counts(db, account.id).await?;
    let (total, name) = match direction {
        Direction::Followers => (followers, "followers"),
        Direction::Following => (following, "following"),
    };
    let id = format!("{}/{name}", actor_id(urls, account));
    let Some(page) = params.page else {
        if direction == Direction::Followers && account.kind == AccountKind::Group {
            return Ok(activity_json::respond(&follows::group_followers(id, total)));
        }
        return Ok(activity_json::respond(&follows::collection(id, total)));
    };
    // Who is in a closed group is for its members to know.
    if direction == Direction::Followers
        && let Some(found) = group::of_account(db, account).await?
    {
        let asker = match viewer {
            Viewer::Account(id) => Some(id),
            _ => None,
        };
        if !visibility::group::may_see_members(db, &found, asker).await? {
            return Err(ApiError::not_found());
        }
    }
    let page: u64 = page
        .parse()
        .ok()
        .filter(|n| (1..=MAX_PAGE).contains(n))
        .ok_or_else(|| {
            ApiError::bad_request(format!("page must be a number from 1 to {MAX_PAGE}"))
        })?;
    let mut members = follow::list(
        db,
        account.id,
        direction,
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE + 1,
    )
    .await?;
    let more = members.len() as u64 > PAGE_SIZE;
    members.truncate(PAGE_SIZE as usize);
    Ok(activity_json::respond(&follows::page(
        urls, &id, total, page, &members, more,
    )))
}
