//! `/users/{username}/...`: local actors and what they published, as ActivityPub
//! documents, or a redirect to their page for a browser.

pub mod featured;
pub mod follows;
pub mod moderators;
pub mod outbox;
pub mod statuses;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use staffroom_domain::accounts::account::{self, Account, AccountKind};
use staffroom_federation::objects::actor::local_actor;
use staffroom_federation::objects::directory;
use staffroom_federation::protocol::actor::Actor;

use crate::error::{ApiError, ApiResult};
use crate::signed_fetch::PageOrDocument;
use crate::{AppState, activity_json};

/// Every route under `/users/` (but the inboxes, which [`crate::inbox`] serves),
/// and the instance actor at `/actor`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/actor", get(instance_actor))
        .route("/users/{username}", get(show))
        .route("/users/{username}/outbox", get(outbox::show))
        .route("/users/{username}/moderators", get(moderators::show))
        .route("/users/{username}/followers", get(follows::followers))
        .route("/users/{username}/following", get(follows::following))
        .route("/users/{username}/statuses/{id}", get(statuses::show))
        .route(
            "/users/{username}/collections/featured",
            get(featured::show),
        )
}

/// The local person, organisation or group `username`, or 404.
pub(crate) async fn local_person(state: &AppState, username: &str) -> ApiResult<Account> {
    account::find_local(state.db(), username)
        .await?
        .filter(|account| {
            matches!(
                account.kind,
                AccountKind::Person | AccountKind::Organization | AccountKind::Group
            )
        })
        .ok_or_else(ApiError::not_found)
}

/// The actor of a local account, with its images and what the directory says of it.
pub(crate) async fn actor(state: &AppState, account: &Account) -> ApiResult<Actor> {
    let urls = state.urls();
    let account = &account::ensure_keys(state.db(), account.clone()).await?;
    let (avatar, header) = crate::entities::account::picture_urls(urls, account);
    let mut actor = local_actor(urls, account, &avatar, &header);
    if let Some(record) = directory::record(state.db(), account).await? {
        directory::extend(&mut actor, urls, &record);
    }
    Ok(actor)
}

/// The actor document of a local account.
pub(crate) async fn actor_document(state: &AppState, account: &Account) -> ApiResult<Response> {
    Ok(activity_json::respond(&actor(state, account).await?))
}

/// The actor document of `account` when the request of `method`, `uri` and
/// `headers` asks for ActivityPub (and may have it); `None` when it asks for a page.
pub(crate) async fn actor_if_wanted(
    state: &AppState,
    account: &Account,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> ApiResult<Option<Response>> {
    let asked = PageOrDocument::read(state, method, uri, headers).await?;
    actor_if_asked(state, account, asked).await
}

/// The actor document of `account` when `asked` is for the document.
async fn actor_if_asked(
    state: &AppState,
    account: &Account,
    asked: PageOrDocument,
) -> ApiResult<Option<Response>> {
    match asked {
        PageOrDocument::Page => Ok(None),
        PageOrDocument::Document(_) => Ok(Some(actor_document(state, account).await?)),
    }
}

/// `GET /users/{username}`
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    asked: PageOrDocument,
) -> ApiResult<Response> {
    let account = local_person(&state, &username).await?;
    match actor_if_asked(&state, &account, asked).await? {
        Some(document) => Ok(document),
        None => Ok(Redirect::to(&state.urls().profile(&account.username)).into_response()),
    }
}

/// `GET /actor`: the instance actor, which signs the instance's own fetches.
pub async fn instance_actor(State(state): State<AppState>) -> ApiResult<Response> {
    let actor = account::instance_actor(state.db()).await?;
    actor_document(&state, &actor).await
}
