//! `/inbox`, `/users/{username}/inbox` and `/actor/inbox`: where other servers post
//! activities. Nothing is stored unless the activity's signature checks out.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use staffroom_federation::error::ErrorKind;
use staffroom_federation::inbox;
use tower_http::limit::RequestBodyLimitLayer;

use crate::AppState;
use crate::error::{self, ApiError};

/// The largest activity accepted.
pub const MAX_ACTIVITY_BYTES: usize = 1024 * 1024;

/// Every inbox, each taking activities up to [`MAX_ACTIVITY_BYTES`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inbox", post(receive))
        .route("/actor/inbox", post(receive))
        .route("/users/{username}/inbox", post(receive))
        .route("/tags/{name}/inbox", post(receive))
        .layer(DefaultBodyLimit::max(MAX_ACTIVITY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_ACTIVITY_BYTES))
}

/// `POST /inbox` (and the per-actor inboxes, which behave the same). A server past
/// its deliveries for the minute is answered `429` before anything is read.
pub async fn receive(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let server = inbox::sending_server(&headers);
    let now = chrono::Utc::now();
    if let Some(server) = &server
        && let Err(wait) = state.inbox_limits().take(server, now)
    {
        tracing::info!(%server, "inbox refused a delivery: too many from this server");
        let mut response =
            ApiError::too_many_requests("Too many deliveries from this server").into_response();
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        return response;
    }
    let result = inbox::receive(method, uri, headers, body, &state.federation()).await;
    // A delivery that no key of the server signed is not the server's to count.
    if let (Err(e), Some(server)) = (&result, &server)
        && e.kind() == ErrorKind::Unauthorized
    {
        state.inbox_limits().give_back(server, now);
    }
    match result {
        Ok(()) => error::accepted(),
        Err(e) => {
            let refusal = ApiError::refused_activity(e.kind());
            let status = refusal.status();
            if status.is_server_error() {
                tracing::error!(error = %e, "inbox failed");
            } else {
                tracing::info!(error = %e, %status, "inbox refused an activity");
            }
            refusal.into_response()
        }
    }
}
