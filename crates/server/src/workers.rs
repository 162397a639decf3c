//! Background workers (upkeep, delivery, copies of remote media, archives, mail, Web
//! Push, the end of polls, scheduled posts, event reminders, and on PostgreSQL the
//! relay of streaming events between processes): started with the
//! instance, stopped with it. Each loop checks the shutdown signal between rounds of
//! work, so stopping never cuts one short.

use std::time::Duration;

use staffroom_domain::accounts::{archive, deletion};
use staffroom_domain::id_node::{self, Lease};
use staffroom_domain::media::{self, MediaStore};
use staffroom_domain::moderation::local_suspension;
use staffroom_domain::{Database, database};
use staffroom_federation::archive::ArchiveWorker;
use staffroom_federation::context::FederationConfig;
use staffroom_federation::events::Relay;
use staffroom_federation::remote_media::RemoteMediaWorker;
use staffroom_federation::scheduled;
use staffroom_federation::suspension;
use staffroom_federation::worker::DeliveryWorker;
use staffroom_federation::{participation, polls};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::mail::MailWorker;
use crate::push::PushWorker;

/// How often the database gets its routine upkeep.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// How often the frequent jobs run: a poll's end is told, a scheduled post
/// published, and those going to an event reminded about a day before, at most
/// this long late.
const FREQUENT_INTERVAL: Duration = Duration::from_secs(5);

/// The workers that drain the persistent queues.
pub(crate) struct Queues {
    pub(crate) delivery: DeliveryWorker,
    pub(crate) remote_media: RemoteMediaWorker,
    pub(crate) archives: ArchiveWorker,
    /// Only when the instance sends mail.
    pub(crate) mail: Option<MailWorker>,
    pub(crate) push: PushWorker,
    /// Only on PostgreSQL: events between the processes on the database.
    pub(crate) relay: Option<Relay>,
}

/// The running background workers.
#[derive(Debug)]
pub(crate) struct Workers {
    stop: watch::Sender<bool>,
    tasks: JoinSet<()>,
}

impl Workers {
    /// Starts every worker: upkeep of `db` and of the `media` it names (copies of
    /// remote media older than `remote_media_max_age` pruned), the `queues`, and the
    /// end of polls, scheduled posts and the reminders of events through `federation`.
    pub(crate) fn start(
        db: Database,
        media: MediaStore,
        remote_media_max_age: chrono::TimeDelta,
        queues: Queues,
        federation: FederationConfig,
    ) -> Self {
        let Queues {
            delivery,
            remote_media,
            archives,
            mail,
            push,
            relay,
        } = queues;
        let (stop, stopped) = watch::channel(false);
        let mut tasks = JoinSet::new();
        tasks.spawn(maintenance(
            db,
            media,
            remote_media_max_age,
            federation.clone(),
            stopped.clone(),
        ));
        tasks.spawn(remote_media.run(stopped.clone()));
        tasks.spawn(archives.run(stopped.clone()));
        tasks.spawn(frequent_jobs(federation, stopped.clone()));
        if let Some(mail) = mail {
            tasks.spawn(mail.run(stopped.clone()));
        }
        tasks.spawn(push.run(stopped.clone()));
        if let Some(relay) = relay {
            tasks.spawn(relay.run(stopped.clone()));
        }
        tasks.spawn(delivery.run(stopped));
        Self { stop, tasks }
    }

    /// Asks every worker to stop and waits until they have.
    pub(crate) async fn shut_down(mut self) {
        let _ = self.stop.send(true);
        while let Some(result) = self.tasks.join_next().await {
            if let Err(e) = result {
                tracing::error!(error = %e, "a background worker failed");
            }
        }
        tracing::info!("background workers stopped");
    }
}

/// Keeps the database in shape (for SQLite: planner statistics and WAL
/// checkpoints), removes copies of remote media past their age, uploads that no
/// post took and archives past their time, deletes the accounts suspended for
/// longer than the retention period, and forgets the private keys of deleted
/// accounts once their `Delete` is delivered.
async fn maintenance(
    db: Database,
    media: MediaStore,
    remote_media_max_age: chrono::TimeDelta,
    federation: FederationConfig,
    mut stopped: watch::Receiver<bool>,
) {
    let mut ticks = tokio::time::interval(MAINTENANCE_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            _ = ticks.tick() => {
                if let Err(e) = database::maintain(&db).await {
                    tracing::warn!(error = %e, "database maintenance failed");
                }
                match media::remove_stale_unattached(&db, &media, chrono::Utc::now()).await {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, "unattached uploads removed"),
                    Err(e) => tracing::warn!(error = %e, "media upkeep failed"),
                }
                match media::remote_cache::prune(&db, &media, chrono::Utc::now(), remote_media_max_age).await {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, "old copies of remote media removed"),
                    Err(e) => tracing::warn!(error = %e, "pruning copies of remote media failed"),
                }
                match archive::expire(&db, chrono::Utc::now()).await {
                    Ok(files) => {
                        for file in files {
                            if let Err(e) = media.remove_private(&file).await {
                                tracing::warn!(error = %e, file, "an expired archive could not be removed");
                            }
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "archive upkeep failed"),
                }
                let data = federation.to_request_data();
                match suspension::erase_expired(&data, &media, chrono::Utc::now(), local_suspension::RETENTION).await {
                    Ok(0) => {}
                    Ok(erased) => tracing::info!(erased, "accounts deleted at the end of their suspension"),
                    Err(e) => tracing::warn!(error = %e, "deleting accounts at the end of their suspension failed"),
                }
                match deletion::forget_spent_keys(&db).await {
                    Ok(0) => {}
                    Ok(forgotten) => {
                        tracing::info!(forgotten, "keys of deleted accounts forgotten");
                    }
                    Err(e) => tracing::warn!(error = %e, "forgetting deleted accounts' keys failed"),
                }
            }
        }
    }
}

/// The work done every few seconds through the federation: telling of the polls
/// that ended (their voters and authors, and other servers of local ones),
/// publishing the scheduled posts that are due, and reminding those going to
/// the events that start within a day.
async fn frequent_jobs(federation: FederationConfig, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(FREQUENT_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            _ = ticks.tick() => {
                let data = federation.to_request_data();
                tell("polls ended", polls::end_due(&data).await);
                tell("scheduled posts published", scheduled::publish_due(&data).await);
                tell("event reminders sent", participation::remind_due(&data).await);
            }
        }
    }
}

/// Logs how one round of a job went: how many things were `done`, or its failure.
fn tell(done: &str, result: Result<usize, staffroom_federation::Error>) {
    match result {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "{done}"),
        Err(e) => tracing::warn!(error = %e, "a round of work failed: {done}"),
    }
}

/// Keeps this process's id node: renews its lease while the instance runs and gives
/// it back when the instance stops. Apart from [`Workers`], because an instance
/// whose workers are stopped still makes ids.
#[derive(Debug)]
pub(crate) struct NodeKeeper {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl NodeKeeper {
    /// Starts renewing `lease` in `db`.
    pub(crate) fn start(db: Database, lease: Lease) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(keep_node(db, lease, stopped));
        Self { stop, task }
    }

    /// Stops renewing and gives the node back.
    pub(crate) async fn shut_down(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the id node keeper failed");
        }
    }
}

async fn keep_node(db: Database, mut lease: Lease, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(id_node::RENEW_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            _ = ticks.tick() => match id_node::renew(&db, &lease, chrono::Utc::now()).await {
                Ok(renewed) => lease = renewed,
                Err(e) => tracing::warn!(error = %e, "the id node lease could not be renewed"),
            }
        }
    }
    if let Err(e) = id_node::release(&db, &lease).await {
        tracing::warn!(error = %e, "the id node could not be given back; its lease will run out");
    }
}
