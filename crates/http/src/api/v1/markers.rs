//! `/api/v1/markers`: where a person stopped reading home and notifications.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use chrono::Utc;
use serde_json::{Map, Value, json};
use staffroom_domain::timelines::marker::{self, Marker, TIMELINES};

use crate::AppState;
use crate::auth::Auth;
use crate::entities::timestamp;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::params;

fn entities(markers: Vec<Marker>) -> Value {
    let mut map = Map::new();
    for found in markers {
        map.insert(
            found.timeline.clone(),
            json!({
                "last_read_id": found.last_read_id.to_string(),
                "version": found.version,
                "updated_at": timestamp(found.updated_at),
            }),
        );
    }
    Value::Object(map)
}

/// `GET /api/v1/markers?timeline[]=home&timeline[]=notifications`
pub async fn show(State(state): State<AppState>, auth: Auth, uri: Uri) -> ApiResult<Json<Value>> {
    auth.require(&["read:statuses"])?;
    let me = auth.account()?;
    let timelines = params::list(uri.query(), "timeline", TIMELINES.len());
    let found = marker::get(state.db(), me.id, &timelines).await?;
    Ok(Json(entities(found)))
}

/// The `last_read_id` given for `timeline`: JSON `{"home": {"last_read_id": ...}}` or
/// form `home[last_read_id]=...`.
fn last_read_id(body: &Value, timeline: &str) -> ApiResult<Option<i64>> {
    let given = body
        .get(timeline)
        .and_then(|t| t.get("last_read_id"))
        .or_else(|| body.get(format!("{timeline}[last_read_id]").as_str()));
    match given {
        None => Ok(None),
        Some(value) => params::loose_number("last_read_id", value)
            .map(Some)
            .map_err(|_| ApiError::bad_request("last_read_id must be an id")),
    }
}

/// `POST /api/v1/markers`
pub async fn save(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(body): FormOrJson<Value>,
) -> ApiResult<Json<Value>> {
    auth.require(&["write:statuses"])?;
    let me = auth.account()?;
    let mut saved = Vec::new();
    for timeline in TIMELINES {
        if let Some(id) = last_read_id(&body, timeline)? {
            saved.push(marker::set(state.db(), me.id, timeline, id, Utc::now()).await?);
        }
    }
    Ok(Json(entities(saved)))
}
