//! Reports made here: stored for this instance's moderators, and — when the
//! reporter asks and the account is elsewhere — sent on to the account's own
//! server as a `Flag` from the instance actor, as Mastodon does (the reporter is
//! not named).

use chrono::Utc;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::moderation::report::{self, NewReport, Report};
use staffroom_domain::notifications::notification::Kind;

use crate::context::FederationData;
use crate::error::Error;
use crate::events;
use crate::protocol::activities::flag::Flag;

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
        Flag::send(data, &made, &target).await?;
    }
    Ok(made)
}
