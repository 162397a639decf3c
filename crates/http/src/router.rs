//! The router: every route of the instance, the layers around them, and serving.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::{Router, ServiceExt};
use tokio::net::TcpListener;
use tower::Layer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::{self, ApiError};
use crate::{
    AppState, api, assets, health, inbox, media, metrics, nodeinfo, oauth, pages, rate_limit,
    security_headers, tags, users, well_known,
};

/// The largest request body accepted anywhere (the inboxes, the upload routes and
/// `update_credentials` raise it).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every route of the instance, with its layers. Each area declares its own routes.
pub fn router(state: AppState) -> Router {
    let https = state.urls().is_https();
    let routes = Router::new()
        .merge(api::v1::routes())
        .merge(api::v2::routes())
        .merge(api::staffroom::routes())
        .merge(oauth::routes())
        .merge(well_known::routes())
        .merge(nodeinfo::routes())
        .merge(inbox::routes())
        .merge(users::routes())
        .merge(tags::routes())
        .merge(pages::routes())
        .merge(media::routes())
        .merge(assets::routes())
        .merge(health::routes())
        .merge(metrics::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    security_headers::around(routes, https)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .layer(cors())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count_answers,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests
/// already under way finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    // Trailing slashes are trimmed before routing (apps ask for `/api/v1/instance/`);
    // a layer added with `Router::layer` would run after routing, too late for that.
    let streaming = state.streaming().clone();
    let app = NormalizePathLayer::trim_trailing_slash().layer(router(state));
    let app = ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            // Streaming connections never end by themselves: they are told to go.
            streaming.close_all();
        })
        .await
}

/// Browser apps call the API from other origins: allow them, and let them read the
/// pagination and rate-limit headers.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([
            header::LINK,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
        ])
        .max_age(Duration::from_secs(24 * 60 * 60))
}

async fn not_found(uri: Uri) -> Response {
    if is_api(&uri) {
        ApiError::not_found().into_response()
    } else {
        error::plain_not_found()
    }
}

async fn method_not_allowed(uri: Uri) -> Response {
    if is_api(&uri) {
        ApiError::method_not_allowed().into_response()
    } else {
        error::plain_method_not_allowed()
    }
}

fn is_api(uri: &Uri) -> bool {
    let path = uri.path();
    path.starts_with("/api/") || path.starts_with("/oauth/") || path.starts_with("/.well-known/")
}
