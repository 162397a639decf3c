//! `/api/v1/filters`: the first filters API, answered from the same filters as
//! `/api/v2/filters`. Each keyword shows as one v1 filter (its id the keyword's);
//! one made here is a filter of one keyword titled by its phrase, `irreversible`
//! meaning `hide`.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use staffroom_domain::filters::filter::{self, Action, FilterChange, NewFilter};

use crate::AppState;
use crate::api::v2::filters::{contexts, expires, field, text};
use crate::auth::Auth;
use crate::entities::filter::V1FilterEntity;
use crate::error::{ApiError, ApiResult};
use crate::form::Params;
use crate::params::loose_flag;
use crate::path_id::PathId;

fn flag(body: &Value, name: &str) -> Result<Option<bool>, ApiError> {
    field(body, name).map(|v| loose_flag(name, v)).transpose()
}

/// The v1 filter of keyword `id` of `account_id`.
async fn v1_filter(state: &AppState, account_id: i64, id: i64) -> ApiResult<V1FilterEntity> {
    let keyword = filter::get_keyword(state.db(), account_id, id).await?;
    let owner = filter::get(state.db(), account_id, keyword.filter_id).await?;
    Ok(V1FilterEntity::new(&owner, &keyword))
}

/// `GET /api/v1/filters`
pub async fn index(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<V1FilterEntity>>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    let all = filter::list(state.db(), me.id).await?;
    Ok(Json(
        all.iter()
            .flat_map(|f| f.keywords.iter().map(move |k| V1FilterEntity::new(f, k)))
            .collect(),
    ))
}

/// `GET /api/v1/filters/{id}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<V1FilterEntity>> {
    auth.require(&["read:filters"])?;
    let me = auth.account()?;
    Ok(Json(v1_filter(&state, me.id, id).await?))
}

/// `POST /api/v1/filters`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Params(body): Params,
) -> ApiResult<Json<V1FilterEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let phrase = text(&body, "phrase")?.unwrap_or_default();
    let made = filter::create(
        state.db(),
        me.id,
        NewFilter {
            title: phrase.clone(),
            contexts: contexts(&body, "context")?.unwrap_or_default(),
            action: if flag(&body, "irreversible")?.unwrap_or(false) {
                Action::Hide
            } else {
                Action::Warn
            },
            expires_at: expires(&body)?.flatten(),
            keywords: vec![(phrase, flag(&body, "whole_word")?.unwrap_or(true))],
        },
    )
    .await?;
    let keyword = made.keywords.first().ok_or(ApiError::internal())?;
    Ok(Json(V1FilterEntity::new(&made, keyword)))
}

/// `PUT /api/v1/filters/{id}`
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    Params(body): Params,
) -> ApiResult<Json<V1FilterEntity>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let keyword = filter::get_keyword(state.db(), me.id, id).await?;
    let phrase = text(&body, "phrase")?;
    filter::update_keyword(
        state.db(),
        me.id,
        id,
        phrase.as_deref(),
        flag(&body, "whole_word")?,
    )
    .await?;
    filter::update(
        state.db(),
        me.id,
        keyword.filter_id,
        FilterChange {
            title: None,
            contexts: contexts(&body, "context")?,
            action: flag(&body, "irreversible")?
                .map(|hide| if hide { Action::Hide } else { Action::Warn }),
            expires_at: expires(&body)?,
            keywords: Vec::new(),
        },
    )
    .await?;
    Ok(Json(v1_filter(&state, me.id, id).await?))
}

/// `DELETE /api/v1/filters/{id}`: the keyword goes, and its filter with it when
/// nothing else is left in it.
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    auth.require(&["write:filters"])?;
    let me = auth.account()?;
    let keyword = filter::get_keyword(state.db(), me.id, id).await?;
    filter::delete_keyword(state.db(), me.id, id).await?;
    let owner = filter::get(state.db(), me.id, keyword.filter_id).await?;
    if owner.keywords.is_empty() && owner.statuses.is_empty() {
        filter::delete(state.db(), me.id, owner.id).await?;
    }
    Ok(Json(json!({})))
}
