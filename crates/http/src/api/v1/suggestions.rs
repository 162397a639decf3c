//! `/api/v1/suggestions` (accounts), `/api/v2/suggestions` (with why each is
//! suggested) and `DELETE /api/v1/suggestions/{account_id}`: people of this
//! instance to follow (see [`staffroom_domain::graph::suggestion`]).

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use serde::Serialize;
use serde_json::{Value, json};
use staffroom_domain::graph::suggestion::{self, Source};

use super::accounts::{account_entities, target};
use crate::AppState;
use crate::auth::Auth;
use crate::entities::Account;
use crate::error::ApiResult;
use crate::params::OffsetPage;
use crate::path_id::PathId;

/// The most suggestions one request lists, and how many when the app does not say.
const MAX_LIMIT: u64 = 80;
const DEFAULT_LIMIT: u64 = 40;

/// Mastodon's `Suggestion` entity.
#[derive(Debug, Serialize)]
pub struct Suggestion {
    /// The older single reason, kept for older apps.
    source: &'static str,
    sources: Vec<&'static str>,
    account: Account,
}

/// The signed-in person's suggestions, with the entity of each account.
async fn suggested(
    state: &AppState,
    auth: &Auth,
    page: &OffsetPage,
) -> ApiResult<Vec<(Source, Account)>> {
    auth.require(&["read"])?;
    let me = auth.account()?;
    let (_, limit) = page.read(DEFAULT_LIMIT, MAX_LIMIT, 0)?;
    let found = suggestion::for_reader(state.db(), me.id, limit, Utc::now()).await?;
    let ids: Vec<i64> = found.iter().map(|s| s.account_id).collect();
    let accounts = account_entities(state, &ids).await?;
    Ok(found
        .into_iter()
        .filter_map(|s| {
            let account = accounts
                .iter()
                .find(|a| a.id == s.account_id.to_string())?
                .clone();
            Some((s.source, account))
        })
        .collect())
}

/// `GET /api/v1/suggestions?limit=`: the accounts alone.
pub async fn v1(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<Account>>> {
    let found = suggested(&state, &auth, &page).await?;
    Ok(Json(
        found.into_iter().map(|(_, account)| account).collect(),
    ))
}

/// `GET /api/v2/suggestions?limit=`: each account with why it is suggested.
pub async fn v2(
    State(state): State<AppState>,
    auth: Auth,
    Query(page): Query<OffsetPage>,
) -> ApiResult<Json<Vec<Suggestion>>> {
    let found = suggested(&state, &auth, &page).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(source, account)| {
                let (source, sources) = match source {
                    Source::FriendsOfFriends => ("past_interactions", "friends_of_friends"),
                    Source::MostInteractions => ("global", "most_interactions"),
                };
                Suggestion {
                    source,
                    sources: vec![sources],
                    account,
                }
            })
            .collect(),
    ))
}

/// `DELETE /api/v1/suggestions/{account_id}`: not suggested again.
pub async fn dismiss(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Value>> {
    auth.require(&["read"])?;
    let me = auth.account()?;
    let dismissed = target(&state, id).await?;
    suggestion::dismiss(state.db(), me.id, dismissed.id, Utc::now()).await?;
    Ok(Json(json!({})))
}
