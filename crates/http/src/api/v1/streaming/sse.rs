//! One Server-Sent Events connection: a single stream, named by the path, whose
//! frames are sent as `event:` and `data:` lines, with a `: thump` comment every
//! 15 seconds so that proxies and apps know the connection is alive.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::stream;
use staffroom_federation::events::Event;
use tokio::sync::broadcast;

use super::connection::{Frame, Listener};
use super::stream::Stream;
use crate::AppState;

/// How often a heartbeat comment is sent.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(15);

/// An open connection: who listens, to what, and the hub's events.
struct Open {
    state: AppState,
    listener: Listener,
    streams: Vec<Stream>,
    events: broadcast::Receiver<Event>,
}

/// The answer: the listener's frames for as long as the app stays and the instance
/// runs.
pub fn answer(
    state: AppState,
    listener: Listener,
    streams: Vec<Stream>,
    events: broadcast::Receiver<Event>,
) -> Sse<impl futures_util::Stream<Item = Result<SseEvent, Infallible>>> {
    let open = Open {
        state,
        listener,
        streams,
        events,
    };
    Sse::new(frames(open)).keep_alive(KeepAlive::new().interval(HEARTBEAT_EVERY).text("thump"))
}

/// One Server-Sent Event per frame, ending when the instance stops.
fn frames(open: Open) -> impl futures_util::Stream<Item = Result<SseEvent, Infallible>> {
    let closing = open.listener.slot.closing();
    stream::unfold(
        (open, closing, VecDeque::new()),
        |(mut open, mut closing, mut pending)| async move {
            loop {
                if let Some(frame) = pending.pop_front() {
                    return Some((Ok(event(frame)), (open, closing, pending)));
                }
                if *closing.borrow_and_update() {
                    return None;
                }
                tokio::select! {
                    Ok(()) = closing.changed() => {}
                    received = open.events.recv() => {
                        let heard = open.listener.heard(&open.state, &open.streams, received).await;
                        pending.extend(heard?);
                    }
                }
            }
        },
    )
}

/// A frame as Mastodon sends it over Server-Sent Events: the event's name and its
/// payload (the stream is the one the path named).
fn event(frame: Frame) -> SseEvent {
    SseEvent::default().event(frame.event).data(frame.payload)
}
