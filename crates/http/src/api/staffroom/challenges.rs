//! `/api/staffroom/v1/challenges`: the instance's challenges (current, past, one),
//! with how each instance took part, and featuring, editing and removing one
//! (administrators).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::communities::challenge::{self, Challenge, ChallengeChange, NewChallenge};
use staffroom_domain::directory::Editor;
use staffroom_federation::hashtag_feeds;

use crate::AppState;
use crate::auth::Auth;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::params::OffsetPage;

/// How one instance took part in a challenge.
#[derive(Debug, Serialize)]
pub struct InstanceParticipation {
    pub domain: String,
    /// Whether it is this instance.
    pub local: bool,
    pub posts: u64,
    pub participants: u64,
}

/// A challenge as this API shows it.
#[derive(Debug, Serialize)]
pub struct ChallengeEntity {
    pub id: String,
    pub title: String,
    /// As written, in Markdown.
    pub description: String,
    pub description_html: String,
    /// Without `#`.
    pub hashtag: String,
    pub tag_url: String,
    pub starts_at: String,
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
pub async fn current(State(state): State<AppState>) -> ApiResult<Json<Vec<ChallengeEntity>>> {
    let found = challenge::current(state.db(), Utc::now()).await?;
    Ok(Json(entities(&state, &found).await?))
}

/// `GET /api/staffroom/v1/challenges/past?offset=&limit=`: challenges that ended,
/// the latest first.
pub async fn past(
    State(state): State<AppState>,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<ChallengeEntity>>> {
    let (offset, limit) = page.read(20, challenge::MAX_PAGE, 10_000)?;
    let found = challenge::past(state.db(), Utc::now(), offset, limit).await?;
    Ok(Json(entities(&state, &found).await?))
}

/// `GET /api/staffroom/v1/challenges/{id}`
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ChallengeEntity>> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let found = challenge::get(state.db(), id).await?;
    Ok(Json(entity(&state, &found).await?))
}

#[derive(Debug, Deserialize)]
pub struct NewChallengeBody {
    title: Option<String>,
    description: Option<String>,
    hashtag: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    run_by: Option<String>,
    trust_id: Option<String>,
    feed_host: Option<String>,
}

/// A created challenge, and what became of the subscription to its feed.
#[derive(Debug, Serialize)]
pub struct Created {
    #[serde(flatten)]
    pub challenge: ChallengeEntity,
    /// `subscribed`, `requested` (waiting for the feed's answer), `failed: why`, or
    /// null when the challenge names no other instance.
    pub feed_subscription: Option<String>,
}

fn required(value: Option<String>, field: &str) -> ApiResult<String> {
    value.filter(|v| !v.trim().is_empty()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Validation failed: {field} can't be blank"),
        )
    })
}

/// `POST /api/staffroom/v1/challenges` (instance admins; a trust's admins for a
/// challenge it runs, `trust_id`): features a challenge; one whose `feed_host` is
/// another instance subscribes this instance to that instance's feed of the
/// hashtag.
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(body): FormOrJson<NewChallengeBody>,
) -> ApiResult<Json<Created>> {
    let editor = organiser(&auth)?;
    let starts_at =
        challenge::parse_when(&required(body.starts_at, "starts_at")?, "starts_at", false)?;
    let ends_at = challenge::parse_when(&required(body.ends_at, "ends_at")?, "ends_at", true)?;
    let trust_id = match body.trust_id.filter(|t| !t.trim().is_empty()) {
        Some(id) => Some(id.trim().parse::<i64>().map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Validation failed: trust_id is not a trust",
            )
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

#[derive(Debug, Deserialize)]
pub struct ChallengeChangeBody {
    title: Option<String>,
    description: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
    run_by: Option<String>,
}

/// `PATCH /api/staffroom/v1/challenges/{id}` (instance admins, and its trust's):
/// changes the fields given; the hashtag and `feed_host` stay.
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    FormOrJson(body): FormOrJson<ChallengeChangeBody>,
) -> ApiResult<Json<ChallengeEntity>> {
    let editor = organiser(&auth)?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
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
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let editor = organiser(&auth)?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
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
