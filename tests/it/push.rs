//! Web Push: apps subscribe a token with the kinds of notification they want, and
//! the instance pushes each one to the subscription's endpoint, encrypted for the
//! subscriber (RFC 8291, `aes128gcm`) and signed with its VAPID key (RFC 8292).
//! The push service here is a server of the test on loopback that holds the
//! subscriber's keys, decrypts what it receives and checks the VAPID token.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::Method;
use ring::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::agreement::{ECDH_P256, EphemeralPrivateKey, UnparsedPublicKey, agree_ephemeral};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey as VerifyKey};
use serde_json::{Value, json};
use staffroom_tests::{TestInstance, eventually};

/// One message the push service received.
#[derive(Debug, Clone)]
struct Received {
    subscriber: String,
    authorization: String,
    content_encoding: String,
    ttl: String,
    body: Vec<u8>,
}

/// A push service on loopback: it keeps what it receives and answers each
/// subscriber's messages with the status set for it (201 unless told).
#[derive(Clone, Default)]
struct PushService {
    received: Arc<Mutex<Vec<Received>>>,
    gone: Arc<Mutex<Vec<String>>>,
}

async fn receive(
    State(service): State<PushService>,
    Path(subscriber): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    service.received.lock().unwrap().push(Received {
        subscriber: subscriber.clone(),
        authorization: header("authorization"),
        content_encoding: header("content-encoding"),
        ttl: header("ttl"),
        body: body.to_vec(),
    });
    if service.gone.lock().unwrap().contains(&subscriber) {
        StatusCode::GONE
    } else {
        StatusCode::CREATED
    }
}

impl PushService {
    /// Starts the service: its origin.
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .route("/push/{subscriber}", post(receive))
            .with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        origin
    }

    fn received_by(&self, subscriber: &str) -> Vec<Received> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.subscriber == subscriber)
            .cloned()
            .collect()
    }
}

/// A subscriber's keys, as a browser makes them. `ring`'s ECDH keys serve one
/// agreement, so a subscriber decrypts one message: each test expects one at most
/// per subscriber.
struct Subscriber {
    private: Option<EphemeralPrivateKey>,
    public: Vec<u8>,
    auth: [u8; 16],
}

impl Subscriber {
    fn new() -> Self {
        let rng = SystemRandom::new();
        let private = EphemeralPrivateKey::generate(&ECDH_P256, &rng).unwrap();
        let public = private.compute_public_key().unwrap().as_ref().to_vec();
        let mut auth = [0; 16];
        rng.fill(&mut auth).unwrap();
        Self {
            private: Some(private),
            public,
            auth,
        }
    }

    fn keys(&self) -> Value {
        json!({
            "p256dh": URL_SAFE_NO_PAD.encode(&self.public),
            "auth": URL_SAFE_NO_PAD.encode(self.auth),
        })
    }

    /// Decrypts an `aes128gcm` body as RFC 8291 says.
    fn decrypt(&mut self, body: &[u8]) -> Value {
        let salt = &body[..16];
        let record_size = u32::from_be_bytes(body[16..20].try_into().unwrap());
        assert_eq!(record_size, 4096);
        let id_length = usize::from(body[20]);
        assert_eq!(id_length, 65, "the key id is the sender's public key");
        let sender = &body[21..21 + id_length];
        let mut record = body[21 + id_length..].to_vec();
        let shared = agree_ephemeral(
            self.private.take().expect("one message per subscriber"),
            &UnparsedPublicKey::new(&ECDH_P256, sender),
            |secret| secret.to_vec(),
        )
        .unwrap();
        let mut key_info = b"WebPush: info\0".to_vec();
        key_info.extend_from_slice(&self.public);
        key_info.extend_from_slice(sender);
        let ikm = hkdf(&self.auth, &shared, &key_info, 32);
        let cek = hkdf(salt, &ikm, b"Content-Encoding: aes128gcm\0", 16);
        let nonce = hkdf(salt, &ikm, b"Content-Encoding: nonce\0", 12);
        let key = LessSafeKey::new(UnboundKey::new(&AES_128_GCM, &cek).unwrap());
        let plain = key
            .open_in_place(
                Nonce::try_assume_unique_for_key(&nonce).unwrap(),
                Aad::empty(),
                &mut record,
            )
            .expect("the body decrypts with the subscriber's keys");
        let end = plain.iter().rposition(|b| *b != 0).unwrap();
        assert_eq!(plain[end], 2, "one record, the last");
        serde_json::from_slice(&plain[..end]).unwrap()
    }
}

struct Length(usize);

impl ring::hkdf::KeyType for Length {
    fn len(&self) -> usize {
        self.0
    }
}

fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], length: usize) -> Vec<u8> {
    let prk = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, salt).extract(ikm);
    let info = [info];
    let okm = prk.expand(&info, Length(length)).unwrap();
    let mut out = vec![0; length];
    okm.fill(&mut out).unwrap();
    out
}

/// Checks the VAPID `Authorization` header: signed by `server_key`, for `origin`,
/// not expired, naming whom to contact. Its claims.
fn check_vapid(authorization: &str, server_key: &str, origin: &str) -> Value {
    let rest = authorization
        .strip_prefix("vapid ")
        .expect("a vapid header");
    let mut token = "";
    let mut key = "";
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(t) = part.strip_prefix("t=") {
            token = t;
        } else if let Some(k) = part.strip_prefix("k=") {
            key = k;
        }
    }
    assert_eq!(key, server_key);
    let (signing_input, signature) = token.rsplit_once('.').unwrap();
    VerifyKey::new(
        &ECDSA_P256_SHA256_FIXED,
        URL_SAFE_NO_PAD.decode(key).unwrap(),
    )
    .verify(
        signing_input.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).unwrap(),
    )
    .expect("the token is signed with the instance's VAPID key");
    let (header, claims) = signing_input.split_once('.').unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    assert_eq!(header["alg"], "ES256");
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["aud"], origin);
    let expires = claims["exp"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(expires > now && expires <= now + 24 * 60 * 60);
    assert!(claims["sub"].as_str().is_some_and(|s| !s.is_empty()));
    claims
}

#[tokio::test]
async fn a_mention_is_pushed_encrypted_to_the_subscriber_and_signed_by_the_instance() {
    let instance = TestInstance::start_for_apps().await;
    let service = PushService::default();
    let origin = service.start().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;

    let server_key = instance
        .anonymous()
        .get("/api/v2/instance")
        .await
        .expect(200)
        .body["configuration"]["vapid"]["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(URL_SAFE_NO_PAD.decode(&server_key).unwrap().len(), 65);
    let app = alice
        .get("/api/v1/apps/verify_credentials")
        .await
        .expect(200);
    assert_eq!(app.body["vapid_key"], server_key.as_str());

    let mut subscriber = Subscriber::new();
    let made = alice
        .post(
            "/api/v1/push/subscription",
            json!({
                "subscription": {"endpoint": format!("{origin}/push/alice"), "keys": subscriber.keys()},
                "data": {"alerts": {"mention": true, "favourite": true}, "policy": "all"},
            }),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(made["endpoint"], format!("{origin}/push/alice"));
    assert_eq!(made["server_key"], server_key.as_str());
    assert_eq!(made["policy"], "all");
    assert_eq!(made["alerts"]["mention"], true);
    assert_eq!(made["alerts"]["follow"], false, "alerts not given are off");
    assert_eq!(made["standard"], true);
    let shown = alice.get("/api/v1/push/subscription").await.expect(200);
    assert_eq!(shown.body["id"], made["id"]);

    bob.post(
        "/api/v1/statuses",
        json!({"status": "@alice the phonics scheme is <ready> for review"}),
    )
    .await
    .expect(200);
    eventually("the mention is pushed", || async {
        !service.received_by("alice").is_empty()
    })
    .await;
    let received = service.received_by("alice").remove(0);
    assert_eq!(received.content_encoding, "aes128gcm");
    assert!(received.ttl.parse::<u64>().unwrap() > 0);
    check_vapid(&received.authorization, &server_key, &origin);
    let payload = subscriber.decrypt(&received.body);
    assert_eq!(payload["notification_type"], "mention");
    assert_eq!(payload["access_token"], alice.token.as_deref().unwrap());
    assert_eq!(payload["preferred_locale"], "en");
    let notifications = alice.get("/api/v1/notifications").await.expect(200);
    assert_eq!(payload["notification_id"], notifications.items()[0]["id"]);
    assert_eq!(payload["title"], "You were mentioned by bob");
    assert!(
        payload["body"]
            .as_str()
            .unwrap()
            .contains("the phonics scheme is <ready> for review"),
        "{payload}"
    );
    assert!(payload["icon"].as_str().unwrap().starts_with("http"));

    // Unsubscribing ends it.
    alice.delete("/api/v1/push/subscription").await.expect(200);
    alice.get("/api/v1/push/subscription").await.expect(404);
    instance.shut_down().await;
}

#[tokio::test]
async fn kinds_switched_off_are_not_pushed_and_a_gone_subscription_is_removed() {
    let instance = TestInstance::start_for_apps().await;
    let service = PushService::default();
    let origin = service.start().await;
    let carol = instance.user("carol").await;
    let dave = instance.user("dave").await;
    let bob = instance.user("bob").await;

    // Carol wants favourites but not mentions; the form way, as Mastodon.py sends it.
    let mut subscriber = Subscriber::new();
    let keys = subscriber.keys();
    let endpoint = format!("{origin}/push/carol");
    carol
        .send_form(
            Method::POST,
            "/api/v1/push/subscription",
            &[
                ("subscription[endpoint]", endpoint.as_str()),
                (
                    "subscription[keys][p256dh]",
                    keys["p256dh"].as_str().unwrap(),
                ),
                ("subscription[keys][auth]", keys["auth"].as_str().unwrap()),
                ("data[alerts][mention]", "true"),
                ("data[alerts][favourite]", "true"),
            ],
        )
        .await
        .expect(200);
    let changed = carol
        .put(
            "/api/v1/push/subscription",
            json!({"data": {"alerts": {"mention": false}}}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["alerts"]["mention"], false);
    assert_eq!(changed["alerts"]["favourite"], true, "kept");

    let hers = carol.status("Reading week starts Monday").await;
    bob.post("/api/v1/statuses", json!({"status": "@carol count me in"}))
        .await
        .expect(200);
    bob.post(
        &format!(
            "/api/v1/statuses/{}/favourite",
            hers["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await
    .expect(200);
    eventually("the favourite is pushed", || async {
        !service.received_by("carol").is_empty()
    })
    .await;
    // The mention came first and was not pushed: the one push is the favourite.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let received = service.received_by("carol");
    assert_eq!(received.len(), 1);
    let payload = subscriber.decrypt(&received[0].body);
    assert_eq!(payload["notification_type"], "favourite");
    assert_eq!(payload["title"], "bob favorited your post");

    // A policy of "followed" keeps out those carol does not follow.
    carol
        .put(
            "/api/v1/push/subscription",
            json!({"data": {"policy": "followed", "alerts": {"mention": true}}}),
        )
        .await
        .expect(200);
    bob.post("/api/v1/statuses", json!({"status": "@carol and again"}))
        .await
        .expect(200);

    // Dave's push service says his subscription is gone: it is removed.
    service.gone.lock().unwrap().push("dave".into());
    dave.post(
        "/api/v1/push/subscription",
        json!({
            "subscription": {"endpoint": format!("{origin}/push/dave"), "keys": Subscriber::new().keys()},
            "data": {"alerts": {"mention": true}},
        }),
    )
    .await
    .expect(200);
    bob.post("/api/v1/statuses", json!({"status": "@dave hello"}))
        .await
        .expect(200);
    eventually("the gone subscription is removed", || async {
        dave.get("/api/v1/push/subscription").await.status == 404
    })
    .await;
    assert_eq!(service.received_by("dave").len(), 1);
    assert_eq!(
        service.received_by("carol").len(),
        1,
        "the mention from someone carol does not follow was not pushed"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn subscriptions_are_checked() {
    let instance = TestInstance::start_for_apps().await;
    let erin = instance.user("erin").await;
    let good = Subscriber::new().keys();
    for (body, why) in [
        (
            json!({"subscription": {"endpoint": "ftp://push.example/x", "keys": good}}),
            "not http",
        ),
        (
            json!({"subscription": {"endpoint": "https://push.example/x", "keys": {"p256dh": "AAAA", "auth": good["auth"]}}}),
            "not a P-256 key",
        ),
        (
            json!({"subscription": {"endpoint": "https://push.example/x", "keys": {"p256dh": good["p256dh"], "auth": "AAAA"}}}),
            "a short secret",
        ),
        (
            json!({"subscription": {"endpoint": "https://push.example/x", "keys": good}, "data": {"policy": "friends"}}),
            "an unknown policy",
        ),
        (json!({"subscription": {"keys": good}}), "no endpoint"),
    ] {
        let answer = erin.post("/api/v1/push/subscription", body).await;
        assert_eq!(answer.status, 422, "{why}: {:?}", answer.body);
        assert!(answer.body["error"].is_string(), "{why}");
    }
    erin.get("/api/v1/push/subscription").await.expect(404);
    erin.put(
        "/api/v1/push/subscription",
        json!({"data": {"policy": "none"}}),
    )
    .await
    .expect(404);
    instance
        .anonymous()
        .get("/api/v1/push/subscription")
        .await
        .expect(401);
    instance.shut_down().await;
}
