//! Signed fetches: who is asking for a document. A GET that carries an HTTP
//! signature names its signer, whose key is fetched and checked; in authorized-fetch
//! mode a document is served only to a signer the instance federates with.

use std::collections::BTreeMap;
use std::time::Duration;

use activitypub_federation::fetch::object_id::ObjectId;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http_signature_normalization::Config;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use url::Url;

use crate::context::Data;
use crate::error::Error;
use crate::objects::person::DbActor;
use crate::policy::permits_url;

/// How old a signed request may be.
const SIGNATURE_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The actor that a `keyId` belongs to: Mastodon writes `actor#main-key`,
/// GoToSocial `actor/main-key`.
pub fn key_owner(key_id: &str) -> Option<Url> {
    let id = key_id.split('#').next().unwrap_or(key_id);
    let id = id.strip_suffix("/main-key").unwrap_or(id);
    Url::parse(id).ok()
}

/// The checked signer of a request, or `None` when it carries no signature.
/// `headers` are the request's headers by lower-case name.
pub async fn signer(
    method: &str,
    path_and_query: &str,
    mut headers: BTreeMap<String, String>,
    data: &Data,
) -> Result<Option<DbActor>, Error> {
    if !headers.contains_key("signature") {
        return Ok(None);
    }
    headers
        .entry("host".into())
        .or_insert_with(|| data.domain().to_owned());
    let unverified = Config::new()
        .set_expiration(SIGNATURE_LIFETIME)
        .begin_verify(method, path_and_query, headers)
        .map_err(|e| {
            Error::Protocol(activitypub_federation::error::Error::Other(format!(
                "signature: {e}"
            )))
        })?;
    let owner = key_owner(unverified.key_id()).ok_or(Error::Protocol(
        activitypub_federation::error::Error::ActivitySignatureInvalid,
    ))?;
    if !permits_url(data.app_data(), owner.as_str()).await {
        return Err(Error::Refused(
            "this instance does not federate with the signer's server".into(),
        ));
    }
    let actor = ObjectId::<DbActor>::from(owner).dereference(data).await?;
    let key = RsaPublicKey::from_public_key_pem(&actor.account.public_key_pem)
        .map_err(|e| Error::Protocol(activitypub_federation::error::Error::Other(e.to_string())))?;
    let valid = unverified.verify(|signature, signing_string| {
        BASE64.decode(signature).is_ok_and(|signature| {
            key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signing_string.as_bytes()),
                &signature,
            )
            .is_ok()
        })
    });
    if valid {
        Ok(Some(actor))
    } else {
        Err(Error::Protocol(
            activitypub_federation::error::Error::ActivitySignatureInvalid,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_of_both_shapes_name_their_actor() {
        assert_eq!(
            key_owner("https://m.example/users/a#main-key")
                .unwrap()
                .as_str(),
            "https://m.example/users/a"
        );
        assert_eq!(
            key_owner("https://g.example/users/a/main-key")
                .unwrap()
                .as_str(),
            "https://g.example/users/a"
        );
        assert!(key_owner("not a url").is_none());
    }
}
