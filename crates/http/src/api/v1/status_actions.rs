//! What a person does to a status: favourite, boost and bookmark it (and take each
//! back), and who did so; their own lists of favourites and bookmarks.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::posts::{bookmark, interaction, pin};
use staffroom_domain::visibility::post::find_visible;
use staffroom_domain::{
    posts::post::{Post, Visibility},
    visibility::post::Viewer,
};
use staffroom_federation::{interactions, publish};

use super::accounts::respond_accounts;
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::status::{Status, render};
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The status `id` as `viewer` may see it (a boost stands for the boosted post).
async fn visible(state: &AppState, viewer: Viewer, id: i64) -> ApiResult<Post> {
    let found = find_visible(state.db(), id, viewer).await?;
    match found.reblog_of_id {
        Some(original) => Ok(find_visible(state.db(), original, viewer).await?),
        None => Ok(found),
    }
}

/// The signed-in account, with one of `scopes`, and the status `id` it may see.
async fn acting_on<'a>(
    state: &AppState,
    auth: &'a Auth,
    scopes: &[&str],
    id: i64,
) -> ApiResult<(&'a Account, Post)> {
    auth.require(scopes)?;
    let me = auth.account()?;
    let target = visible(state, Viewer::Account(me.id), id).await?;
    Ok((me, target))
}

async fn rendered(state: &AppState, me: &Account, post: &Post) -> ApiResult<Json<Status>> {
    Ok(Json(
        render(state.db(), state.urls(), post, Some(me)).await?,
    ))
}

/// `POST /api/v1/statuses/{id}/favourite`
pub async fn favourite(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:favourites"], id).await?;
    interactions::favourite(&state.federation(), me, &target).await?;
    rendered(&state, me, &target).await
}

/// `POST /api/v1/statuses/{id}/unfavourite`
pub async fn unfavourite(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:favourites"], id).await?;
    interactions::unfavourite(&state.federation(), me, &target).await?;
    rendered(&state, me, &target).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ReblogForm {
    visibility: Option<String>,
}

/// `POST /api/v1/statuses/{id}/reblog`: the boost, with the boosted status inside.
pub async fn reblog(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<ReblogForm>,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:statuses"], id).await?;
    let visibility = match form.visibility.as_deref() {
        None | Some("" | "public") => Visibility::Public,
        Some("unlisted") => Visibility::Unlisted,
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "Validation failed: a boost cannot be '{other}'"
            )));
        }
    };
    let boost = interactions::reblog(&state.federation(), me, &target, visibility).await?;
    rendered(&state, me, &boost).await
}

/// `POST /api/v1/statuses/{id}/unreblog`: the status that was boosted.
pub async fn unreblog(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:statuses"], id).await?;
    interactions::unreblog(&state.federation(), me, &target).await?;
    rendered(&state, me, &target).await
}

/// `POST /api/v1/statuses/{id}/bookmark`
pub async fn bookmark(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:bookmarks"], id).await?;
    bookmark::add(state.db(), me.id, target.id, Utc::now()).await?;
    rendered(&state, me, &target).await
}

/// `POST /api/v1/statuses/{id}/unbookmark`
pub async fn unbookmark(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:bookmarks"], id).await?;
    bookmark::remove(state.db(), me.id, target.id).await?;
    rendered(&state, me, &target).await
}

/// `POST /api/v1/statuses/{id}/pin`: one of the signed-in person's posts shows
/// at the top of their profile; followers' servers hear of it.
pub async fn pin(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:accounts"], id).await?;
    let pinned = pin::pin(state.db(), me, target.id, Utc::now()).await?;
    publish::pinned(&state.federation(), me, &pinned, true).await?;
    rendered(&state, me, &pinned).await
}

/// `POST /api/v1/statuses/{id}/unpin`
pub async fn unpin(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let (me, target) = acting_on(&state, &auth, &["write:accounts"], id).await?;
    let unpinned = pin::unpin(state.db(), me, target.id).await?;
    publish::pinned(&state.federation(), me, &unpinned, false).await?;
    rendered(&state, me, &unpinned).await
}

/// The status `id`, for anyone who may see it.
async fn for_viewer(state: &AppState, auth: &MaybeAuth, id: i64) -> ApiResult<Post> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let seen_as = viewer.map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
    visible(state, seen_as, id).await
}

/// `GET /api/v1/statuses/{id}/favourited_by`
pub async fn favourited_by(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    let target = for_viewer(&state, &auth, id).await?;
    let rows = interaction::favourited_by(state.db(), target.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

/// `GET /api/v1/statuses/{id}/reblogged_by`
pub async fn reblogged_by(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    let target = for_viewer(&state, &auth, id).await?;
    let rows = interaction::reblogged_by(state.db(), target.id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

/// The posts of (cursor id, post id) pairs that `me` may still see, as statuses with
/// the `Link` header of the cursors.
async fn respond_kept(
    state: &AppState,
    pagination: &Pagination,
    me: &Account,
    rows: &[(i64, i64)],
) -> ApiResult<Response> {
    let mut posts = Vec::with_capacity(rows.len());
    for (_, post_id) in rows {
        if let Ok(found) = find_visible(state.db(), *post_id, Viewer::Account(me.id)).await {
            posts.push(found);
        }
    }
    let statuses =
        crate::entities::status::render_all(state.db(), state.urls(), &posts, Some(me)).await?;
    Ok(pagination.respond(
        &state.urls().origin(),
        &statuses,
        rows.first().map(|(cursor, _)| *cursor),
        rows.last().map(|(cursor, _)| *cursor),
    ))
}

/// `GET /api/v1/bookmarks`
pub async fn bookmarks(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:bookmarks"])?;
    let me = auth.account()?;
    let rows = bookmark::list(state.db(), me.id, pagination.page).await?;
    respond_kept(&state, &pagination, me, &rows).await
}

/// `GET /api/v1/favourites`
pub async fn favourites(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:favourites"])?;
    let me = auth.account()?;
    let rows = interaction::favourites_of(state.db(), me.id, pagination.page).await?;
    respond_kept(&state, &pagination, me, &rows).await
}
