//! The application context every handler gets: the database and the instance's
//! settings. Cloning it is cheap.

use std::sync::Arc;

use staffroom_domain::Database;
use staffroom_domain::registration::RegistrationMode;
use staffroom_federation::LocalUrls;

/// How the instance presents itself, as the server's configuration decided.
#[derive(Debug, Clone)]
pub struct InstanceSettings {
    pub urls: LocalUrls,
    pub title: String,
    pub description: String,
    pub contact_email: String,
    pub source_url: String,
    pub registrations: RegistrationMode,
}

/// The shared state of the HTTP layer.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: Database,
    settings: InstanceSettings,
}

impl AppState {
    pub fn new(db: Database, settings: InstanceSettings) -> Self {
        Self {
            inner: Arc::new(Inner { db, settings }),
        }
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
}
