//! `/.well-known/webfinger`

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::{accounts::account, communities::hashtag_feed};
use staffroom_federation::webfinger::{self, Resource};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// The longest `resource` read; anything longer is not an account of ours.
const MAX_RESOURCE_CHARS: usize = 2_048;

#[derive(Debug, Deserialize)]
pub struct Params {
    resource: Option<String>,
}

/// `GET /.well-known/webfinger?resource=acct:user@domain`
pub async fn show(
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> ApiResult<Response> {
    let Some(resource) = params.resource else {
        return Err(ApiError::bad_request("the resource parameter is missing"));
    };
    if resource.len() > MAX_RESOURCE_CHARS {
        return Err(ApiError::bad_request("the resource parameter is too long"));
    }
    let account = match webfinger::parse_resource(&resource, state.urls()) {
        // A person's name is theirs; a deleted account's is gone; a name no one
        // has is the hashtag feed's. A feed not made yet is pointed at without
        // being made (a lookup stores nothing): it is made when its actor is
        // fetched or followed.
        Ok(Resource::Local(username)) => match account::find_local(state.db(), &username).await? {
            Some(account) => Some(account),
            None if account::find_deleted_local(state.db(), &username)
                .await?
                .is_some() =>
            {
                return Err(ApiError::gone());
            }
            None => match hashtag_feed::find_local(state.db(), &username).await? {
                Some(feed) => Some(feed),
                None => {
                    let tag = hashtag_feed::feed_name(&username).ok_or_else(ApiError::not_found)?;
                    return Ok(respond(webfinger::for_feed(state.urls(), &tag)));
                }
            },
        },
        Ok(Resource::Feed(tag)) => hashtag_feed::local(state.db(), &tag).await?,
        Ok(Resource::Elsewhere) => return Err(ApiError::not_found()),
        Err(malformed) => return Err(ApiError::bad_request(malformed.to_string())),
    };
    let account = account.ok_or_else(ApiError::not_found)?;
    Ok(respond(webfinger::for_local_account(
        state.urls(),
        &account,
    )))
}

/// A WebFinger answer.
fn respond(body: webfinger::Webfinger) -> Response {
    (
        [(header::CONTENT_TYPE, webfinger::CONTENT_TYPE)],
        axum::Json(body),
    )
        .into_response()
}
