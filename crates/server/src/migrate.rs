//! `staffroom migrate up|down|status`: the schema's migrations, applied or rolled back.

use staffroom_domain::Database;
use staffroom_migrations::{MigrationStatus, Migrator, MigratorTrait};

/// One migration and whether it has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub name: String,
    pub applied: bool,
}

/// Every migration, oldest first, with its state.
pub async fn status(db: &Database) -> Result<Vec<MigrationState>, sea_orm::DbErr> {
    Ok(Migrator::get_migration_with_status(db)
        .await?
        .into_iter()
        .map(|m| MigrationState {
            name: m.name().to_owned(),
            applied: m.status() == MigrationStatus::Applied,
        })
        .collect())
}

/// Applies every pending migration; returns the names applied.
pub async fn up(db: &Database) -> Result<Vec<String>, sea_orm::DbErr> {
    let pending: Vec<String> = Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    Migrator::up(db, None).await?;
    Ok(pending)
}

/// Rolls back the newest `steps` migrations (all of them when `None`); returns the
/// names rolled back, newest first.
pub async fn down(db: &Database, steps: Option<u32>) -> Result<Vec<String>, sea_orm::DbErr> {
    let applied = Migrator::get_applied_migrations(db).await?;
    let count = steps.map_or(applied.len(), |n| (n as usize).min(applied.len()));
    let rolled_back = applied
        .iter()
        .rev()
        .take(count)
        .map(|m| m.name().to_owned())
        .collect();
    if count > 0 {
        Migrator::down(db, Some(count as u32)).await?;
    }
    Ok(rolled_back)
}
