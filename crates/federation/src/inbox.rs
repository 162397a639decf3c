//! Receiving: an activity posted to an inbox is checked (digest, signature by its own
//! actor's key, domains) and then applied once. When a known sender's signature
//! fails, its actor is fetched afresh (it may have a new key) and the check is made
//! once more.

use activitypub_federation::axum::inbox::{ActivityData, receive_activity};
use activitypub_federation::error::Error as ProtocolError;
use activitypub_federation::fetch::object_id::ObjectId;
use axum::body::{Body, Bytes};
use axum::extract::FromRequest;
use axum::http::{HeaderMap, Method, Request, Uri};
use staffroom_domain::remote;

use crate::activities::InboxActivity;
use crate::context::Data;
use crate::error::Error;
use crate::objects::person::DbActor;

/// Checks and applies the activity `body` posted to `uri` with `headers`.
pub async fn receive(
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
    data: &Data,
) -> Result<(), Error> {
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

/// The actor an activity body names, if it can be read.
fn sender_of(body: &[u8]) -> Option<ObjectId<DbActor>> {
    #[derive(serde::Deserialize)]
    struct Sender {
        actor: ObjectId<DbActor>,
    }
    serde_json::from_slice::<Sender>(body).ok().map(|s| s.actor)
}
