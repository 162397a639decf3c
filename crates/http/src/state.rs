//! The application context every handler gets: the database, the instance's
//! settings and the federation context. Cloning it is cheap.

use std::sync::Arc;

use staffroom_domain::Database;
use staffroom_domain::access::registration::RegistrationMode;
use staffroom_domain::media::MediaStore;
use staffroom_federation::LocalUrls;
use staffroom_federation::context::{Data, FederationConfig};
use staffroom_federation::events::EventHub;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::api::v1::streaming::Connections;
use crate::rate_limit::{InboxLimits, RateLimitSettings, RateLimits};

/// How the instance presents itself, as the server's configuration decided.
#[derive(Debug, Clone)]
pub struct InstanceSettings {
    pub urls: LocalUrls,
    pub title: String,
    pub description: String,
    /// The instance's rules, in order.
    pub rules: Vec<String>,
    /// The privacy policy as its administrators wrote it; empty for the built-in one.
    pub privacy_policy: String,
    pub contact_email: String,
    pub source_url: String,
    pub registrations: RegistrationMode,
    /// Whether `POST /oauth/token` takes the password grant (for test clients).
    pub password_grant: bool,
    /// Where media files are kept: a folder or a bucket.
    pub media: MediaStore,
    /// The largest upload of each kind of media.
    pub media_limits: staffroom_domain::media::MediaLimits,
    /// How many requests clients may make.
    pub rate_limits: RateLimitSettings,
    /// The bearer token `GET /metrics` asks for (`None`: no metrics).
    pub metrics_token: Option<String>,
    /// Whether the instance sends mail (an SMTP server is configured): then new
    /// addresses are confirmed by a mailed link.
    pub sends_mail: bool,
    /// Whether moderators and administrators must set up two-factor sign-in
    /// before they can use the web app.
    pub require_two_factor_for_staff: bool,
    /// The instance's VAPID public key (base64url), shown to apps for Web Push.
    pub vapid_public_key: String,
    /// Whether push endpoints may be plain http on loopback or private addresses
    /// (the federation test mode), never so in production.
    pub push_to_private_addresses: bool,
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
    media: MediaStore,
    /// Image processing takes much memory and a whole core: one upload at a time
    /// per process, the others wait their turn.
    processing: Semaphore,
    /// The open streaming connections, counted per token.
    streaming: Connections,
    /// This process's rate-limit counters.
    rate_limits: RateLimits,
    /// This process's counts of inbox deliveries per sending server.
    inbox_limits: InboxLimits,
    /// This process's count of answers, by status class.
    answers: crate::metrics::Answers,
    /// The WebFinger answers this process found lately.
    webfinger_answers: crate::well_known::webfinger::Answers,
    /// When this process started (and read its settings).
    started_at: chrono::DateTime<chrono::Utc>,
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
        let rate_limits = RateLimits::new(settings.rate_limits);
        let inbox_limits = InboxLimits::new(settings.rate_limits.inbox_per_server_per_minute);
        Self {
            inner: Arc::new(Inner {
                db,
                media: settings.media.clone(),
                processing: Semaphore::new(1),
                settings,
                federation,
                streaming: Connections::default(),
                rate_limits,
                inbox_limits,
                answers: crate::metrics::Answers::default(),
                webfinger_answers: Default::default(),
                started_at: chrono::Utc::now(),
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

    /// When this process started, and read the settings it runs with.
    pub fn started_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.started_at
    }

    /// Where media files are kept.
    pub fn media(&self) -> &MediaStore {
        &self.inner.media
    }

    /// Waits for the turn to process an upload; the turn lasts as long as the
    /// permit is held.
    pub async fn processing_turn(&self) -> Option<SemaphorePermit<'_>> {
        self.inner.processing.acquire().await.ok()
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

    /// This process's rate-limit counters.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.inner.rate_limits
    }

    /// This process's counts of inbox deliveries per sending server.
    pub fn inbox_limits(&self) -> &InboxLimits {
        &self.inner.inbox_limits
    }

    /// This process's count of answers, by status class.
    pub fn answers(&self) -> &crate::metrics::Answers {
        &self.inner.answers
    }

    /// The WebFinger answers this process found lately.
    pub fn webfinger_answers(&self) -> &crate::well_known::webfinger::Answers {
        &self.inner.webfinger_answers
    }
}
