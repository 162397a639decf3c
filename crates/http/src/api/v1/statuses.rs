//! `/api/v1/statuses`

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::accounts::preferences;
use staffroom_domain::posts::edit_history;
use staffroom_domain::posts::poll::NewPoll;
use staffroom_domain::posts::scheduled;
use staffroom_domain::posts::thread;
use staffroom_domain::posts::write;
use staffroom_domain::visibility::post::find_visible;
use staffroom_domain::{
    posts::{
        post::{self, Visibility},
        write::Revision,
    },
    visibility::post::Viewer,
};
use staffroom_federation::publish;

use super::scheduled_statuses;
use crate::AppState;
use crate::auth::{Auth, MaybeAuth};
use crate::entities::scheduled_status::ScheduledStatus;
use crate::entities::status::{Status, account_entity, render, render_with};
use crate::entities::{Account, timestamp};
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::params::{self, loose_flag, loose_number};
use crate::path_id::{PathId, record_id};
use staffroom_domain::filters::filter::Context as FilterContext;
use staffroom_domain::filters::matching::ActiveFilters;

/// The most characters of an `Idempotency-Key`.
const MAX_IDEMPOTENCY_KEY_CHARS: usize = 200;

#[derive(Debug, Deserialize)]
pub struct NewStatus {
    status: Option<String>,
    visibility: Option<String>,
    spoiler_text: Option<String>,
    /// `true`/`false` (or `1`/`0`); the author's default when left out.
    sensitive: Option<serde_json::Value>,
    in_reply_to_id: Option<String>,
    language: Option<String>,
    /// `media_ids[]=1&media_ids[]=2` in a form, `"media_ids": ["1", "2"]` in JSON.
    #[serde(default, alias = "media_ids[]")]
    media_ids: Vec<crate::form::Id>,
    /// A poll in JSON: `{"options": [...], "expires_in": 300, "multiple": false,
    /// "hide_totals": false}`.
    poll: Option<serde_json::Value>,
    /// A poll in a form: `poll[options][]=a&poll[options][]=b&poll[expires_in]=300`.
    #[serde(rename = "poll[options][]")]
    poll_options: Option<Vec<String>>,
    #[serde(rename = "poll[expires_in]")]
    poll_expires_in: Option<String>,
    #[serde(rename = "poll[multiple]")]
    poll_multiple: Option<String>,
    #[serde(rename = "poll[hide_totals]")]
    poll_hide_totals: Option<String>,
    /// When to publish it, at least five minutes ahead: the answer is then a
    /// `ScheduledStatus`, and the post waits for its time.
    scheduled_at: Option<String>,
    /// `true` (or `1`) keeps the post inside this instance, as GoToSocial and
    /// Hometown read it; `visibility=local` says the same of a public post.
    local_only: Option<serde_json::Value>,
}

impl NewStatus {
    /// The poll asked for, from a form's `poll[...]` fields or a JSON `poll`.
    fn poll(&self) -> ApiResult<Option<NewPoll>> {
        let (options, expires_in, multiple, hide_totals) = match (&self.poll_options, &self.poll) {
            (Some(options), _) => (
                options.clone(),
                self.poll_expires_in
                    .as_deref()
                    .map(|v| serde_json::Value::String(v.to_owned())),
                params::flag("poll[multiple]", self.poll_multiple.as_deref())?,
                params::flag("poll[hide_totals]", self.poll_hide_totals.as_deref())?,
            ),
            (None, None | Some(serde_json::Value::Null)) => return Ok(None),
            (None, Some(poll)) => {
                let options = match poll.get("options") {
                    Some(serde_json::Value::Array(items)) => items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<Vec<String>>>()
                        .ok_or_else(|| {
                            ApiError::unprocessable("Validation failed: poll options must be text")
                        })?,
                    _ => {
                        return Err(ApiError::unprocessable(
                            "Validation failed: poll options must be a list",
                        ));
                    }
                };
                let flag = |name: &str| {
                    poll.get(name)
                        .map(|v| loose_flag(name, v))
                        .transpose()
                        .map(Option::unwrap_or_default)
                };
                (
                    options,
                    poll.get("expires_in").cloned(),
                    flag("multiple")?,
                    flag("hide_totals")?,
                )
            }
        };
        let expires_in = match expires_in {
            None | Some(serde_json::Value::Null) => {
                return Err(ApiError::unprocessable(
                    "Validation failed: poll expires_in is missing: say in how many seconds it ends",
                ));
            }
            Some(value) => loose_number("poll[expires_in]", &value).map_err(|_| {
                ApiError::unprocessable(
                    "Validation failed: poll expires_in must be a number of seconds",
                )
            })?,
        };
        Ok(Some(NewPoll {
            options,
            expires_in,
            multiple,
            hide_totals,
        }))
    }
}

/// `POST /api/v1/statuses`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    FormOrJson(form): FormOrJson<NewStatus>,
) -> ApiResult<Response> {
    auth.require(&["write:statuses"])?;
    let author = auth.account()?;
    let db = state.db();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| {
            k.chars()
                .take(MAX_IDEMPOTENCY_KEY_CHARS)
                .collect::<String>()
        });
    if let Some(key) = &key
        && let Some(earlier) =
            write::find_by_idempotency_key(db, author.id, key, Utc::now()).await?
    {
        return Ok(Json(render(db, state.urls(), &earlier, Some(author)).await?).into_response());
    }
    let poll = form.poll()?;
    let scheduled_at = match form
        .scheduled_at
        .as_deref()
        .filter(|at| !at.trim().is_empty())
    {
        Some(at) => Some(scheduled_statuses::parse_time(at)?),
        None => None,
    };
    let chosen = preferences::get(db, author.id).await?;
    let (visibility, local_visibility) = match form.visibility.as_deref() {
        None | Some("") => (chosen.visibility, false),
        Some("local") => (Visibility::Public, true),
        Some(name) => (Visibility::from_name(name)
            .ok_or_else(|| ApiError::unprocessable(format!("Validation failed: Visibility '{name}' is not one of public, unlisted, private, direct, local")))?, false),
    };
    let local_only = local_visibility
        || match &form.local_only {
            None | Some(serde_json::Value::Null) => false,
            Some(serde_json::Value::String(s)) if s.is_empty() => false,
            Some(value) => params::loose_flag("local_only", value)?,
        };
    let in_reply_to_id = match form.in_reply_to_id.as_deref() {
        None | Some("") => None,
        Some(id) => Some(record_id(id)?),
    };
    let draft = publish::Draft {
        text: form.status.unwrap_or_default(),
        visibility,
        spoiler_text: form.spoiler_text.unwrap_or_default(),
        sensitive: match &form.sensitive {
            None | Some(serde_json::Value::Null) => chosen.sensitive,
            Some(serde_json::Value::String(s)) if s.is_empty() => chosen.sensitive,
            Some(value) => params::loose_flag("sensitive", value)?,
        },
        language: form
            .language
            .filter(|l| !l.is_empty() && l.len() <= 16)
            .or(chosen.language),
        in_reply_to_id,
        media_ids: crate::form::Id::parse_all(&form.media_ids, "media_ids")?,
        poll,
        event: None,
        article: None,
        local_only,
    };
    if let Some(at) = scheduled_at {
        let waiting = scheduled::Draft {
            text: draft.text,
            visibility: draft.visibility.name().to_owned(),
            spoiler_text: draft.spoiler_text,
            language: draft.language,
            in_reply_to_id: draft.in_reply_to_id,
            media_ids: draft.media_ids,
            poll: draft.poll,
            application_id: Some(auth.0.app_id),
            local_only: draft.local_only,
        };
        let kept = scheduled::schedule(db, author, at, waiting, Utc::now()).await?;
        return Ok(Json(ScheduledStatus::new(state.urls(), &kept)).into_response());
    }
    let created = publish::create_post(&state.federation(), author, draft).await?;
    if let Some(key) = &key {
        write::remember_idempotency_key(db, author.id, key, created.id, Utc::now()).await?;
    }
    let mut status = render(db, state.urls(), &created, Some(author)).await?;
    status.text = created.source.clone();
    Ok(Json(status).into_response())
}

/// `GET /api/v1/statuses/{id}`
pub async fn show(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    let viewer = match &auth {
        Some(auth) => {
            auth.require(&["read:statuses"])?;
            auth.0.account.clone()
        }
        None => None,
    };
    let seen_as = viewer
        .as_ref()
        .map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
    let post = find_visible(state.db(), id, seen_as).await?;
    Ok(Json(
        render(state.db(), state.urls(), &post, viewer.as_ref()).await?,
    ))
}

/// `DELETE /api/v1/statuses/{id}`: the deleted status, with its `text` for
/// "delete and redraft".
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Status>> {
    auth.require(&["write:statuses"])?;
    let author = auth.account()?;
    // Rendered before it goes; whether the author may delete it is decided by
    // `publish::delete_post` (and the domain beneath it).
    let post = find_visible(state.db(), id, Viewer::Account(author.id)).await?;
    let mut status = render(state.db(), state.urls(), &post, Some(author)).await?;
    let deleted = publish::delete_post(&state.federation(), author, id).await?;
    status.text = deleted.source;
    Ok(Json(status))
}

/// `GET /api/v1/statuses/{id}/context`: the posts above and below in the thread.
pub async fn context(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<Context>> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let seen_as = viewer
        .as_ref()
        .map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
    let db = state.db();
    let post = find_visible(db, id, seen_as).await?;
    let (ancestors, descendants) = thread::context(db, &post, seen_as).await?;
    // The viewer's filters for threads, loaded once for both halves.
    let active = match viewer.as_ref() {
        Some(me) => ActiveFilters::load(db, me.id, FilterContext::Thread, Utc::now()).await?,
        None => ActiveFilters::none(),
    };
    Ok(Json(Context {
        ancestors: render_with(db, state.urls(), &ancestors, viewer.as_ref(), &active).await?,
        descendants: render_with(db, state.urls(), &descendants, viewer.as_ref(), &active).await?,
    }))
}

/// The thread around a status.
#[derive(Debug, Serialize)]
pub struct Context {
    ancestors: Vec<Status>,
    descendants: Vec<Status>,
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    status: Option<String>,
    spoiler_text: Option<String>,
    sensitive: Option<serde_json::Value>,
    language: Option<String>,
}

/// `PUT /api/v1/statuses/{id}`: the author edits the text, content warning or
/// language; followers' servers get an `Update`.
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<EditForm>,
) -> ApiResult<Json<Status>> {
    auth.require(&["write:statuses"])?;
    let author = auth.account()?;
    let revision = Revision {
        text: form.status.unwrap_or_default(),
        spoiler_text: form.spoiler_text,
        sensitive: form
            .sensitive
            .as_ref()
            .map(|v| loose_flag("sensitive", v))
            .transpose()?,
        language: form.language.filter(|l| !l.is_empty() && l.len() <= 16),
    };
    let edited = publish::edit_post(&state.federation(), author, id, revision).await?;
    let mut status = render(state.db(), state.urls(), &edited, Some(author)).await?;
    status.text = edited.source.clone();
    Ok(Json(status))
}

/// One version of a status.
#[derive(Debug, Serialize)]
pub struct StatusEdit {
    content: String,
    spoiler_text: String,
    sensitive: bool,
    created_at: String,
    account: Account,
    poll: Option<serde_json::Value>,
    media_attachments: Vec<serde_json::Value>,
    emojis: Vec<serde_json::Value>,
}

/// `GET /api/v1/statuses/{id}/history`: every version, oldest first.
pub async fn history(
    State(state): State<AppState>,
    auth: MaybeAuth,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<StatusEdit>>> {
    let viewer = auth.viewer(&["read:statuses"])?;
    let seen_as = viewer.map_or(Viewer::Anonymous, |a| Viewer::Account(a.id));
    let db = state.db();
    let post = find_visible(db, id, seen_as).await?;
    let author = staffroom_domain::accounts::account::get(db, post.account_id).await?;
    let account = account_entity(db, state.urls(), &author).await?;
    let versions = edit_history::versions(db, &post).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|version| StatusEdit {
                content: version.content,
                spoiler_text: version.spoiler_text,
                sensitive: version.sensitive,
                created_at: timestamp(version.created_at),
                account: account.clone(),
                poll: None,
                media_attachments: Vec::new(),
                emojis: Vec::new(),
            })
            .collect(),
    ))
}

/// What the author typed, for editing.
#[derive(Debug, Serialize)]
pub struct StatusSource {
    id: String,
    text: String,
    spoiler_text: String,
}

/// `GET /api/v1/statuses/{id}/source`: the author's own text of a status.
pub async fn source(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<StatusSource>> {
    auth.require(&["read:statuses"])?;
    let me = auth.account()?;
    let post = post::own_source(state.db(), me.id, id).await?;
    Ok(Json(StatusSource {
        id: post.id.to_string(),
        text: post.source.unwrap_or_default(),
        spoiler_text: post.spoiler_text,
    }))
}
