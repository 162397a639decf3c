//! Opening the database: SQLite (the embedded default, in WAL mode) or PostgreSQL.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DbBackend, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// The connection pool every use case runs on.
pub type Database = sea_orm::DatabaseConnection;

/// Which engine a database URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine of `url`, or `None` when it is neither `sqlite:` nor `postgres:`.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// How much of a SQLite file is read through a memory map (the address space is
/// reserved, not the memory: the kernel's page cache backs it).
const SQLITE_MMAP_BYTES: u64 = 1 << 30;

/// How long to wait for the database server to accept a first connection.
const FIRST_CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens a pool on `url`. A SQLite file is created when missing and put in WAL mode
/// with foreign keys on; PostgreSQL gives up quickly when it cannot be reached.
pub async fn connect(url: &str) -> Result<Database, DbErr> {
    if Engine::of_url(url) == Some(Engine::Postgres) {
        check_postgres(url).await?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Pages are read through a memory map instead of a `read` call
                // each: reading a page of posts stops costing system calls.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
        });
    if Engine::of_url(url) == Some(Engine::Sqlite) {
        // One writer at a time is all SQLite allows; a small pool avoids lock churn.
        options.max_connections(8).min_connections(1);
    } else {
        options.max_connections(20).min_connections(1);
    }
    sea_orm::Database::connect(options).await
}

/// Makes one connection to PostgreSQL, so that an unreachable server or a refused
/// login is reported with its real cause (a pool only says that it timed out).
async fn check_postgres(url: &str) -> Result<(), DbErr> {
    use sea_orm::sqlx::{Connection, PgConnection};
    match tokio::time::timeout(FIRST_CONNECTION_TIMEOUT, PgConnection::connect(url)).await {
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(DbErr::Custom(e.to_string())),
        Err(_) => Err(DbErr::Custom(format!(
            "no answer within {} seconds",
            FIRST_CONNECTION_TIMEOUT.as_secs()
        ))),
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so that two writers wait for each other instead of one
/// failing when it upgrades from reading; PostgreSQL ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// The compile-time options this project's build gives the bundled SQLite
/// (`.cargo/config.toml`), as `PRAGMA compile_options` names them: the query
/// planner ignoring bound values (without it every statement with a bound
/// `LIMIT` is prepared again on every run) and no global memory statistics.
pub const SQLITE_FLAGS: [&str; 2] = ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"];

/// Which of [`SQLITE_FLAGS`] the SQLite behind `db` was compiled without (none
/// on PostgreSQL): a build made outside this repository's cargo configuration
/// runs correctly, only slower.
pub async fn missing_sqlite_flags(db: &Database) -> Result<Vec<&'static str>, DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(Vec::new());
    }
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA compile_options",
        ))
        .await?;
    let options = rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SQLITE_FLAGS
        .into_iter()
        .filter(|flag| !options.iter().any(|option| option == flag))
        .collect())
}

/// Checks that the database answers.
pub async fn ping(db: &Database) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// Routine upkeep: SQLite refreshes its query planner statistics and folds the
/// write-ahead log back into the main file; PostgreSQL's autovacuum needs no help.
pub async fn maintain(db: &Database) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared("PRAGMA optimize").await?;
        db.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
            .await?;
    }
    Ok(())
}

/// A database error as one plain line, without sea-orm's category prefix.
pub fn describe(err: &DbErr) -> String {
    match err {
        DbErr::Custom(message) => message.clone(),
        DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e)) => e.to_string(),
        other => other.to_string(),
    }
    .replace('\n', " ")
}

/// `url` with its password, if any, replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            if credentials.contains(':') {
                format!("{scheme}://{user}:***@{host}{tail}")
            } else {
                format!("{scheme}://{user}@{host}{tail}")
            }
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(
            redact_url("postgres://staffroom:secret@db:5432/staffroom"),
            "postgres://staffroom:***@db:5432/staffroom"
        );
        assert_eq!(
            redact_url("postgres://staffroom@db/staffroom"),
            "postgres://staffroom@db/staffroom"
        );
        assert_eq!(
            redact_url("sqlite://data/staffroom.db?mode=rwc"),
            "sqlite://data/staffroom.db?mode=rwc"
        );
    }

    #[test]
    fn engines_are_told_apart_by_scheme() {
        assert_eq!(Engine::of_url("sqlite://x.db"), Some(Engine::Sqlite));
        assert_eq!(Engine::of_url("sqlite::memory:"), Some(Engine::Sqlite));
        assert_eq!(Engine::of_url("postgresql://h/d"), Some(Engine::Postgres));
        assert_eq!(Engine::of_url("mysql://h/d"), None);
    }
}
