//! What every federation handler works with: the database and the instance's URLs,
//! carried as the ActivityPub library's application data.

use std::sync::Arc;

use staffroom_domain::Database;
use staffroom_domain::moderation::domain_policy::FederationMode;
use tokio::sync::Notify;

use crate::LocalUrls;
use crate::events::EventHub;

/// The application data of the federation layer.
#[derive(Debug, Clone)]
pub struct FederationData {
    pub db: Database,
    pub urls: LocalUrls,
    /// Wakes this process's delivery worker when something is queued (workers in
    /// other processes find it on their next poll).
    pub wake_delivery: Arc<Notify>,
    /// Open (all but blocked servers) or allowlist (only allowed servers).
    pub mode: FederationMode,
    /// Whether documents are served only to signed fetches.
    pub authorized_fetch: bool,
    /// What happens in this process, for its listeners (the streaming API).
    pub events: EventHub,
}

/// The library's request context with our application data.
pub type Data = activitypub_federation::config::Data<FederationData>;
/// The library's configuration with our application data.
pub type FederationConfig = activitypub_federation::config::FederationConfig<FederationData>;
