//! Sending Web Push messages: the payload encrypted for the subscriber as RFC 8291
//! says (`aes128gcm` content encoding, RFC 8188), signed for the push service with
//! a VAPID token (RFC 8292, ES256), and posted to the subscription's endpoint. Every
//! primitive (P-256 ECDH and ECDSA, HKDF-SHA-256, AES-128-GCM) is `ring`'s, which
//! the instance already uses for TLS and signatures; the few lines of framing are
//! written here.
//!
//! Endpoints must be `https` URLs of public hosts; the test mode lets them be plain
//! `http` on loopback or private addresses, as it does for federation.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use ring::aead::{AES_128_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use ring::agreement::{ECDH_P256, EphemeralPrivateKey, UnparsedPublicKey, agree_ephemeral};
use ring::hkdf;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use staffroom_domain::notifications::push::VapidKey;
use url::{Host, Url};

/// The record size written in the header: one record holds the whole payload.
pub const RECORD_SIZE: u32 = 4096;
/// The largest payload that fits one record (with its delimiter and tag).
pub const MAX_PAYLOAD_BYTES: usize = RECORD_SIZE as usize - 17;
/// How long a push service keeps a message for an offline device (two days).
pub const TIME_TO_LIVE_SECONDS: u32 = 48 * 60 * 60;
/// How long a VAPID token is valid (RFC 8292 allows up to a day).
const TOKEN_LIFETIME_SECONDS: i64 = 12 * 60 * 60;

/// Why a push could not be made or sent.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("{0}")]
    Crypto(&'static str),
    #[error("the payload is {0} bytes, more than one record holds")]
    TooLarge(usize),
}

/// Whether `endpoint` is a URL pushes may go to; the reason when not.
pub fn check_endpoint(endpoint: &str, private_allowed: bool) -> Result<Url, &'static str> {
    let url = Url::parse(endpoint).map_err(|_| "is not a URL")?;
    match url.scheme() {
        "https" => {}
        "http" if private_allowed => {}
        _ => return Err("must be an https URL"),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold credentials");
    }
    let ip = match url.host() {
        None => return Err("has no host"),
        Some(Host::Domain(name)) => {
            if !private_allowed && (name == "localhost" || name.ends_with(".localhost")) {
                return Err("must name a public host");
            }
            return Ok(url);
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    if !private_allowed && !is_public(ip) {
        return Err("must name a public host");
    }
    Ok(url)
}

/// Whether `ip` is an address of the public internet. (Names are checked when the
/// client resolves them.)
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 0
                || (v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// A length for `ring`'s HKDF.
struct Length(usize);

impl hkdf::KeyType for Length {
    fn len(&self) -> usize {
        self.0
    }
}

/// HKDF-SHA-256: `length` bytes from `ikm` with `salt` and `info`.
fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8], length: usize) -> Result<Vec<u8>, PushError> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(ikm);
    let info = [info];
    let okm = prk
        .expand(&info, Length(length))
        .map_err(|_| PushError::Crypto("HKDF expansion failed"))?;
    let mut out = vec![0; length];
    okm.fill(&mut out)
        .map_err(|_| PushError::Crypto("HKDF expansion failed"))?;
    Ok(out)
}

/// `payload` encrypted for the subscriber whose public key is `p256dh` (65 bytes,
/// uncompressed) and whose authentication secret is `auth`: the body of the push
/// message, `aes128gcm`-encoded (salt, record size, this message's public key, one
/// record).
pub fn encrypt(payload: &[u8], p256dh: &[u8], auth: &[u8]) -> Result<Vec<u8>, PushError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(PushError::TooLarge(payload.len()));
    }
    let rng = SystemRandom::new();
    let private = EphemeralPrivateKey::generate(&ECDH_P256, &rng)
        .map_err(|_| PushError::Crypto("no key could be made"))?;
    let public = private
        .compute_public_key()
        .map_err(|_| PushError::Crypto("no key could be made"))?;
    let public = public.as_ref().to_vec();
    let shared = agree_ephemeral(
        private,
        &UnparsedPublicKey::new(&ECDH_P256, p256dh),
        |secret| secret.to_vec(),
    )
    .map_err(|_| PushError::Crypto("the subscriber's key is not a P-256 point"))?;
    // RFC 8291 section 3.4: the input keying material, from the shared secret and
    // the authentication secret.
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(p256dh);
    key_info.extend_from_slice(&public);
    let ikm = hkdf_sha256(auth, &shared, &key_info, 32)?;
    // RFC 8188 section 2.2 and 2.3: the content-encryption key and the nonce.
    let mut salt = [0_u8; 16];
    rng.fill(&mut salt)
        .map_err(|_| PushError::Crypto("no salt could be made"))?;
    let cek = hkdf_sha256(&salt, &ikm, b"Content-Encoding: aes128gcm\0", 16)?;
    let nonce = hkdf_sha256(&salt, &ikm, b"Content-Encoding: nonce\0", 12)?;
    let key = LessSafeKey::new(
        UnboundKey::new(&AES_128_GCM, &cek).map_err(|_| PushError::Crypto("bad key length"))?,
    );
    let nonce = Nonce::try_assume_unique_for_key(&nonce)
        .map_err(|_| PushError::Crypto("bad nonce length"))?;
    // The one (last) record: the payload and its delimiter, 0x02.
    let mut record = payload.to_vec();
    record.push(2);
    key.seal_in_place_append_tag(nonce, Aad::empty(), &mut record)
        .map_err(|_| PushError::Crypto("encryption failed"))?;
    let mut body = Vec::with_capacity(16 + 4 + 1 + public.len() + record.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(u8::try_from(public.len()).unwrap_or(65));
    body.extend_from_slice(&public);
    body.extend_from_slice(&record);
    Ok(body)
}

/// The `Authorization` header for a push to `endpoint`: a VAPID token (a JWT
/// signed with ES256 by the instance's key, for the endpoint's origin, naming
/// `subject`, a `mailto:` or the instance's URL) and the public key.
pub fn vapid_authorization(
    endpoint: &Url,
    key: &VapidKey,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<String, PushError> {
    let rng = SystemRandom::new();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &key.pkcs8, &rng)
        .map_err(|_| PushError::Crypto("the VAPID key cannot be read"))?;
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
    let claims = serde_json::json!({
        "aud": endpoint.origin().ascii_serialization(),
        "exp": now.timestamp() + TOKEN_LIFETIME_SECONDS,
        "sub": subject,
    });
    let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{claims}");
    let signature = pair
        .sign(&rng, signing_input.as_bytes())
        .map_err(|_| PushError::Crypto("signing failed"))?;
    Ok(format!(
        "vapid t={signing_input}.{}, k={}",
        URL_SAFE_NO_PAD.encode(signature.as_ref()),
        key.public_key
    ))
}

/// What the push service made of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Accepted.
    Accepted,
    /// The subscription is gone (404 or 410): it is to be removed.
    Gone,
    /// Refused or unreachable for now: worth trying again.
    Failed(String),
}

/// Posts `body` (from [`encrypt`]) to `endpoint` with `authorization` (from
/// [`vapid_authorization`]).
pub async fn send(
    client: &reqwest::Client,
    endpoint: Url,
    authorization: &str,
    body: Vec<u8>,
) -> Sent {
    let answer = client
        .post(endpoint)
        .header("Authorization", authorization)
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("TTL", TIME_TO_LIVE_SECONDS.to_string())
        .header("Urgency", "normal")
        .body(body)
        .send()
        .await;
    match answer {
        Ok(answer) if answer.status().is_success() => Sent::Accepted,
        Ok(answer) if matches!(answer.status().as_u16(), 404 | 410) => Sent::Gone,
        Ok(answer) => Sent::Failed(format!("the push service answered {}", answer.status())),
        Err(e) => Sent::Failed(format!("the push service could not be reached: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_public_https_outside_test_mode() {
        assert!(check_endpoint("https://push.example.org/x", false).is_ok());
        assert!(check_endpoint("http://push.example.org/x", false).is_err());
        assert!(check_endpoint("https://127.0.0.1/x", false).is_err());
        assert!(check_endpoint("https://[::1]/x", false).is_err());
        assert!(check_endpoint("https://10.1.2.3/x", false).is_err());
        assert!(check_endpoint("https://localhost/x", false).is_err());
        assert!(check_endpoint("https://user:pw@push.example.org/x", false).is_err());
        assert!(check_endpoint("http://127.0.0.1:9/x", true).is_ok());
        assert!(check_endpoint("ftp://127.0.0.1/x", true).is_err());
    }

    #[test]
    fn a_payload_too_large_for_one_record_is_refused() {
        let key = [4_u8; 65];
        assert!(matches!(
            encrypt(&vec![0; MAX_PAYLOAD_BYTES + 1], &key, &[0; 16]),
            Err(PushError::TooLarge(_))
        ));
    }
}
