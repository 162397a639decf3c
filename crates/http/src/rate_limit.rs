//! Rate limits, as Mastodon applies them: each account (by its token) or, without
//! a token, each client address may make so many requests in a fixed window; the
//! `X-RateLimit-Limit`, `-Remaining` and `-Reset` headers say where it stands, and
//! a request over the limit gets `429 Too Many Requests` with `Retry-After`.
//!
//! | what | limit (with the default `rate_limit` of 300) | per |
//! |---|---|---|
//! | the client API, OAuth and sign-in pages | 300 requests / 5 minutes | token, else address |
//! | media uploads | 30 / 30 minutes | token |
//! | sign-ups (API and page) | 5 / 30 minutes | address |
//! | sign-in attempts (password grant and page) and password resets | 25 / 5 minutes | address |
//!
//! The smaller limits are the main one scaled (a tenth, a sixtieth, a twelfth,
//! never less than one). Pages, ActivityPub documents and media files are not
//! limited here. Inboxes have a limit of their own, [`InboxLimits`]: deliveries
//! per sending server per minute. Counters live in the memory of each server
//! process: several processes behind one load balancer each count their own.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::AppState;
use crate::error::{self, ApiError};

/// The most counters kept; past it, expired ones are dropped first, and a client
/// that still finds no room is let through uncounted rather than refused.
const MAX_COUNTERS: usize = 100_000;

/// What kind of request is counted, each kind with its own limit and window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Api,
    Upload,
    SignUp,
    SignIn,
}

impl Kind {
    /// The kind of a request, or `None` for one not limited here.
    fn of(method: &Method, path: &str) -> Option<Self> {
        let post = method == Method::POST;
        match path {
            "/api/v1/media" | "/api/v2/media" if post => Some(Self::Upload),
            "/api/v1/accounts" | "/auth/sign_up" if post => Some(Self::SignUp),
            "/oauth/token"
            | "/auth/sign_in"
            | "/auth/two_factor"
            | "/auth/password/new"
            | "/auth/password/edit"
                if post =>
            {
                Some(Self::SignIn)
            }
            _ if path.starts_with("/api/") || path.starts_with("/oauth/") => Some(Self::Api),
            _ => None,
        }
    }

    /// The window, in seconds.
    fn period(self) -> i64 {
        match self {
            Self::Api | Self::SignIn => 5 * 60,
            Self::Upload | Self::SignUp => 30 * 60,
        }
    }

    /// The limit per window, given the main limit.
    fn limit(self, main: u32) -> u32 {
        let scaled = match self {
            Self::Api => main,
            Self::Upload => main / 10,
            Self::SignUp => main / 60,
            Self::SignIn => main / 12,
        };
        scaled.max(1)
    }

    /// Whether it is counted by address even when a token comes with it.
    fn by_address(self) -> bool {
        matches!(self, Self::SignUp | Self::SignIn)
    }
}

/// Where to find a client's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAddress {
    /// The peer of the connection.
    Peer,
    /// The last address of `X-Forwarded-For`, the one the instance's own reverse
    /// proxy added (the peer when there is none).
    Forwarded,
}

/// How many requests clients may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitSettings {
    /// Client API requests per five minutes per account or address; 0 turns every
    /// client limit off.
    pub requests: u32,
    pub client_address: ClientAddress,
    /// Inbox deliveries per minute per sending server; 0 for no limit.
    pub inbox_per_server_per_minute: u32,
}

/// One client's count in the current window.
#[derive(Debug, Clone, Copy)]
struct Counter {
    window: i64,
    count: u32,
}

/// The counters of one server process.
#[derive(Debug)]
pub struct RateLimits {
    settings: RateLimitSettings,
    counters: Mutex<HashMap<(Kind, u64), Counter>>,
}

/// Where a client stands after a request is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Standing {
    limit: u32,
    remaining: u32,
    reset: DateTime<Utc>,
    allowed: bool,
}

impl RateLimits {
    pub fn new(settings: RateLimitSettings) -> Self {
        Self {
            settings,
            counters: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `kind` by the client `key` at `now`.
    fn count(&self, kind: Kind, key: u64, now: DateTime<Utc>) -> Standing {
        let limit = kind.limit(self.settings.requests);
        let period = kind.period();
        let window = now.timestamp().div_euclid(period);
        let reset = DateTime::from_timestamp((window + 1) * period, 0).unwrap_or(now);
        let Ok(mut counters) = self.counters.lock() else {
            return Standing {
                limit,
                remaining: limit,
                reset,
                allowed: true,
            };
        };
        if counters.len() >= MAX_COUNTERS && !counters.contains_key(&(kind, key)) {
            let now_seconds = now.timestamp();
            counters.retain(|(kind, _), counter| {
                counter.window == now_seconds.div_euclid(kind.period())
            });
            if counters.len() >= MAX_COUNTERS {
                return Standing {
                    limit,
                    remaining: limit,
                    reset,
                    allowed: true,
                };
            }
        }
        let counter = counters
            .entry((kind, key))
            .or_insert(Counter { window, count: 0 });
        if counter.window != window {
            *counter = Counter { window, count: 0 };
        }
        let allowed = counter.count < limit;
        if allowed {
            counter.count += 1;
        }
        Standing {
            limit,
            remaining: limit - counter.count,
            reset,
            allowed,
        }
    }

    /// The address a request comes from.
    pub(crate) fn address(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        if self.settings.client_address == ClientAddress::Forwarded
            && let Some(forwarded) = headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|a| a.trim().parse::<IpAddr>().ok())
        {
            return Some(forwarded);
        }
        peer.map(|p| p.ip())
    }
}

/// Inbox deliveries per sending server per minute: a server that sends more is
/// answered `429` with `Retry-After` until the minute turns, while every other
/// server is served as usual. A server is the host (and port) of the key that
/// signed the delivery; a delivery whose signature does not check out is given
/// back, so that nobody can spend another server's allowance by naming its key.
#[derive(Debug)]
pub struct InboxLimits {
    per_minute: u32,
    counters: Mutex<HashMap<String, Counter>>,
}

impl InboxLimits {
    /// The window, in seconds.
    const PERIOD: i64 = 60;

    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            counters: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a delivery from `server` at `now`: `Err(seconds to wait)` when the
    /// server has used its allowance for this minute.
    pub fn take(&self, server: &str, now: DateTime<Utc>) -> Result<(), i64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let window = now.timestamp().div_euclid(Self::PERIOD);
        let wait = ((window + 1) * Self::PERIOD - now.timestamp()).max(1);
        let Ok(mut counters) = self.counters.lock() else {
            return Ok(());
        };
        if counters.len() >= MAX_COUNTERS && !counters.contains_key(server) {
            counters.retain(|_, counter| counter.window == window);
            if counters.len() >= MAX_COUNTERS {
                return Ok(());
            }
        }
        let counter = counters
            .entry(server.to_owned())
            .or_insert(Counter { window, count: 0 });
        if counter.window != window {
            *counter = Counter { window, count: 0 };
        }
        if counter.count >= self.per_minute {
            return Err(wait);
        }
        counter.count += 1;
        Ok(())
    }

    /// Takes back a delivery counted by [`Self::take`] at `now`.
    pub fn give_back(&self, server: &str, now: DateTime<Utc>) {
        let window = now.timestamp().div_euclid(Self::PERIOD);
        if let Ok(mut counters) = self.counters.lock()
            && let Some(counter) = counters.get_mut(server)
            && counter.window == window
        {
            counter.count = counter.count.saturating_sub(1);
        }
    }
}

fn hashed(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn set_headers(headers: &mut HeaderMap, standing: Standing) {
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set("x-ratelimit-limit", standing.limit.to_string());
    set("x-ratelimit-remaining", standing.remaining.to_string());
    set(
        "x-ratelimit-reset",
        standing
            .reset
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    );
}

/// The middleware: counts each limited request, refuses it past the limit.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = state.rate_limits();
    let Some(kind) = Kind::of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    if limits.settings.requests == 0 {
        return next.run(request).await;
    }
    let token = crate::auth::bearer(request.headers()).filter(|_| !kind.by_address());
    let key = match token {
        Some(token) => hashed(("token", token)),
        None => {
            let peer = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0);
            match limits.address(peer, request.headers()) {
                Some(address) => hashed(("address", address)),
                None => return next.run(request).await,
            }
        }
    };
    let now = Utc::now();
    let standing = limits.count(kind, key, now);
    if !standing.allowed {
        let mut response = if request.uri().path().starts_with("/auth/") {
            error::plain_too_many_requests(
                "Too many attempts from this address. Please wait a few minutes and try again.\n",
            )
        } else {
            ApiError::too_many_requests("Too many requests").into_response()
        };
        let wait = (standing.reset - now).num_seconds().max(1);
        if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        set_headers(response.headers_mut(), standing);
        return response;
    }
    let mut response = next.run(request).await;
    set_headers(response.headers_mut(), standing);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(requests: u32) -> RateLimits {
        RateLimits::new(RateLimitSettings {
            requests,
            client_address: ClientAddress::Forwarded,
            inbox_per_server_per_minute: 0,
        })
    }

    #[test]
    fn a_client_is_refused_past_its_limit_until_the_window_turns() {
        let limits = limits(3);
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let counts: Vec<(bool, u32)> = (0..4)
            .map(|_| limits.count(Kind::Api, 1, start))
            .map(|s| (s.allowed, s.remaining))
            .collect();
        assert_eq!(counts, vec![(true, 2), (true, 1), (true, 0), (false, 0)]);
        // Another client has its own count.
        assert!(limits.count(Kind::Api, 2, start).allowed);
        let next = limits.count(Kind::Api, 1, start + chrono::TimeDelta::seconds(300));
        assert!(next.allowed);
        assert_eq!(next.remaining, 2);
    }

    #[test]
    fn each_server_has_its_own_inbox_allowance_per_minute() {
        let limits = InboxLimits::new(2);
        let start = DateTime::from_timestamp(1_800_000_010, 0).unwrap();
        assert_eq!(limits.take("noisy.example", start), Ok(()));
        assert_eq!(limits.take("noisy.example", start), Ok(()));
        assert_eq!(limits.take("noisy.example", start), Err(50));
        assert_eq!(limits.take("quiet.example", start), Ok(()));
        // A delivery given back (a forged signature) frees its place.
        limits.give_back("noisy.example", start);
        assert_eq!(limits.take("noisy.example", start), Ok(()));
        let next_minute = start + chrono::TimeDelta::seconds(50);
        assert_eq!(limits.take("noisy.example", next_minute), Ok(()));
        assert_eq!(InboxLimits::new(0).take("any.example", start), Ok(()));
    }

    #[test]
    fn smaller_limits_are_the_main_one_scaled() {
        assert_eq!(Kind::SignUp.limit(300), 5);
        assert_eq!(Kind::SignIn.limit(300), 25);
        assert_eq!(Kind::Upload.limit(300), 30);
        assert_eq!(Kind::SignUp.limit(5), 1);
        assert_eq!(
            Kind::of(&Method::POST, "/api/v1/accounts"),
            Some(Kind::SignUp)
        );
        assert_eq!(
            Kind::of(&Method::GET, "/api/v1/accounts/1"),
            Some(Kind::Api)
        );
        assert_eq!(Kind::of(&Method::POST, "/inbox"), None);
        assert_eq!(Kind::of(&Method::GET, "/@alice"), None);
    }

    #[test]
    fn two_factor_codes_count_as_sign_in_attempts() {
        for path in ["/auth/sign_in", "/auth/two_factor", "/oauth/token"] {
            assert_eq!(Kind::of(&Method::POST, path), Some(Kind::SignIn), "{path}");
        }
    }

    #[test]
    fn behind_a_proxy_the_address_it_added_counts() {
        let limits = limits(3);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(
            limits.address(Some(peer), &headers),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(
            limits.address(Some(peer), &HeaderMap::new()),
            Some(peer.ip())
        );
    }
}
