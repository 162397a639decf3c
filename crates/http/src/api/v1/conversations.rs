//! `/api/v1/conversations`: the signed-in person's threads of direct posts, each
//! with the others in it, its newest post and whether it is unread; read and put
//! away one by one. Only the people in a conversation ever see it.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::conversations::conversation::{self, Conversation};
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_domain::{Database, Error as DomainError};
use staffroom_federation::LocalUrls;

use crate::AppState;
use crate::auth::Auth;
use crate::entities::account::Account;
use crate::entities::status::{Status, account_entities, render_all};
use crate::error::ApiResult;
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// Mastodon's `Conversation` entity.
#[derive(Debug, Serialize)]
pub struct ConversationEntity {
    pub id: String,
    pub unread: bool,
    pub accounts: Vec<Account>,
    pub last_status: Option<Status>,
}

/// The entities of `found` as `me` sees them, in order, loading their accounts and
/// posts together. A conversation whose newest post `me` may no longer see (its
/// author blocked them since) is left out.
pub async fn entities(
    db: &Database,
    urls: &LocalUrls,
    me: &DomainAccount,
    found: &[Conversation],
) -> ApiResult<Vec<ConversationEntity>> {
    let mut people: Vec<i64> = found
        .iter()
        .flat_map(|c| c.participant_ids.iter().copied())
        .collect();
    people.sort_unstable();
    people.dedup();
    let accounts: HashMap<String, Account> = account_entities(db, urls, &people)
        .await?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let mut posts = Vec::with_capacity(found.len());
    for one in found {
        match find_visible(db, one.last_post_id, Viewer::Account(me.id)).await {
            Ok(post) => posts.push(post),
            Err(DomainError::NotFound(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let statuses: HashMap<String, Status> = render_all(db, urls, &posts, Some(me))
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    Ok(found
        .iter()
        .filter_map(|one| {
            let last_status = statuses.get(&one.last_post_id.to_string())?.clone();
            Some(ConversationEntity {
                id: one.id.to_string(),
                unread: one.unread,
                accounts: one
                    .participant_ids
                    .iter()
                    .filter_map(|id| accounts.get(&id.to_string()).cloned())
                    .collect(),
                last_status: Some(last_status),
            })
        })
        .collect())
}

/// `GET /api/v1/conversations`
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:statuses"])?;
    let me = auth.account()?;
    let found = conversation::list(state.db(), me.id, pagination.page).await?;
    let shown = entities(state.db(), state.urls(), me, &found).await?;
    Ok(pagination.respond(
        &state.urls().origin(),
        &shown,
        found.first().map(|c| c.last_post_id),
        found.last().map(|c| c.last_post_id),
    ))
}

/// `POST /api/v1/conversations/{id}/read`
pub async fn read(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<ConversationEntity>> {
    auth.require(&["write:conversations"])?;
    let me = auth.account()?;
    let found = conversation::mark_read(state.db(), me.id, id).await?;
    let mut shown = entities(state.db(), state.urls(), me, std::slice::from_ref(&found)).await?;
    Ok(Json(shown.pop().unwrap_or(ConversationEntity {
        id: found.id.to_string(),
        unread: found.unread,
        accounts: Vec::new(),
        last_status: None,
    })))
}

/// `DELETE /api/v1/conversations/{id}`: out of the signed-in person's list only.
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:conversations"])?;
    let me = auth.account()?;
    conversation::remove(state.db(), me.id, id).await?;
    Ok(Json(serde_json::json!({})))
}
