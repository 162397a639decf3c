//! The worker that copies remote media into this instance's cache (see
//! `staffroom_domain::media::remote_cache`): it claims queued copies, fetches
//! each original through the guarded client (every hop checked, a redirect
//! limit, a body limit of the instance's upload limit, a time limit), and hands
//! the bytes over to be checked, cleaned and stored. Failures that may pass are
//! tried again later; the others leave the link to the original.

use std::time::Duration;

use chrono::Utc;
use staffroom_domain::media::remote_cache::{self, Fetch, Target};
use staffroom_domain::media::{MediaLimits, MediaStore};
use staffroom_domain::{Database, Error as DomainError};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::guard::{self, FetchError, Limits, Reach};

/// Copies claimed at once, and fetched side by side.
const BATCH: u64 = 4;
/// How often the queue is looked at when it was empty.
const POLL: Duration = Duration::from_secs(1);
/// How long one copy may take to fetch, redirects included.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(60);
/// The most redirects followed to an original.
pub const MAX_REDIRECTS: usize = 3;

/// Copies remote media into the cache until told to stop.
#[derive(Debug, Clone)]
pub struct RemoteMediaWorker {
    db: Database,
    client: reqwest::Client,
    reach: Reach,
    allow_http: bool,
    store: MediaStore,
    limits: MediaLimits,
}

impl RemoteMediaWorker {
    /// A worker fetching with `client` (whose resolver guards with `reach`),
    /// over plain http too if `allow_http`, storing in `store` under `limits`.
    pub fn new(
        db: Database,
        client: reqwest::Client,
        reach: Reach,
        allow_http: bool,
        store: MediaStore,
        limits: MediaLimits,
    ) -> Self {
        Self {
            db,
            client,
            reach,
            allow_http,
            store,
            limits,
        }
    }

    /// Runs until `stopped` turns true; copies under way are finished first.
    pub async fn run(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if *stopped.borrow() {
                break;
            }
            let claimed = match remote_cache::claim(&self.db, Utc::now(), BATCH).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot claim remote media to copy");
                    Vec::new()
                }
            };
            if claimed.is_empty() {
                tokio::select! {
                    _ = stopped.changed() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
                continue;
            }
            let mut tasks = JoinSet::new();
            for fetch in claimed {
                let worker = self.clone();
                tasks.spawn(async move { worker.copy(fetch).await });
            }
            while tasks.join_next().await.is_some() {}
        }
    }

    /// Makes the copy `fetch` once, and tells the queue how it went.
    pub async fn copy(&self, fetch: Fetch) {
        let result = self.try_copy(&fetch).await;
        let told = match result {
            Ok(()) => remote_cache::finish(&self.db, fetch.id).await,
            Err(Failure::Lasting(why)) => {
                tracing::info!(url = ?fetch.url, why, "remote media left as a link");
                remote_cache::give_up(&self.db, &self.store, &fetch).await
            }
            Err(Failure::Passing(why)) => {
                tracing::info!(url = ?fetch.url, why, "remote media copy failed");
                remote_cache::failed(&self.db, &self.store, &fetch, Utc::now())
                    .await
                    .map(|_| ())
            }
        };
        if let Err(e) = told {
            tracing::warn!(error = %e, "cannot record a remote media copy");
        }
    }

    async fn try_copy(&self, fetch: &Fetch) -> Result<(), Failure> {
        let Some(url) = &fetch.url else {
            return Err(Failure::Lasting("nothing to copy".into()));
        };
        let max_bytes = match fetch.target {
            Target::Attachment => self.limits.largest(),
            Target::Avatar | Target::Header => self.limits.image,
        };
        let limits = Limits {
            max_bytes,
            max_redirects: MAX_REDIRECTS,
            timeout: FETCH_TIMEOUT,
            allow_http: self.allow_http,
        };
        let bytes = guard::get(&self.client, &self.reach, url, limits)
            .await
            .map_err(|e| match e {
                FetchError::TimedOut | FetchError::Failed(_) => Failure::Passing(e.to_string()),
                FetchError::Status(code) if code == 408 || code == 429 || code >= 500 => {
                    Failure::Passing(e.to_string())
                }
                other => Failure::Lasting(other.to_string()),
            })?;
        remote_cache::store(
            &self.db,
            &self.store,
            fetch,
            url,
            bytes,
            self.limits,
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            DomainError::Invalid { .. } => Failure::Lasting(e.to_string()),
            other => Failure::Passing(other.to_string()),
        })
    }
}

/// Why a copy was not made.
enum Failure {
    /// It may work later.
    Passing(String),
    /// It will not.
    Lasting(String),
}
