//! Receiving: an activity posted to an inbox is checked (digest, signature by its own
//! actor's key, domains) and then applied once. When a known sender's signature
//! fails, its actor is fetched afresh (it may have a new key) and the check is made
//! once more.

use activitypub_federation::axum::inbox::{ActivityData, receive_activity};
use activitypub_federation::error::Error as ProtocolError;
use activitypub_federation::fetch::object_id::ObjectId;
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::FromRequest;
use axum::http::{HeaderMap, Method, Request, Uri};
use staffroom_domain::accounts::remote;

use crate::activities::InboxActivity;
use crate::context::Data;
use crate::error::Error;
use crate::objects::person::DbActor;

/// How far a request's `Date` may lie in the past, or (clocks differ) the future.
const DATE_WINDOW: Duration = Duration::from_secs(60 * 60);

/// Checks and applies the activity `body` posted to `uri` with `headers`.
pub async fn receive(
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
    data: &Data,
) -> Result<(), Error> {
    check_date(&headers, SystemTime::now())?;
    let sender = sender_of(&body);
    let known = match &sender {
        Some(actor) => remote::find_by_uri(&data.db, actor.inner().as_str())
            .await?
            .is_some(),
        None => false,
    };
    let first = attempt(&method, &uri, &headers, body.clone(), data).await;
    match (first, sender) {
        (Err(Error::Protocol(ProtocolError::ActivitySignatureInvalid)), Some(actor)) if known => {
            tracing::info!(actor = %actor.inner(), "signature failed with the stored key: fetching the actor again");
            actor.dereference_forced(data).await?;
            attempt(&method, &uri, &headers, body, data).await
        }
        (result, _) => result,
    }
}

async fn attempt(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
    data: &Data,
) -> Result<(), Error> {
    let mut request = Request::new(Body::from(body));
    *request.method_mut() = method.clone();
    *request.uri_mut() = uri.clone();
    *request.headers_mut() = headers.clone();
    let activity = ActivityData::from_request(request, &())
        .await
        .map_err(|_| Error::Refused("the request body cannot be read".into()))?;
    receive_activity::<InboxActivity, DbActor, _>(activity, data).await
}

/// Refuses a request whose `Date` is missing, unreadable, or outside the window: a
/// signature over an old date is a replay.
fn check_date(headers: &HeaderMap, now: SystemTime) -> Result<(), Error> {
    let refuse = |why: &'static str| Error::Protocol(ProtocolError::Other(why.to_owned()));
    let date = headers
        .get(axum::http::header::DATE)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| refuse("the request has no Date"))?;
    let date =
        httpdate::parse_http_date(date).map_err(|_| refuse("the request's Date cannot be read"))?;
    let skew = match now.duration_since(date) {
        Ok(age) => age,
        Err(ahead) => ahead.duration(),
    };
    if skew > DATE_WINDOW {
        return Err(refuse("the request's Date is too far from now"));
    }
    Ok(())
}

/// The server a delivery says it comes from: the host (with its port, if any) of
/// the actor whose key signed it, read from the `Signature` header's `keyId`
/// before the signature is checked; `None` for a request without a readable one.
/// Lower case, so that one server is one name.
pub fn sending_server(headers: &HeaderMap) -> Option<String> {
    let signature = headers.get("signature")?.to_str().ok()?;
    let key_id = signature.split(',').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        (name.trim() == "keyId").then(|| value.trim().trim_matches('"'))
    })?;
    let owner = crate::signed_fetch::key_owner(key_id)?;
    let host = owner.host_str()?.to_ascii_lowercase();
    Some(match owner.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// The actor an activity body names, if it can be read.
fn sender_of(body: &[u8]) -> Option<ObjectId<DbActor>> {
    #[derive(serde::Deserialize)]
    struct Sender {
        actor: ObjectId<DbActor>,
    }
    serde_json::from_slice::<Sender>(body).ok().map(|s| s.actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_date(date: SystemTime) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::header::DATE,
            httpdate::fmt_http_date(date).parse().unwrap(),
        );
        headers
    }

    #[test]
    fn dates_outside_an_hour_either_way_are_refused() {
        let now = SystemTime::now();
        assert!(check_date(&with_date(now), now).is_ok());
        assert!(check_date(&with_date(now - Duration::from_secs(50 * 60)), now).is_ok());
        assert!(check_date(&with_date(now - Duration::from_secs(70 * 60)), now).is_err());
        assert!(check_date(&with_date(now + Duration::from_secs(70 * 60)), now).is_err());
        assert!(check_date(&HeaderMap::new(), now).is_err());
    }

    #[test]
    fn the_sending_server_is_the_host_of_the_signing_key() {
        let mut headers = HeaderMap::new();
        assert_eq!(sending_server(&headers), None);
        headers.insert(
            "signature",
            r#"keyId="https://Social.Example:8443/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="abc=""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            sending_server(&headers).as_deref(),
            Some("social.example:8443")
        );
        headers.insert("signature", "keyId=\"not a url\"".parse().unwrap());
        assert_eq!(sending_server(&headers), None);
    }
}
