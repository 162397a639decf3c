//! Endpoints apps call on start-up and expect to answer 200 even when there is
//! nothing to list yet: they hide buttons or crash otherwise. Each gives what
//! Staffroom has today: the preferences it applies, and empty lists of what it does
//! not keep yet (custom emojis).

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use staffroom_domain::accounts::preferences;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;

/// `GET /api/v1/preferences`: the posting and reading defaults in force.
pub async fn preferences(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Value>> {
    auth.require(&["read:accounts"])?;
    let me = auth.account()?;
    let chosen = preferences::get(state.db(), me.id).await?;
    Ok(Json(json!({
        "posting:default:visibility": chosen.visibility.name(),
        "posting:default:sensitive": chosen.sensitive,
        "posting:default:language": chosen.language,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}

/// `GET /api/v1/custom_emojis`: this instance has none.
pub async fn custom_emojis() -> Json<Value> {
    Json(json!([]))
}
