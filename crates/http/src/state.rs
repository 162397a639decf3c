//! The application context every handler gets: the database, the instance's
//! settings and the federation context. Cloning it is cheap.

use std::sync::Arc;

use staffroom_domain::Database;
use staffroom_domain::registration::RegistrationMode;
use staffroom_federation::LocalUrls;
use staffroom_federation::context::{Data, FederationConfig};
use staffroom_federation::events::EventHub;

use crate::api::v1::streaming::Connections;

/// How the instance presents itself, as the server's configuration decided.
#[derive(Debug, Clone)]
pub struct InstanceSettings {
    pub urls: LocalUrls,
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub source_url: String,
    pub registrations: RegistrationMode,
    /// Whether `POST /oauth/token` takes the password grant (for test clients).
    pub password_grant: bool,
}

/// The shared state of the HTTP layer.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Database,
    settings: InstanceSettings,
    federation: FederationConfig,
    /// The open streaming connections, counted per token.
    streaming: Connections,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

impl AppState {
    pub fn new(db: Database, settings: InstanceSettings, federation: FederationConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                settings,
                federation,
                streaming: Connections::default(),
            }),
        }
    }

    /// A fresh federation context for one request (it counts the request's fetches).
    pub fn federation(&self) -> Data {
        self.inner.federation.to_request_data()
    }

    pub fn db(&self) -> &Database {
        &self.inner.db
    }

    pub fn settings(&self) -> &InstanceSettings {
        &self.inner.settings
    }

    pub fn urls(&self) -> &LocalUrls {
        &self.inner.settings.urls
    }

    /// This instance's event hub (what happens here, for the streaming API).
    pub fn events(&self) -> EventHub {
        self.federation().events.clone()
    }

    /// The open streaming connections.
    pub fn streaming(&self) -> &Connections {
        &self.inner.streaming
    }
}
