//! The router: every route of the instance, the layers around them, and serving.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::{Router, ServiceExt};
use tokio::net::TcpListener;
use tower::Layer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::ApiError;
use crate::{
    AppState, api, assets, health, inbox, media, metrics, nodeinfo, oauth, pages, rate_limit, tags,
    users, well_known,
};

/// The largest request body accepted anywhere (routes that take uploads raise it).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The largest upload request: the largest file, with room for the other fields.
pub const MAX_UPLOAD_BODY_BYTES: usize = staffroom_domain::media::MAX_FILE_BYTES + 64 * 1024;

/// Every route of the instance, with its layers.
pub fn router(state: AppState) -> Router {
    let inboxes = Router::new()
        .route("/inbox", post(inbox::receive))
        .route("/actor/inbox", post(inbox::receive))
        .route("/users/{username}/inbox", post(inbox::receive))
        .route("/tags/{name}/inbox", post(inbox::receive))
        .layer(DefaultBodyLimit::max(inbox::MAX_ACTIVITY_BYTES))
        .layer(RequestBodyLimitLayer::new(inbox::MAX_ACTIVITY_BYTES));
    let uploads = Router::new()
        .route("/api/v1/media", post(api::v1::media::create))
        .route("/api/v2/media", post(api::v2::media::create))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY_BYTES));
    // An avatar and a header may come together.
    let profile = Router::new()
        .route(
            "/api/v1/accounts/update_credentials",
            patch(api::v1::accounts::update_credentials),
        )
        .layer(DefaultBodyLimit::max(2 * MAX_UPLOAD_BODY_BYTES));
    Router::new()
        .merge(inboxes)
        .merge(uploads)
        .merge(profile)
        .route(
            "/api/v1/profile/avatar",
            delete(api::v1::accounts::remove_avatar),
        )
        .route(
            "/api/v1/profile/header",
            delete(api::v1::accounts::remove_header),
        )
        .route("/", get(pages::front::show))
        .merge(api::staffroom::router())
        .route("/livez", get(health::livez))
        .route("/readyz", get(health::readyz))
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::show))
        .route("/.well-known/webfinger", get(well_known::webfinger::show))
        .route("/.well-known/host-meta", get(well_known::host_meta::show))
        .route("/.well-known/nodeinfo", get(well_known::nodeinfo::show))
        .route("/nodeinfo/2.0", get(nodeinfo::v2_0))
        .route("/nodeinfo/2.1", get(nodeinfo::v2_1))
        .route("/api/v1/instance", get(api::v1::instance::show))
        .route("/api/v1/apps", post(api::v1::apps::create))
        .route(
            "/api/v1/apps/verify_credentials",
            get(api::v1::apps::verify_credentials),
        )
        .route(
            "/api/v1/accounts/verify_credentials",
            get(api::v1::accounts::verify_credentials),
        )
        .route("/api/v1/accounts/lookup", get(api::v1::accounts::lookup))
        .route("/api/v1/accounts/search", get(api::v1::accounts::search))
        .route(
            "/api/v1/accounts/relationships",
            get(api::v1::accounts::relationships),
        )
        .route("/api/v1/accounts/{id}", get(api::v1::accounts::show))
        .route(
            "/api/v1/accounts/{id}/statuses",
            get(api::v1::accounts::statuses),
        )
        .route(
            "/api/v1/accounts/{id}/followers",
            get(api::v1::accounts::followers),
        )
        .route(
            "/api/v1/accounts/{id}/following",
            get(api::v1::accounts::following),
        )
        .route(
            "/api/v1/accounts/{id}/follow",
            post(api::v1::accounts::follow_account),
        )
        .route(
            "/api/v1/accounts/{id}/unfollow",
            post(api::v1::accounts::unfollow_account),
        )
        .route(
            "/api/v1/accounts/{id}/block",
            post(api::v1::accounts::block_account),
        )
        .route(
            "/api/v1/accounts/{id}/unblock",
            post(api::v1::accounts::unblock_account),
        )
        .route(
            "/api/v1/accounts/{id}/mute",
            post(api::v1::accounts::mute_account),
        )
        .route(
            "/api/v1/accounts/{id}/unmute",
            post(api::v1::accounts::unmute_account),
        )
        .route(
            "/api/v1/accounts/{id}/featured_tags",
            get(api::v1::defaults::featured_tags),
        )
        .route("/api/v1/preferences", get(api::v1::defaults::preferences))
        .route(
            "/api/v1/custom_emojis",
            get(api::v1::defaults::custom_emojis),
        )
        .route("/api/v1/filters", get(api::v1::defaults::filters))
        .route("/api/v2/filters", get(api::v1::defaults::filters))
        .route("/api/v1/lists", get(api::v1::defaults::lists))
        .route("/api/v1/announcements", get(api::v1::announcements::list))
        .route(
            "/api/v1/announcements/{id}/dismiss",
            post(api::v1::announcements::dismiss),
        )
        .route(
            "/api/v1/announcements/{id}/reactions/{name}",
            axum::routing::put(api::v1::announcements::reaction)
                .delete(api::v1::announcements::reaction),
        )
        .route(
            "/api/v1/markers",
            get(api::v1::markers::show).post(api::v1::markers::save),
        )
        .route("/api/v1/followed_tags", get(api::v1::tags::followed))
        .route("/api/v1/tags/{name}", get(api::v1::tags::show))
        .route("/api/v1/tags/{name}/follow", post(api::v1::tags::follow))
        .route(
            "/api/v1/tags/{name}/unfollow",
            post(api::v1::tags::unfollow),
        )
        .route("/api/v1/streaming", get(api::v1::streaming::connect))
        .route("/api/v1/streaming/health", get(api::v1::streaming::health))
        .route("/api/v1/notifications", get(api::v1::notifications::list))
        .route(
            "/api/v1/notifications/unread_count",
            get(api::v1::notifications::unread_count),
        )
        .route(
            "/api/v1/notifications/clear",
            post(api::v1::notifications::clear),
        )
        .route(
            "/api/v1/notifications/{id}",
            get(api::v1::notifications::show),
        )
        .route(
            "/api/v1/notifications/{id}/dismiss",
            post(api::v1::notifications::dismiss),
        )
        .route(
            "/api/v1/follow_requests",
            get(api::v1::follow_requests::list),
        )
        .route(
            "/api/v1/follow_requests/{id}/authorize",
            post(api::v1::follow_requests::authorize),
        )
        .route(
            "/api/v1/follow_requests/{id}/reject",
            post(api::v1::follow_requests::reject),
        )
        .route("/api/v1/reports", post(api::v1::reports::create))
        .route("/api/v1/admin/reports", get(api::v1::admin::reports::list))
        .route(
            "/api/v1/admin/reports/{id}",
            get(api::v1::admin::reports::show),
        )
        .route(
            "/api/v1/admin/reports/{id}/resolve",
            post(api::v1::admin::reports::resolve),
        )
        .route(
            "/api/v1/admin/reports/{id}/reopen",
            post(api::v1::admin::reports::reopen),
        )
        .route("/api/v1/directory", get(api::v1::directory::list))
        .route("/api/v1/blocks", get(api::v1::hidden_accounts::blocks))
        .route("/api/v1/mutes", get(api::v1::hidden_accounts::mutes))
        .route("/api/v1/bookmarks", get(api::v1::status_actions::bookmarks))
        .route(
            "/api/v1/favourites",
            get(api::v1::status_actions::favourites),
        )
        .route("/api/v2/search", get(api::v2::search::search))
        .route("/api/v1/trends", get(api::v1::trends::tags))
        .route("/api/v1/trends/tags", get(api::v1::trends::tags))
        .route("/api/v1/trends/statuses", get(api::v1::trends::empty))
        .route("/api/v1/trends/links", get(api::v1::trends::empty))
        .route("/api/v1/timelines/public", get(api::v1::timelines::public))
        .route("/api/v1/timelines/home", get(api::v1::timelines::home))
        .route(
            "/api/v1/timelines/tag/{hashtag}",
            get(api::v1::timelines::tag),
        )
        .route("/api/v1/statuses", post(api::v1::statuses::create))
        .route(
            "/api/v1/statuses/{id}",
            get(api::v1::statuses::show)
                .put(api::v1::statuses::edit)
                .delete(api::v1::statuses::delete),
        )
        .route(
            "/api/v1/statuses/{id}/context",
            get(api::v1::statuses::context),
        )
        .route(
            "/api/v1/statuses/{id}/history",
            get(api::v1::statuses::history),
        )
        .route(
            "/api/v1/statuses/{id}/source",
            get(api::v1::statuses::source),
        )
        .route(
            "/api/v1/statuses/{id}/favourite",
            post(api::v1::status_actions::favourite),
        )
        .route(
            "/api/v1/statuses/{id}/unfavourite",
            post(api::v1::status_actions::unfavourite),
        )
        .route(
            "/api/v1/statuses/{id}/reblog",
            post(api::v1::status_actions::reblog),
        )
        .route(
            "/api/v1/statuses/{id}/unreblog",
            post(api::v1::status_actions::unreblog),
        )
        .route(
            "/api/v1/statuses/{id}/bookmark",
            post(api::v1::status_actions::bookmark),
        )
        .route(
            "/api/v1/statuses/{id}/unbookmark",
            post(api::v1::status_actions::unbookmark),
        )
        .route(
            "/api/v1/statuses/{id}/pin",
            post(api::v1::status_actions::pin),
        )
        .route(
            "/api/v1/statuses/{id}/unpin",
            post(api::v1::status_actions::unpin),
        )
        .route(
            "/users/{username}/collections/featured",
            get(users::featured::show),
        )
        .route(
            "/api/v1/statuses/{id}/favourited_by",
            get(api::v1::status_actions::favourited_by),
        )
        .route(
            "/api/v1/statuses/{id}/reblogged_by",
            get(api::v1::status_actions::reblogged_by),
        )
        .route(
            "/api/v1/media/{id}",
            get(api::v1::media::show).put(api::v1::media::update),
        )
        .route("/media/{file}", get(media::show))
        .route(
            "/oauth/authorize",
            get(oauth::authorize::show).post(oauth::authorize::decide),
        )
        .route(
            "/auth/sign_in",
            get(pages::sign_in::show).post(pages::sign_in::sign_in),
        )
        .route("/auth/sign_out", post(pages::sign_in::sign_out))
        .route(
            "/auth/sign_up",
            get(pages::sign_up::show).post(pages::sign_up::sign_up),
        )
        .route("/api/v1/accounts", post(api::v1::sign_up::create))
        .route("/oauth/token", post(oauth::token::issue))
        .route("/oauth/revoke", post(oauth::revoke::revoke))
        .route(
            "/.well-known/oauth-authorization-server",
            get(well_known::oauth::show),
        )
        .route("/api/v2/instance", get(api::v2::instance::show))
        .route("/actor", get(users::instance_actor))
        .route("/tags/{name}", get(pages::tag::show))
        .route("/tags/{name}/followers", get(tags::followers))
        .route("/tags/{name}/outbox", get(tags::outbox))
        .route("/users/{username}", get(users::show))
        .route("/users/{username}/outbox", get(users::outbox::show))
        .route("/users/{username}/moderators", get(users::moderators::show))
        .route(
            "/users/{username}/followers",
            get(users::follows::followers),
        )
        .route(
            "/users/{username}/following",
            get(users::follows::following),
        )
        .route(
            "/users/{username}/statuses/{id}",
            get(users::statuses::show),
        )
        .route("/@{username}", get(pages::profile::show))
        .route("/@{username}/{id}", get(pages::post::show))
        .route(assets::DEFAULT_AVATAR, get(assets::default_avatar))
        .route(assets::DEFAULT_HEADER, get(assets::default_header))
        .route(assets::THUMBNAIL, get(assets::thumbnail))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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
        (StatusCode::NOT_FOUND, "Not found\n").into_response()
    }
}

async fn method_not_allowed(uri: Uri) -> Response {
    if is_api(&uri) {
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed").into_response()
    } else {
        (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n").into_response()
    }
}

fn is_api(uri: &Uri) -> bool {
    let path = uri.path();
    path.starts_with("/api/") || path.starts_with("/oauth/") || path.starts_with("/.well-known/")
}
