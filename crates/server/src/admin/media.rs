//! `staffroom admin media ...`: the copies of other servers' media kept here.

use std::io::Write;

use staffroom_domain::Database;
use staffroom_domain::media::remote_cache;

use crate::app;
use crate::config::Config;
use crate::failure::Failure;

/// Removes the copies of remote media older than the instance keeps them.
pub async fn prune(db: &Database, config: &Config, out: &mut dyn Write) -> Result<(), Failure> {
    let store = app::media_store(config);
    let removed = remote_cache::prune(
        db,
        &store,
        chrono::Utc::now(),
        app::remote_media_max_age(config),
    )
    .await
    .map_err(Failure::failed)?;
    let _ = writeln!(
        out,
        "Removed {removed} copies of remote media older than {} days.",
        config.remote_media_max_age_days
    );
    Ok(())
}
