//! The HTTP client for everything the instance fetches and sends: it names Staffroom
//! and the instance, follows no redirects, gives up quickly, and (outside test mode)
//! refuses to reach loopback and private addresses.

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::resolver::ValidatingDnsResolver;

use crate::{LocalUrls, SOFTWARE_VERSION};

/// How long a request to another server may take in all.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long connecting to another server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The `User-Agent` of every outgoing request.
pub fn user_agent(urls: &LocalUrls) -> String {
    format!("Staffroom/{SOFTWARE_VERSION} (+{}/)", urls.origin())
}

/// The client; `test_mode` lets it reach loopback and private addresses, for tests of
/// several instances on one machine.
pub fn build(urls: &LocalUrls, test_mode: bool) -> Result<reqwest::Client, reqwest::Error> {
    // Certificates are checked against the system's store, with ring as the crypto
    // provider (installing it twice is harmless).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(user_agent(urls))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .dns_resolver(Arc::new(ValidatingDnsResolver::new(Vec::new(), !test_mode)))
        .build()
}
