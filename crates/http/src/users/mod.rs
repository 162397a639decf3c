//! `/users/{username}/...`: local actors and what they published, as ActivityPub
//! documents, or a redirect to their page for a browser.

pub mod follows;
pub mod moderators;
pub mod outbox;
pub mod statuses;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use staffroom_domain::account::{self, Account, AccountKind};
use staffroom_federation::objects::actor::local_actor;
use staffroom_federation::protocol::actor::Actor;

use crate::error::{ApiError, ApiResult};
use crate::{AppState, activity_json, assets, signed_fetch};

/// The local person (or group) `username`, or 404.
pub(crate) async fn local_person(state: &AppState, username: &str) -> ApiResult<Account> {
    account::find_local(state.db(), username)
        .await?
        .filter(|account| matches!(account.kind, AccountKind::Person | AccountKind::Group))
        .ok_or_else(ApiError::not_found)
}

/// The actor of a local account, with its images.
pub(crate) fn actor(state: &AppState, account: &Account) -> Actor {
    let urls = state.urls();
    let avatar = urls.absolute(assets::DEFAULT_AVATAR);
    let header = urls.absolute(assets::DEFAULT_HEADER);
    local_actor(urls, account, &avatar, &header)
}

/// The actor document of a local account.
pub(crate) fn actor_document(state: &AppState, account: &Account) -> Response {
    activity_json::respond(&actor(state, account))
}

/// The actor document of `account` when the request asks for ActivityPub (and may
/// have it); `None` when it asks for a page.
pub(crate) async fn actor_if_wanted(
    state: &AppState,
    account: &Account,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> ApiResult<Option<Response>> {
    if !activity_json::wanted(headers) {
        return Ok(None);
    }
    signed_fetch::viewer(state, method, uri, headers).await?;
    Ok(Some(actor_document(state, account)))
}

/// `GET /users/{username}`
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let account = local_person(&state, &username).await?;
    match actor_if_wanted(&state, &account, &method, &uri, &headers).await? {
        Some(document) => Ok(document),
        None => Ok(Redirect::to(&state.urls().profile(&account.username)).into_response()),
    }
}

/// `GET /actor`: the instance actor, which signs the instance's own fetches.
pub async fn instance_actor(State(state): State<AppState>) -> ApiResult<Response> {
    let actor = account::instance_actor(state.db()).await?;
    Ok(actor_document(&state, &actor))
}
