//! The HTTP client for everything the instance fetches and sends: it names Staffroom
//! and the instance, follows no redirects, gives up quickly, and refuses to reach
//! loopback, private and other non-public addresses (the test mode lifts loopback
//! only; see [`crate::guard`]).

use std::sync::Arc;
use std::time::Duration;

use crate::guard::{GuardedResolver, Reach};
use crate::{LocalUrls, SOFTWARE_VERSION};

/// How long a request to another server may take in all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long connecting to another server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The `User-Agent` of every outgoing request.
pub fn user_agent(urls: &LocalUrls) -> String {
    format!("Staffroom/{SOFTWARE_VERSION} (+{}/)", urls.origin())
}

/// The client; `test_mode` lets it reach loopback addresses, for tests of several
/// instances on one machine.
pub fn build(urls: &LocalUrls, test_mode: bool) -> Result<reqwest::Client, reqwest::Error> {
    build_with(
        &user_agent(urls),
        GuardedResolver::new(Reach::for_test_mode(test_mode)),
    )
}

/// A client that names itself `user_agent` and resolves names with `resolver`.
pub fn build_with(
    user_agent: &str,
    resolver: GuardedResolver,
) -> Result<reqwest::Client, reqwest::Error> {
    // Certificates are checked against the system's store, with ring as the crypto
    // provider (installing it twice is harmless).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(user_agent)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .dns_resolver(Arc::new(resolver))
        .build()
}
