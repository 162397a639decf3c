//! Sending: an activity is handed to the persistent delivery queue, which the
//! delivery worker drains.

use chrono::Utc;
use serde::Serialize;
use serde_json::Value;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::{delivery::queue, id};

use crate::LocalUrls;
use crate::context::FederationData;
use crate::error::Error;
use crate::protocol::with_context;

/// A new id for an activity this instance sends.
pub fn new_activity_id(urls: &LocalUrls) -> String {
    urls.absolute(&format!("/activities/{}", id::new_id(Utc::now())))
}

/// The inbox of a remote account (none for a local one).
pub fn inbox_of(account: &Account) -> Vec<String> {
    account
        .remote
        .as_ref()
        .map(|r| r.inbox.clone())
        .into_iter()
        .collect()
}

/// Queues `activity` (which must have an `id`), with its `@context`, signed by the
/// local `actor`, for every inbox in `inboxes` that is not this instance's own,
/// and wakes the worker.
pub async fn deliver(
    data: &FederationData,
    actor: &Account,
    activity: &impl Serialize,
    inboxes: Vec<String>,
) -> Result<(), Error> {
    let Some((new, inboxes)) = prepare(data, actor, activity, inboxes).await? else {
        return Ok(());
    };
    queue::enqueue(&data.db, new, &inboxes, Utc::now()).await?;
    data.wake_delivery.notify_one();
    Ok(())
}

/// What [`deliver`] queues: `activity` with its `@context`, signed by `actor`,
/// and those of `inboxes` that are other servers' and permitted; `None` when
/// no inbox is left. For a use case that queues it in a transaction of its own
/// (then wakes the worker).
pub async fn prepare(
    data: &FederationData,
    actor: &Account,
    activity: &impl Serialize,
    inboxes: Vec<String>,
) -> Result<Option<(queue::NewActivity, Vec<String>)>, Error> {
    let activity = serde_json::to_value(with_context(activity))
        .map_err(|e| Error::Refused(format!("an activity that cannot be written out: {e}")))?;
    let uri = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Refused("an outgoing activity without an id".into()))?
        .to_owned();
    let local = data.urls.origin();
    let mut permitted = Vec::with_capacity(inboxes.len());
    for inbox in inboxes {
        if !inbox.starts_with(&format!("{local}/"))
            && crate::policy::permits_url(data, &inbox).await
        {
            permitted.push(inbox);
        }
    }
    if permitted.is_empty() {
        return Ok(None);
    }
    let new = queue::NewActivity {
        uri,
        actor_id: actor.id,
        body: activity.to_string(),
    };
    Ok(Some((new, permitted)))
}
