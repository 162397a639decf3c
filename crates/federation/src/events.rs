//! What just happened, told to whoever listens (the streaming API): a post stored,
//! edited or deleted, a notification stored. Events are small (ids, and for a
//! deletion what is needed to tell who held the post); listeners load what they show
//! and decide, with the domain's rules, who may see it.
//!
//! Each process has its hub. On PostgreSQL, the [`Relay`] tells every event published
//! here to the other processes on the same database (`NOTIFY` on [`CHANNEL`], the
//! event itself as a short JSON text) and tells this process's listeners what the
//! others published; each text names the process that sent it, so that a process
//! does not tell its own events twice. On SQLite the hub serves one process.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use staffroom_domain::channel;
use staffroom_domain::notifications::notification::{self, Kind};
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::timelines;
use staffroom_domain::timelines::removed::Removed;
use staffroom_domain::{Database, id};
use tokio::sync::{broadcast, watch};

/// How many events wait for a slow listener before it misses the oldest.
pub const CAPACITY: usize = 1024;

/// Something that happened here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A post or boost was stored.
    PostCreated(i64),
    /// A post was edited.
    PostUpdated(i64),
    /// A post or boost was deleted.
    PostDeleted(Arc<Removed>),
    /// Notification `id` of the local account `account_id` was stored.
    Notification { id: i64, account_id: i64 },
}

/// The instance's event hub: one per running instance, carried in
/// [`crate::context::FederationData`]. Cloning it is cheap.
#[derive(Debug, Clone)]
pub struct EventHub {
    /// To this process's listeners.
    sender: broadcast::Sender<Event>,
    /// What was published here, for the [`Relay`] to tell the other processes.
    published: broadcast::Sender<Event>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self::new()
    }
}

impl EventHub {
    /// A hub nobody listens to yet.
    pub fn new() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
            published: broadcast::channel(CAPACITY).0,
        }
    }

    /// Tells every listener of `event` (nobody, if none listens), here and, through
    /// the [`Relay`], in the other processes.
    pub fn publish(&self, event: Event) {
        let _ = self.published.send(event.clone());
        let _ = self.sender.send(event);
    }

    /// Tells this process's listeners of what another process published.
    fn tell_here(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    /// A new listener, hearing what is published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// Tells of the notifications of the `kinds` that `from_account_id` caused about
    /// `post_id` since `mark` (see [`mark`]). What the use case did is done already: a
    /// failure to read them back is logged, not returned.
    pub async fn notified(
        &self,
        db: &Database,
        mark: i64,
        from_account_id: i64,
        post_id: Option<i64>,
        kinds: &[Kind],
    ) {
        match notification::caused_since(db, from_account_id, post_id, kinds, mark).await {
            Ok(found) => {
                for notification in found {
                    self.publish(Event::Notification {
                        id: notification.id,
                        account_id: notification.account_id,
                    });
                }
            }
            Err(e) => tracing::warn!(error = %e, "new notifications could not be read back"),
        }
    }

    /// Tells of the notification a favourite or boost (`kind`) of post `post_id` by
    /// `from_account_id`, made at `now`, brought.
    pub async fn interacted(
        &self,
        db: &Database,
        now: DateTime<Utc>,
        from_account_id: i64,
        post_id: i64,
        kind: Kind,
    ) {
        self.notified(db, mark(now), from_account_id, Some(post_id), &[kind])
            .await;
    }

    /// Tells that `post` is gone; `removed` was read with [`removal`] before it went.
    pub fn post_deleted(&self, removed: Removed) {
        self.publish(Event::PostDeleted(Arc::new(removed)));
    }
}

/// The mark to take just before a use case that may notify: the lowest id of what it
/// stores (see [`EventHub::notified`]).
pub fn mark(now: DateTime<Utc>) -> i64 {
    id::first_id_at(now)
}

/// What a deletion event needs of `post`, read before it goes; `None` (and a log line)
/// if it cannot be read, so that the deletion itself goes on.
pub async fn removal(db: &Database, post: &Post) -> Option<Removed> {
    match timelines::removed::removal(db, post).await {
        Ok(removed) => Some(removed),
        Err(e) => {
            tracing::warn!(error = %e, post = post.id, "what a deletion removes could not be read");
            None
        }
    }
}

/// The PostgreSQL channel events travel on between processes.
pub const CHANNEL: &str = "staffroom_events";

/// An event as it travels between processes, with the process that published it.
#[derive(Debug, Serialize, Deserialize)]
struct Told {
    /// The publishing process: an id made when its relay started.
    from: i64,
    #[serde(flatten)]
    event: ToldEvent,
}

/// [`Event`] as JSON (a deletion with what the streams need of the gone post).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ToldEvent {
    Created {
        id: i64,
    },
    Updated {
        id: i64,
    },
    Deleted {
        id: i64,
        account_id: i64,
        visibility: String,
        local: bool,
        boost: bool,
        tags: Vec<String>,
        mentioned: Vec<i64>,
    },
    Notification {
        id: i64,
        account_id: i64,
    },
}

impl From<&Event> for ToldEvent {
    fn from(event: &Event) -> Self {
        match event {
            Event::PostCreated(id) => Self::Created { id: *id },
            Event::PostUpdated(id) => Self::Updated { id: *id },
            Event::PostDeleted(removed) => Self::Deleted {
                id: removed.id,
                account_id: removed.account_id,
                visibility: removed.visibility.name().to_owned(),
                local: removed.local,
                boost: removed.boost,
                tags: removed.tags.clone(),
                mentioned: removed.mentioned.clone(),
            },
            Event::Notification { id, account_id } => Self::Notification {
                id: *id,
                account_id: *account_id,
            },
        }
    }
}

impl ToldEvent {
    /// The event, or `None` when it names no known visibility.
    fn event(self) -> Option<Event> {
        Some(match self {
            Self::Created { id } => Event::PostCreated(id),
            Self::Updated { id } => Event::PostUpdated(id),
            Self::Deleted {
                id,
                account_id,
                visibility,
                local,
                boost,
                tags,
                mentioned,
            } => Event::PostDeleted(Arc::new(Removed {
                id,
                account_id,
                visibility: Visibility::from_name(&visibility)?,
                local,
                boost,
                tags,
                mentioned,
            })),
            Self::Notification { id, account_id } => Event::Notification { id, account_id },
        })
    }
}

/// The text telling the other processes of `event`, published by process `from`.
/// A deletion of a post with many long non-Latin hashtags may be longer than
/// PostgreSQL carries: its last tags are left out until it fits (those tags' streams
/// elsewhere miss the deletion), and it is logged.
fn told(from: i64, event: &Event) -> Option<String> {
    let mut told = Told {
        from,
        event: event.into(),
    };
    loop {
        let text = serde_json::to_string(&told).ok()?;
        if text.len() <= channel::MAX_PAYLOAD_BYTES {
            return Some(text);
        }
        let ToldEvent::Deleted { tags, .. } = &mut told.event else {
            return None;
        };
        tracing::warn!(
            bytes = text.len(),
            "a deletion told to other processes without a tag"
        );
        tags.pop()?;
    }
}

/// The event another process than `me` told in `text` (`None` for this process's
/// own, and for a text that cannot be read).
fn heard(me: i64, text: &str) -> Option<Event> {
    let told: Told = match serde_json::from_str(text) {
        Ok(told) => told,
        Err(e) => {
            tracing::warn!(error = %e, "an event from another process cannot be read");
            return None;
        }
    };
    if told.from == me {
        return None;
    }
    told.event.event()
}

/// What tells the other processes on the same PostgreSQL database what is published
/// here, and this process's listeners what they publish.
#[derive(Debug)]
pub struct Relay {
    db: Database,
    hub: EventHub,
    /// This process, as named in what it tells: an id made when the relay started.
    me: i64,
    published: broadcast::Receiver<Event>,
    incoming: channel::Notifications,
}

impl Relay {
    /// Starts listening to the other processes on `db`, so that what they publish
    /// from now on is heard; `None` on SQLite, and (logged) when PostgreSQL cannot be
    /// listened to.
    pub async fn start(db: &Database, hub: &EventHub) -> Option<Self> {
        let published = hub.published.subscribe();
        let incoming = match channel::listen(db, CHANNEL).await {
            Ok(incoming) => incoming?,
            Err(e) => {
                tracing::error!(error = %e, "events of other processes will not be streamed here");
                return None;
            }
        };
        Some(Self {
            db: db.clone(),
            hub: hub.clone(),
            me: id::new_id(Utc::now()),
            published,
            incoming,
        })
    }

    /// Relays events both ways until `stopped` turns true.
    pub async fn run(mut self, mut stopped: watch::Receiver<bool>) {
        while !*stopped.borrow_and_update() {
            tokio::select! {
                _ = stopped.changed() => {}
                event = self.published.recv() => match event {
                    Ok(event) => self.tell_others(&event).await,
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "events were not told to other processes");
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                text = self.incoming.next() => match text {
                    Ok(text) => {
                        if let Some(event) = heard(self.me, &text) {
                            self.hub.tell_here(event);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "events of other processes could not be heard");
                        // The listener connects again on the next call; not at once.
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                },
            }
        }
    }

    async fn tell_others(&self, event: &Event) {
        if let Some(text) = told(self.me, event)
            && let Err(e) = channel::notify(&self.db, CHANNEL, &text).await
        {
            tracing::warn!(error = %e, "an event could not be told to other processes");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn listeners_hear_what_is_published_after_they_subscribe() {
        let hub = EventHub::new();
        hub.publish(Event::PostCreated(1));
        let mut listener = hub.subscribe();
        hub.publish(Event::PostUpdated(2));
        assert_eq!(listener.recv().await.ok(), Some(Event::PostUpdated(2)));
    }

    #[tokio::test]
    async fn two_hubs_do_not_hear_each_other() {
        let first = EventHub::new();
        let second = EventHub::new();
        let mut listener = second.subscribe();
        first.publish(Event::PostCreated(1));
        assert!(listener.try_recv().is_err());
    }

    #[test]
    fn events_travel_between_processes_and_a_process_ignores_its_own() {
        let removed = Removed {
            id: 7,
            account_id: 3,
            visibility: Visibility::Private,
            local: true,
            boost: false,
            tags: vec!["ambitionfeed".into()],
            mentioned: vec![4, 5],
        };
        for event in [
            Event::PostCreated(1),
            Event::PostUpdated(2),
            Event::PostDeleted(Arc::new(removed)),
            Event::Notification {
                id: 9,
                account_id: 3,
            },
        ] {
            let text = told(100, &event);
            assert_eq!(text.as_deref().and_then(|t| heard(200, t)), Some(event));
            assert_eq!(text.as_deref().and_then(|t| heard(100, t)), None);
        }
    }

    #[test]
    fn a_deletion_with_the_most_latin_tags_and_mentions_is_told_whole() {
        let removed = Removed {
            id: i64::MAX,
            account_id: i64::MAX,
            visibility: Visibility::Direct,
            local: false,
            boost: true,
            tags: vec!["t".repeat(100); staffroom_domain::posts::post::MAX_TAGS],
            mentioned: vec![i64::MAX; staffroom_domain::posts::post::MAX_MENTIONS],
        };
        let event = Event::PostDeleted(Arc::new(removed));
        assert_eq!(
            told(i64::MAX, &event).and_then(|t| heard(1, &t)),
            Some(event)
        );
    }

    #[test]
    fn a_deletion_too_long_is_told_without_its_last_tags() {
        let tags = vec!["\u{1F393}".repeat(100); staffroom_domain::posts::post::MAX_TAGS];
        let removed = Removed {
            id: 1,
            account_id: 2,
            visibility: Visibility::Public,
            local: true,
            boost: false,
            tags: tags.clone(),
            mentioned: Vec::new(),
        };
        let text = told(3, &Event::PostDeleted(Arc::new(removed))).unwrap_or_default();
        assert!(text.len() <= channel::MAX_PAYLOAD_BYTES);
        let Some(Event::PostDeleted(heard)) = heard(4, &text) else {
            panic!("a deletion is heard: {text}");
        };
        assert!(!heard.tags.is_empty() && heard.tags.len() < tags.len());
        assert_eq!(heard.tags, tags[..heard.tags.len()]);
    }
}
