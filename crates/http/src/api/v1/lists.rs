//! `/api/v1/lists/...` and `/api/v1/accounts/{id}/lists`: a person's lists of
//! accounts they follow, and who is in them. Someone else's list answers 404.

use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use staffroom_domain::lists::list::{self, ListChanges, RepliesPolicy};
use staffroom_domain::lists::member::{self, MAX_MEMBERS};

use super::accounts::respond_accounts;
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::{FormOrJson, Id};
use crate::pagination::Pagination;
use crate::params::{self, loose_flag};
use crate::path_id::PathId;

/// A list as apps read it.
#[derive(Debug, Serialize)]
pub struct List {
    pub id: String,
    pub title: String,
    pub replies_policy: &'static str,
    pub exclusive: bool,
}

impl From<list::List> for List {
    fn from(found: list::List) -> Self {
        Self {
            id: found.id.to_string(),
            title: found.title,
            replies_policy: found.replies_policy.name(),
            exclusive: found.exclusive,
        }
    }
}

/// The body of `POST` and `PUT /api/v1/lists[/{id}]`.
#[derive(Debug, Deserialize)]
pub struct ListForm {
    title: Option<String>,
    replies_policy: Option<String>,
    exclusive: Option<serde_json::Value>,
}

impl ListForm {
    fn policy(&self) -> ApiResult<Option<RepliesPolicy>> {
        match self.replies_policy.as_deref().filter(|p| !p.is_empty()) {
            None => Ok(None),
            Some(name) => RepliesPolicy::from_name(name).map(Some).ok_or_else(|| {
                ApiError::unprocessable(
                    "Validation failed: Replies policy must be followed, list or none",
                )
            }),
        }
    }

    fn exclusive(&self) -> ApiResult<Option<bool>> {
        self.exclusive
            .as_ref()
            .map(|value| loose_flag("exclusive", value))
            .transpose()
    }
}

/// The body of `POST` and `DELETE /api/v1/lists/{id}/accounts`.
#[derive(Debug, Deserialize)]
pub struct AccountsForm {
    #[serde(default, alias = "account_ids[]")]
    account_ids: Vec<Id>,
}

/// `GET /api/v1/lists`
pub async fn index(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<List>>> {
    auth.require(&["read:lists"])?;
    let me = auth.account()?;
    let lists = list::all(state.db(), me.id).await?;
    Ok(Json(lists.into_iter().map(List::from).collect()))
}

/// `POST /api/v1/lists`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<ListForm>,
) -> ApiResult<Json<List>> {
    auth.require(&["write:lists"])?;
    let me = auth.account()?;
    let created = list::create(
        state.db(),
        me.id,
        form.title.as_deref().unwrap_or_default(),
        form.policy()?.unwrap_or_default(),
        form.exclusive()?.unwrap_or(false),
        Utc::now(),
    )
    .await?;
    Ok(Json(created.into()))
}

/// `GET /api/v1/lists/{id}`
pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<List>> {
    auth.require(&["read:lists"])?;
    let me = auth.account()?;
    Ok(Json(list::find(state.db(), me.id, id).await?.into()))
}

/// `PUT /api/v1/lists/{id}`
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<ListForm>,
) -> ApiResult<Json<List>> {
    auth.require(&["write:lists"])?;
    let me = auth.account()?;
    let changes = ListChanges {
        replies_policy: form.policy()?,
        exclusive: form.exclusive()?,
        title: form.title,
    };
    Ok(Json(
        list::update(state.db(), me.id, id, changes).await?.into(),
    ))
}

/// `DELETE /api/v1/lists/{id}`
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:lists"])?;
    let me = auth.account()?;
    list::delete(state.db(), me.id, id).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/lists/{id}/accounts`
pub async fn accounts(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    pagination: Pagination,
) -> ApiResult<Response> {
    auth.require(&["read:lists"])?;
    let me = auth.account()?;
    let rows = member::page(state.db(), me.id, id, pagination.page).await?;
    respond_accounts(&state, &pagination, &rows).await
}

/// `POST /api/v1/lists/{id}/accounts`: 422 unless the person follows each one.
pub async fn add_accounts(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<AccountsForm>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:lists"])?;
    let me = auth.account()?;
    let ids = Id::parse_all(&form.account_ids, "account_ids")?;
    if ids.is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: account_ids can't be blank",
        ));
    }
    member::add(state.db(), me.id, id, &ids, Utc::now()).await?;
    Ok(Json(serde_json::json!({})))
}

/// `DELETE /api/v1/lists/{id}/accounts`, with `account_ids[]` in the body or the
/// query string.
pub async fn remove_accounts(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    uri: Uri,
    FormOrJson(form): FormOrJson<AccountsForm>,
) -> ApiResult<Json<serde_json::Value>> {
    auth.require(&["write:lists"])?;
    let me = auth.account()?;
    let max = usize::try_from(MAX_MEMBERS).unwrap_or(usize::MAX);
    let mut given = form.account_ids;
    given.extend(
        params::list(uri.query(), "account_ids", max)
            .into_iter()
            .map(Id::Text),
    );
    let ids = Id::parse_all(&given, "account_ids")?;
    member::remove(state.db(), me.id, id, &ids).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/v1/accounts/{id}/lists`: the person's lists that hold the account.
pub async fn of_account(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
) -> ApiResult<Json<Vec<List>>> {
    auth.require(&["read:lists"])?;
    let me = auth.account()?;
    let lists = member::lists_with(state.db(), me.id, id).await?;
    Ok(Json(lists.into_iter().map(List::from).collect()))
}
