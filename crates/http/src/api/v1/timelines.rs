//! `/api/v1/timelines/...`: home, public, hashtag and list timelines.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::filters::filter::Context;
use staffroom_domain::posts::compose::normalize_tag;
use staffroom_domain::posts::post::Post;
use staffroom_domain::timelines;
use staffroom_domain::timelines::public::Scope;

use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::status::render_filtered;
use crate::error::{ApiError, ApiResult};
use crate::pagination::Pagination;
use crate::params::flag;
use crate::path_id::PathId;

#[derive(Debug, Deserialize)]
pub struct ScopeParams {
    local: Option<String>,
    remote: Option<String>,
    only_media: Option<String>,
}

impl ScopeParams {
    fn scope(&self) -> Result<Scope, ApiError> {
        Ok(
            match (
                flag("local", self.local.as_deref())?,
                flag("remote", self.remote.as_deref())?,
            ) {
                (true, _) => Scope::Local,
                (false, true) => Scope::Remote,
                (false, false) => Scope::All,
            },
        )
    }
}

/// `posts` as statuses for `viewer`, with the viewer's filters for `context`
/// applied and the `Link` header (whose cursors count the posts filters hid).
pub(crate) async fn respond(
    state: &AppState,
    pagination: &Pagination,
    posts: &[Post],
    viewer: Option<&Account>,
    context: Context,
) -> ApiResult<Response> {
    let statuses = render_filtered(state.db(), state.urls(), posts, viewer, context).await?;
    Ok(pagination.respond(
        &state.urls().origin(),
        &statuses,
        posts.first().map(|p| p.id),
        posts.last().map(|p| p.id),
    ))
}

/// `GET /api/v1/timelines/public[?local=true|remote=true]`
pub async fn public(
    State(state): State<AppState>,
    auth: MaybeAuth,
    pagination: Pagination,
    Query(params): Query<ScopeParams>,
) -> ApiResult<Response> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let posts = timelines::public::public(
        state.db(),
        params.scope()?,
        flag("only_media", params.only_media.as_deref())?,
        viewer.as_ref().map(|v| v.id),
        pagination.page,
    )
    .await?;
    respond(
        &state,
        &pagination,
        &posts,
        viewer.as_ref(),
        Context::Public,
    )
    .await
}

/// `GET /api/v1/timelines/tag/{hashtag}`
pub async fn tag(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(hashtag): Path<String>,
    pagination: Pagination,
    Query(params): Query<ScopeParams>,
) -> ApiResult<Response> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let posts = timelines::public::tag(
        state.db(),
        &normalize_tag(&hashtag),
        params.scope()?,
        viewer.as_ref().map(|v| v.id),
        pagination.page,
    )
    .await?;
    respond(
        &state,
        &pagination,
        &posts,
        viewer.as_ref(),
        Context::Public,
    )
    .await
}

/// `GET /api/v1/timelines/home`
pub async fn home(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:statuses"])?;
    let me = auth.account()?;
    let posts = timelines::home::home(state.db(), me.id, pagination.page).await?;
    respond(&state, &pagination, &posts, Some(me), Context::Home).await
}

/// `GET /api/v1/timelines/list/{list_id}`: someone else's list is 404.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PathId(list_id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:lists"])?;
    let me = auth.account()?;
    let posts = timelines::list::list(state.db(), me.id, list_id, pagination.page).await?;
    respond(&state, &pagination, &posts, Some(me), Context::Home).await
}
