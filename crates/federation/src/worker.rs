//! The delivery worker: claims due deliveries from the queue, signs each at send time
//! with its actor's key, sends it, and reports the outcome. Deliveries to one server
//! go out one after another, in order; different servers are served side by side, so
//! a slow or failing server holds up nobody else.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, TimeDelta, Utc};
use http_signature_normalization_reqwest::prelude::{Config, SignExt};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, DATE, HeaderMap, RETRY_AFTER};
use sha2::{Digest, Sha256};

use staffroom_domain::delivery::queue::{self, Claimed, Retry};
use tokio::sync::{Mutex, watch};
use tokio::task::JoinSet;

use crate::context::FederationData;
use crate::guard::{self, Reach};
use crate::objects::actor;

/// Deliveries claimed at once.
const BATCH: u64 = 64;
/// How long a claim holds; a worker that dies lets others take over after this.
const LEASE: Duration = Duration::from_secs(120);
/// How often the queue is looked at when nothing wakes the worker.
const POLL: Duration = Duration::from_secs(1);
/// Signatures stay valid this long (clocks differ; queues are slow).
const SIGNATURE_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// What came of one attempt.
#[derive(Debug)]
enum Outcome {
    Delivered,
    /// The server answered and will never take it (4xx other than 408 and 429).
    Refused(String),
    /// The server could not take it now.
    Failed {
        error: String,
        retry_after: Option<DateTime<Utc>>,
    },
}

/// A signing key and the id it is published under. Signing uses ring, which signs
/// RSA-2048 about 2.7 times as fast as the RustCrypto crate on this kind of machine
/// (see docs/benchmarks.md); signing is what bounds delivery.
#[derive(Clone)]
struct SigningKey {
    key_id: String,
    key: Arc<ring::rsa::KeyPair>,
}

/// Sends what the queue holds until told to stop.
#[derive(Clone)]
pub struct DeliveryWorker {
    data: FederationData,
    client: reqwest::Client,
    /// What may be reached: the client's resolver checks names, this the
    /// addresses an inbox URL may name itself.
    reach: Reach,
    keys: Arc<Mutex<HashMap<i64, SigningKey>>>,
}

impl std::fmt::Debug for DeliveryWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveryWorker").finish_non_exhaustive()
    }
}

impl DeliveryWorker {
    pub fn new(data: FederationData, client: reqwest::Client, reach: Reach) -> Self {
        Self {
            data,
            client,
            reach,
            keys: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Runs until `stopped` turns true; a batch under way is finished first, and
    /// deliveries not yet tried are given back to the queue.
    pub async fn run(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if *stopped.borrow() {
                break;
            }
            let batch = match queue::claim(&self.data.db, BATCH, LEASE, Utc::now()).await {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot claim deliveries");
                    Vec::new()
                }
            };
            if batch.is_empty() {
                tokio::select! {
                    _ = stopped.changed() => {}
                    () = self.data.wake_delivery.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
                continue;
            }
            self.send_batch(batch, &stopped).await;
        }
        tracing::info!("delivery worker stopped");
    }

    async fn send_batch(&self, batch: Vec<Claimed>, stopped: &watch::Receiver<bool>) {
        let mut by_domain: Vec<(String, Vec<Claimed>)> = Vec::new();
        for claimed in batch {
            match by_domain
                .iter_mut()
                .find(|(domain, _)| *domain == claimed.domain)
            {
                Some((_, list)) => list.push(claimed),
                None => by_domain.push((claimed.domain.clone(), vec![claimed])),
            }
        }
        let mut tasks = JoinSet::new();
        for (_, deliveries) in by_domain {
            let worker = self.clone();
            let stopped = stopped.clone();
            tasks.spawn(async move { worker.send_to_one_server(deliveries, stopped).await });
        }
        while tasks.join_next().await.is_some() {}
    }

    /// Sends one server's deliveries in order; after a failure the rest wait for the
    /// next round instead of piling more time-outs on a server in trouble.
    async fn send_to_one_server(&self, deliveries: Vec<Claimed>, stopped: watch::Receiver<bool>) {
        let db = &self.data.db;
        let mut rest = deliveries.into_iter();
        while let Some(claimed) = rest.next() {
            let outcome = self.attempt(&claimed).await;
            let now = Utc::now();
            let reported = match &outcome {
                Outcome::Delivered => queue::succeeded(db, &claimed, now).await,
                Outcome::Refused(error) => {
                    tracing::warn!(inbox = %claimed.inbox, activity = %claimed.activity_uri, %error, "delivery refused");
                    queue::failed(db, &claimed, error, Retry::Never, now).await
                }
                Outcome::Failed { error, retry_after } => {
                    let at =
                        retry_after.unwrap_or_else(|| now + queue::backoff(claimed.attempts + 1));
                    tracing::info!(inbox = %claimed.inbox, attempts = claimed.attempts + 1, %error, retry_at = %at, "delivery failed");
                    queue::failed(db, &claimed, error, Retry::At(at), now).await
                }
            };
            if let Err(e) = reported {
                tracing::error!(error = %e, "cannot record a delivery's outcome");
            }
            if matches!(outcome, Outcome::Failed { .. }) || *stopped.borrow() {
                for untried in rest.by_ref() {
                    if let Err(e) = queue::release(db, &untried).await {
                        tracing::error!(error = %e, "cannot give a delivery back");
                    }
                }
            }
        }
    }

    async fn attempt(&self, claimed: &Claimed) -> Outcome {
        // The rules may have changed since the activity was queued.
        if !crate::policy::permits_url(&self.data, &claimed.inbox).await {
            return Outcome::Refused("this instance no longer federates with that server".into());
        }
        // An inbox at an address (not a name) never meets the resolver's check.
        let Ok(inbox) = url::Url::parse(&claimed.inbox) else {
            return Outcome::Refused("the inbox is not a URL".into());
        };
        if let Err(refused) = guard::check_url(&inbox, &self.reach, true) {
            return Outcome::Refused(refused.to_string());
        }
        let key = match self.signing_key(claimed.actor_id).await {
            Ok(key) => key,
            Err(error) => return Outcome::Refused(format!("no signing key: {error}")),
        };
        let request = self
            .client
            .post(&claimed.inbox)
            .header(CONTENT_TYPE, "application/activity+json")
            .header(ACCEPT, "application/activity+json")
            .header(DATE, httpdate::fmt_http_date(SystemTime::now()));
        let config = Config::new()
            .mastodon_compat()
            .set_expiration(SIGNATURE_LIFETIME);
        let private = key.key.clone();
        let signed = request
            .signature_with_digest(
                config,
                key.key_id.clone(),
                Sha256::new(),
                claimed.body.clone(),
                move |signing_string| {
                    let mut signature = vec![0; private.public().modulus_len()];
                    private
                        .sign(
                            &ring::signature::RSA_PKCS1_SHA256,
                            &ring::rand::SystemRandom::new(),
                            signing_string.as_bytes(),
                            &mut signature,
                        )
                        .map_err(|e| SignFailure(e.to_string()))?;
                    Ok::<_, SignFailure>(BASE64.encode(signature))
                },
            )
            .await;
        let request = match signed {
            Ok(request) => request,
            Err(e) => return Outcome::Refused(format!("signing failed: {e}")),
        };
        match self.client.execute(request).await {
            Ok(response) => classify(response.status(), response.headers()),
            Err(e) => Outcome::Failed {
                error: format!("{e}"),
                retry_after: None,
            },
        }
    }

    async fn signing_key(&self, actor_id: i64) -> Result<SigningKey, String> {
        if let Some(key) = self.keys.lock().await.get(&actor_id) {
            return Ok(key.clone());
        }
        let account = staffroom_domain::accounts::account::get_sender(&self.data.db, actor_id)
            .await
            .map_err(|e| e.to_string())?;
        let pem = staffroom_domain::accounts::remote::private_key(&self.data.db, actor_id)
            .await
            .map_err(|e| e.to_string())?;
        let der = pem_to_der(&pem)?;
        let key = Arc::new(ring::rsa::KeyPair::from_pkcs8(&der).map_err(|e| e.to_string())?);
        let signing = SigningKey {
            key_id: format!("{}#main-key", actor::actor_id(&self.data.urls, &account)),
            key,
        };
        self.keys.lock().await.insert(actor_id, signing.clone());
        Ok(signing)
    }
}

/// The DER bytes of a PEM document (a PKCS#8 private key here).
fn pem_to_der(pem: &str) -> Result<Vec<u8>, String> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    BASE64
        .decode(body.trim())
        .map_err(|e| format!("the key is not PEM: {e}"))
}

/// A failure inside the signing callback.
#[derive(Debug)]
struct SignFailure(String);

impl From<http_signature_normalization_reqwest::SignError> for SignFailure {
    fn from(e: http_signature_normalization_reqwest::SignError) -> Self {
        Self(e.to_string())
    }
}

impl From<reqwest::Error> for SignFailure {
    fn from(e: reqwest::Error) -> Self {
        Self(e.to_string())
    }
}

impl std::fmt::Display for SignFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an answer's status means for the delivery.
fn classify(status: StatusCode, headers: &HeaderMap) -> Outcome {
    if status.is_success() {
        return Outcome::Delivered;
    }
    let transient = status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS;
    if transient {
        Outcome::Failed {
            error: format!("the server answered {status}"),
            retry_after: retry_after(headers, Utc::now()),
        }
    } else {
        Outcome::Refused(format!("the server answered {status}"))
    }
}

/// The time a `Retry-After` header names (seconds or an HTTP date), at most a day on.
fn retry_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let at = match value.parse::<u64>() {
        Ok(seconds) => now + TimeDelta::seconds(i64::try_from(seconds).ok()?),
        Err(_) => DateTime::<Utc>::from(httpdate::parse_http_date(value).ok()?),
    };
    Some(at.clamp(now, now + TimeDelta::days(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn statuses_decide_between_done_retry_and_never() {
        let none = HeaderMap::new();
        assert!(matches!(
            classify(StatusCode::ACCEPTED, &none),
            Outcome::Delivered
        ));
        assert!(matches!(
            classify(StatusCode::GONE, &none),
            Outcome::Refused(_)
        ));
        assert!(matches!(
            classify(StatusCode::UNAUTHORIZED, &none),
            Outcome::Refused(_)
        ));
        for status in [
            StatusCode::REQUEST_TIMEOUT,
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::BAD_GATEWAY,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            assert!(
                matches!(classify(status, &none), Outcome::Failed { .. }),
                "{status}"
            );
        }
    }

    #[test]
    fn retry_after_is_read_in_seconds_or_as_a_date_and_capped() {
        let now = Utc::now();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(
            retry_after(&headers, now),
            Some(now + TimeDelta::seconds(120))
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("999999999"));
        assert_eq!(retry_after(&headers, now), Some(now + TimeDelta::days(1)));
        let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        let at = retry_after(&headers, now).unwrap();
        assert!((at - now - TimeDelta::seconds(600)).num_seconds().abs() <= 1);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}
