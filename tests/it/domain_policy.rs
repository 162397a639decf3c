//! Domain policy and authorized fetch: a blocked server gets nothing in and nothing
//! out; in allowlist mode only allowed servers federate; with authorized fetch only
//! signed fetches are answered, and followers-only posts go to followers alone.

use std::time::Duration;

use serde_json::Value;
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::TestInstance;
use staffroom_tests::peer::Peer;

const WAIT: Duration = Duration::from_secs(20);
const AP: &str = "application/activity+json";

fn follow(peer: &Peer, instance: &TestInstance) -> Value {
    peer.activity("Follow", format!("{}/users/alice", instance.base))
}

async fn unsigned_status(instance: &TestInstance, path: &str) -> u16 {
    instance
        .http
        .get(format!("{}{path}", instance.base))
        .header("accept", AP)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn followers(instance: &TestInstance) -> u64 {
    let (_, collection) = instance.get_json("/users/alice/followers").await;
    collection["totalItems"].as_u64().unwrap()
}

#[tokio::test]
async fn a_blocked_server_gets_nothing_in_and_nothing_out() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);
    let actor = format!("{}/users/alice", instance.base);

    let blocked = instance
        .cli(
            &[
                "admin",
                "domain",
                "block",
                peer.domain(),
                "--reason",
                "spam",
            ],
            "",
        )
        .await;
    assert_eq!(blocked.status, 0, "{}", blocked.stderr);
    assert_eq!(
        blocked.stdout.trim(),
        format!("{} is blocked (with its subdomains).", peer.domain())
    );
    let list = instance.cli(&["admin", "domain", "list"], "").await;
    assert!(
        list.stdout
            .contains(&format!("block  {} spam", peer.domain())),
        "{}",
        list.stdout
    );

    assert_eq!(peer.send(&inbox, &follow(&peer, &instance)).await, 403);
    assert_eq!(followers(&instance).await, 0);
    assert_eq!(
        peer.signed_get(&actor).await.0,
        403,
        "no documents for a blocked server"
    );

    // Lifted, the same server federates again.
    let removed = instance
        .cli(&["admin", "domain", "remove", peer.domain()], "")
        .await;
    assert_eq!(removed.status, 0, "{}", removed.stderr);
    let follow = follow(&peer, &instance);
    assert_eq!(peer.send(&inbox, &follow).await, 202);
    peer.wait_for(WAIT, |a| a["type"] == "Accept").await;
    assert_eq!(peer.signed_get(&actor).await.0, 200);

    // Blocked again: posts no longer go there, though it still follows.
    instance
        .cli(&["admin", "domain", "block", peer.domain()], "")
        .await;
    let post = instance
        .post_as("alice", "Not for blocked servers", Visibility::Public)
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        peer.received().iter().all(|a| a["object"]["id"] != post),
        "{:?}",
        peer.received()
    );

    let missing = instance
        .cli(&["admin", "domain", "remove", "never.example"], "")
        .await;
    assert_eq!(missing.status, 1);
    let bad = instance
        .cli(&["admin", "domain", "block", "not a domain"], "")
        .await;
    assert_eq!(bad.status, 1);
    assert!(
        bad.stderr.contains("domain is not a domain name"),
        "{}",
        bad.stderr
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn in_allowlist_mode_only_allowed_servers_federate() {
    let instance = TestInstance::start_with(&[("STAFFROOM_FEDERATION_MODE", "allowlist")]).await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let actor = format!("{}/users/alice", instance.base);

    assert_eq!(
        unsigned_status(&instance, "/users/alice").await,
        401,
        "allowlist mode implies authorized fetch"
    );
    assert_eq!(
        unsigned_status(&instance, "/actor").await,
        200,
        "the instance actor stays public"
    );
    let (status, _) = instance
        .get_json(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            instance.domain()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(peer.signed_get(&actor).await.0, 403, "not allowed yet");
    assert_eq!(
        peer.send(
            &format!("{}/inbox", instance.base),
            &follow(&peer, &instance)
        )
        .await,
        403
    );

    let allowed = instance
        .cli(&["admin", "domain", "allow", peer.domain()], "")
        .await;
    assert_eq!(allowed.status, 0, "{}", allowed.stderr);
    let (status, document) = peer.signed_get(&actor).await;
    assert_eq!(status, 200);
    assert_eq!(document["id"], actor);
    let follow = follow(&peer, &instance);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    peer.wait_for(WAIT, |a| a["type"] == "Accept").await;
    let (_, collection) = peer.signed_get(&format!("{actor}/followers")).await;
    assert_eq!(collection["totalItems"], 1);
    instance.shut_down().await;
}

#[tokio::test]
async fn with_authorized_fetch_followers_only_posts_go_to_followers_alone() {
    let instance = TestInstance::start_with(&[("STAFFROOM_AUTHORIZED_FETCH", "true")]).await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let private = instance
        .post_as("alice", "Followers only", Visibility::Private)
        .await;
    let public = instance
        .post_as("alice", "For everyone", Visibility::Public)
        .await;

    let path = |uri: &str| uri.trim_start_matches(&instance.base).to_owned();
    assert_eq!(unsigned_status(&instance, &path(&public)).await, 401);
    assert_eq!(unsigned_status(&instance, "/users/alice/outbox").await, 401);
    assert_eq!(
        instance.get("/@alice").await.status(),
        200,
        "pages stay public"
    );
    assert_eq!(peer.signed_get(&public).await.0, 200);
    assert_eq!(peer.signed_get(&private).await.0, 404, "not a follower yet");

    let follow = follow(&peer, &instance);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    peer.wait_for(WAIT, |a| a["type"] == "Accept").await;
    let (status, note) = peer.signed_get(&private).await;
    assert_eq!(status, 200, "a follower's signed fetch sees it");
    assert_eq!(note["content"], "<p>Followers only</p>");
    assert_eq!(
        instance
            .get(&path(&private).replace("/users/alice/statuses/", "/@alice/"))
            .await
            .status(),
        404,
        "never on a page"
    );
    instance.shut_down().await;
}
