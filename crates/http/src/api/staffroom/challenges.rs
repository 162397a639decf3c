//! `/api/staffroom/v1/challenges`: the instance's challenges (current, past, one),
//! with how each instance took part, and featuring, editing and removing one
//! (administrators).

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::communities::challenge::{self, Challenge, ChallengeChange, NewChallenge};
use staffroom_domain::directory::Editor;
use staffroom_federation::hashtag_feeds;

use utoipa::ToSchema;

use super::openapi::{Done, ErrorBody, OffsetParams};
use crate::AppState;
use crate::auth::Auth;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::params::OffsetPage;
use crate::path_id::PathId;

/// How one instance took part in a challenge.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstanceParticipation {
    pub domain: String,
    /// Whether it is this instance.
    pub local: bool,
    pub posts: u64,
    pub participants: u64,
}

/// A challenge as this API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Challenge)]
pub struct ChallengeEntity {
    pub id: String,
    pub title: String,
    /// As written, in Markdown.
    pub description: String,
    pub description_html: String,
    /// Without `#`.
    pub hashtag: String,
    #[schema(format = "uri")]
    pub tag_url: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[schema(format = DateTime)]
    pub ends_at: String,
    pub run_by: String,
    /// The trust of the directory that runs it.
    pub trust_id: Option<String>,
    pub feed_host: Option<String>,
    pub current: bool,
    /// Public posts with the hashtag written while it ran, that this instance knows.
    pub posts: u64,
    pub participants: u64,
    /// Instance by instance: this one first, then the most active.
    pub participation: Vec<InstanceParticipation>,
}

/// The entity of `found`, with its participation counted.
pub(crate) async fn entity(state: &AppState, found: &Challenge) -> ApiResult<ChallengeEntity> {
    let urls = state.urls();
    let participation: Vec<InstanceParticipation> = challenge::participation(state.db(), found)
        .await?
        .into_iter()
        .map(|p| InstanceParticipation {
            local: p.domain.is_none(),
            domain: p.domain.unwrap_or_else(|| urls.domain().to_owned()),
            posts: p.posts,
            participants: p.participants,
        })
        .collect();
    Ok(ChallengeEntity {
        id: found.id.to_string(),
        title: found.title.clone(),
        description: found.description.clone(),
        description_html: found.description_html(),
        hashtag: found.hashtag.clone(),
        tag_url: urls.tag(&found.hashtag),
        starts_at: timestamp(found.starts_at),
        ends_at: timestamp(found.ends_at),
        run_by: found.run_by.clone(),
        trust_id: found.trust_id.map(|id| id.to_string()),
        feed_host: found.feed_host.clone(),
        current: found.is_current(Utc::now()),
        posts: participation.iter().map(|p| p.posts).sum(),
        participants: participation.iter().map(|p| p.participants).sum(),
        participation,
    })
}

async fn entities(state: &AppState, found: &[Challenge]) -> ApiResult<Vec<ChallengeEntity>> {
    let mut out = Vec::with_capacity(found.len());
    for one in found {
        out.push(entity(state, one).await?);
    }
    Ok(out)
}

/// `GET /api/staffroom/v1/challenges/current`: the challenges running now.
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/challenges/current",
    operation_id = "currentChallenges",
    summary = "The challenges running now, the latest started first.",
    responses(
        (status = 200, description = "The challenges.", body = Vec<ChallengeEntity>),
    ),
)]
pub async fn current(State(state): State<AppState>) -> ApiResult<Json<Vec<ChallengeEntity>>> {
    let found = challenge::current(state.db(), Utc::now()).await?;
    Ok(Json(entities(&state, &found).await?))
}

/// `GET /api/staffroom/v1/challenges/past?offset=&limit=`: challenges that ended,
/// the latest first.
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/challenges/past",
    operation_id = "pastChallenges",
    summary = "Challenges that ended, the latest first.",
    params(OffsetParams),
    responses(
        (status = 200, description = "The challenges.", body = Vec<ChallengeEntity>),
        (status = 400, description = "offset or limit is not a number.", body = ErrorBody),
    ),
)]
pub async fn past(
    State(state): State<AppState>,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<ChallengeEntity>>> {
    let (offset, limit) = page.read(20, challenge::MAX_PAGE, 10_000)?;
    let found = challenge::past(state.db(), Utc::now(), offset, limit).await?;
    Ok(Json(entities(&state, &found).await?))
}

/// `GET /api/staffroom/v1/challenges/{id}`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/challenges/{id}",
    operation_id = "showChallenge",
    summary = "Show a challenge.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The challenge.", body = ChallengeEntity),
        (status = 404, description = "No such challenge.", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<ChallengeEntity>> {
    let found = challenge::get(state.db(), id).await?;
    Ok(Json(entity(&state, &found).await?))
}

/// A new challenge.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = NewChallenge)]
pub struct NewChallengeBody {
    #[schema(value_type = String, required = true, max_length = 200)]
    title: Option<String>,
    /// Markdown.
    #[schema(value_type = String, required = true, max_length = 10000)]
    description: Option<String>,
    #[schema(value_type = String, required = true, max_length = 100)]
    hashtag: Option<String>,
    /// A day (2026-11-01, from midnight UTC) or an RFC 3339 time.
    #[schema(value_type = String, required = true)]
    starts_at: Option<String>,
    /// A day (included) or an RFC 3339 time; after `starts_at`.
    #[schema(value_type = String, required = true)]
    ends_at: Option<String>,
    /// Who runs it; when empty, the name of `trust_id`.
    #[schema(max_length = 200)]
    run_by: Option<String>,
    /// The local trust that runs it: its admins may feature and change it.
    trust_id: Option<String>,
    /// The instance whose feed of the hashtag gathers the discussion.
    feed_host: Option<String>,
}

/// A created challenge, and what became of the subscription to its feed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CreatedChallenge)]
pub struct Created {
    #[serde(flatten)]
    pub challenge: ChallengeEntity,
    /// `subscribed`, `requested` (waiting for the feed's answer), `failed: why`, or
    /// null when the challenge names no other instance.
    pub feed_subscription: Option<String>,
}

fn required(value: Option<String>, field: &str) -> ApiResult<String> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
        ApiError::unprocessable(format!("Validation failed: {field} can't be blank"))
    })
}

/// `POST /api/staffroom/v1/challenges` (instance admins; a trust's admins for a
/// challenge it runs, `trust_id`): features a challenge; one whose `feed_host` is
/// another instance subscribes this instance to that instance's feed of the
/// hashtag.
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/challenges",
    operation_id = "createChallenge",
    summary = "Feature a challenge (instance admins; a trust's admins for one their trust runs). A challenge whose feed_host is another instance subscribes this instance to that instance's feed of the hashtag.",
    request_body(content((NewChallengeBody = "application/json"), (NewChallengeBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The challenge, with what became of the subscription to its feed.", body = Created),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token may not write, or the account is neither an instance admin nor an admin of the challenge's trust.", body = ErrorBody),
        (status = 422, description = "A value is missing or not acceptable.", body = ErrorBody),
        (status = 404, description = "No such trust.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(body): FormOrJson<NewChallengeBody>,
) -> ApiResult<Json<Created>> {
    let editor = organiser(&auth)?;
    let starts_at =
        challenge::parse_when(&required(body.starts_at, "starts_at")?, "starts_at", false)?;
    let ends_at = challenge::parse_when(&required(body.ends_at, "ends_at")?, "ends_at", true)?;
    let trust_id =
        match body.trust_id.filter(|t| !t.trim().is_empty()) {
            Some(id) => Some(id.trim().parse::<i64>().map_err(|_| {
                ApiError::unprocessable("Validation failed: trust_id is not a trust")
            })?),
            None => None,
        };
    let new = NewChallenge {
        title: required(body.title, "title")?,
        description: required(body.description, "description")?,
        hashtag: required(body.hashtag, "hashtag")?,
        starts_at,
        ends_at,
        run_by: body.run_by.unwrap_or_default(),
        trust_id,
        feed_host: body.feed_host,
    };
    let created = challenge::create(state.db(), editor, new, Utc::now()).await?;
    let feed_subscription = match hashtag_feeds::follow_challenge(&state.federation(), &created)
        .await
    {
        None => None,
        Some(Ok(s)) if s.accepted => Some("subscribed".to_owned()),
        Some(Ok(_)) => Some("requested".to_owned()),
        Some(Err(e)) => {
            tracing::warn!(error = %e, host = ?created.feed_host, "the challenge's feed could not be subscribed to");
            Some(format!("failed: {e}"))
        }
    };
    Ok(Json(Created {
        challenge: entity(&state, &created).await?,
        feed_subscription,
    }))
}

/// Changes to a challenge: the fields given replace the stored ones.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ChallengeChange)]
pub struct ChallengeChangeBody {
    #[schema(max_length = 200)]
    title: Option<String>,
    #[schema(max_length = 10000)]
    description: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    #[schema(max_length = 200)]
    run_by: Option<String>,
}

/// `PATCH /api/staffroom/v1/challenges/{id}` (instance admins, and its trust's):
/// changes the fields given; the hashtag and `feed_host` stay.
#[utoipa::path(
    patch,
    path = "/api/staffroom/v1/challenges/{id}",
    operation_id = "updateChallenge",
    summary = "Change a challenge (instance administrators): the fields given replace the stored ones; the hashtag and feed_host stay. Set ends_at to now to end it early.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content((ChallengeChangeBody = "application/json"), (ChallengeChangeBody = "application/x-www-form-urlencoded"))),
    responses(
        (status = 200, description = "The challenge as it now is.", body = ChallengeEntity),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token may not write, or the account is neither an instance admin nor an admin of the challenge's trust.", body = ErrorBody),
        (status = 404, description = "No such challenge.", body = ErrorBody),
        (status = 422, description = "A value is not acceptable.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(body): FormOrJson<ChallengeChangeBody>,
) -> ApiResult<Json<ChallengeEntity>> {
    let editor = organiser(&auth)?;
    let when = |value: Option<String>, field: &'static str, is_end: bool| {
        value
            .map(|v| challenge::parse_when(&v, field, is_end))
            .transpose()
    };
    let change = ChallengeChange {
        starts_at: when(body.starts_at, "starts_at", false)?,
        ends_at: when(body.ends_at, "ends_at", true)?,
        title: body.title,
        description: body.description,
        run_by: body.run_by,
    };
    let updated = challenge::update(state.db(), editor, id, change, Utc::now()).await?;
    Ok(Json(entity(&state, &updated).await?))
}

/// `DELETE /api/staffroom/v1/challenges/{id}` (instance admins, and its trust's):
/// the challenge goes (the posts under its hashtag stay).
#[utoipa::path(
    delete,
    path = "/api/staffroom/v1/challenges/{id}",
    operation_id = "deleteChallenge",
    summary = "Remove a challenge (instance administrators); the posts under its hashtag stay.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "Done (an empty object).", body = Done),
        (status = 401, description = "No valid token.", body = ErrorBody),
        (status = 403, description = "The token may not write, or the account is neither an instance admin nor an admin of the challenge's trust.", body = ErrorBody),
        (status = 404, description = "No such challenge.", body = ErrorBody),
    ),
    security(("bearer" = ["write"])),
)]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    let editor = organiser(&auth)?;
    challenge::delete(state.db(), editor, id).await?;
    Ok(Json(serde_json::json!({})))
}

/// The signed-in person asking, with a token that may write; the domain decides
/// whether they may organise the challenge (an instance admin, or an admin of its
/// trust).
fn organiser(auth: &Auth) -> ApiResult<Editor> {
    auth.require(&["write", "admin:write"])?;
    Ok(Editor::Account(auth.account()?.id))
}

/// The body of a challenge as the announcement text apps show.
pub(crate) fn announcement_html(state: &AppState, found: &Challenge) -> String {
    let tag_url = staffroom_domain::html::escape(&state.urls().tag(&found.hashtag));
    format!(
        "<p><strong>{}</strong> · {}</p>{}<p><a href=\"{tag_url}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a></p>",
        staffroom_domain::html::escape(&found.title),
        staffroom_domain::html::escape(&found.run_by),
        found.description_html(),
        staffroom_domain::html::escape(&found.hashtag),
    )
}
