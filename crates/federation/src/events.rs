//! What just happened in this process, told to whoever listens here (the streaming
//! API): a post stored, edited or deleted, a notification stored. Events are small
//! (ids, and for a deletion what is needed to tell who held the post); listeners load
//! what they show and decide, with the domain's rules, who may see it.
//!
//! The hub lives in one process: a second process on the same database does not hear
//! this one's events.

use staffroom_domain::timelines;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use staffroom_domain::notifications::notification::{self, Kind};
use staffroom_domain::posts::post::Post;
use staffroom_domain::timelines::removed::Removed;
use staffroom_domain::{Database, id};
use tokio::sync::broadcast;

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
    sender: broadcast::Sender<Event>,
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
        }
    }

    /// Tells every listener of `event` (nobody, if none listens).
    pub fn publish(&self, event: Event) {
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
}
