//! One WebSocket connection: the `subscribe` and `unsubscribe` messages of the app,
//! the listener's frames sent as JSON text, and a ping every 30 seconds.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, close_code};
use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use serde::{Deserialize, Serialize};
use staffroom_federation::events::Event;
use tokio::sync::broadcast;

use super::connection::{Listener, MAX_STREAMS, Refusal};
use super::stream::Stream;
use crate::AppState;

/// How often an idle connection is pinged.
pub const PING_EVERY: Duration = Duration::from_secs(30);

/// An error told over the connection, as Mastodon words it.
#[derive(Debug, Serialize)]
struct ErrorFrame<'a> {
    error: &'a str,
    status: u16,
}

/// A message of the app.
#[derive(Debug, Deserialize)]
struct Request {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    tag: Option<String>,
    /// A list's id, as a string or a number.
    list: Option<serde_json::Value>,
}

/// Serves one upgraded connection until either side closes it.
pub async fn serve(
    mut socket: WebSocket,
    state: AppState,
    listener: Listener,
    mut streams: Vec<Stream>,
    mut events: broadcast::Receiver<Event>,
) {
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.reset();
    let mut closing = listener.slot.closing();
    let mut close = None;
    loop {
        if *closing.borrow_and_update() {
            close = Some(CloseFrame {
                code: close_code::AWAY,
                reason: "The server is stopping".into(),
            });
            break;
        }
        let outgoing = tokio::select! {
            Ok(()) = closing.changed() => continue,
            message = socket.recv() => match message {
                Some(Ok(Message::Text(text))) => answer(&listener, &mut streams, &text),
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => Vec::new(),
            },
            received = events.recv() => match listener.heard(&state, &streams, received).await {
                Some(frames) => frames.iter().map(text).collect(),
                None => break,
            },
            _ = ping.tick() => vec![Message::Ping(Default::default())],
        };
        for message in outgoing {
            if socket.send(message).await.is_err() {
                return;
            }
        }
    }
    let _ = socket.send(Message::Close(close)).await;
}

fn text(value: &impl Serialize) -> Message {
    Message::Text(Utf8Bytes::from(
        serde_json::to_string(value).unwrap_or_default(),
    ))
}

fn refusal((error, status): Refusal) -> Vec<Message> {
    vec![text(&ErrorFrame { error, status })]
}

/// A list's id as a message gives it, a string or a number.
fn list_id(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Applies a `subscribe` or `unsubscribe` message; what to tell the app, if anything.
fn answer(listener: &Listener, streams: &mut Vec<Stream>, message: &str) -> Vec<Message> {
    let Ok(request) = serde_json::from_str::<Request>(message) else {
        return refusal(("The message is not a subscription request", 400));
    };
    let stream = match Stream::parse(
        &request.stream,
        request.tag.as_deref(),
        request.list.as_ref().map(list_id).as_deref(),
    ) {
        Ok(stream) => stream,
        Err(e) => return refusal((e.message(), 400)),
    };
    match request.kind.as_str() {
        "subscribe" => {
            if let Err(refused) = listener.check(&stream) {
                return refusal(refused);
            }
            if streams.contains(&stream) {
                return Vec::new();
            }
            if streams.len() >= MAX_STREAMS {
                return refusal(("Too many streams on one connection", 400));
            }
            streams.push(stream);
            Vec::new()
        }
        "unsubscribe" => {
            streams.retain(|s| *s != stream);
            Vec::new()
        }
        _ => refusal(("Unknown message type", 400)),
    }
}
