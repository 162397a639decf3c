//! `/.well-known/webfinger`, and the answers this process keeps for a while.

use std::time::Duration;

use axum::body::Bytes;
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

/// How long an answer is kept. Other servers keep WebFinger answers for days
/// (Mastodon tells them three); here an account deleted or suspended stops being
/// found within this time, and its actor's `Delete` or `Update` has already told
/// the servers that know it.
const ANSWER_TTL: Duration = Duration::from_secs(60);

/// How many answers are kept at most (each is a few hundred bytes).
const MAX_ANSWERS: u64 = 4_096;

/// The answers found lately, by the `resource` asked about: finding the same
/// account again costs no database query. Only answers about accounts that own
/// their name are kept (people, groups, and feeds asked for as feeds), so names
/// nobody has cannot fill it, and a name a person takes from its hashtag feed
/// is theirs at once.
#[derive(Clone)]
pub struct Answers(moka::future::Cache<String, Bytes>);

impl Default for Answers {
    fn default() -> Self {
        Self(
            moka::future::Cache::builder()
                .max_capacity(MAX_ANSWERS)
                .time_to_live(ANSWER_TTL)
                .build(),
        )
    }
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
    let answers = &state.webfinger_answers().0;
    if let Some(body) = answers.get(&resource).await {
        return Ok(respond(body));
    }
    let (body, owned) = find(&state, &resource).await?;
    if owned {
        answers.insert(resource, body.clone()).await;
    }
    Ok(respond(body))
}

/// The answer about `resource`, from the database, and whether the account it
/// names owns that name (a hashtag feed answering for a name nobody has yet
/// does not).
async fn find(state: &AppState, resource: &str) -> ApiResult<(Bytes, bool)> {
    let (account, owned) = match webfinger::parse_resource(resource, state.urls()) {
        // A person's name is theirs; a deleted account's is gone; a name no one
        // has is the hashtag feed's. A feed not made yet is pointed at without
        // being made (a lookup stores nothing): it is made when its actor is
        // fetched or followed.
        Ok(Resource::Local(username)) => match account::find_local(state.db(), &username).await? {
            Some(account) => (Some(account), true),
            None if account::find_deleted_local(state.db(), &username)
                .await?
                .is_some() =>
            {
                return Err(ApiError::gone());
            }
            None => match hashtag_feed::find_local(state.db(), &username).await? {
                Some(feed) => (Some(feed), false),
                None => {
                    let tag = hashtag_feed::feed_name(&username).ok_or_else(ApiError::not_found)?;
                    let answer = serialised(&webfinger::for_feed(state.urls(), &tag))?;
                    return Ok((answer, false));
                }
            },
        },
        Ok(Resource::Feed(tag)) => (hashtag_feed::local(state.db(), &tag).await?, true),
        Ok(Resource::Elsewhere) => return Err(ApiError::not_found()),
        Err(malformed) => return Err(ApiError::bad_request(malformed.to_string())),
    };
    let account = account.ok_or_else(ApiError::not_found)?;
    let answer = serialised(&webfinger::for_local_account(state.urls(), &account))?;
    Ok((answer, owned))
}

fn serialised(answer: &webfinger::Webfinger) -> ApiResult<Bytes> {
    serde_json::to_vec(answer)
        .map(Bytes::from)
        .map_err(|_| ApiError::internal())
}

/// A WebFinger answer.
fn respond(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, webfinger::CONTENT_TYPE)], body).into_response()
}
