//! `/api/v1/push/subscription`: Web Push subscriptions, one per access token, with
//! the kinds of notification wanted (`data[alerts][...]`) and from whom
//! (`data[policy]`); and the payload each pushed notification carries, as Mastodon
//! writes it. Sending is the push worker's (see `staffroom_federation::push`).

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use chrono::Utc;
use serde::Serialize;
use serde_json::Value;
use staffroom_domain::accounts::account;
use staffroom_domain::filters::filter::Context as FilterContext;
use staffroom_domain::filters::matching::ActiveFilters;
use staffroom_domain::html;
use staffroom_domain::notifications::notification::{self, Kind};
use staffroom_domain::notifications::push::{self, ALERTS, NewSubscription, Policy, QueuedPush};
use staffroom_domain::posts::post;
use staffroom_federation::push::check_endpoint;

use crate::AppState;
use crate::api::v1::notifications::entity as notification_entity;
use crate::auth::{Auth, bearer};
use crate::entities::account::picture_urls;
use crate::error::{ApiError, ApiResult};
use crate::form::Params;
use crate::params;

/// The most characters of a post a push shows.
const MAX_BODY_CHARS: usize = 140;

/// The `WebPushSubscription` entity.
#[derive(Debug, Serialize)]
pub struct WebPushSubscription {
    id: String,
    endpoint: String,
    /// Whether the payload is encrypted as RFC 8291 says (always so here).
    standard: bool,
    alerts: serde_json::Map<String, Value>,
    policy: &'static str,
    server_key: String,
}

fn entity(state: &AppState, subscription: &push::Subscription) -> WebPushSubscription {
    WebPushSubscription {
        id: subscription.id.to_string(),
        endpoint: subscription.endpoint.clone(),
        standard: true,
        alerts: ALERTS
            .iter()
            .map(|kind| {
                (
                    kind.name().to_owned(),
                    Value::Bool(subscription.alerts.contains(kind)),
                )
            })
            .collect(),
        policy: subscription.policy.name(),
        server_key: state.settings().vapid_public_key.clone(),
    }
}

/// The token of the request (the `Auth` extractor has checked it).
fn token(headers: &HeaderMap) -> ApiResult<&str> {
    bearer(headers).ok_or_else(|| ApiError::unauthorized("The access token is invalid"))
}

/// `data[alerts]` and `data[policy]` of `body`, each `None` when absent; with
/// `start` the alerts not given are off (a new subscription), else kept.
fn wanted(body: &Value, start: Option<&[Kind]>) -> ApiResult<(Option<Vec<Kind>>, Option<Policy>)> {
    let data = body.get("data");
    let alerts = match data.and_then(|d| d.get("alerts")) {
        Some(Value::Object(given)) => {
            let mut alerts: Vec<Kind> = start.map(<[Kind]>::to_vec).unwrap_or_default();
            for kind in ALERTS {
                if let Some(value) = given.get(kind.name()) {
                    let on = params::loose_flag(&format!("data[alerts][{}]", kind.name()), value)?;
                    alerts.retain(|k| *k != kind);
                    if on {
                        alerts.push(kind);
                    }
                }
            }
            Some(alerts)
        }
        Some(Value::Null) | None => None,
        Some(_) => return Err(ApiError::unprocessable("data[alerts] must be a hash")),
    };
    let policy = match data.and_then(|d| d.get("policy")) {
        Some(Value::String(name)) => Some(Policy::from_name(name).ok_or_else(|| {
            ApiError::unprocessable(format!(
                "Validation failed: data[policy] '{name}' is not one of all, followed, follower, none"
            ))
        })?),
        Some(Value::Null) | None => None,
        Some(_) => return Err(ApiError::unprocessable("data[policy] must be a string")),
    };
    Ok((alerts, policy))
}

fn text<'a>(value: Option<&'a Value>, field: &str) -> ApiResult<&'a str> {
    value
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::unprocessable(format!("Validation failed: {field} is missing")))
}

/// `POST /api/v1/push/subscription`: subscribes the token, replacing its
/// subscription.
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Params(body): Params,
) -> ApiResult<Json<WebPushSubscription>> {
    auth.require(&["push"])?;
    let me = auth.account()?;
    let subscription = body.get("subscription");
    let endpoint = text(
        subscription.and_then(|s| s.get("endpoint")),
        "subscription[endpoint]",
    )?;
    let keys = subscription.and_then(|s| s.get("keys"));
    let p256dh = text(
        keys.and_then(|k| k.get("p256dh")),
        "subscription[keys][p256dh]",
    )?;
    let secret = text(keys.and_then(|k| k.get("auth")), "subscription[keys][auth]")?;
    check_endpoint(endpoint, state.settings().push_to_private_addresses)
        .map_err(|reason| ApiError::unprocessable(format!("subscription[endpoint] {reason}")))?;
    let (alerts, policy) = wanted(&body, None)?;
    let new = NewSubscription {
        endpoint: endpoint.to_owned(),
        p256dh: p256dh.to_owned(),
        auth: secret.to_owned(),
        alerts: alerts.unwrap_or_default(),
        policy: policy.unwrap_or_default(),
    };
    let made = push::subscribe(state.db(), me.id, token(&headers)?, new, Utc::now()).await?;
    Ok(Json(entity(&state, &made)))
}

/// `GET /api/v1/push/subscription`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
) -> ApiResult<Json<WebPushSubscription>> {
    auth.require(&["push"])?;
    auth.account()?;
    let found = push::find(state.db(), token(&headers)?).await?;
    Ok(Json(entity(&state, &found)))
}

/// `PUT /api/v1/push/subscription`: changes the alerts and policy given.
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Params(body): Params,
) -> ApiResult<Json<WebPushSubscription>> {
    auth.require(&["push"])?;
    auth.account()?;
    let token = token(&headers)?;
    let found = push::find(state.db(), token).await?;
    let (alerts, policy) = wanted(&body, Some(&found.alerts))?;
    let changed = push::update(state.db(), token, alerts, policy, Utc::now()).await?;
    Ok(Json(entity(&state, &changed)))
}

/// `DELETE /api/v1/push/subscription`
pub async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    auth.require(&["push"])?;
    auth.account()?;
    push::unsubscribe(state.db(), token(&headers)?).await?;
    Ok(Json(serde_json::json!({})))
}

/// What a push message carries, as Mastodon writes it.
#[derive(Debug, Serialize)]
struct Payload {
    access_token: String,
    preferred_locale: &'static str,
    notification_id: String,
    notification_type: &'static str,
    icon: String,
    title: String,
    body: String,
}

/// The title Mastodon gives a push of `kind` caused by `name`.
fn title(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Mention => format!("You were mentioned by {name}"),
        Kind::Status => format!("{name} just posted"),
        Kind::Reblog => format!("{name} boosted your post"),
        Kind::Favourite => format!("{name} favorited your post"),
        Kind::Follow => format!("{name} is now following you"),
        Kind::FollowRequest => format!("New follow request from {name}"),
        Kind::Poll => "A poll has ended".to_owned(),
        Kind::Update => format!("{name} edited a post"),
        Kind::AdminSignUp => format!("{name} signed up"),
        Kind::AdminReport => format!("New report from {name}"),
        Kind::EventReminder => "An event starts soon".to_owned(),
        Kind::EventRequest => format!("{name} asks to join your event"),
        Kind::EventAccepted => format!("{name} accepted you at their event"),
        Kind::EventRejected => format!("{name} declined your place at their event"),
    }
}

/// The payload (JSON) of `queued`; `None` when there is nothing to push any more:
/// the notification is gone, what it is about is no longer visible to its owner,
/// or one of their filters hides it.
pub async fn payload(state: &AppState, queued: &QueuedPush) -> ApiResult<Option<Vec<u8>>> {
    let db = state.db();
    let me = match account::get(db, queued.subscription.account_id).await {
        Ok(me) => me,
        Err(staffroom_domain::Error::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let found = match notification::get(db, me.id, queued.notification_id).await {
        Ok(found) => found,
        Err(staffroom_domain::Error::NotFound(_)) => return Ok(None),
        Err(other) => return Err(other.into()),
    };
    let active = ActiveFilters::load(db, me.id, FilterContext::Notifications, Utc::now()).await?;
    if notification_entity(state, &me, &found, &active)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    let from = account::get(db, found.from_account_id).await?;
    let name = if from.display_name.trim().is_empty() {
        from.username.clone()
    } else {
        from.display_name.clone()
    };
    let body = match found.post_id {
        Some(post_id) => match post::get_many(db, &[post_id]).await?.remove(&post_id) {
            Some(post) if !post.spoiler_text.is_empty() => {
                html::excerpt(&html::escape(&post.spoiler_text), MAX_BODY_CHARS)
            }
            Some(post) => html::excerpt(&post.content, MAX_BODY_CHARS),
            None => String::new(),
        },
        None => String::new(),
    };
    let (icon, _) = picture_urls(state.urls(), &from);
    let payload = Payload {
        access_token: queued.subscription.access_token.clone(),
        preferred_locale: "en",
        notification_id: found.id.to_string(),
        notification_type: found.kind.name(),
        icon,
        title: title(found.kind, &name),
        body,
    };
    Ok(Some(serde_json::to_vec(&payload).unwrap_or_default()))
}
