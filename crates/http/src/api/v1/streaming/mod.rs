//! `/api/v1/streaming`: Mastodon's streaming API, over WebSocket and over
//! Server-Sent Events. The token comes in an `Authorization: Bearer` header, an
//! `access_token` parameter, or (WebSocket) the `Sec-WebSocket-Protocol` header
//! (echoed in the answer, as browsers require); it is checked before anything is
//! streamed, with the same scopes and the same per-token count of connections for
//! both transports. A WebSocket subscribes with `?stream=...&tag=...` at once and with
//! `subscribe` and `unsubscribe` messages later; a Server-Sent Events connection
//! hears the one stream its path names (`/api/v1/streaming/hashtag/local?tag=...`).
//!
//! Events come from the instance's hub, which hears what every process on the same
//! PostgreSQL database publishes (see `staffroom_federation::events`).

mod connection;
mod sse;
mod stream;
mod websocket;

use axum::extract::State;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::http::{HeaderMap, Uri, header::SEC_WEBSOCKET_PROTOCOL};
use axum::response::{IntoResponse, Response};
pub use connection::Connections;
use connection::Listener;
use staffroom_domain::lists::list;
use stream::Stream;

use crate::AppState;
use crate::auth::{Auth, bearer};
use crate::error::{ApiError, ApiResult};
use crate::params;

/// The largest message an app may send (a subscription request is tiny).
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024;
/// The longest token looked up.
const MAX_TOKEN_CHARS: usize = 512;

/// `GET /api/v1/streaming/health`
pub async fn health() -> &'static str {
    "OK"
}

/// The first protocol the app offers in `Sec-WebSocket-Protocol`: where browser apps
/// put the token, and what the answer must echo.
fn offered_protocol(headers: &HeaderMap) -> Option<String> {
    let protocols = headers.get(SEC_WEBSOCKET_PROTOCOL)?.to_str().ok()?;
    let first = protocols.split(',').next()?.trim();
    (!first.is_empty()).then(|| first.to_owned())
}

/// The token, from wherever the app put it: the `Authorization` header, the
/// `access_token` parameter, or the `Sec-WebSocket-Protocol` header.
fn token(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    bearer(headers)
        .map(str::to_owned)
        .or_else(|| params::list(query, "access_token", 1).into_iter().next())
        .or_else(|| offered_protocol(headers))
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::unauthorized(message)
}

/// Who the token speaks for, checked as both transports require, with a place among
/// its connections, and the stream `name` names (with the `tag` and `list` of the
/// query), if any.
async fn listen(
    state: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
    name: Option<&str>,
) -> ApiResult<(Listener, Vec<Stream>)> {
    let token = token(headers, query).ok_or_else(|| unauthorized("Missing access token"))?;
    if token.chars().count() > MAX_TOKEN_CHARS {
        return Err(unauthorized("The access token is invalid"));
    }
    let Auth(grant) = Auth::check(state, &token).await?;
    if !grant.scopes.allows("read:statuses") && !grant.scopes.allows("read:notifications") {
        return Err(unauthorized(
            "Access token does not have the required scopes",
        ));
    }
    let slot = state.streaming().open(&token).ok_or_else(|| {
        ApiError::too_many_requests("Too many streaming connections with this access token")
    })?;
    let listener = Listener {
        account: grant.account,
        scopes: grant.scopes,
        slot,
    };
    let mut streams = Vec::new();
    if let Some(name) = name {
        let tag = params::list(query, "tag", 1).into_iter().next();
        let list = params::list(query, "list", 1).into_iter().next();
        let stream = Stream::parse(name, tag.as_deref(), list.as_deref())
            .map_err(|e| ApiError::bad_request(e.message()))?;
        listener
            .check(&stream)
            .map_err(|(message, _)| unauthorized(message))?;
        if let (Stream::List(list_id), Some(me)) = (&stream, listener.account.as_ref()) {
            // Someone else's list is not found, as in the API.
            list::find(state.db(), me.id, *list_id).await?;
        }
        streams.push(stream);
    }
    Ok((listener, streams))
}

/// `GET /api/v1/streaming[?stream=...&tag=...&list=...&access_token=...]`, upgraded to a
/// WebSocket.
pub async fn connect(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let name = params::list(uri.query(), "stream", 1).into_iter().next();
    let (listener, streams) = listen(&state, &headers, uri.query(), name.as_deref()).await?;
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        // Not a WebSocket handshake: said in the API's error shape.
        Err(rejection) => return Err(ApiError::not_a_websocket(&rejection)),
    };
    let upgrade = match offered_protocol(&headers) {
        Some(protocol) => upgrade.protocols([protocol]),
        None => upgrade,
    };
    // Listening starts now, so that nothing that happens once the app has its answer
    // is missed.
    let events = state.events().subscribe();
    // Apps send only small messages, so each connection reads into a buffer of
    // that size instead of the library's 128 KiB default, which every listener
    // kept for as long as it was connected.
    Ok(upgrade
        .read_buffer_size(MAX_MESSAGE_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| websocket::serve(socket, state, listener, streams, events)))
}

/// The paths of the Server-Sent Events streams, after `/api/v1/streaming/`.
pub const EVENT_STREAM_PATHS: [&str; 9] = [
    "user",
    "user/notification",
    "public",
    "public/local",
    "public/remote",
    "hashtag",
    "hashtag/local",
    "list",
    "direct",
];

/// `GET /api/v1/streaming/{user,user/notification,public,public/local,public/remote,
/// hashtag,hashtag/local,list,direct}[?tag=...&list=...&access_token=...]`, as
/// Server-Sent Events.
pub async fn event_stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    // The stream's name is its path, `/` read as `:` (`public/local` is `public:local`).
    let name = uri
        .path()
        .trim_start_matches("/api/v1/streaming/")
        .replace('/', ":");
    let (listener, streams) = listen(&state, &headers, uri.query(), Some(&name)).await?;
    let events = state.events().subscribe();
    Ok(sse::answer(state, listener, streams, events).into_response())
}
