//! `/api/staffroom/v1/hashtag_feeds`: this instance's feed of a hashtag (where
//! other instances subscribe), and the feeds of other instances this one
//! subscribes to (administrators).

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use staffroom_domain::access::user::{self, Role};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::communities::hashtag_feed::{self, Subscription};
use staffroom_domain::graph::follow;
use staffroom_domain::moderation::staff::Staff;
use staffroom_federation::hashtag_feeds;
use staffroom_federation::objects::actor::actor_id;

use utoipa::ToSchema;

use super::openapi::{self, Done, ErrorBody};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::path_id::PathId;

/// This instance's feed of one hashtag.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HashtagFeed)]
pub struct LocalFeed {
    /// Without `#`.
    pub hashtag: String,
    /// The feed actor's id, which other instances subscribe to.
    #[schema(format = "uri")]
    pub actor: String,
    /// Its WebFinger address (when no person here has that name).
    pub acct: String,
    pub subscribers: u64,
}

/// `GET /api/staffroom/v1/hashtag_feeds/{name}`: the feed of a hashtag used here.
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/hashtag_feeds/{name}",
    operation_id = "showHashtagFeed",
    summary = "This instance's feed of a hashtag used here, which other instances subscribe to.",
    params(("name" = String, Path, description = "The hashtag, with or without #, any case.")),
    responses(
        (status = 200, description = "The feed.", body = LocalFeed),
        (status = 404, description = "The hashtag has never been used here.", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<LocalFeed>> {
    let feed = hashtag_feed::local(state.db(), &name)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (subscribers, _) = follow::counts(state.db(), feed.id).await?;
    Ok(Json(LocalFeed {
        acct: format!("{}@{}", feed.username, state.urls().domain()),
        actor: actor_id(state.urls(), &feed),
        hashtag: feed.username,
        subscribers,
    }))
}

/// A feed of another instance that this one subscribes to.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FeedSubscription)]
pub struct SubscriptionEntity {
    /// The id of the feed's account here (for `DELETE`).
    pub id: String,
    /// The feed actor's id.
    #[schema(format = "uri")]
    pub feed: String,
    pub acct: String,
    /// The tag it carries, as known here.
    pub hashtag: String,
    /// `subscribed`, or `requested` while the feed has not answered.
    #[schema(schema_with = openapi::feed_state)]
    pub state: &'static str,
}

fn subscription_entity(found: &Subscription) -> SubscriptionEntity {
    SubscriptionEntity {
        id: found.feed.id.to_string(),
        feed: found.feed.uri.clone().unwrap_or_default(),
        acct: found.feed.acct(),
        hashtag: hashtag_feed::tag_of(&found.feed),
        state: if found.accepted {
            "subscribed"
        } else {
            "requested"
        },
    }
}

/// The signed-in administrator, checked for `scope`.
async fn admin<'a>(state: &AppState, auth: &'a Auth, scope: &str) -> ApiResult<&'a Account> {
    auth.require(&[scope])?;
    let me = auth.account()?;
    user::require_role(state.db(), me.id, Role::Admin).await?;
    Ok(me)
}

/// `GET /api/staffroom/v1/hashtag_feeds/subscriptions` (`admin:read`)
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/hashtag_feeds/subscriptions",
    operation_id = "listFeedSubscriptions",
    summary = "The feeds of other instances this instance subscribes to (instance administrators).",
    responses(
        (status = 200, description = "The subscriptions.", body = Vec<SubscriptionEntity>),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the scope, or the account is not an instance administrator.", body = ErrorBody),
    ),
    security(("bearer" = ["admin:read"])),
)]
pub async fn subscriptions(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<SubscriptionEntity>>> {
    admin(&state, &auth, "admin:read").await?;
    let instance = account::instance_actor(state.db()).await?;
    let found = hashtag_feed::subscriptions(state.db(), instance.id).await?;
    Ok(Json(found.iter().map(subscription_entity).collect()))
}

/// A feed to subscribe to.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = Subscribe)]
pub struct SubscribeBody {
    /// The feed's URL (`https://host/tags/name`), or `name@host`.
    #[schema(value_type = String, required = true)]
    feed: Option<String>,
}

/// `POST /api/staffroom/v1/hashtag_feeds/subscriptions` (`admin:write`) with
/// `feed`: the feed's URL or `name@host`. The feed answers later; `state` says
/// whether it has.
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/hashtag_feeds/subscriptions",
    operation_id = "subscribeToFeed",
    summary = "Subscribe to another instance's feed of a hashtag (instance administrators). The feed answers later; state says whether it has.",
    request_body(content((SubscribeBody = "application/json"), (SubscribeBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The subscription.", body = SubscriptionEntity),
        (status = 400, description = "No feed named.", body = ErrorBody),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the scope, or the account is not an instance administrator.", body = ErrorBody),
        (status = 422, description = "The feed cannot be found, or is not a hashtag feed.", body = ErrorBody),
    ),
    security(("bearer" = ["admin:write"])),
)]
pub async fn subscribe(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(body): FormOrJson<SubscribeBody>,
) -> ApiResult<Json<SubscriptionEntity>> {
    let me = admin(&state, &auth, "admin:write").await?;
    let target = body
        .feed
        .filter(|f| !f.trim().is_empty() && f.len() <= 2_048)
        .ok_or_else(|| {
            ApiError::bad_request("feed must name a hashtag feed: its URL or name@host")
        })?;
    let found =
        hashtag_feeds::subscribe_for(&state.federation(), Staff::Account(me.id), &target).await?;
    Ok(Json(subscription_entity(&found)))
}

/// `DELETE /api/staffroom/v1/hashtag_feeds/subscriptions/{id}` (`admin:write`):
/// stops subscribing (an `Undo(Follow)` is sent).
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/hashtag_feeds/subscriptions/{id}",
    operation_id = "unsubscribeFromFeed",
    summary = "Stop subscribing to a feed (instance administrators); an Undo(Follow) is sent.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "Done (an empty object).", body = Done),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token lacks the scope, or the account is not an instance administrator.", body = ErrorBody),
        (status = 404, description = "This instance does not subscribe to that feed.", body = ErrorBody),
    ),
    security(("bearer" = ["admin:write"])),
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    let me = admin(&state, &auth, "admin:write").await?;
    let feed = account::get(state.db(), id)
        .await
        .map_err(|_| ApiError::not_found())?;
    let Some(uri) = feed.uri.clone() else {
        return Err(ApiError::not_found());
    };
    hashtag_feeds::unsubscribe_for(&state.federation(), Staff::Account(me.id), &uri).await?;
    Ok(Json(serde_json::json!({})))
}
