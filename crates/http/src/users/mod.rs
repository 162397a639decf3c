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
use staffroom_domain::accounts::account::{self, Account, AccountKind, ProfileChange};
use staffroom_domain::accounts::picture::{self, Which};
use staffroom_federation::objects::actor::{local_actor, tombstone};
use staffroom_federation::objects::directory;
use staffroom_federation::protocol::actor::Actor;
use staffroom_federation::{moving, publish};

use crate::error::{ApiError, ApiResult, PageError, gone_document};
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
    // Pictures the account has; the placeholders shown here are not sent.
    let (avatar, header) = crate::entities::account::picture_urls(urls, account);
    let avatar = account.avatar.is_some().then_some(avatar.as_str());
    let header = account.header.is_some().then_some(header.as_str());
    let mut actor = local_actor(urls, account, avatar, header);
    if account.suspended {
        // A suspended account's document says only that (see `local_actor`).
        return Ok(actor);
    }
    moving::add_to_actor(state.db(), urls, account, &mut actor).await?;
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

/// What the actor URL of `username` answers when a deleted account had that
/// name: `410 Gone`, with a `Tombstone` for a fetch and the gone page for a
/// browser. `None` when no deleted account had it.
pub(crate) async fn deleted_actor(
    state: &AppState,
    username: &str,
    asked: &PageOrDocument,
) -> ApiResult<Option<Response>> {
    let Some(deleted) = account::find_deleted_local(state.db(), username).await? else {
        return Ok(None);
    };
    Ok(Some(match asked {
        PageOrDocument::Document(_) => {
            let tombstone = tombstone(&state.urls().actor(&deleted.username), deleted.deleted_at);
            gone_document(activity_json::respond(&tombstone))
        }
        PageOrDocument::Page => account_gone().page(state),
    }))
}

/// The page of an account that was deleted.
pub(crate) fn account_gone() -> PageError {
    PageError::gone(
        "This account is gone",
        "The account that had this name was deleted.",
    )
}

/// `GET /users/{username}`
pub async fn show(
    State(state): State<AppState>,
    Path(username): Path<String>,
    asked: PageOrDocument,
) -> ApiResult<Response> {
    if let Some(gone) = deleted_actor(&state, &username, &asked).await? {
        return Ok(gone);
    }
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

/// Saves `change` to the profile of the local account `id`, then the pictures
/// uploaded with it (`(which, bytes)`, each checked before anything is saved, so
/// a bad picture changes nothing), and tells followers' servers: the account as
/// it now is.
pub(crate) async fn save_profile(
    state: &AppState,
    id: i64,
    change: ProfileChange,
    pictures: Vec<(Which, Vec<u8>)>,
) -> ApiResult<Account> {
    let mut prepared = Vec::with_capacity(pictures.len());
    if !pictures.is_empty() {
        let _turn = state.processing_turn().await;
        for (which, bytes) in pictures {
            let made = picture::prepare(which, bytes).await.map_err(|e| match e {
                staffroom_domain::Error::Invalid { reason, .. } => {
                    ApiError::unprocessable(format!("Validation failed: {} {reason}", which.name()))
                }
                other => other.into(),
            })?;
            prepared.push((which, made));
        }
    }
    let mut updated = account::update_profile(state.db(), id, change).await?;
    for (which, made) in prepared {
        updated = picture::store(state.db(), state.media(), id, which, made).await?;
    }
    profile_changed(state, &updated).await?;
    Ok(updated)
}

/// Tells the followers' servers of the local `account` that its actor
/// document changed (its profile, its aliases, a move).
pub(crate) async fn profile_changed(state: &AppState, account: &Account) -> ApiResult<()> {
    let document = actor(state, account).await?;
    publish::actor_updated(&state.federation(), account, document).await?;
    Ok(())
}
