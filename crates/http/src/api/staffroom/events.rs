//! `/api/staffroom/v1/events`: events (residentials, school visits, conferences)
//! — organising one, listing those to come, answering one (going, interested,
//! not going), and the organiser's list of participants with approving or
//! declining requests. An event is a post: it is also a status in Mastodon apps,
//! and it is seen, answered and deleted as its post allows.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::posts::event::{self, Answer, Event, JoinMode, NewEvent, Status};
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::{LocalUrls, participation, publish};
use utoipa::ToSchema;

use super::openapi::{ErrorBody, OffsetParams};
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::path_id::PathId;

/// Where an event happens.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPlace {
    pub name: Option<String>,
    pub address: Option<String>,
    #[schema(format = "uri")]
    pub online_url: Option<String>,
}

/// An event's organiser.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventOrganiser {
    pub id: String,
    /// `user` here, `user@domain` elsewhere.
    pub acct: String,
    pub display_name: String,
    #[schema(format = "uri")]
    pub url: String,
}

/// How many stand where (counted here for this instance's events; for another
/// server's event only `going`, as that server last said).
#[derive(Debug, Serialize, ToSchema)]
pub struct EventCounts {
    pub going: u64,
    pub interested: u64,
    pub waiting: u64,
    pub pending: u64,
}

/// An event as this API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Event)]
pub struct EventEntity {
    /// Its post's id: the same as its status's.
    pub id: String,
    #[schema(format = "uri")]
    pub uri: String,
    /// Its page.
    #[schema(format = "uri")]
    pub url: String,
    /// Its iCalendar file (for this instance's events).
    #[schema(format = "uri")]
    pub ics_url: Option<String>,
    pub local: bool,
    pub title: String,
    pub description_html: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[schema(format = DateTime)]
    pub ends_at: String,
    /// An IANA time zone name.
    pub timezone: String,
    /// When it runs, in words, in its time zone.
    pub when: String,
    pub place: EventPlace,
    /// How many may go; null for no limit.
    pub capacity: Option<u64>,
    /// Places left; null for no limit.
    pub remaining: Option<u64>,
    /// `free`, `restricted` (the organiser approves each person) or `external`.
    pub join_mode: String,
    #[schema(format = "uri")]
    pub external_url: Option<String>,
    pub visibility: String,
    pub organiser: EventOrganiser,
    pub counts: EventCounts,
    /// Where the asker stands: `going`, `interested`, `not_going`, `waiting`,
    /// `pending`, `rejected`, or null.
    pub rsvp: Option<String>,
    pub ended: bool,
}

fn profile_url(urls: &LocalUrls, account: &Account) -> String {
    match &account.remote {
        None => urls.profile(&account.username),
        Some(remote) => remote
            .url
            .clone()
            .or_else(|| account.uri.clone())
            .unwrap_or_default(),
    }
}

/// The entity of `found`, the event of `post`, as `viewer` sees it.
pub(crate) async fn entity(
    state: &AppState,
    post: &Post,
    found: &Event,
    viewer: Option<&Account>,
) -> ApiResult<EventEntity> {
    let db = state.db();
    let urls = state.urls();
    let organiser = account::get(db, post.account_id).await?;
    let counts = if post.local {
        event::counts(db, post.id).await?
    } else {
        event::Counts {
            going: found.participant_count,
            ..Default::default()
        }
    };
    let rsvp = match viewer {
        Some(viewer) => event::own_statuses(db, viewer.id, &[post.id])
            .await?
            .get(&post.id)
            .map(|s| s.name().to_owned()),
        None => None,
    };
    Ok(EventEntity {
        id: post.id.to_string(),
        uri: post
            .uri
            .clone()
            .unwrap_or_else(|| urls.post(&organiser.username, post.id)),
        url: if post.local {
            urls.event_page(post.id)
        } else {
            post.url
                .clone()
                .or_else(|| post.uri.clone())
                .unwrap_or_default()
        },
        ics_url: post.local.then(|| urls.event_calendar(post.id)),
        local: post.local,
        title: found.title.clone(),
        description_html: found.description.clone(),
        starts_at: timestamp(found.starts_at),
        ends_at: timestamp(found.ends_at),
        timezone: found.timezone.clone(),
        when: found.when(),
        place: EventPlace {
            name: found.place_name.clone(),
            address: found.address.clone(),
            online_url: found.online_url.clone(),
        },
        capacity: found.capacity,
        remaining: found.remaining(),
        join_mode: found.join_mode.name().to_owned(),
        external_url: found.external_url.clone(),
        visibility: post.visibility.name().to_owned(),
        organiser: EventOrganiser {
            id: organiser.id.to_string(),
            acct: organiser.acct(),
            display_name: organiser.display_name.clone(),
            url: profile_url(urls, &organiser),
        },
        counts: EventCounts {
            going: counts.going,
            interested: counts.interested,
            waiting: counts.waiting,
            pending: counts.pending,
        },
        rsvp,
        ended: found.ended(Utc::now()),
    })
}

/// The event of post `id` and its post, as `viewer` may see it.
pub(crate) async fn find(state: &AppState, id: i64, viewer: Viewer) -> ApiResult<(Post, Event)> {
    let post = find_visible(state.db(), id, viewer)
        .await
        .map_err(|_| ApiError::not_found())?;
    let found = event::get(state.db(), id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((post, found))
}

/// A new event, in JSON or a form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewEventForm {
    pub title: String,
    /// Plain text; paragraphs separated by blank lines.
    #[serde(default)]
    pub description: Option<String>,
    /// RFC 3339 with an offset (`2027-03-04T09:00:00+00:00`), or a local time
    /// (`2027-03-04T09:00`) read in `timezone`.
    pub starts_at: String,
    pub ends_at: String,
    /// An IANA time zone name (`Europe/London`).
    pub timezone: String,
    #[serde(default)]
    pub place_name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub online_url: Option<String>,
    /// A number from 1 to 100000; empty or absent for no limit.
    #[serde(default)]
    #[schema(value_type = Option<u64>)]
    pub capacity: Option<serde_json::Value>,
    /// `free` (the default), `restricted` or `external`.
    #[serde(default)]
    pub join_mode: Option<String>,
    #[serde(default)]
    pub external_url: Option<String>,
    /// `public` (the default), `unlisted`, `private` or `direct`.
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
}

fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// `text` as a time: RFC 3339, or a local time in `timezone`.
fn read_time(field: &str, text: &str, timezone: &str) -> ApiResult<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    event::local_time(text, timezone).map_err(|e| match e {
        staffroom_domain::Error::Invalid { field: "time", .. } => ApiError::unprocessable(format!(
            "Validation failed: {field} must be a date and time such as 2027-03-04T09:00"
        )),
        other => ApiError::from(other),
    })
}

impl NewEventForm {
    /// The event asked for, and who may see it.
    pub(crate) fn read(&self) -> ApiResult<(NewEvent, Visibility)> {
        let timezone = self.timezone.trim().to_owned();
        let capacity = match &self.capacity {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
            Some(serde_json::Value::Number(n)) => Some(n.as_i64().ok_or_else(|| {
                ApiError::unprocessable("Validation failed: capacity must be a whole number")
            })?),
            Some(serde_json::Value::String(s)) => Some(s.trim().parse::<i64>().map_err(|_| {
                ApiError::unprocessable("Validation failed: capacity must be a whole number")
            })?),
            Some(_) => {
                return Err(ApiError::unprocessable(
                    "Validation failed: capacity must be a whole number",
                ));
            }
        };
        let join_mode = match blank_to_none(&self.join_mode) {
            None => JoinMode::Free,
            Some(name) => JoinMode::from_name(&name).ok_or_else(|| {
                ApiError::unprocessable(
                    "Validation failed: join_mode must be free, restricted or external",
                )
            })?,
        };
        let visibility = match blank_to_none(&self.visibility) {
            None => Visibility::Public,
            Some(name) => Visibility::from_name(&name).ok_or_else(|| {
                ApiError::unprocessable(
                    "Validation failed: visibility must be public, unlisted, private or direct",
                )
            })?,
        };
        if !event::known_timezone(&timezone) {
            return Err(ApiError::unprocessable(
                "Validation failed: timezone is not a known time zone (such as Europe/London)",
            ));
        }
        Ok((
            NewEvent {
                title: self.title.clone(),
                description: self.description.clone().unwrap_or_default(),
                starts_at: read_time("starts_at", &self.starts_at, &timezone)?,
                ends_at: read_time("ends_at", &self.ends_at, &timezone)?,
                timezone,
                place_name: blank_to_none(&self.place_name),
                address: blank_to_none(&self.address),
                online_url: blank_to_none(&self.online_url),
                capacity,
                join_mode,
                external_url: blank_to_none(&self.external_url),
            },
            visibility,
        ))
    }
}

/// Organises the event `form` for `author`: its post is written and federated.
pub(crate) async fn organise(
    state: &AppState,
    author: &Account,
    form: &NewEventForm,
) -> ApiResult<Post> {
    let (new, visibility) = form.read()?;
    let draft = publish::Draft {
        text: new.description.clone(),
        visibility,
        spoiler_text: String::new(),
        sensitive: false,
        language: blank_to_none(&form.language).filter(|l| l.len() <= 16),
        in_reply_to_id: None,
        media_ids: Vec::new(),
        poll: None,
        event: Some(new),
        article: None,
        local_only: false,
    };
    Ok(publish::create_post(&state.federation(), author, draft).await?)
}

/// `POST /api/staffroom/v1/events`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/events",
    operation_id = "createEvent",
    summary = "Organise an event: it is posted (a status in Mastodon apps, an Event elsewhere) and federated.",
    request_body = NewEventForm,
    responses(
        (status = 200, description = "The event.", body = EventEntity),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 422, description = "The event is refused: the reason says why.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<NewEventForm>,
) -> ApiResult<Json<EventEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let post = organise(&state, me, &form).await?;
    let (post, found) = find(&state, post.id, Viewer::Account(me.id)).await?;
    Ok(Json(entity(&state, &post, &found, Some(me)).await?))
}

/// The filters of `GET /events`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    offset: Option<String>,
    limit: Option<String>,
    /// `true` for this instance's events only.
    local: Option<String>,
}

/// `GET /api/staffroom/v1/events?local=&offset=&limit=`: events to come.
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/events",
    operation_id = "upcomingEvents",
    summary = "Events that have not ended, the soonest first: public ones, and for a signed-in asker those they may see.",
    params(OffsetParams, ("local" = Option<bool>, Query, description = "Only this instance's events.")),
    responses(
        (status = 200, description = "The events.", body = Vec<EventEntity>),
        (status = 400, description = "offset or limit is not a number.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<EventEntity>>> {
    let offset = crate::params::number("offset", query.offset.as_deref(), 0)?.min(10_000);
    let limit = crate::params::number("limit", query.limit.as_deref(), 20)?.clamp(1, 40);
    let me = match &auth {
        Some(auth) => {
            auth.require(&["read", "read:statuses"])?;
            Some(auth.account()?)
        }
        None => None,
    };
    let viewer = me.map_or(Viewer::Anonymous, |me| Viewer::Account(me.id));
    let local = crate::params::flag("local", query.local.as_deref())?;
    let found = event::upcoming(state.db(), viewer, None, local, Utc::now(), offset, limit).await?;
    let mut out = Vec::with_capacity(found.len());
    for (post, one) in &found {
        out.push(entity(&state, post, one, me).await?);
    }
    Ok(Json(out))
}

/// `GET /api/staffroom/v1/events/{id}`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/events/{id}",
    operation_id = "showEvent",
    summary = "Show an event.",
    params(("id" = String, Path, description = "The event's id (its status's).")),
    responses(
        (status = 200, description = "The event.", body = EventEntity),
        (status = 404, description = "No such event, or not one the asker may see.", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<EventEntity>> {
    let me = match &auth {
        Some(auth) => {
            auth.require(&["read", "read:statuses"])?;
            Some(auth.account()?)
        }
        None => None,
    };
    let viewer = me.map_or(Viewer::Anonymous, |me| Viewer::Account(me.id));
    let (post, found) = find(&state, id, viewer).await?;
    Ok(Json(entity(&state, &post, &found, me).await?))
}

/// `PUT /api/staffroom/v1/events/{id}`
#[utoipa::path(
    put,
    path = "/api/staffroom/v1/events/{id}",
    operation_id = "editEvent",
    summary = "Edit one's event (title, description, times, place, capacity, join mode); its visibility and who answered stay. Other servers hear an Update.",
    params(("id" = String, Path, description = "The event's id (its status's).")),
    request_body = NewEventForm,
    responses(
        (status = 200, description = "The event as it now is.", body = EventEntity),
        (status = 404, description = "No such event of the asker's.", body = ErrorBody),
        (status = 422, description = "The change is refused: the reason says why.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<NewEventForm>,
) -> ApiResult<Json<EventEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let (new, _) = form.read()?;
    let post = publish::edit_event(&state.federation(), me, id, &new).await?;
    let (post, found) = find(&state, post.id, Viewer::Account(me.id)).await?;
    Ok(Json(entity(&state, &post, &found, Some(me)).await?))
}

/// An answer to an event.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RsvpForm {
    /// `going`, `interested` or `not_going`.
    pub status: String,
}

/// `POST /api/staffroom/v1/events/{id}/rsvp`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/events/{id}/rsvp",
    operation_id = "rsvpEvent",
    summary = "Answer an event: going (which may wait for approval or a place), interested, or not going. For another server's event, going sends a Join and not going a Leave.",
    params(("id" = String, Path, description = "The event's id (its status's).")),
    request_body = RsvpForm,
    responses(
        (status = 200, description = "The event, with the asker's answer.", body = EventEntity),
        (status = 403, description = "The organiser declined the asker.", body = ErrorBody),
        (status = 404, description = "No such event, or not one the asker may see.", body = ErrorBody),
        (status = 422, description = "The answer is refused (unknown, the event ended, places are booked elsewhere).", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn rsvp(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<RsvpForm>,
) -> ApiResult<Json<EventEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let answer = Answer::from_name(form.status.trim()).ok_or_else(|| {
        ApiError::unprocessable("Validation failed: status must be going, interested or not_going")
    })?;
    let change = participation::respond(&state.federation(), me, id, answer).await?;
    Ok(Json(
        entity(&state, &change.post, &change.event, Some(me)).await?,
    ))
}

/// One participant, for the organiser.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantEntity {
    pub account: EventOrganiser,
    pub status: String,
    #[schema(format = DateTime)]
    pub since: String,
}

/// The filter of `GET /events/{id}/participants`.
#[derive(Debug, Deserialize)]
pub struct ParticipantsQuery {
    status: Option<String>,
}

/// `GET /api/staffroom/v1/events/{id}/participants?status=going` (the organiser)
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/events/{id}/participants",
    operation_id = "eventParticipants",
    summary = "The people who answered one of the asker's events, with one status (going when left out), the earliest first.",
    params(
        ("id" = String, Path, description = "The event's id (its status's)."),
        ("status" = Option<String>, Query, description = "going, interested, not_going, waiting, pending or rejected."),
    ),
    responses(
        (status = 200, description = "The participants.", body = Vec<ParticipantEntity>),
        (status = 403, description = "The asker does not organise it.", body = ErrorBody),
        (status = 404, description = "No such event.", body = ErrorBody),
    ),
    security(("bearer" = ["read"])),
)]
pub async fn participants(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Query(query): Query<ParticipantsQuery>,
) -> ApiResult<Json<Vec<ParticipantEntity>>> {
    auth.require(&["read", "read:statuses"])?;
    let me = auth.account()?;
    let (post, _) = find(&state, id, Viewer::Account(me.id)).await?;
    if post.account_id != me.id {
        return Err(ApiError::forbidden(
            "only the event's organiser sees who answered it",
        ));
    }
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => Status::Going,
        Some(name) => Status::from_name(name).ok_or_else(|| {
            ApiError::unprocessable("Validation failed: status must be going, interested, not_going, waiting, pending or rejected")
        })?,
    };
    let found = event::participants(state.db(), id, status, event::MAX_PAGE * 10).await?;
    let mut out = Vec::with_capacity(found.len());
    for one in found {
        let who = account::get(state.db(), one.account_id).await?;
        out.push(ParticipantEntity {
            account: EventOrganiser {
                id: who.id.to_string(),
                acct: who.acct(),
                display_name: who.display_name.clone(),
                url: profile_url(state.urls(), &who),
            },
            status: one.status.name().to_owned(),
            since: timestamp(one.updated_at),
        });
    }
    Ok(Json(out))
}

async fn decide(
    state: &AppState,
    auth: &Auth,
    id: i64,
    account_id: i64,
    approve: bool,
) -> ApiResult<Json<EventEntity>> {
    auth.require(&["write", "write:statuses"])?;
    let me = auth.account()?;
    let change = participation::decide(&state.federation(), me, id, account_id, approve).await?;
    Ok(Json(
        entity(state, &change.post, &change.event, Some(me)).await?,
    ))
}

/// `POST /api/staffroom/v1/events/{id}/participants/{account_id}/approve`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/events/{id}/participants/{account_id}/approve",
    operation_id = "approveEventParticipant",
    summary = "The organiser approves a request to go (or lets someone in from the waiting list); a participant elsewhere is sent an Accept.",
    params(("id" = String, Path, description = "The event's id."), ("account_id" = String, Path, description = "The participant's account id.")),
    responses(
        (status = 200, description = "The event as it now is.", body = EventEntity),
        (status = 403, description = "The asker does not organise it.", body = ErrorBody),
        (status = 404, description = "No such event or participant.", body = ErrorBody),
        (status = 422, description = "The participant is not waiting for a decision.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn approve(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<EventEntity>> {
    decide(&state, &auth, id, account_id, true).await
}

/// `POST /api/staffroom/v1/events/{id}/participants/{account_id}/reject`
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/events/{id}/participants/{account_id}/reject",
    operation_id = "rejectEventParticipant",
    summary = "The organiser declines a request to go; a participant elsewhere is sent a Reject.",
    params(("id" = String, Path, description = "The event's id."), ("account_id" = String, Path, description = "The participant's account id.")),
    responses(
        (status = 200, description = "The event as it now is.", body = EventEntity),
        (status = 403, description = "The asker does not organise it.", body = ErrorBody),
        (status = 404, description = "No such event or participant.", body = ErrorBody),
        (status = 422, description = "The participant is not waiting for a decision.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth,
    PathId((id, account_id)): PathId<(i64, i64)>,
) -> ApiResult<Json<EventEntity>> {
    decide(&state, &auth, id, account_id, false).await
}
