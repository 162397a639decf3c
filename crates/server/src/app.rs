//! Starting and stopping an instance: open the database, apply migrations, listen,
//! start the workers; on shutdown, finish the requests under way and stop the workers.

use std::net::SocketAddr;
use std::time::Duration;

use staffroom_domain::media::MediaStore;
use staffroom_domain::notifications::push;
use staffroom_domain::{Database, database, id_node};
use staffroom_federation::context::FederationConfig;
use staffroom_federation::events::Relay;
use staffroom_http::rate_limit::{ClientAddress, RateLimitSettings};
use staffroom_http::{AppState, InstanceSettings};
use staffroom_migrations::{Migrator, MigratorTrait};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::Config;
use staffroom_federation::archive::ArchiveWorker;
use staffroom_federation::guard::Reach;
use staffroom_federation::remote_media::RemoteMediaWorker;

use crate::mail::MailWorker;
use crate::push::PushWorker;
use crate::workers::{NodeKeeper, Queues, Workers};

/// How long copies of remote media are kept.
pub(crate) fn remote_media_max_age(config: &Config) -> chrono::TimeDelta {
    chrono::TimeDelta::days(i64::from(config.remote_media_max_age_days))
}

/// The media store of the instance `config` describes.
pub(crate) fn media_store(config: &Config) -> MediaStore {
    config.media.clone()
}

/// How long requests under way may take to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Why an instance could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {path}: {cause}")]
    DataDir { path: String, cause: std::io::Error },
    #[error("cannot open the database at {url}: {}", database::describe(cause))]
    Database { url: String, cause: sea_orm::DbErr },
    #[error("cannot apply the database migrations: {0}")]
    Migration(sea_orm::DbErr),
    #[error("cannot listen on {addr}: {cause}")]
    Listen {
        addr: SocketAddr,
        cause: std::io::Error,
    },
    #[error("cannot set up federation: {0}")]
    Federation(staffroom_federation::Error),
    #[error("cannot claim an id node: {0}")]
    IdNode(staffroom_domain::Error),
    #[error("cannot set up mail: {0}")]
    Mail(String),
    #[error("cannot read or make the VAPID key for Web Push: {0}")]
    Vapid(staffroom_domain::Error),
}

/// Creates the data directory and opens the database `config` names.
pub async fn open_database(config: &Config) -> Result<Database, StartError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|cause| StartError::DataDir {
        path: config.data_dir.display().to_string(),
        cause,
    })?;
    database::connect(&config.database_url)
        .await
        .map_err(|cause| StartError::Database {
            url: database::redact_url(&config.database_url),
            cause,
        })
}

/// The settings the HTTP layer presents, from `config`.
/// The federation layer over `db`, as `config` sets it up (the delivery worker
/// it returns is started only by a serving instance).
pub async fn federation(
    config: &Config,
    db: &Database,
) -> Result<staffroom_federation::Federation, StartError> {
    let federation_settings = staffroom_federation::FederationSettings {
        mode: config.federation_mode,
        authorized_fetch: config.authorized_fetch,
        test_mode: config.federation_test_mode,
    };
    staffroom_federation::setup(db.clone(), config.urls.clone(), federation_settings)
        .await
        .map_err(StartError::Federation)
}

fn settings(config: &Config) -> InstanceSettings {
    InstanceSettings {
        urls: config.urls.clone(),
        title: config.title.clone(),
        description: config.description.clone(),
        rules: config.rules.clone(),
        privacy_policy: config.privacy_policy.clone(),
        contact_email: config.contact_email.clone(),
        source_url: config.source_url.clone(),
        registrations: config.registrations,
        password_grant: config.password_grant,
        media: media_store(config),
        media_limits: config.media_limits,
        metrics_token: config.metrics_token.clone(),
        sends_mail: config.smtp.is_some(),
        require_two_factor_for_staff: config.require_two_factor_for_staff,
        vapid_public_key: String::new(),
        push_to_private_addresses: config.federation_test_mode,
        rate_limits: RateLimitSettings {
            requests: config.rate_limit,
            inbox_per_server_per_minute: config.inbox_per_server_per_minute,
            client_address: if config.behind_proxy {
                ClientAddress::Forwarded
            } else {
                ClientAddress::Peer
            },
        },
    }
}

/// A running instance.
pub struct RunningInstance {
    addr: SocketAddr,
    db: Database,
    federation: FederationConfig,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    workers: Option<Workers>,
    node: NodeKeeper,
}

impl std::fmt::Debug for RunningInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningInstance")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningInstance {
    /// Opens the database, applies pending migrations, and serves on `listener` (or,
    /// when `None`, on the address `config` binds).
    pub async fn start(config: &Config, listener: Option<TcpListener>) -> Result<Self, StartError> {
        let db = open_database(config).await?;
        // A new database needs the instance actor's key once its tables exist:
        // it is made while the migrations run.
        if Migrator::get_applied_migrations(&db)
            .await
            .is_ok_and(|applied| applied.is_empty())
        {
            staffroom_domain::accounts::keys::KeyPair::prepare_spare();
        }
        Migrator::up(&db, None)
            .await
            .map_err(StartError::Migration)?;
        let lease = id_node::claim(&db, chrono::Utc::now())
            .await
            .map_err(StartError::IdNode)?;
        let node = NodeKeeper::start(db.clone(), lease);
        let listener = match listener {
            Some(listener) => listener,
            None => TcpListener::bind(config.bind)
                .await
                .map_err(|cause| StartError::Listen {
                    addr: config.bind,
                    cause,
                })?,
        };
        let addr = listener.local_addr().map_err(|cause| StartError::Listen {
            addr: config.bind,
            cause,
        })?;
        let federation = federation(config, &db).await?;
        match database::missing_sqlite_flags(&db).await {
            Ok(missing) if !missing.is_empty() => tracing::warn!(
                "SQLite was built without {}: build from the repository (its .cargo/config.toml sets them) for full read speed",
                missing.join(", ")
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot read SQLite's compile options: {e}"),
        }
        if config.federation_test_mode {
            tracing::warn!("federation test mode: plain http and private addresses are allowed");
        }
        let vapid = push::vapid_key(&db, chrono::Utc::now())
            .await
            .map_err(StartError::Vapid)?;
        let mut instance_settings = settings(config);
        instance_settings.vapid_public_key = vapid.public_key.clone();
        let state = AppState::new(db.clone(), instance_settings, federation.config.clone());
        let push = PushWorker::new(
            state.clone(),
            federation.client.clone(),
            vapid,
            config.federation_test_mode,
        );
        // Listening to the other processes on the database starts before this one
        // answers, so that a listener it serves hears what they publish from then on.
        let relay = Relay::start(&db, &state.events()).await;
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(staffroom_http::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        let federation_config = federation.config.clone();
        let media = media_store(config);
        let mail = match &config.smtp {
            Some(smtp) => Some(
                MailWorker::new(db.clone(), smtp, &config.title, config.urls.domain())
                    .map_err(StartError::Mail)?,
            ),
            None => {
                tracing::warn!(
                    "no SMTP server is set (smtp_host), so no mail is sent: {}; new accounts are confirmed at once, and 'staffroom admin reset-password' prints reset links",
                    crate::mail::MAILS
                );
                None
            }
        };
        let archives = ArchiveWorker::new(
            federation_config.to_request_data().app_data().clone(),
            media.clone(),
        );
        let remote_media = RemoteMediaWorker::new(
            db.clone(),
            federation.client.clone(),
            Reach::for_test_mode(config.federation_test_mode),
            config.federation_test_mode || !config.urls.is_https(),
            media.clone(),
            config.media_limits,
        );
        let workers = Workers::start(
            db.clone(),
            media,
            remote_media_max_age(config),
            Queues {
                delivery: federation.worker,
                remote_media,
                archives,
                mail,
                push,
                relay,
            },
            federation_config.clone(),
        );
        tracing::info!(%addr, domain = config.urls.domain(), media = config.media.describe(), "Staffroom is listening");
        Ok(Self {
            addr,
            db,
            federation: federation_config,
            stop,
            server,
            workers: Some(workers),
            node,
        })
    }

    /// The address the instance listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The instance's database.
    pub fn db(&self) -> &Database {
        &self.db
    }

    /// Stops the background workers (delivery, upkeep) while the instance keeps
    /// answering requests: for operators' tooling and tests that drive the queue.
    pub async fn stop_workers(&mut self) {
        if let Some(workers) = self.workers.take() {
            workers.shut_down().await;
        }
    }

    /// The instance's federation context (database, URLs, delivery queue); it
    /// dereferences to the federation data.
    pub fn federation(&self) -> &FederationConfig {
        &self.federation
    }

    /// Stops taking new connections, lets requests under way finish (for up to 30
    /// seconds), stops the workers and closes the database.
    pub async fn shut_down(self) {
        tracing::info!("shutting down: finishing the requests under way");
        let _ = self.stop.send(());
        let mut server = self.server;
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => tracing::error!(error = %e, "the HTTP server failed"),
            Ok(Err(e)) => tracing::error!(error = %e, "the HTTP server task failed"),
            Err(_) => {
                tracing::warn!("requests still under way after the grace period were cut off");
                server.abort();
            }
        }
        if let Some(workers) = self.workers {
            workers.shut_down().await;
        }
        self.node.shut_down().await;
        if let Err(e) = self.db.close().await {
            tracing::warn!(error = %e, "closing the database failed");
        }
        tracing::info!("Staffroom stopped");
    }
}

/// Waits for Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
