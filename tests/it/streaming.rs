//! The streaming API over WebSocket and Server-Sent Events: the ways of giving the
//! token, who hears what (home, notifications, public, hashtag and direct streams),
//! privacy, deletions, and a post that came over federation. Every wait has a deadline; "never hears" is shown
//! by a later post arriving first, since a connection hears events in order.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::{TestInstance, eventually};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// The longest a test waits for one frame.
const DEADLINE: Duration = Duration::from_secs(20);

/// One frame: its streams, its event, and its payload (parsed when it is JSON).
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) stream: Vec<String>,
    pub(crate) event: String,
    pub(crate) payload: Value,
}

/// An open streaming connection.
pub(crate) struct Listener {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// The streaming URL the instance advertises, with `query`.
pub(crate) async fn streaming_url(instance: &TestInstance, query: &str) -> String {
    let (_, info) = instance.get_json("/api/v1/instance").await;
    let base = info["urls"]["streaming_api"].as_str().unwrap().to_owned();
    format!("{base}/api/v1/streaming{query}")
}

/// Opens a stream as `client` (token as a parameter) with `query` (`?stream=...`).
pub(crate) async fn open(instance: &TestInstance, client: &ApiClient, query: &str) -> Listener {
    let token = client.token.as_deref().unwrap();
    let separator = if query.is_empty() { "?" } else { "&" };
    let url = streaming_url(instance, &format!("{query}{separator}access_token={token}")).await;
    let (socket, answer) = connect_async(url).await.expect("the stream opens");
    assert_eq!(answer.status(), 101);
    Listener { socket }
}

impl Listener {
    /// The next message of any kind.
    async fn message(&mut self) -> Message {
        tokio::time::timeout(DEADLINE, self.socket.next())
            .await
            .expect("a message within the deadline")
            .expect("the stream stays open")
            .expect("a good message")
    }

    /// The next event frame (pings are skipped).
    pub(crate) async fn next(&mut self) -> Frame {
        loop {
            let message = self.message().await;
            let Message::Text(text) = message else {
                continue;
            };
            let frame: Value = serde_json::from_str(&text).unwrap();
            assert!(frame.get("error").is_none(), "an error frame: {frame}");
            let payload = frame["payload"].as_str().unwrap_or_default();
            return Frame {
                stream: serde_json::from_value(frame["stream"].clone()).unwrap(),
                event: frame["event"].as_str().unwrap().to_owned(),
                // Entities come as JSON text; a deletion's id as the bare id.
                payload: if payload.starts_with('{') {
                    serde_json::from_str(payload).unwrap()
                } else {
                    Value::String(payload.to_owned())
                },
            };
        }
    }

    /// The next text frame, whatever it is.
    async fn next_text(&mut self) -> Value {
        loop {
            let message = self.message().await;
            if let Message::Text(text) = message {
                return serde_json::from_str(&text).unwrap();
            }
        }
    }

    /// Sends `message`, then waits until the server has read it (its pong to a
    /// later ping comes after it).
    async fn say(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .unwrap();
        self.socket
            .send(Message::Ping(b"sync".to_vec().into()))
            .await
            .unwrap();
        loop {
            match self.message().await {
                Message::Pong(data) if data.as_ref() == b"sync" => return,
                Message::Text(text) => panic!("unexpected frame: {text}"),
                _ => {}
            }
        }
    }
}

/// Posts `text` with `visibility` as `client`; the status.
async fn post(client: &ApiClient, text: &str, visibility: &str) -> Value {
    client
        .post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": visibility}),
        )
        .await
        .expect(200)
        .body
}

/// `follower` follows the local `username`.
async fn follow(follower: &ApiClient, username: &str) {
    let id = follower.lookup(username).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let relationship = follower
        .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(relationship["following"], true);
}

/// `owner` makes the closed group `handle`, which `member` joins.
async fn closed_group(handle: &str, owner: &ApiClient, member: &ApiClient) {
    let group = crate::groups::make_group(owner, handle, "closed").await;
    let group = group["id"].as_str().unwrap();
    member
        .post(&format!("/api/staffroom/v1/groups/{group}/join"), json!({}))
        .await
        .expect(200);
    let requests = format!("/api/staffroom/v1/groups/{group}/requests");
    for asked in owner.get(&requests).await.ids() {
        owner
            .post(&format!("{requests}/{asked}/approve"), json!({}))
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn every_way_of_giving_the_token_opens_a_stream() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let token = alice.token.clone().unwrap();
    assert_eq!(
        instance
            .get("/api/v1/streaming/health")
            .await
            .text()
            .await
            .unwrap(),
        "OK"
    );

    let url = streaming_url(&instance, "?stream=public:local").await;
    let mut by_header = url.as_str().into_client_request().unwrap();
    by_header.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    let (header_socket, _) = connect_async(by_header).await.expect("the header works");

    let mut by_protocol = url.as_str().into_client_request().unwrap();
    by_protocol.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_str(&token).unwrap(),
    );
    let (protocol_socket, answer) = connect_async(by_protocol)
        .await
        .expect("the protocol works");
    assert_eq!(
        answer.headers()["sec-websocket-protocol"],
        token.as_str(),
        "the protocol is echoed"
    );

    let by_parameter = open(&instance, &alice, "?stream=public:local").await;

    let posted = alice.status("Hello, streams").await;
    for socket in [header_socket, protocol_socket, by_parameter.socket] {
        let mut listener = Listener { socket };
        let frame = listener.next().await;
        assert_eq!(frame.stream, ["public:local"]);
        assert_eq!(frame.event, "update");
        assert_eq!(frame.payload["id"], posted["id"]);
        assert_eq!(frame.payload["content"], posted["content"]);
    }
}

/// The status of refusing to open `url` (with `token` as a bearer header, if any).
pub(crate) async fn refused(url: &str, token: Option<&str>) -> u16 {
    let mut request = url.into_client_request().unwrap();
    if let Some(token) = token {
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
    }
    match connect_async(request).await {
        Err(WsError::Http(answer)) => answer.status().as_u16(),
        Err(other) => panic!("unexpected failure: {other}"),
        Ok(_) => panic!("{url} opened"),
    }
}

#[tokio::test]
async fn a_missing_or_bad_token_is_refused_before_upgrading() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let url = streaming_url(&instance, "?stream=user").await;
    assert_eq!(refused(&url, None).await, 401);
    assert_eq!(refused(&url, Some("not-a-token")).await, 401);
    let bad_parameter = streaming_url(&instance, "?stream=public&access_token=nope").await;
    assert_eq!(refused(&bad_parameter, None).await, 401);

    // A token that may not read statuses, or no stream that exists.
    let write_only = instance
        .sign_in("alice", "correct horse battery", "write")
        .await;
    assert_eq!(refused(&url, Some(&write_only)).await, 401);
    let unknown = streaming_url(&instance, "?stream=nothing").await;
    assert_eq!(refused(&unknown, alice.token.as_deref()).await, 400);

    // A plain request is not a WebSocket handshake: an error in the API's shape.
    let plain = alice.get("/api/v1/streaming?stream=user").await;
    assert!((400..500).contains(&plain.status), "{}", plain.status);
    assert!(plain.body["error"].is_string(), "{}", plain.body);
}

#[tokio::test]
async fn connections_per_token_are_capped() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let mut open_ones = Vec::new();
    for _ in 0..8 {
        open_ones.push(open(&instance, &alice, "?stream=user").await);
    }
    let url = streaming_url(&instance, "?stream=user").await;
    assert_eq!(refused(&url, alice.token.as_deref()).await, 429);

    // Closing one frees its place.
    let mut closed = open_ones.pop().unwrap();
    closed.socket.close(None).await.unwrap();
    while let Some(Ok(_)) = closed.socket.next().await {}
    eventually("the place is free again", || async {
        let mut request = url.as_str().into_client_request().unwrap();
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {}", alice.token.as_deref().unwrap())).unwrap(),
        );
        connect_async(request).await.is_ok()
    })
    .await;
}

#[tokio::test]
async fn the_user_stream_carries_followed_posts_and_notifications() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    follow(&alice, "bob").await;
    let mut alices = open(&instance, &alice, "?stream=user").await;

    let bobs = post(&bob, "For my followers", "private").await;
    let frame = alices.next().await;
    assert_eq!(
        (frame.stream, frame.event.as_str()),
        (vec!["user".to_owned()], "update")
    );
    assert_eq!(frame.payload["id"], bobs["id"]);
    assert_eq!(frame.payload["account"]["acct"], "bob");

    // Each listener gets the status as they see it: alice's favourite shows in the edit.
    let bobs_id = bobs["id"].as_str().unwrap();
    alice
        .post(&format!("/api/v1/statuses/{bobs_id}/favourite"), json!({}))
        .await
        .expect(200);
    bob.put(
        &format!("/api/v1/statuses/{bobs_id}"),
        json!({"status": "For my followers, edited"}),
    )
    .await
    .expect(200);
    let edited = alices.next().await;
    assert_eq!(edited.event, "status.update");
    assert_eq!(edited.payload["id"], bobs["id"]);
    assert_eq!(edited.payload["favourited"], true);
    assert!(
        edited.payload["content"]
            .as_str()
            .unwrap()
            .contains("edited")
    );

    let mine = alice.status("Mine").await;
    let own = alices.next().await;
    assert_eq!(own.payload["id"], mine["id"], "one's own posts are at home");
    let mine_id = mine["id"].as_str().unwrap();
    bob.post(&format!("/api/v1/statuses/{mine_id}/favourite"), json!({}))
        .await
        .expect(200);
    let told = alices.next().await;
    assert_eq!(told.stream, ["user"]);
    assert_eq!(told.event, "notification");
    assert_eq!(told.payload["type"], "favourite");
    assert_eq!(told.payload["account"]["acct"], "bob");
    assert_eq!(told.payload["status"]["id"], mine["id"]);
    let listed = alice.get("/api/v1/notifications").await.expect(200);
    assert_eq!(told.payload["id"], listed.items()[0]["id"]);

    // A follow is a notification too, on the notification stream as well.
    let mut alices_notifications = open(&instance, &alice, "?stream=user:notification").await;
    let carol = instance.user("carol").await;
    follow(&carol, "alice").await;
    for listener in [&mut alices, &mut alices_notifications] {
        let told = listener.next().await;
        assert_eq!(told.event, "notification");
        assert_eq!(told.payload["type"], "follow");
        assert_eq!(told.payload["account"]["acct"], "carol");
    }
}

#[tokio::test]
async fn a_follower_hears_a_followers_only_post_and_nobody_else_does() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    follow(&alice, "bob").await;
    let mut alices = open(&instance, &alice, "?stream=user").await;
    let mut carols_home = open(&instance, &carol, "?stream=user").await;
    let mut carols_public = open(&instance, &carol, "?stream=public:local").await;

    let secret = post(&bob, "Only for followers", "private").await;
    let direct = post(&bob, "Only for @alice", "direct").await;
    let unlisted = post(&bob, "Quietly public", "unlisted").await;
    assert_eq!(alices.next().await.payload["id"], secret["id"]);
    assert_eq!(alices.next().await.payload["id"], direct["id"]);
    let mentioned = alices.next().await;
    assert_eq!(mentioned.event, "notification");
    assert_eq!(mentioned.payload["type"], "mention");
    assert_eq!(alices.next().await.payload["id"], unlisted["id"]);

    // Carol follows nobody: her own post is the first thing she hears at home, and
    // the public stream's first is bob's public post.
    let hers = carol.status("Carol here").await;
    assert_eq!(carols_home.next().await.payload["id"], hers["id"]);
    let public = post(&bob, "For everyone", "public").await;
    assert_eq!(carols_public.next().await.payload["id"], hers["id"]);
    let frame = carols_public.next().await;
    assert_eq!(frame.stream, ["public:local"]);
    assert_eq!(frame.payload["id"], public["id"]);
}

#[tokio::test]
async fn a_closed_group_member_hears_its_posts_and_nobody_else_does() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    closed_group("peers", &alice, &bob).await;
    let mut bobs = open(&instance, &bob, "?stream=user").await;
    let mut carols = open(&instance, &carol, "?stream=user").await;
    // The same over Server-Sent Events, with carol's public and direct streams.
    let mut bobs_events = open_sse(&instance, &bob, "user").await;
    let mut carols_events = open_sse(&instance, &carol, "user").await;
    let mut carols_public = open_sse(&instance, &carol, "public").await;
    let mut carols_direct = open_sse(&instance, &carol, "direct").await;

    let written = post(&alice, "@peers Between ourselves", "direct").await;
    assert_eq!(bobs.next().await.payload["id"], written["id"]);
    assert_eq!(bobs_events.next().await.data["id"], written["id"]);
    let hers = carol.status("Carol here").await;
    assert_eq!(carols.next().await.payload["id"], hers["id"]);
    assert_eq!(carols_events.next().await.data["id"], hers["id"]);
    assert_eq!(carols_public.next().await.data["id"], hers["id"]);
    let to_carol = post(&alice, "@carol Just for you", "direct").await;
    let conversation = carols_direct.next().await;
    assert_eq!(conversation.event, "conversation");
    assert_eq!(conversation.data["last_status"]["id"], to_carol["id"]);
}

#[tokio::test]
async fn a_hashtag_stream_hears_tagged_posts_whatever_their_case() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let mut listener = open(&instance, &alice, "").await;
    listener
        .say(json!({"type": "subscribe", "stream": "hashtag", "tag": "AmbitionFeed"}))
        .await;
    listener
        .say(json!({"type": "subscribe", "stream": "public:local"}))
        .await;

    let untagged = bob.status("Nothing tagged").await;
    let tagged = bob.status("This month: #ambitionFEED").await;
    let frame = listener.next().await;
    assert_eq!(frame.stream, ["public:local"]);
    assert_eq!(frame.payload["id"], untagged["id"]);
    let mut streams = [listener.next().await, listener.next().await];
    streams.sort_by_key(|f| f.stream.len());
    assert_eq!(streams[0].stream, ["public:local"]);
    assert_eq!(streams[1].stream, ["hashtag", "AmbitionFeed"]);
    assert_eq!(streams[1].payload["id"], tagged["id"]);

    // Unsubscribed, the tag is heard on the public stream alone.
    listener
        .say(json!({"type": "unsubscribe", "stream": "hashtag", "tag": "AmbitionFeed"}))
        .await;
    let again = bob.status("Again #AmbitionFeed").await;
    let marker = bob.status("After it").await;
    let frame = listener.next().await;
    assert_eq!(frame.stream, ["public:local"]);
    assert_eq!(frame.payload["id"], again["id"]);
    assert_eq!(listener.next().await.payload["id"], marker["id"]);

    // A bad request is answered with an error frame, and the connection stays.
    listener
        .socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "hashtag"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let error = listener.next_text().await;
    assert_eq!(error["status"], 400);
    assert!(error["error"].as_str().unwrap().contains("tag"));
}

#[tokio::test]
async fn deletions_reach_the_streams_that_had_the_post() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    follow(&alice, "bob").await;
    let mut home = open(&instance, &alice, "?stream=user").await;
    let mut public = open(&instance, &alice, "?stream=public").await;

    let posted = bob.status("Soon gone").await;
    assert_eq!(home.next().await.payload["id"], posted["id"]);
    assert_eq!(public.next().await.payload["id"], posted["id"]);
    let id = posted["id"].as_str().unwrap();
    bob.delete(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200);
    for listener in [&mut home, &mut public] {
        let frame = listener.next().await;
        assert_eq!(frame.event, "delete");
        assert_eq!(frame.payload, id);
    }

    // A boost and its withdrawal reach the booster's followers' homes.
    let carols = instance.user("carol").await.status("Worth sharing").await;
    let carols_id = carols["id"].as_str().unwrap();
    let boost = bob
        .post(&format!("/api/v1/statuses/{carols_id}/reblog"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(public.next().await.payload["id"], carols["id"]);
    let boosted = home.next().await;
    assert_eq!(boosted.payload["id"], boost["id"]);
    assert_eq!(boosted.payload["reblog"]["id"], carols["id"]);
    bob.post(&format!("/api/v1/statuses/{carols_id}/unreblog"), json!({}))
        .await
        .expect(200);
    let withdrawn = home.next().await;
    assert_eq!(withdrawn.event, "delete");
    assert_eq!(withdrawn.payload, boost["id"]);
}

#[tokio::test]
async fn a_post_from_another_instance_reaches_the_public_stream() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let address = format!("bob@{}", b.domain());
    a.follow_as("alice", &format!("{}/users/bob", b.base)).await;
    eventually("bob's server accepts alice", || async {
        let remote_bob = alice.lookup(&address).await;
        remote_bob["followers_count"] == 1
    })
    .await;
    let mut remote = open(&a, &alice, "?stream=public:remote").await;
    let mut home = open(&a, &alice, "?stream=user").await;
    let mut tagged = open(&a, &alice, "?stream=hashtag&tag=AmbitionFeed").await;
    let mut remote_events = open_sse(&a, &alice, "public/remote").await;

    let posted = bob.status("News from trust B #ambitionfeed").await;
    for listener in [&mut remote, &mut home, &mut tagged] {
        let frame = listener.next().await;
        assert_eq!(frame.event, "update");
        assert_eq!(frame.payload["uri"], posted["uri"]);
        assert_eq!(frame.payload["account"]["acct"], address.as_str());
    }
    let event = remote_events.next().await;
    assert_eq!(event.event, "update");
    assert_eq!(event.data["uri"], posted["uri"]);
    let id = posted["id"].as_str().unwrap();
    bob.delete(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200);
    let frame = remote.next().await;
    assert_eq!(frame.event, "delete");
}

#[tokio::test]
async fn a_stopping_instance_closes_its_streams() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let mut listener = open(&instance, &alice, "?stream=user").await;
    instance.shut_down().await;
    loop {
        match listener.message().await {
            Message::Close(frame) => {
                let frame = frame.expect("a reason to close");
                assert_eq!(u16::from(frame.code), 1001, "going away");
                break;
            }
            Message::Text(text) => panic!("unexpected frame: {text}"),
            _ => {}
        }
    }
}

/// An open Server-Sent Events stream, read as an app reads it.
pub(crate) struct EventStream {
    answer: reqwest::Response,
    /// What was read but not yet split into events.
    buffer: String,
}

/// One Server-Sent Event: its name and its data (parsed when it is JSON).
#[derive(Debug)]
pub(crate) struct SseEvent {
    pub(crate) event: String,
    pub(crate) data: Value,
}

/// The answer to `GET /api/v1/streaming/{path}` with `query`, the token in an
/// `Authorization` header.
async fn sse_answer(
    instance: &TestInstance,
    token: Option<&str>,
    path: &str,
    query: &str,
) -> reqwest::Response {
    // The advertised address is the WebSocket's; the same host serves both.
    let url = streaming_url(instance, &format!("/{path}{query}"))
        .await
        .replacen("ws", "http", 1);
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// Opens the Server-Sent Events stream at `path` (`public/local`, `hashtag?tag=...`) as
/// `client`, its token in the `Authorization` header.
pub(crate) async fn open_sse(
    instance: &TestInstance,
    client: &ApiClient,
    path: &str,
) -> EventStream {
    let (path, query) = path
        .split_once('?')
        .map_or((path, String::new()), |(p, q)| (p, format!("?{q}")));
    let answer = sse_answer(instance, client.token.as_deref(), path, &query).await;
    assert_eq!(answer.status(), 200, "the stream opens");
    assert_eq!(answer.headers()["content-type"], "text/event-stream");
    EventStream {
        answer,
        buffer: String::new(),
    }
}

impl EventStream {
    /// The next event (comments such as the heartbeat are skipped).
    pub(crate) async fn next(&mut self) -> SseEvent {
        tokio::time::timeout(DEADLINE, self.next_event())
            .await
            .expect("an event within the deadline")
    }

    async fn next_event(&mut self) -> SseEvent {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut event, mut data) = (None, Vec::new());
                for line in block.lines() {
                    if let Some(name) = line.strip_prefix("event: ") {
                        event = Some(name.to_owned());
                    } else if let Some(text) = line.strip_prefix("data: ") {
                        data.push(text);
                    }
                }
                let Some(event) = event else {
                    continue;
                };
                // Entities come as JSON; a deletion's id as the bare id.
                let data = data.join("\n");
                return SseEvent {
                    event,
                    data: if data.starts_with('{') {
                        serde_json::from_str(&data).unwrap()
                    } else {
                        Value::String(data)
                    },
                };
            }
            let chunk = self
                .answer
                .chunk()
                .await
                .expect("the stream reads")
                .expect("the stream stays open");
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// The next event, or `None` when the server ends the stream first.
    async fn next_or_end(&mut self) -> Option<SseEvent> {
        loop {
            if self.buffer.contains("\n\n") {
                return Some(self.next().await);
            }
            let chunk = tokio::time::timeout(DEADLINE, self.answer.chunk())
                .await
                .expect("an event or the end within the deadline");
            match chunk {
                Ok(Some(chunk)) => self.buffer.push_str(std::str::from_utf8(&chunk).unwrap()),
                Ok(None) | Err(_) => return None,
            }
        }
    }
}

#[tokio::test]
async fn server_sent_events_carry_each_stream_with_the_privacy_of_the_websocket() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    follow(&alice, "bob").await;
    let mut alices_home = open_sse(&instance, &alice, "user").await;
    let mut alices_notifications = open_sse(&instance, &alice, "user/notification").await;
    let mut carols_public = open_sse(&instance, &carol, "public/local").await;
    let mut carols_tag = open_sse(&instance, &carol, "hashtag?tag=AmbitionFeed").await;
    let mut carols_local_tag = open_sse(&instance, &carol, "hashtag/local?tag=ambitionfeed").await;
    let mut carols_home = open_sse(&instance, &carol, "user").await;

    // A followers-only post with the tag reaches the follower alone.
    let secret = post(&bob, "For followers #AmbitionFeed", "private").await;
    let update = alices_home.next().await;
    assert_eq!(update.event, "update");
    assert_eq!(update.data["id"], secret["id"]);
    assert_eq!(update.data["visibility"], "private");

    // The public post after it is the first thing carol's public streams hear.
    let public = post(&bob, "For everyone #ambitionfeed", "public").await;
    for stream in [&mut carols_public, &mut carols_tag, &mut carols_local_tag] {
        let heard = stream.next().await;
        assert_eq!(heard.event, "update");
        assert_eq!(
            heard.data["id"], public["id"],
            "not the followers-only post"
        );
    }
    assert_eq!(alices_home.next().await.data["id"], public["id"]);

    // Edits, notifications and deletions, each with Mastodon's event name.
    let id = public["id"].as_str().unwrap();
    bob.put(
        &format!("/api/v1/statuses/{id}"),
        json!({"status": "For everyone, edited #ambitionfeed"}),
    )
    .await
    .expect(200);
    let edited = carols_public.next().await;
    assert_eq!(edited.event, "status.update");
    assert!(edited.data["content"].as_str().unwrap().contains("edited"));
    carol
        .post(&format!("/api/v1/statuses/{id}/favourite"), json!({}))
        .await
        .expect(200);
    follow(&carol, "alice").await;
    let told = alices_notifications.next().await;
    assert_eq!(told.event, "notification");
    assert_eq!(told.data["type"], "follow");
    assert_eq!(told.data["account"]["acct"], "carol");
    bob.delete(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200);
    let gone = carols_public.next().await;
    assert_eq!(gone.event, "delete");
    assert_eq!(gone.data, id);

    // Carol follows nobody: nothing of bob's reached her home.
    let hers = carol.status("Carol here").await;
    assert_eq!(carols_home.next().await.data["id"], hers["id"]);
    assert_eq!(carols_public.next().await.data["id"], hers["id"]);
}

#[tokio::test]
async fn server_sent_events_are_refused_and_capped_as_the_websocket_is() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let token = alice.token.as_deref();
    let status = |answer: reqwest::Response| answer.status().as_u16();
    assert_eq!(status(sse_answer(&instance, None, "user", "").await), 401);
    assert_eq!(
        status(sse_answer(&instance, Some("nope"), "public", "").await),
        401
    );
    let by_parameter = sse_answer(
        &instance,
        None,
        "public",
        &format!("?access_token={}", token.unwrap()),
    )
    .await;
    assert_eq!(status(by_parameter), 200, "the token as a parameter");
    let write_only = instance
        .sign_in("alice", "correct horse battery", "write")
        .await;
    assert_eq!(
        status(sse_answer(&instance, Some(&write_only), "user", "").await),
        401
    );
    let refused = sse_answer(&instance, token, "hashtag", "").await;
    assert_eq!(refused.status(), 400, "a hashtag stream needs a tag");
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("tag"), "{body}");
    let bobs_list = bob
        .post("/api/v1/lists", json!({"title": "Mine"}))
        .await
        .expect(200)
        .body;
    let list = format!("?list={}", bobs_list["id"].as_str().unwrap());
    assert_eq!(
        status(sse_answer(&instance, token, "list", &list).await),
        404
    );
    assert_eq!(
        status(sse_answer(&instance, bob.token.as_deref(), "list", &list).await),
        200
    );

    // Eight connections a token, WebSocket and Server-Sent Events together.
    let mut open_ones = Vec::new();
    for _ in 0..4 {
        open_ones.push(open_sse(&instance, &alice, "user").await);
    }
    let mut sockets = Vec::new();
    for _ in 0..4 {
        sockets.push(open(&instance, &alice, "?stream=user").await);
    }
    assert_eq!(status(sse_answer(&instance, token, "user", "").await), 429);
    let mut closed = sockets.pop().unwrap();
    closed.socket.close(None).await.unwrap();
    while let Some(Ok(_)) = closed.socket.next().await {}
    eventually("the place is free again", || async {
        sse_answer(&instance, token, "user", "").await.status() == 200
    })
    .await;
}

#[tokio::test]
async fn a_stopping_instance_ends_its_event_streams() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let mut stream = open_sse(&instance, &alice, "user").await;
    instance.shut_down().await;
    assert!(stream.next_or_end().await.is_none(), "the stream ends");
}
