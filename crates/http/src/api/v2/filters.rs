//! `/api/v2/filters`, `/api/v2/filter_keywords` and `/api/v2/filter_statuses`: the
//! signed-in person's filters, their keywords and their posts. Bodies come as JSON
//! or as forms with Rails-style nested keys (`keywords_attributes[][keyword]`).
//! Another person's filter, keyword or post entry is not found.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde_json::{Value, json};
use staffroom_domain::filters::filter::{
    self, Action, Context, FilterChange, KeywordChange, NewFilter,
};
use staffroom_domain::visibility::post::{Viewer, find_visible};

use crate::AppState;
use crate::auth::Auth;
use crate::entities::filter::{FilterEntity, FilterKeywordEntity, FilterStatusEntity};
use crate::error::{ApiError, ApiResult};
use crate::form::Params;
use crate::params::{loose_flag, loose_number};
use crate::path_id::PathId;

/// The field `name` of `body`, if given and not null.
pub(crate) fn field<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.get(name)
        .or_else(|| body.get(format!("{name}[]")))
        .filter(|v| !v.is_null())
}

/// The text field `name` (a string, or a number given as one).
pub(crate) fn text(body: &Value, name: &str) -> Result<Option<String>, ApiError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(ApiError::unprocessable(format!(
            "Validation failed: {name} must be text"
        ))),
    }
}

/// The contexts named by the list field `name`; 422 for an unknown one.
pub(crate) fn contexts(body: &Value, name: &str) -> Result<Option<Vec<Context>>, ApiError> {
    let names: Vec<String> = match field(body, name) {
        None => return Ok(None),
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiError::unprocessable("Validation failed: context must be names"))?,
        Some(_) => {
            return Err(ApiError::unprocessable(
                "Validation failed: context must be names",
            ));
        }
    };
    names
        .iter()
        .take(Context::ALL.len() * 2)
        .map(|n| {
            Context::from_name(n.trim()).ok_or_else(|| {
                ApiError::unprocessable(format!("Validation failed: context '{n}' is unknown"))
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The `expires_in` field as an expiry: `None` when not given, `Some(None)` when
/// given empty (never expires).
pub(crate) fn expires(body: &Value) -> Result<Option<Option<chrono::DateTime<Utc>>>, ApiError> {
    match body.get("expires_in") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(given) => {
            let seconds = loose_number("expires_in", given)?;
            Ok(Some(filter::expiry(Some(seconds), Utc::now())?))
        }
    }
}

fn action(body: &Value) -> Result<Option<Action>, ApiError> {
    match text(body, "filter_action")? {
        None => Ok(None),
        Some(name) => Action::from_name(name.trim()).map(Some).ok_or_else(|| {
            ApiError::unprocessable(format!(
                "Validation failed: filter_action '{name}' is not warn, hide or blur"
            ))
        }),
    }
}

/// The records of the field `name`: a list of objects, or objects keyed by index.
fn records(body: &Value, name: &str) -> Vec<Value> {
    match field(body, name) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Object(by_index)) => by_index.values().cloned().collect(),
        _ => Vec::new(),
    }
}

fn whole_word(body: &Value) -> Result<Option<bool>, ApiError> {
    field(body, "whole_word")
        .map(|v| loose_flag("whole_word", v))
        .transpose()
}

fn keyword_changes(body: &Value) -> Result<Vec<KeywordChange>, ApiError> {
    records(body, "keywords_attributes")
        .iter()
        .take(filter::MAX_KEYWORDS as usize * 2)
        .map(|record| {
            Ok(KeywordChange {
                id: text(record, "id")?
                    .filter(|id| !id.is_empty())
                    .map(|id| id.trim().parse::<i64>())
                    .transpose()
                    .map_err(|_| ApiError::unprocessable("Validation failed: id must be an id"))?,
                keyword: text(record, "keyword")?,
                whole_word: whole_word(record)?,
                destroy: field(record, "_destroy")
                    .map(|v| loose_flag("_destroy", v))
                    .transpose()?
                    .unwrap_or(false),
            })
        })
        .collect()
}

/// `GET /api/v2/filters`
pub async fn index(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<FilterEntity>>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    let all = filter::list(state.db(), me.id).await?;
    Ok(Json(all.iter().map(FilterEntity::from).collect()))
}

/// `GET /api/v2/filters/{id}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<FilterEntity>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    Ok(Json((&filter::get(state.db(), me.id, id).await?).into()))
}

/// `POST /api/v2/filters`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Params(body): Params,
) -> ApiResult<Json<FilterEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let keywords = keyword_changes(&body)?
        .into_iter()
        .filter(|k| !k.destroy)
        .map(|k| (k.keyword.unwrap_or_default(), k.whole_word.unwrap_or(true)))
        .collect();
    let new = NewFilter {
        title: text(&body, "title")?.unwrap_or_default(),
        contexts: contexts(&body, "context")?.unwrap_or_default(),
        action: action(&body)?.unwrap_or(Action::Warn),
        expires_at: expires(&body)?.flatten(),
        keywords,
    };
    let made = filter::create(state.db(), me.id, new).await?;
    Ok(Json((&made).into()))
}

/// `PUT /api/v2/filters/{id}`
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Params(body): Params,
) -> ApiResult<Json<FilterEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let change = FilterChange {
        title: text(&body, "title")?,
        contexts: contexts(&body, "context")?,
        action: action(&body)?,
        expires_at: expires(&body)?,
        keywords: keyword_changes(&body)?,
    };
    let changed = filter::update(state.db(), me.id, id, change).await?;
    Ok(Json((&changed).into()))
}

/// `DELETE /api/v2/filters/{id}`
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    filter::delete(state.db(), me.id, id).await?;
    Ok(Json(json!({})))
}

/// `GET /api/v2/filters/{id}/keywords`
pub async fn keywords(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<FilterKeywordEntity>>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    let found = filter::get(state.db(), me.id, id).await?;
    Ok(Json(found.keywords.iter().map(Into::into).collect()))
}

/// `POST /api/v2/filters/{id}/keywords`
pub async fn add_keyword(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Params(body): Params,
) -> ApiResult<Json<FilterKeywordEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let keyword = text(&body, "keyword")?.unwrap_or_default();
    let added = filter::add_keyword(
        state.db(),
        me.id,
        id,
        &keyword,
        whole_word(&body)?.unwrap_or(true),
    )
    .await?;
    Ok(Json((&added).into()))
}

/// `GET /api/v2/filter_keywords/{id}`
pub async fn show_keyword(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<FilterKeywordEntity>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    Ok(Json(
        (&filter::get_keyword(state.db(), me.id, id).await?).into(),
    ))
}

/// `PUT /api/v2/filter_keywords/{id}`
pub async fn update_keyword(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Params(body): Params,
) -> ApiResult<Json<FilterKeywordEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let keyword = text(&body, "keyword")?;
    let changed = filter::update_keyword(
        state.db(),
        me.id,
        id,
        keyword.as_deref(),
        whole_word(&body)?,
    )
    .await?;
    Ok(Json((&changed).into()))
}

/// `DELETE /api/v2/filter_keywords/{id}`
pub async fn delete_keyword(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    filter::delete_keyword(state.db(), me.id, id).await?;
    Ok(Json(json!({})))
}

/// `GET /api/v2/filters/{id}/statuses`
pub async fn statuses(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<FilterStatusEntity>>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    let found = filter::get(state.db(), me.id, id).await?;
    Ok(Json(found.statuses.iter().map(Into::into).collect()))
}

/// `POST /api/v2/filters/{id}/statuses`: a post the person may see.
pub async fn add_status(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Params(body): Params,
) -> ApiResult<Json<FilterStatusEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let status_id = text(&body, "status_id")?
        .and_then(|s| s.trim().parse::<i64>().ok())
        .ok_or_else(|| ApiError::unprocessable("Validation failed: status_id must be an id"))?;
    let post = find_visible(state.db(), status_id, Viewer::Account(me.id)).await?;
    let added = filter::add_status(state.db(), me.id, id, post.id).await?;
    Ok(Json((&added).into()))
}

/// `GET /api/v2/filter_statuses/{id}`
pub async fn show_status(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<FilterStatusEntity>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    Ok(Json(
        (&filter::get_status(state.db(), me.id, id).await?).into(),
    ))
}

/// `DELETE /api/v2/filter_statuses/{id}`
pub async fn delete_status(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    filter::delete_status(state.db(), me.id, id).await?;
    Ok(Json(json!({})))
}
