//! The Web Push worker: claims queued pushes from the database, writes each
//! payload (`staffroom_http`), encrypts and signs it and posts it to the push
//! service (`staffroom_federation::push`), and records the outcome: sent pushes
//! leave the queue, failing ones are retried with back-off, and a subscription the
//! push service calls gone (404, 410), whose endpoint is no longer acceptable, or
//! whose token was revoked, is removed.

use std::time::Duration;

use chrono::Utc;
use staffroom_domain::notifications::push::{self, Outcome, QueuedPush, VapidKey};
use staffroom_federation::push::{Sent, check_endpoint, encrypt, send, vapid_authorization};
use staffroom_http::AppState;
use tokio::sync::watch;

/// How often the queue is looked at when it was empty.
const POLL_EVERY: Duration = Duration::from_millis(500);
/// How many pushes one round claims.
const BATCH: u64 = 20;
/// How long a claim holds, after which another worker may take the push over.
const LEASE: Duration = Duration::from_secs(2 * 60);

/// The worker that sends queued pushes.
pub(crate) struct PushWorker {
    state: AppState,
    client: reqwest::Client,
    key: VapidKey,
    /// Who the push services may contact: `mailto:` the instance's contact, or its
    /// URL.
    subject: String,
    /// Whether endpoints on loopback and private addresses are allowed (test mode).
    private_allowed: bool,
}

impl PushWorker {
    /// A worker for the instance of `state`, signing with `key`, sending through
    /// `client`.
    pub(crate) fn new(
        state: AppState,
        client: reqwest::Client,
        key: VapidKey,
        private_allowed: bool,
    ) -> Self {
        let settings = state.settings();
        let subject = if settings.contact_email.trim().is_empty() {
            settings.urls.origin()
        } else {
            format!("mailto:{}", settings.contact_email.trim())
        };
        Self {
            state,
            client,
            key,
            subject,
            private_allowed,
        }
    }

    /// Sends due pushes until `stopped` says to stop, between pushes.
    pub(crate) async fn run(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if *stopped.borrow() {
                break;
            }
            let claimed = match push::claim(self.state.db(), BATCH, LEASE, Utc::now()).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "the push queue could not be read");
                    Vec::new()
                }
            };
            if claimed.is_empty() {
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = tokio::time::sleep(POLL_EVERY) => continue,
                }
            }
            for queued in claimed {
                if let Err(e) = self.send(&queued).await {
                    tracing::warn!(id = queued.id, error = %e, "a push's outcome could not be recorded");
                }
                if *stopped.borrow() {
                    break;
                }
            }
        }
    }

    /// Sends one push and records how it went. Neither the payload nor the
    /// subscription's keys are logged.
    async fn send(&self, queued: &QueuedPush) -> Result<(), staffroom_domain::Error> {
        let db = self.state.db();
        let subscription = &queued.subscription;
        if !push::token_holds(db, subscription).await? {
            tracing::info!(
                id = subscription.id,
                "push subscription of a revoked token removed"
            );
            return push::remove(db, subscription.id).await;
        }
        let endpoint = match check_endpoint(&subscription.endpoint, self.private_allowed) {
            Ok(endpoint) => endpoint,
            Err(reason) => {
                tracing::info!(id = subscription.id, reason, "push subscription removed");
                return push::remove(db, subscription.id).await;
            }
        };
        let payload = match staffroom_http::push_payload(&self.state, queued).await {
            Ok(Some(payload)) => payload,
            // Nothing to tell any more.
            Ok(None) => return push::sent(db, queued).await,
            Err(e) => return self.failed(queued, &format!("{e:?}")).await,
        };
        let now = Utc::now();
        let prepared =
            encrypt(&payload, &subscription.p256dh, &subscription.auth).and_then(|body| {
                vapid_authorization(&endpoint, &self.key, &self.subject, now)
                    .map(|authorization| (body, authorization))
            });
        let (body, authorization) = match prepared {
            Ok(prepared) => prepared,
            Err(e) => {
                // A key that cannot be used will not become usable: the push is
                // dropped.
                tracing::warn!(id = queued.id, error = %e, "a push could not be encrypted");
                return push::sent(db, queued).await;
            }
        };
        match send(&self.client, endpoint, &authorization, body).await {
            Sent::Accepted => {
                tracing::debug!(id = queued.id, "push sent");
                push::sent(db, queued).await
            }
            Sent::Gone => {
                tracing::info!(
                    id = subscription.id,
                    "the push service no longer knows a subscription: removed"
                );
                push::remove(db, subscription.id).await
            }
            Sent::Failed(error) => self.failed(queued, &error).await,
        }
    }

    async fn failed(
        &self,
        queued: &QueuedPush,
        error: &str,
    ) -> Result<(), staffroom_domain::Error> {
        match push::failed(self.state.db(), queued, error, Utc::now()).await? {
            Outcome::RetryAt(at) => {
                tracing::warn!(id = queued.id, %error, retry_at = %at, "push not sent");
            }
            Outcome::GivenUp => {
                tracing::warn!(id = queued.id, %error, "push not sent, and given up");
            }
        }
        Ok(())
    }
}
