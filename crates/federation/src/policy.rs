//! Domain policy at the federation boundary: every id received, every fetch and every
//! delivery is checked against the instance's blocklist (or allowlist).

use activitypub_federation::config::UrlVerifier;
use activitypub_federation::error::Error as ProtocolError;
use staffroom_domain::Database;
use staffroom_domain::delivery::queue::domain_of;
use staffroom_domain::moderation::domain_policy::{self, FederationMode};
use url::Url;

use crate::context::FederationData;

/// The library's URL check, backed by the domain rules.
#[derive(Clone)]
pub struct PolicyVerifier {
    pub db: Database,
    pub mode: FederationMode,
}

#[async_trait::async_trait]
impl UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &Url) -> Result<(), ProtocolError> {
        let domain = domain_of(url.as_str())
            .ok_or(ProtocolError::UrlVerificationError("not an http(s) URL"))?;
        match domain_policy::permits(&self.db, self.mode, &domain).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(ProtocolError::UrlVerificationError(
                "this instance does not federate with that domain",
            )),
            Err(e) => Err(ProtocolError::Other(format!("domain policy: {e}"))),
        }
    }
}

/// Whether this instance federates with the server of `url`.
pub async fn permits_url(data: &FederationData, url: &str) -> bool {
    match domain_of(url) {
        Some(domain) => domain_policy::permits(&data.db, data.mode, &domain)
            .await
            .unwrap_or(false),
        None => false,
    }
}
