//! One listener, whatever carries its events (a WebSocket or Server-Sent Events):
//! the streams it hears, the per-token count of open connections, and the events of
//! the instance's hub turned into Mastodon frames for it, with the domain's privacy
//! rules.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use serde::Serialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::conversations::conversation;
use staffroom_domain::filters::filter::Context as FilterContext;
use staffroom_domain::filters::matching::ActiveFilters;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_domain::{Error as DomainError, notifications::notification};
use staffroom_federation::events::Event;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

use super::stream::Stream;
use crate::AppState;
use crate::api::v1::conversations;
use crate::api::v1::notifications::entity as notification_entity;
use crate::entities::status::render_with;
use crate::error::ApiError;

/// The most streams one connection may listen to.
pub const MAX_STREAMS: usize = 32;
/// The most connections open at once with one token (WebSocket and Server-Sent
/// Events together).
pub const MAX_CONNECTIONS_PER_TOKEN: usize = 8;

/// The open connections of an instance, counted per token, and the signal that
/// closes them all when the instance stops.
#[derive(Debug, Clone)]
pub struct Connections {
    open: Arc<Mutex<HashMap<String, usize>>>,
    closing: watch::Sender<bool>,
}

impl Default for Connections {
    fn default() -> Self {
        Self {
            open: Arc::default(),
            closing: watch::channel(false).0,
        }
    }
}

/// A place among the open connections, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    open: Arc<Mutex<HashMap<String, usize>>>,
    token: String,
    /// Becomes true when the instance stops.
    closing: watch::Receiver<bool>,
}

impl Connections {
    /// A place for one more connection with `token`; `None` when it has too many.
    pub fn open(&self, token: &str) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(token.to_owned()).or_default();
        if *count >= MAX_CONNECTIONS_PER_TOKEN {
            return None;
        }
        *count += 1;
        Some(Slot {
            open: self.open.clone(),
            token: token.to_owned(),
            closing: self.closing.subscribe(),
        })
    }

    /// Closes every connection (the instance is stopping); none opens after.
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }
}

impl Slot {
    /// What turns true when the instance stops.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.clone()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.token) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.token);
            }
        }
    }
}

/// Who listens, and what their token lets them hear.
#[derive(Debug)]
pub struct Listener {
    /// The signed-in person (`None` for an app's own token).
    pub account: Option<Account>,
    /// The token's scopes, checked for each stream subscribed to.
    pub scopes: staffroom_domain::access::oauth::Scopes,
    /// Held while the connection is open; dropping it frees the place.
    pub slot: Slot,
}

/// An event as Mastodon tells it: the streams it came by, its name (`update`,
/// `delete`, `notification` ...) and its payload (an entity as JSON text, or a
/// deleted post's id). Over a WebSocket it is sent as this JSON object; over
/// Server-Sent Events as `event:` and `data:` lines.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub stream: Vec<String>,
    pub event: &'static str,
    pub payload: String,
}

/// Why a stream was refused: what the app is told, with an HTTP-like status.
pub type Refusal = (&'static str, u16);

impl Listener {
    /// Whether this listener may hear `stream`.
    pub fn check(&self, stream: &Stream) -> Result<(), Refusal> {
        if stream.needs_account() && self.account.is_none() {
            return Err(("This stream requires an authenticated user", 401));
        }
        if !self.scopes.allows(stream.scope()) {
            return Err(("Access token does not have the required scopes", 401));
        }
        Ok(())
    }

    fn viewer(&self) -> Option<i64> {
        self.account.as_ref().map(|a| a.id)
    }

    /// The frames of what the hub told (`None` once the hub is gone). An event that
    /// cannot be rendered, or events a slow connection missed, are logged and give
    /// no frame.
    pub async fn heard(
        &self,
        state: &AppState,
        streams: &[Stream],
        received: Result<Event, RecvError>,
    ) -> Option<Vec<Frame>> {
        match received {
            Ok(event) => match frames(state, self, streams, &event).await {
                Ok(frames) => Some(frames),
                Err(e) => {
                    tracing::warn!(error = ?e, "an event could not be streamed");
                    Some(Vec::new())
                }
            },
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "a slow streaming connection missed events");
                Some(Vec::new())
            }
            Err(RecvError::Closed) => None,
        }
    }
}

/// The frames `event` gives this listener (none when nothing of it is theirs).
async fn frames(
    state: &AppState,
    listener: &Listener,
    streams: &[Stream],
    event: &Event,
) -> Result<Vec<Frame>, ApiError> {
    let db = state.db();
    let viewer = listener.viewer();
    let mut frames = Vec::new();
    match event {
        Event::PostCreated(id) | Event::PostUpdated(id) => {
            if let (Some(me), Some(direct)) = (
                listener.account.as_ref(),
                streams.iter().find(|s| **s == Stream::Direct),
            ) && let Some(found) = conversation::with_last_post(db, me.id, *id).await?
            {
                for entity in conversations::entities(db, state.urls(), me, &[found]).await? {
                    frames.push(Frame {
                        stream: direct.names(),
                        event: "conversation",
                        payload: serde_json::to_string(&entity).unwrap_or_default(),
                    });
                }
            }
            let mut matched = Vec::new();
            for stream in streams {
                if stream.holds(db, viewer, *id).await? {
                    matched.push(stream);
                }
            }
            if matched.is_empty() {
                return Ok(frames);
            }
            let seen_by = viewer.map_or(Viewer::Anonymous, Viewer::Account);
            let found = match find_visible(db, *id, seen_by).await {
                Ok(found) => found,
                Err(DomainError::NotFound(_)) => return Ok(frames),
                Err(other) => return Err(other.into()),
            };
            let name = match event {
                Event::PostUpdated(_) => "status.update",
                _ => "update",
            };
            // The listener's filters of each stream's context, each loaded once.
            let mut payloads: Vec<(Option<FilterContext>, Option<String>)> = Vec::new();
            for stream in matched {
                let context = stream.filter_context();
                let payload = match payloads.iter().find(|(c, _)| *c == context) {
                    Some((_, payload)) => payload.clone(),
                    None => {
                        let active = match (listener.account.as_ref(), context) {
                            (Some(me), Some(context)) => {
                                ActiveFilters::load(db, me.id, context, Utc::now()).await?
                            }
                            _ => ActiveFilters::none(),
                        };
                        let payload = render_with(
                            db,
                            state.urls(),
                            std::slice::from_ref(&found),
                            listener.account.as_ref(),
                            &active,
                        )
                        .await?
                        .pop()
                        .map(|status| serde_json::to_string(&status).unwrap_or_default());
                        payloads.push((context, payload.clone()));
                        payload
                    }
                };
                // A post a `hide` filter matches is not told.
                if let Some(payload) = payload {
                    frames.push(Frame {
                        stream: stream.names(),
                        event: name,
                        payload,
                    });
                }
            }
        }
        Event::PostDeleted(removed) => {
            for stream in streams {
                if stream.held(db, viewer, removed).await? {
                    frames.push(Frame {
                        stream: stream.names(),
                        event: "delete",
                        payload: removed.id.to_string(),
                    });
                }
            }
        }
        Event::Notification { id, account_id } => {
            let Some(me) = listener.account.as_ref().filter(|me| me.id == *account_id) else {
                return Ok(frames);
            };
            let hearing: Vec<&Stream> =
                streams.iter().filter(|s| s.hears_notifications()).collect();
            if hearing.is_empty() || !listener.scopes.allows("read:notifications") {
                return Ok(frames);
            }
            let found = match notification::get(db, me.id, *id).await {
                Ok(found) => found,
                Err(DomainError::NotFound(_)) => return Ok(frames),
                Err(other) => return Err(other.into()),
            };
            let active =
                ActiveFilters::load(db, me.id, FilterContext::Notifications, Utc::now()).await?;
            let Some(entity) = notification_entity(state, me, &found, &active).await? else {
                return Ok(frames);
            };
            let payload = serde_json::to_string(&entity).unwrap_or_default();
            for stream in hearing {
                frames.push(Frame {
                    stream: stream.names(),
                    event: "notification",
                    payload: payload.clone(),
                });
            }
        }
    }
    Ok(frames)
}
