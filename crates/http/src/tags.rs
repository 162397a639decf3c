//! `/tags/{name}/...`: the collections of a hashtag's feed actor (its subscribers
//! and its announces). The feed actor itself and the tag's page are served by
//! `pages::tag` at `/tags/{name}`; its inbox is the shared one's handler.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::communities::hashtag_feed;
use staffroom_domain::graph::follow::Direction;
use staffroom_federation::hashtag_feeds;

use crate::error::{ApiError, ApiResult};
use crate::signed_fetch::SignedViewer;
use crate::users::follows::{Params, collection};
use crate::{AppState, activity_json};

/// The feed actor's collections (its page and the actor are among the pages, its
/// inbox among the inboxes).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tags/{name}/followers", get(followers))
        .route("/tags/{name}/outbox", get(outbox))
}

/// The feed of the tag `name`, or 404 when the tag has none.
async fn feed(state: &AppState, name: &str) -> ApiResult<Account> {
    hashtag_feed::local(state.db(), name)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// `GET /tags/{name}/followers[?page=N]`: the instances (and people) subscribed.
pub async fn followers(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<Params>,
    viewer: SignedViewer,
) -> ApiResult<Response> {
    let feed = feed(&state, &name).await?;
    collection(&state, &feed, params, viewer, Direction::Followers).await
}

/// `GET /tags/{name}/outbox`: the feed's latest announces.
pub async fn outbox(
    State(state): State<AppState>,
    Path(name): Path<String>,
    _: SignedViewer,
) -> ApiResult<Response> {
    let feed = feed(&state, &name).await?;
    let document = hashtag_feeds::outbox(&state.federation(), &feed).await?;
    Ok(activity_json::respond(&document))
}
