//! What every federation handler works with: the database and the instance's URLs,
//! carried as the ActivityPub library's application data.

use std::sync::Arc;

use staffroom_domain::Database;
use tokio::sync::Notify;

use crate::LocalUrls;

/// The application data of the federation layer.
#[derive(Debug, Clone)]
pub struct FederationData {
    pub db: Database,
    pub urls: LocalUrls,
    /// Wakes this process's delivery worker when something is queued (workers in
    /// other processes find it on their next poll).
    pub wake_delivery: Arc<Notify>,
}

/// The library's request context with our application data.
pub type Data = activitypub_federation::config::Data<FederationData>;
/// The library's configuration with our application data.
pub type FederationConfig = activitypub_federation::config::FederationConfig<FederationData>;
