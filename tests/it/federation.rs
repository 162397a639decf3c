//! Federation with another server (a peer built on the ActivityPub library alone):
//! follows, signed deliveries that survive failures and restarts, and the inbox's
//! refusals, which change nothing.

use std::time::Duration;

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::peer::Peer;

const WAIT: Duration = Duration::from_secs(20);

async fn follower_count(instance: &TestInstance, username: &str) -> u64 {
    let (status, collection) = instance
        .get_json(&format!("/users/{username}/followers"))
        .await;
    assert_eq!(status, 200);
    collection["totalItems"].as_u64().unwrap()
}

fn follow(peer: &Peer, instance: &TestInstance, username: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.new_id("follow"),
        "type": "Follow",
        "actor": peer.actor_id,
        "object": format!("{}/users/{username}", instance.base),
    })
}

fn is_accept_of(follow: &Value) -> impl Fn(&Value) -> bool + '_ {
    move |activity| activity["type"] == "Accept" && activity["object"]["id"] == follow["id"]
}

/// Waits for the Accept of `follow`, then a little longer, and counts the Accepts.
async fn accepts_settled(peer: &Peer, follow: &Value) -> usize {
    peer.wait_for(WAIT, is_accept_of(follow)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    peer.received()
        .iter()
        .filter(|a| is_accept_of(follow)(a))
        .count()
}

#[tokio::test]
async fn a_follow_is_accepted_and_the_accept_arrives_signed() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--role", "admin"]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/users/alice/inbox", instance.base);

    let follow = follow(&peer, &instance, "alice");
    assert_eq!(peer.send(&inbox, &follow).await, 202);

    // The peer's inbox checked the Accept's signature against alice's published key.
    let accept = peer.wait_for(WAIT, is_accept_of(&follow)).await;
    assert_eq!(accept["actor"], format!("{}/users/alice", instance.base));
    assert_eq!(accept["object"]["actor"], peer.actor_id);

    assert_eq!(follower_count(&instance, "alice").await, 1);
    let (_, page) = instance.get_json("/users/alice/followers?page=1").await;
    assert_eq!(page["orderedItems"], json!([peer.actor_id]));
    let (_, v1) = instance.get_json("/api/v1/instance").await;
    assert_eq!(v1["contact_account"]["followers_count"], 1);
    assert_eq!(
        v1["stats"]["domain_count"], 1,
        "the peer's server is now known"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn a_redelivered_follow_is_applied_once_and_undo_ends_it() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);

    let follow = follow(&peer, &instance, "alice");
    assert_eq!(peer.send(&inbox, &follow).await, 202);
    peer.wait_for(WAIT, is_accept_of(&follow)).await;
    assert_eq!(
        peer.send(&inbox, &follow).await,
        202,
        "a repeat is acknowledged"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let accepts = peer
        .received()
        .iter()
        .filter(|a| is_accept_of(&follow)(a))
        .count();
    assert_eq!(accepts, 1, "the repeat was not applied again");
    assert_eq!(follower_count(&instance, "alice").await, 1);

    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.new_id("undo"),
        "type": "Undo",
        "actor": peer.actor_id,
        "object": follow,
    });
    assert_eq!(peer.send(&inbox, &undo).await, 202);
    assert_eq!(follower_count(&instance, "alice").await, 0);
    instance.shut_down().await;
}

#[tokio::test]
async fn the_remote_profile_is_stored_sanitised() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let follow = follow(&peer, &instance, "alice");
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    peer.wait_for(WAIT, is_accept_of(&follow)).await;
    let db = instance.running().db();
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT acct, display_name, note FROM accounts WHERE domain IS NOT NULL",
        ))
        .await
        .unwrap()
        .expect("the peer's account is stored");
    let acct: String = row.try_get_by_index(0).unwrap();
    let note: String = row.try_get_by_index(2).unwrap();
    assert_eq!(
        acct,
        format!("peer@{}", peer.base.trim_start_matches("http://"))
    );
    assert!(!note.contains("<script"), "{note}");
    assert!(note.contains("primary school"), "{note}");
    instance.shut_down().await;
}

#[tokio::test]
async fn bad_requests_are_refused_and_change_nothing() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/users/alice/inbox", instance.base);

    // Unsigned.
    let follow1 = follow(&peer, &instance, "alice");
    let unsigned = instance
        .http
        .post(&inbox)
        .header("content-type", "application/activity+json")
        .body(follow1.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);

    // Signed, then the body changed: the digest no longer matches.
    let follow2 = follow(&peer, &instance, "alice");
    let tampered = peer
        .send_altered(&inbox, &follow2, |request| {
            let mut other = follow2.clone();
            other["object"] = json!(format!("{}/users/bob", instance.base));
            *request.body_mut() = Some(other.to_string().into());
        })
        .await;
    assert_eq!(tampered, 401);

    // Signed, with the signature itself forged.
    let follow3 = follow(&peer, &instance, "alice");
    let forged = peer
        .send_altered(&inbox, &follow3, |request| {
            let signature = request.headers()["signature"].to_str().unwrap().to_owned();
            let forged = signature.replace("signature=\"", "signature=\"AAAA");
            request
                .headers_mut()
                .insert("signature", forged.parse().unwrap());
        })
        .await;
    assert_eq!(forged, 401);

    // Signed by the peer, but claiming another actor of another server.
    let impostor = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/x", instance.base),
        "type": "Follow",
        "actor": format!("{}/users/alice", instance.base),
        "object": format!("{}/users/alice", instance.base),
    });
    let status = peer.send(&inbox, &impostor).await;
    assert!(status == 401 || status == 403, "{status}");

    // Not an activity at all, and too big.
    assert_eq!(peer.send_bytes(&inbox, b"{not json".to_vec()).await, 400);
    let huge = vec![b' '; 1024 * 1024 + 1];
    assert_eq!(peer.send_bytes(&inbox, huge).await, 413);

    assert_eq!(
        follower_count(&instance, "alice").await,
        0,
        "nothing was stored"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        peer.received().is_empty(),
        "nothing was sent: {:?}",
        peer.received()
    );

    // Types Staffroom does not act on are accepted and ignored.
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.new_id("like"),
        "type": "Like",
        "actor": peer.actor_id,
        "object": format!("{}/users/alice/statuses/1", instance.base),
    });
    assert_eq!(peer.send(&inbox, &like).await, 202);

    // A follow of someone who does not exist.
    let nobody = follow(&peer, &instance, "nobody");
    let status = peer.send(&inbox, &nobody).await;
    assert!((400..500).contains(&status), "{status}");
    instance.shut_down().await;
}

#[tokio::test]
async fn a_delivery_to_a_server_that_is_down_arrives_once_when_it_is_back() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    peer.set_down(true);
    let follow = follow(&peer, &instance, "alice");
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );

    // The Accept fails (503, Retry-After: 1) and stays queued.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(peer.received().is_empty());
    peer.set_down(false);
    assert_eq!(accepts_settled(&peer, &follow).await, 1);
    instance.shut_down().await;
}

#[tokio::test]
async fn queued_deliveries_survive_a_restart_and_arrive_once() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    peer.set_down(true);
    let follow = follow(&peer, &instance, "alice");
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The sender stops with the Accept still queued, and starts again.
    let instance = instance.restart().await;
    peer.set_down(false);
    assert_eq!(accepts_settled(&peer, &follow).await, 1);
    instance.shut_down().await;
}
