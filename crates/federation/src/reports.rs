//! Reports made here: stored for this instance's moderators, and — when the
//! reporter asks and the account is elsewhere — sent on to the account's own
//! server as a `Flag` from the instance actor, as Mastodon does (the reporter is
//! not named).

use chrono::Utc;
use serde_json::json;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::moderation::report::{self, NewReport, Report};
use staffroom_domain::notifications::notification::Kind;

use crate::context::FederationData;
use crate::error::Error;
use crate::events;
use crate::objects::actor::actor_id;
use crate::protocol::context;
use crate::send;

/// The person `reporter` reports `new.target` (see `domain::report::create`); a
/// forwarded report goes to the target's server.
pub async fn report(
    data: &FederationData,
    reporter: &Account,
    new: NewReport,
) -> Result<Report, Error> {
    let target = new.target.clone();
    let mark = events::mark(Utc::now());
    let made = report::create(&data.db, reporter, new, Utc::now()).await?;
    data.events
        .notified(&data.db, mark, reporter.id, None, &[Kind::AdminReport])
        .await;
    if made.forwarded {
        forward(data, &made, &target).await?;
    }
    Ok(made)
}

/// Sends `report` about the remote `target` to the target's server.
async fn forward(data: &FederationData, report: &Report, target: &Account) -> Result<(), Error> {
    let (Some(uri), Some(remote)) = (&target.uri, &target.remote) else {
        return Ok(());
    };
    let posts = staffroom_domain::posts::post::get_many(&data.db, &report.post_ids).await?;
    let mut object = vec![uri.clone()];
    object.extend(
        report
            .post_ids
            .iter()
            .filter_map(|id| posts.get(id)?.uri.clone()),
    );
    let instance = account::instance_actor(&data.db).await?;
    let actor = actor_id(&data.urls, &instance);
    let activity = json!({
        "@context": context(),
        "id": send::new_activity_id(&data.urls),
        "type": "Flag",
        "actor": actor,
        "to": [uri],
        "content": report.comment,
        "object": object,
    });
    send::deliver(data, &instance, activity, vec![remote.inbox.clone()]).await
}
