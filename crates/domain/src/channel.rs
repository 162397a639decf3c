//! PostgreSQL's `LISTEN`/`NOTIFY`: short texts told to every process connected to the
//! same database, as soon as they are sent (outside a transaction) or when the
//! sending transaction commits. SQLite has nothing of the kind: there, listening
//! gives `None` and notifying does nothing.

use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, RuntimeErr, Statement};

use crate::Database;

/// The longest payload PostgreSQL carries (its limit is 8000 bytes, less than that
/// counted with the channel's name).
pub const MAX_PAYLOAD_BYTES: usize = 7_900;

/// What one process hears on a channel. It holds a connection of its own, outside
/// the database's pool, so that closing the pool does not wait for it.
#[derive(Debug)]
pub struct Notifications(PgListener);

fn failed(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(e.into()))
}

/// Starts listening on `channel`: what is notified from now on is heard. `None` on
/// SQLite.
pub async fn listen(db: &Database, channel: &str) -> Result<Option<Notifications>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    // A pool of one connection, used only to connect again when the connection
    // is lost; with the same settings as the database's pool.
    let options = db.get_postgres_connection_pool().connect_options();
    let own = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with((*options).clone())
        .await
        .map_err(failed)?;
    let mut listener = PgListener::connect_with(&own).await.map_err(failed)?;
    listener.listen(channel).await.map_err(failed)?;
    Ok(Some(Notifications(listener)))
}

impl Notifications {
    /// The next payload heard. When the connection is lost, the listener connects
    /// again by itself and goes on; what was notified in between is not heard.
    pub async fn next(&mut self) -> Result<String, DbErr> {
        let notification = self.0.recv().await.map_err(failed)?;
        Ok(notification.payload().to_owned())
    }
}

/// Tells `payload` (at most [`MAX_PAYLOAD_BYTES`]) to every listener of `channel`.
/// Nothing on SQLite.
pub async fn notify(db: &impl ConnectionTrait, channel: &str, payload: &str) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [channel.into(), payload.into()],
    ))
    .await?;
    Ok(())
}
