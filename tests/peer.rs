//! A stand-in for another fediverse server, built on the ActivityPub library alone
//! (none of Staffroom's code): one person, `peer`, who can send signed activities to
//! an inbox, and an inbox of its own that checks signatures and records what arrives.
//! Its inbox can be told to answer 503, to play a server that is down. It can also
//! serve other documents at paths of its own (another actor, a post), to play a
//! server with more on it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use activitypub_federation::axum::inbox::{ActivityData, receive_activity};
use activitypub_federation::config::{Data, FederationConfig};
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::http_signatures::{Keypair, generate_actor_keypair};
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Activity, Actor, Object};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use url::Url;

type PeerError = activitypub_federation::error::Error;

/// A file the peer serves: its media type and bytes.
type ServedFile = (String, Vec<u8>);

/// What the peer knows and records.
#[derive(Clone)]
pub struct PeerData {
    person: Arc<Mutex<PeerPerson>>,
    /// Members added to (or replacing those of) the person's actor document.
    described: Arc<Mutex<serde_json::Map<String, Value>>>,
    received: Arc<Mutex<Vec<Value>>>,
    down: Arc<AtomicBool>,
    /// Other documents served, by path.
    documents: Arc<Mutex<std::collections::HashMap<String, Value>>>,
    /// Files served (media type and bytes), by path.
    files: Arc<Mutex<std::collections::HashMap<String, ServedFile>>>,
    /// How many times each file was fetched, by path.
    file_fetches: Arc<Mutex<std::collections::HashMap<String, usize>>>,
}

/// The peer's one person.
#[derive(Clone, Debug)]
struct PeerPerson {
    id: Url,
    inbox: Url,
    keys: Keypair,
}

/// A server the peer heard from, known only by what signature checks need.
#[derive(Clone, Debug)]
pub struct SenderActor {
    id: Url,
    inbox: Url,
    public_key_pem: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SenderActorJson {
    id: Url,
    inbox: Url,
    public_key: SenderKey,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SenderKey {
    public_key_pem: String,
}

#[async_trait::async_trait]
impl Object for SenderActor {
    type DataType = PeerData;
    type Kind = SenderActorJson;
    type Error = PeerError;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(_id: Url, _data: &Data<PeerData>) -> Result<Option<Self>, PeerError> {
        // Always fetch: the peer keeps no cache, so every key is the sender's current one.
        Ok(None)
    }

    async fn into_json(self, _data: &Data<PeerData>) -> Result<SenderActorJson, PeerError> {
        Ok(SenderActorJson {
            id: self.id,
            inbox: self.inbox,
            public_key: SenderKey {
                public_key_pem: self.public_key_pem,
            },
        })
    }

    async fn verify(
        json: &SenderActorJson,
        expected_domain: &Url,
        _data: &Data<PeerData>,
    ) -> Result<(), PeerError> {
        verify_domains_match(&json.id, expected_domain)
    }

    async fn from_json(json: SenderActorJson, _data: &Data<PeerData>) -> Result<Self, PeerError> {
        Ok(Self {
            id: json.id,
            inbox: json.inbox,
            public_key_pem: json.public_key.public_key_pem,
        })
    }
}

impl Actor for SenderActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        None
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}

/// The peer's person as a signing actor (for the library's signed requests).
#[async_trait::async_trait]
impl Object for PeerPerson {
    type DataType = PeerData;
    type Kind = SenderActorJson;
    type Error = PeerError;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(_id: Url, _data: &Data<PeerData>) -> Result<Option<Self>, PeerError> {
        Ok(None)
    }

    async fn into_json(self, _data: &Data<PeerData>) -> Result<SenderActorJson, PeerError> {
        Ok(SenderActorJson {
            id: self.id,
            inbox: self.inbox,
            public_key: SenderKey {
                public_key_pem: self.keys.public_key,
            },
        })
    }

    async fn verify(
        _json: &SenderActorJson,
        _expected_domain: &Url,
        _data: &Data<PeerData>,
    ) -> Result<(), PeerError> {
        Ok(())
    }

    async fn from_json(_json: SenderActorJson, _data: &Data<PeerData>) -> Result<Self, PeerError> {
        Err(PeerError::NotFound)
    }
}

impl Actor for PeerPerson {
    fn public_key_pem(&self) -> &str {
        &self.keys.public_key
    }

    fn private_key_pem(&self) -> Option<String> {
        Some(self.keys.private_key.clone())
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}

/// Any activity: recorded whole once its signature checks out.
#[derive(Debug, Deserialize)]
pub struct AnyActivity {
    id: Url,
    actor: ObjectId<SenderActor>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

#[async_trait::async_trait]
impl Activity for AnyActivity {
    type DataType = PeerData;
    type Error = PeerError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<PeerData>) -> Result<(), PeerError> {
        Ok(())
    }

    async fn receive(self, data: &Data<PeerData>) -> Result<(), PeerError> {
        let mut whole = self.rest;
        whole.insert("id".into(), self.id.to_string().into());
        whole.insert("actor".into(), self.actor.inner().to_string().into());
        data.received
            .lock()
            .expect("the lock")
            .push(Value::Object(whole));
        Ok(())
    }
}

/// A running peer.
pub struct Peer {
    /// `http://localhost:PORT`
    pub base: String,
    /// The peer person's id.
    pub actor_id: String,
    config: FederationConfig<PeerData>,
    data: PeerData,
    http: reqwest::Client,
    signing: reqwest_middleware::ClientWithMiddleware,
}

impl std::fmt::Debug for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peer")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Peer {
    /// Starts a peer on a loopback port, named `localhost:PORT`.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("an address").port();
        let domain = format!("localhost:{port}");
        let base = format!("http://{domain}");
        let person = PeerPerson {
            id: Url::parse(&format!("{base}/users/peer")).expect("a URL"),
            inbox: Url::parse(&format!("{base}/users/peer/inbox")).expect("a URL"),
            keys: generate_actor_keypair().expect("a key pair"),
        };
        let data = PeerData {
            person: Arc::new(Mutex::new(person.clone())),
            described: Arc::default(),
            received: Arc::default(),
            down: Arc::default(),
            documents: Arc::default(),
            files: Arc::default(),
            file_fetches: Arc::default(),
        };
        let config = FederationConfig::builder()
            .domain(domain)
            .app_data(data.clone())
            .signed_fetch_actor(&person)
            .debug(true)
            .build()
            .await
            .expect("a federation config");
        let app = Router::new()
            .route("/users/peer", get(actor))
            .route("/users/peer/inbox", post(inbox))
            .route("/inbox", post(inbox))
            .fallback(get(document))
            .with_state(config.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            actor_id: person.id.to_string(),
            base,
            config,
            data,
            http: reqwest::Client::new(),
            signing: reqwest_middleware::ClientBuilder::new(reqwest::Client::new()).build(),
        }
    }

    /// Adds the members of `extra` (an object) to the person's actor document from
    /// now on, replacing those it has (`type`, say).
    pub fn describe(&self, extra: Value) {
        if let Value::Object(members) = extra {
            *self.data.described.lock().expect("the lock") = members;
        }
    }

    /// Gives the peer person a new key pair, served from now on and used for
    /// everything it signs (as after a server's key rotation).
    pub async fn rotate_key(&mut self) {
        let mut person = self.data.person.lock().expect("the lock").clone();
        person.keys = generate_actor_keypair().expect("a key pair");
        *self.data.person.lock().expect("the lock") = person.clone();
        self.config = FederationConfig::builder()
            .domain(self.domain())
            .app_data(self.data.clone())
            .signed_fetch_actor(&person)
            .debug(true)
            .build()
            .await
            .expect("a federation config");
    }

    /// Serves `document` at `path` (`/post/7`) from now on; `None` takes it away
    /// (it answers 404, as a deleted post does).
    pub fn serve(&self, path: &str, document: Option<Value>) {
        let mut documents = self.data.documents.lock().expect("the lock");
        match document {
            Some(document) => documents.insert(path.to_owned(), document),
            None => documents.remove(path),
        };
    }

    /// Serves the file `bytes` of `content_type` at `path` (`/files/a.jpg`).
    pub fn serve_file(&self, path: &str, content_type: &str, bytes: Vec<u8>) {
        self.data
            .files
            .lock()
            .expect("the lock")
            .insert(path.to_owned(), (content_type.to_owned(), bytes));
    }

    /// How many times the file at `path` was fetched.
    pub fn file_fetches(&self, path: &str) -> usize {
        self.data
            .file_fetches
            .lock()
            .expect("the lock")
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Makes the inbox answer 503 (with `Retry-After: 1`) while `down`.
    pub fn set_down(&self, down: bool) {
        self.data.down.store(down, Ordering::SeqCst);
    }

    /// A new activity id on the peer.
    pub fn new_id(&self, kind: &str) -> String {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        format!(
            "{}/activities/{kind}/{}",
            self.base,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// A new activity of `kind` by the peer person about `object`.
    pub fn activity(&self, kind: &str, object: impl Into<Value>) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.new_id(&kind.to_ascii_lowercase()),
            "type": kind,
            "actor": self.actor_id,
            "object": object.into(),
        })
    }

    /// The peer person joins `group` (an actor id) as a Lemmy user joins a
    /// community: a `Follow` addressed to the group, posted to `{group}/inbox`.
    /// Returns the `Follow` once the group's inbox took it.
    pub async fn join(&self, group: &str) -> Value {
        let follow = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.new_id("follow"),
            "type": "Follow",
            "actor": self.actor_id,
            "object": group,
            "to": [group],
        });
        let status = self.send(&format!("{group}/inbox"), &follow).await;
        assert_eq!(status, 202, "the group's inbox took the follow");
        follow
    }

    /// Posts `activity` to `inbox`, signed by the peer person as the library signs;
    /// returns the status the inbox answered.
    pub async fn send(&self, inbox: &str, activity: &Value) -> u16 {
        let body = serde_json::to_vec(activity).expect("JSON");
        self.send_bytes(inbox, body).await
    }

    /// Posts `activity` to `inbox`, signed by the peer person with `date` in its
    /// signed `Date` header (to play a request that is old, or from the future).
    pub async fn send_dated(&self, inbox: &str, activity: &Value, date: SystemTime) -> u16 {
        let url = Url::parse(inbox).expect("an inbox URL");
        let host = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port().unwrap_or(80)
        );
        let builder = self
            .signing
            .post(url)
            .header("content-type", "application/activity+json")
            .header("host", host)
            .header("date", httpdate::fmt_http_date(date));
        let body = serde_json::to_vec(activity).expect("JSON");
        let request = self
            .config
            .to_request_data()
            .sign_request(builder, body.into())
            .await
            .expect("a signed request");
        self.http
            .execute(request)
            .await
            .expect("an answer")
            .status()
            .as_u16()
    }

    /// Posts `body` (any bytes) to `inbox`, signed by the peer person.
    pub async fn send_bytes(&self, inbox: &str, body: Vec<u8>) -> u16 {
        let url = Url::parse(inbox).expect("an inbox URL");
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        let builder = self
            .signing
            .post(url)
            .header("content-type", "application/activity+json")
            .header("host", host)
            .header("date", httpdate::fmt_http_date(SystemTime::now()));
        let data = self.config.to_request_data();
        let request = data
            .sign_request(builder, body.into())
            .await
            .expect("a signed request");
        self.http
            .execute(request)
            .await
            .expect("an answer")
            .status()
            .as_u16()
    }

    /// A signed request posting `activity` to `inbox`, ready to send (for load
    /// generators that sign ahead of time).
    pub async fn signed_request(&self, inbox: &str, activity: &Value) -> reqwest::Request {
        let url = Url::parse(inbox).expect("an inbox URL");
        let host = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port().unwrap_or(80)
        );
        let builder = self
            .signing
            .post(url)
            .header("content-type", "application/activity+json")
            .header("host", host)
            .header("date", httpdate::fmt_http_date(SystemTime::now()));
        let body = serde_json::to_vec(activity).expect("JSON");
        self.config
            .to_request_data()
            .sign_request(builder, body.into())
            .await
            .expect("a signed request")
    }

    /// Posts `activity` to `inbox` with `change` applied to the signed request before
    /// it is sent (to forge or damage it); returns the status.
    pub async fn send_altered(
        &self,
        inbox: &str,
        activity: &Value,
        change: impl FnOnce(&mut reqwest::Request),
    ) -> u16 {
        let url = Url::parse(inbox).expect("an inbox URL");
        let host = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port().unwrap_or(80)
        );
        let builder = self
            .signing
            .post(url)
            .header("content-type", "application/activity+json")
            .header("host", host)
            .header("date", httpdate::fmt_http_date(SystemTime::now()));
        let body = serde_json::to_vec(activity).expect("JSON");
        let data = self.config.to_request_data();
        let mut request = data
            .sign_request(builder, body.into())
            .await
            .expect("a signed request");
        change(&mut request);
        self.http
            .execute(request)
            .await
            .expect("an answer")
            .status()
            .as_u16()
    }

    /// `GET url` for ActivityPub JSON, signed by the peer person as the library signs
    /// its fetches; returns the status and the body.
    pub async fn signed_get(&self, url: &str) -> (u16, Value) {
        let parsed = Url::parse(url).expect("a URL");
        let host = match parsed.port() {
            Some(port) => format!("{}:{port}", parsed.host_str().unwrap_or_default()),
            None => parsed.host_str().unwrap_or_default().to_owned(),
        };
        let builder = self
            .signing
            .get(parsed)
            .header("accept", "application/activity+json")
            .header("host", host)
            .header("date", httpdate::fmt_http_date(SystemTime::now()));
        let data = self.config.to_request_data();
        let request = data
            .sign_request(builder, Vec::new().into())
            .await
            .expect("a signed request");
        let response = self.http.execute(request).await.expect("an answer");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// The peer's domain, as rules name it (`localhost:PORT`).
    pub fn domain(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Everything the peer's inbox accepted so far.
    pub fn received(&self) -> Vec<Value> {
        self.data.received.lock().expect("the lock").clone()
    }

    /// Waits (up to `limit`) until an activity matching `wanted` has arrived.
    pub async fn wait_for(&self, limit: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            if let Some(found) = self.received().into_iter().find(|a| wanted(a)) {
                return found;
            }
            assert!(
                started.elapsed() < limit,
                "nothing wanted arrived within {limit:?}: {:?}",
                self.received()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// `GET /users/peer`
async fn actor(State(config): State<FederationConfig<PeerData>>) -> Response {
    let person = config
        .to_request_data()
        .person
        .lock()
        .expect("the lock")
        .clone();
    let described = config
        .to_request_data()
        .described
        .lock()
        .expect("the lock")
        .clone();
    let mut document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": person.id,
        "type": "Person",
        "preferredUsername": "peer",
        "name": "Pat Peer <b>(head)</b>",
        "summary": "<p>Head of a <script>alert(1)</script>primary school</p>",
        "inbox": person.inbox,
        "outbox": format!("{}/outbox", person.id),
        "followers": format!("{}/followers", person.id),
        "endpoints": {"sharedInbox": person.inbox.as_str().replace("/users/peer/inbox", "/inbox")},
        "publicKey": {
            "id": format!("{}#main-key", person.id),
            "owner": person.id,
            "publicKeyPem": person.keys.public_key,
        },
    });
    if let Value::Object(members) = &mut document {
        members.extend(described);
    }
    (
        [("content-type", "application/activity+json")],
        document.to_string(),
    )
        .into_response()
}

/// Any other `GET`: a file served with [`Peer::serve_file`], a document served
/// with [`Peer::serve`], or 404.
async fn document(
    State(config): State<FederationConfig<PeerData>>,
    uri: axum::http::Uri,
) -> Response {
    let data = config.to_request_data();
    let file = data
        .files
        .lock()
        .expect("the lock")
        .get(uri.path())
        .cloned();
    if let Some((content_type, bytes)) = file {
        *data
            .file_fetches
            .lock()
            .expect("the lock")
            .entry(uri.path().to_owned())
            .or_default() += 1;
        return ([("content-type", content_type)], bytes).into_response();
    }
    let found = config
        .to_request_data()
        .documents
        .lock()
        .expect("the lock")
        .get(uri.path())
        .cloned();
    match found {
        Some(document) => (
            [("content-type", "application/activity+json")],
            document.to_string(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /inbox` and `/users/peer/inbox`
async fn inbox(
    State(config): State<FederationConfig<PeerData>>,
    activity: ActivityData,
) -> Response {
    let data = config.to_request_data();
    if data.down.load(Ordering::SeqCst) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "1")],
            "down",
        )
            .into_response();
    }
    match receive_activity::<AnyActivity, SenderActor, PeerData>(activity, &data).await {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(e) => (StatusCode::UNAUTHORIZED, e.to_string()).into_response(),
    }
}
