//! `GET /metrics`: what the instance holds and how it is doing, in Prometheus'
//! text format, for the operator's monitoring. Off unless `metrics_token` is
//! set; then it asks for that token as a bearer token. The counts come from the
//! database (shared by every process); the answers by status class are this
//! process's own since it started.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use staffroom_domain::{delivery::queue, moderation::report, stats};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// How many answers this process gave, by status class (1xx to 5xx).
#[derive(Debug, Default)]
pub struct Answers([AtomicU64; 5]);

impl Answers {
    fn count(&self, status: StatusCode) {
        let class = usize::from(status.as_u16() / 100).clamp(1, 5) - 1;
        self.0[class].fetch_add(1, Ordering::Relaxed);
    }

    fn read(&self) -> [u64; 5] {
        std::array::from_fn(|i| self.0[i].load(Ordering::Relaxed))
    }
}

/// Counts every answer by its status class.
pub async fn count_answers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    state.answers().count(response.status());
    response
}

/// `/metrics`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(show))
}

/// Whether `headers` carry `Authorization: Bearer <token>`, compared in constant
/// time.
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let (given, wanted) = (given.as_bytes(), token.as_bytes());
    given.len() == wanted.len()
        && given
            .iter()
            .zip(wanted)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// One metric: its help, type and samples (labels, value).
fn metric(out: &mut String, name: &str, kind: &str, help: &str, samples: &[(&str, u64)]) {
    let _ = writeln!(out, "# HELP staffroom_{name} {help}");
    let _ = writeln!(out, "# TYPE staffroom_{name} {kind}");
    for (labels, value) in samples {
        let labels = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "staffroom_{name}{labels} {value}");
    }
}

/// `GET /metrics`
pub async fn show(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let Some(token) = &state.settings().metrics_token else {
        return Err(ApiError::not_found());
    };
    if !authorised(&headers, token) {
        return Err(ApiError::unauthorized("The metrics need the metrics token"));
    }
    let db = state.db();
    let counts = stats::instance(db, Utc::now()).await?;
    let queued = queue::stats(db).await?;
    let open_reports = report::open_count(db).await?;
    let [
        informational,
        success,
        redirection,
        client_error,
        server_error,
    ] = state.answers().read();
    let mut out = String::new();
    metric(
        &mut out,
        "build_info",
        "gauge",
        "The running version.",
        &[(&format!("version=\"{}\"", env!("CARGO_PKG_VERSION")), 1)],
    );
    metric(
        &mut out,
        "users",
        "gauge",
        "Users who may sign in.",
        &[("", counts.users)],
    );
    metric(
        &mut out,
        "active_users",
        "gauge",
        "Users active in the period.",
        &[
            ("period=\"30d\"", counts.active_month),
            ("period=\"180d\"", counts.active_halfyear),
        ],
    );
    metric(
        &mut out,
        "local_posts",
        "gauge",
        "Posts written on this instance.",
        &[("", counts.local_posts)],
    );
    metric(
        &mut out,
        "known_servers",
        "gauge",
        "Other servers this instance knows accounts of.",
        &[("", counts.known_domains)],
    );
    metric(
        &mut out,
        "deliveries",
        "gauge",
        "Deliveries to other servers waiting (or being retried), and given up on.",
        &[
            ("state=\"pending\"", queued.pending),
            ("state=\"failed\"", queued.failed),
        ],
    );
    metric(
        &mut out,
        "open_reports",
        "gauge",
        "Reports waiting for a moderator.",
        &[("", open_reports)],
    );
    metric(
        &mut out,
        "http_responses_total",
        "counter",
        "Answers this process gave since it started, by status class.",
        &[
            ("class=\"1xx\"", informational),
            ("class=\"2xx\"", success),
            ("class=\"3xx\"", redirection),
            ("class=\"4xx\"", client_error),
            ("class=\"5xx\"", server_error),
        ],
    );
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
        .into_response())
}
