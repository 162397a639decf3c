//! `staffroom admin ...`: what an administrator does from the command line, one
//! file per area, and opening the database for it.

pub mod accounts;
pub mod domains;
pub mod hashtags;
pub mod import_schools;
pub mod media;
pub mod reports;
pub mod users;

use staffroom_domain::Database;
use staffroom_domain::id_node::{self, Lease};
use staffroom_migrations::{Migrator, MigratorTrait};

use crate::app;
use crate::config::Config;
use crate::failure::Failure;

/// Opens the database for an admin command, applying pending migrations first so
/// that a fresh instance can be set up before it is ever served, and claims an id
/// node for the command's writes (give it back with [`close`]).
pub async fn open(config: &Config) -> Result<(Database, Lease), Failure> {
    let db = app::open_database(config).await.map_err(Failure::failed)?;
    Migrator::up(&db, None)
        .await
        .map_err(|e| Failure::failed(format!("cannot apply the database migrations: {e}")))?;
    let lease = id_node::claim(&db, chrono::Utc::now())
        .await
        .map_err(Failure::failed)?;
    Ok((db, lease))
}

/// Gives the command's id node back and closes the database.
pub async fn close(db: Database, lease: &Lease) {
    if let Err(e) = id_node::release(&db, lease).await {
        tracing::warn!(error = %e, "the id node could not be given back; its lease will run out");
    }
    db.close().await.ok();
}
