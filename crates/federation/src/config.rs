//! The ActivityPub library's configuration for this instance.

use std::sync::Arc;

use activitypub_federation::config::FederationConfig as LibraryConfig;
use staffroom_domain::moderation::domain_policy::FederationMode;
use staffroom_domain::{Database, accounts::account};
use tokio::sync::Notify;

use crate::context::{FederationConfig, FederationData};
use crate::error::Error;
use crate::events::EventHub;
use crate::guard::Reach;
use crate::objects::person::DbActor;
use crate::policy::PolicyVerifier;
use crate::worker::DeliveryWorker;
use crate::{LocalUrls, client};

/// Everything federation needs at run time: the library's configuration (for
/// receiving and fetching), the delivery worker (for sending), and the one HTTP
/// client they share, which the other outgoing work (pushes, media copies) uses
/// too: each client keeps its own copy of the system's certificate store and its
/// own connection pool, so one is built per process.
#[derive(Clone)]
pub struct Federation {
    pub config: FederationConfig,
    pub worker: DeliveryWorker,
    pub client: reqwest::Client,
}

impl std::fmt::Debug for Federation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Federation")
            .field("domain", &self.config.domain())
            .finish_non_exhaustive()
    }
}

/// How the instance federates, as its configuration says.
#[derive(Debug, Clone, Copy, Default)]
pub struct FederationSettings {
    pub mode: FederationMode,
    /// Serve documents only to signed fetches (always so in allowlist mode).
    pub authorized_fetch: bool,
    /// Allow plain http, explicit ports and loopback or private addresses: for
    /// several instances on one machine in tests, never for production.
    pub test_mode: bool,
}

/// Sets up federation for the instance at `urls`.
pub async fn setup(
    db: Database,
    urls: LocalUrls,
    settings: FederationSettings,
) -> Result<Federation, Error> {
    let test_mode = settings.test_mode;
    let client =
        client::build(&urls, test_mode).map_err(activitypub_federation::error::Error::from)?;
    let data = FederationData {
        db: db.clone(),
        urls: urls.clone(),
        wake_delivery: Arc::new(Notify::new()),
        mode: settings.mode,
        // An allowlist that answers unsigned fetches would leak to everyone else.
        authorized_fetch: settings.authorized_fetch || settings.mode == FederationMode::Allowlist,
        events: EventHub::new(),
    };
    let instance_actor = DbActor::local(&data, account::instance_actor(&db).await?).await?;
    let config = LibraryConfig::builder()
        .domain(urls.domain())
        .app_data(data.clone())
        .client(reqwest_middleware::ClientBuilder::new(client.clone()).build())
        .debug(test_mode)
        .allow_http_urls(test_mode || !urls.is_https())
        .http_signature_compat(true)
        .url_verifier(Box::new(PolicyVerifier {
            db: db.clone(),
            mode: settings.mode,
        }))
        .signed_fetch_actor(&instance_actor)
        .build()
        .await
        .map_err(|e| Error::Refused(format!("federation configuration: {e}")))?;
    Ok(Federation {
        config,
        worker: DeliveryWorker::new(data, client.clone(), Reach::for_test_mode(test_mode)),
        client,
    })
}
