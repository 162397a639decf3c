//! `staffroom admin feeds ...` and `staffroom admin create-challenge`: the
//! hashtag feeds of other instances this one subscribes to, and challenges.

use std::io::Write;

use chrono::Utc;
use staffroom_domain::communities::challenge::{self, NewChallenge};
use staffroom_domain::communities::hashtag_feed::{self, Subscription};
use staffroom_domain::directory::trust;
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_domain::{Database, accounts::account};
use staffroom_federation::hashtag_feeds;

use crate::app;
use crate::config::Config;
use crate::failure::Failure;

/// The federation context an admin command sends through (what it queues is
/// delivered by the serving instance's worker).
async fn federation(
    config: &Config,
    db: &Database,
) -> Result<staffroom_federation::context::Data, Failure> {
    let federation = app::federation(config, db).await.map_err(Failure::failed)?;
    Ok(federation.config.to_request_data())
}

fn describe(found: &Subscription) -> String {
    let state = if found.accepted {
        "subscribed"
    } else {
        "requested"
    };
    format!(
        "#{}  {}  {state}",
        hashtag_feed::tag_of(&found.feed),
        found.feed.uri.as_deref().unwrap_or_default()
    )
}

/// `admin feeds subscribe FEED`
pub async fn subscribe(
    db: &Database,
    config: &Config,
    feed: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let data = federation(config, db).await?;
    let found = hashtag_feeds::subscribe_for(&data, Staff::Operator, feed)
        .await
        .map_err(|e| Failure::failed(format!("cannot subscribe to {feed}: {e}")))?;
    let _ = writeln!(out, "{}", describe(&found));
    Ok(())
}

/// `admin feeds unsubscribe FEED`
pub async fn unsubscribe(
    db: &Database,
    config: &Config,
    feed: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let data = federation(config, db).await?;
    hashtag_feeds::unsubscribe_for(&data, Staff::Operator, feed)
        .await
        .map_err(|e| match e {
            staffroom_federation::Error::Domain(staffroom_domain::Error::NotFound(_)) => {
                Failure::failed(format!("this instance does not subscribe to {feed}"))
            }
            other => Failure::failed(format!("cannot unsubscribe from {feed}: {other}")),
        })?;
    let _ = writeln!(out, "Unsubscribed from {feed}.");
    Ok(())
}

/// `admin feeds list`
pub async fn list(db: &Database, out: &mut dyn Write) -> Result<(), Failure> {
    let instance = account::instance_actor(db).await.map_err(Failure::failed)?;
    let found = hashtag_feed::subscriptions(db, instance.id)
        .await
        .map_err(Failure::failed)?;
    if found.is_empty() {
        let _ = writeln!(out, "This instance subscribes to no hashtag feed.");
    }
    for one in &found {
        let _ = writeln!(out, "{}", describe(one));
    }
    Ok(())
}

/// The arguments of `admin create-challenge`.
#[derive(Debug)]
pub struct ChallengeArgs {
    pub title: String,
    pub hashtag: String,
    pub starts: String,
    pub ends: String,
    pub run_by: String,
    /// The slug of the local trust that runs it.
    pub trust: Option<String>,
    pub description: String,
    pub feed_host: Option<String>,
}

/// `admin create-challenge ...`: features a challenge, and subscribes to the
/// feed of its hashtag on `feed_host` when that is another instance.
pub async fn create_challenge(
    db: &Database,
    config: &Config,
    args: ChallengeArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let invalid = |e: staffroom_domain::Error| Failure::failed(e.to_string());
    let trust_id = match &args.trust {
        Some(slug) => Some(
            trust::find_local(db, slug)
                .await
                .map_err(invalid)?
                .ok_or_else(|| Failure::failed(format!("there is no trust '{slug}' here")))?
                .id(),
        ),
        None => None,
    };
    let new = NewChallenge {
        trust_id,
        starts_at: challenge::parse_when(&args.starts, "starts", false).map_err(invalid)?,
        ends_at: challenge::parse_when(&args.ends, "ends", true).map_err(invalid)?,
        title: args.title,
        description: args.description,
        hashtag: args.hashtag,
        run_by: args.run_by,
        feed_host: args.feed_host,
    };
    let created = staff::create_challenge(db, Staff::Operator, new, Utc::now())
        .await
        .map_err(invalid)?;
    let _ = writeln!(
        out,
        "Challenge {} \"{}\" (#{}) runs from {} to {}.",
        created.id,
        created.title,
        created.hashtag,
        created.starts_at.to_rfc3339(),
        created.ends_at.to_rfc3339()
    );
    let data = federation(config, db).await?;
    match hashtag_feeds::follow_challenge(&data, &created).await {
        None => {}
        Some(Ok(found)) => {
            let _ = writeln!(out, "{}", describe(&found));
        }
        Some(Err(e)) => {
            return Err(Failure::failed(format!(
                "the challenge is created, but its feed could not be subscribed to: {e} (try 'staffroom admin feeds subscribe')"
            )));
        }
    }
    Ok(())
}
