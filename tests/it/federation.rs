//! Federation with another server (a peer built on the ActivityPub library alone):
//! follows, signed deliveries that survive failures and restarts, and the inbox's
//! refusals, which change nothing.

use std::time::Duration;

use serde_json::{Value, json};
use staffroom_domain::posts::post::Visibility;
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
    peer.activity("Follow", format!("{}/users/{username}", instance.base))
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

    let undo = peer.activity("Undo", follow);
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
    let like = peer.activity("Like", format!("{}/users/alice/statuses/1", instance.base));
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

/// A peer that follows `username` on `instance`, with the Accept received.
async fn following_peer(instance: &TestInstance, username: &str) -> Peer {
    let peer = Peer::start().await;
    let follow = follow(&peer, instance, username);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &follow)
            .await,
        202
    );
    peer.wait_for(WAIT, is_accept_of(&follow)).await;
    peer
}

#[tokio::test]
async fn posts_reach_remote_followers_and_deletions_follow() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = following_peer(&instance, "alice").await;

    let public = instance
        .post_as("alice", "Careers week <went> well", Visibility::Public)
        .await;
    let create = peer
        .wait_for(WAIT, |a| {
            a["type"] == "Create" && a["object"]["id"] == public
        })
        .await;
    let note = &create["object"];
    assert_eq!(note["content"], "<p>Careers week &lt;went&gt; well</p>");
    assert_eq!(
        note["to"],
        json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(create["actor"], format!("{}/users/alice", instance.base));

    let private = instance
        .post_as("alice", "Followers only", Visibility::Private)
        .await;
    let create = peer
        .wait_for(WAIT, |a| {
            a["type"] == "Create" && a["object"]["id"] == private
        })
        .await;
    assert_eq!(
        create["object"]["to"],
        json!([format!("{}/users/alice/followers", instance.base)])
    );
    assert!(create["object"]["cc"].as_array().unwrap().is_empty());

    let direct = instance
        .post_as("alice", "Nobody mentioned", Visibility::Direct)
        .await;

    instance.delete_post_as("alice", &public).await;
    let delete = peer
        .wait_for(WAIT, |a| {
            a["type"] == "Delete" && a["object"]["id"] == public
        })
        .await;
    assert_eq!(delete["object"]["type"], "Tombstone");
    assert!(
        peer.received().iter().all(|a| a["object"]["id"] != direct),
        "a direct post without mentions goes nowhere"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn remote_posts_are_stored_when_they_belong_here() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);
    let alice = format!("{}/users/alice", instance.base);
    let note = |id: &str, content: &str, extra: Value| {
        let mut note = json!({
            "id": id,
            "type": "Note",
            "attributedTo": peer.actor_id,
            "content": content,
            "published": "2026-11-20T10:00:00Z",
            "to": "https://www.w3.org/ns/activitystreams#Public",
            "cc": [format!("{}/followers", peer.actor_id)],
        });
        for (key, value) in extra.as_object().unwrap() {
            note[key] = value.clone();
        }
        note
    };
    let create = |object: Value| peer.activity("Create", object);

    // Nobody here follows the peer and it names nobody here: not stored.
    let stray = format!("{}/notes/stray", peer.base);
    assert_eq!(
        peer.send(
            &inbox,
            &create(note(&stray, "<p>Hello world</p>", json!({})))
        )
        .await,
        202
    );
    assert!(instance.remote_posts().await.is_empty());

    // A mention of alice (a single tag object, as some servers send): stored, cleaned.
    let mention = format!("{}/notes/mention", peer.base);
    let tagged = note(
        &mention,
        "<p>Hi <a href=\"x\" class=\"mention\">@alice</a><script>alert(1)</script></p>",
        json!({"tag": {"type": "Mention", "href": alice, "name": "@alice"}}),
    );
    assert_eq!(peer.send(&inbox, &create(tagged)).await, 202);
    let stored = instance.remote_posts().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].1, mention);
    assert!(!stored[0].2.contains("script"), "{}", stored[0].2);
    assert_eq!(stored[0].3, "public");

    // A reply to alice's post threads under it.
    let original = instance
        .post_as("alice", "Question for the network", Visibility::Public)
        .await;
    let reply = format!("{}/notes/reply", peer.base);
    assert_eq!(
        peer.send(
            &inbox,
            &create(note(
                &reply,
                "<p>An answer</p>",
                json!({"inReplyTo": original})
            ))
        )
        .await,
        202
    );
    let stored = instance.remote_posts().await;
    let threaded = stored
        .iter()
        .find(|p| p.1 == reply)
        .expect("the reply is stored");
    let original_id: i64 = original.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(threaded.4, Some(original_id));

    // Its author edits it, then deletes it.
    let update = peer.activity(
        "Update",
        note(
            &reply,
            "<p>An edited answer</p>",
            json!({"inReplyTo": original}),
        ),
    );
    assert_eq!(peer.send(&inbox, &update).await, 202);
    let stored = instance.remote_posts().await;
    assert_eq!(
        stored.iter().find(|p| p.1 == reply).unwrap().2,
        "<p>An edited answer</p>"
    );
    let delete = peer.activity("Delete", json!({"id": reply, "type": "Tombstone"}));
    assert_eq!(peer.send(&inbox, &delete).await, 202);
    assert!(instance.remote_posts().await.iter().all(|p| p.1 != reply));

    // Nobody creates posts in someone else's name.
    let forged = note(
        &format!("{}/notes/forged", peer.base),
        "<p>x</p>",
        json!({"attributedTo": alice, "tag": [{"type": "Mention", "href": alice}]}),
    );
    assert_eq!(peer.send(&inbox, &create(forged)).await, 403);
    assert_eq!(instance.remote_posts().await.len(), 1);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_followed_authors_followers_only_post_is_stored_as_such() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    // Alice follows the peer, which accepts.
    instance.follow_as("alice", &peer.actor_id).await;
    let follow = peer.wait_for(WAIT, |a| a["type"] == "Follow").await;
    let accept = peer.activity("Accept", follow["id"].clone());
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &accept)
            .await,
        202
    );

    let id = format!("{}/notes/private", peer.base);
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": peer.new_id("create"),
        "type": "Create",
        "actor": peer.actor_id,
        "object": {
            "id": id,
            "type": "Note",
            "attributedTo": peer.actor_id,
            "content": "<p>For followers</p>",
            "to": [format!("{}/followers", peer.actor_id)],
        },
    });
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &create)
            .await,
        202
    );
    let stored = instance.remote_posts().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].3, "private");
    instance.shut_down().await;
}

async fn collection_total(instance: &TestInstance, path: &str) -> u64 {
    let (_, collection) = instance.get_json(path).await;
    collection["totalItems"].as_u64().unwrap()
}

#[tokio::test]
async fn a_local_person_follows_a_remote_account_and_unfollows_it() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let alice = format!("{}/users/alice", instance.base);
    let inbox = format!("{}/inbox", instance.base);

    instance.follow_as("alice", &peer.actor_id).await;
    let follow = peer
        .wait_for(WAIT, |a| a["type"] == "Follow" && a["actor"] == alice)
        .await;
    assert_eq!(follow["object"], peer.actor_id);
    assert_eq!(
        collection_total(&instance, "/users/alice/following").await,
        0,
        "pending until accepted"
    );

    let accept = peer.activity("Accept", follow.clone());
    assert_eq!(peer.send(&inbox, &accept).await, 202);
    assert_eq!(
        collection_total(&instance, "/users/alice/following").await,
        1
    );

    // Now the peer's ordinary posts belong here.
    let note = |id: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": peer.new_id("create"),
            "type": "Create",
            "actor": peer.actor_id,
            "object": {
                "id": id,
                "type": "Note",
                "attributedTo": peer.actor_id,
                "content": "<p>News from the peer</p>",
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
            },
        })
    };
    let first = format!("{}/notes/1", peer.base);
    assert_eq!(peer.send(&inbox, &note(&first)).await, 202);
    assert_eq!(instance.remote_posts().await.len(), 1);

    instance.unfollow_as("alice", &peer.actor_id).await;
    let undo = peer.wait_for(WAIT, |a| a["type"] == "Undo").await;
    assert_eq!(undo["object"]["id"], follow["id"]);
    assert_eq!(undo["object"]["type"], "Follow");
    assert_eq!(
        collection_total(&instance, "/users/alice/following").await,
        0
    );
    let second = format!("{}/notes/2", peer.base);
    assert_eq!(peer.send(&inbox, &note(&second)).await, 202);
    assert_eq!(
        instance.remote_posts().await.len(),
        1,
        "no longer followed, no longer stored"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn a_locked_account_holds_requests_until_it_answers() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    instance.lock("alice").await;
    let (_, actor) = instance
        .http
        .get(format!("{}/users/alice", instance.base))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .map(|v| (0, v))
        .unwrap();
    assert_eq!(actor["manuallyApprovesFollowers"], true);

    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);
    let request = follow(&peer, &instance, "alice");
    assert_eq!(peer.send(&inbox, &request).await, 202);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(peer.received().is_empty(), "no answer before alice decides");
    assert_eq!(follower_count(&instance, "alice").await, 0);

    instance
        .answer_request_as("alice", &peer.actor_id, true)
        .await;
    peer.wait_for(WAIT, is_accept_of(&request)).await;
    assert_eq!(follower_count(&instance, "alice").await, 1);

    // A second server is refused.
    let other = Peer::start().await;
    let refused = follow(&other, &instance, "alice");
    assert_eq!(other.send(&inbox, &refused).await, 202);
    instance
        .answer_request_as("alice", &other.actor_id, false)
        .await;
    let reject = other.wait_for(WAIT, |a| a["type"] == "Reject").await;
    assert_eq!(reject["object"]["id"], refused["id"]);
    assert_eq!(follower_count(&instance, "alice").await, 1);
    instance.shut_down().await;
}

#[tokio::test]
async fn an_unfollowed_account_gets_no_more_posts() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = following_peer(&instance, "alice").await;
    let first = instance
        .post_as("alice", "Before", Visibility::Public)
        .await;
    peer.wait_for(WAIT, |a| a["object"]["id"] == first).await;

    let follow = peer
        .received()
        .into_iter()
        .find(|a| a["type"] == "Accept")
        .map(|a| a["object"].clone())
        .unwrap();
    let undo = peer.activity("Undo", follow);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &undo).await,
        202
    );
    let second = instance.post_as("alice", "After", Visibility::Public).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(peer.received().iter().all(|a| a["object"]["id"] != second));
    instance.shut_down().await;
}

#[tokio::test]
async fn likes_boosts_mentions_and_follows_arrive_as_notifications() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = following_peer(&instance, "alice").await;
    let inbox = format!("{}/inbox", instance.base);
    let peer_acct = format!("peer@{}", peer.domain());
    let post = instance
        .post_as("alice", "Our careers week", Visibility::Public)
        .await;
    let post_id: i64 = post.rsplit('/').next().unwrap().parse().unwrap();
    let activity = |kind: &str, object: Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": peer.new_id(kind),
            "type": kind,
            "actor": peer.actor_id,
            "object": object,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
        })
    };

    let like = activity("Like", json!(post));
    assert_eq!(peer.send(&inbox, &like).await, 202);
    assert_eq!(
        peer.send(&inbox, &activity("Like", json!(post))).await,
        202,
        "a second like by the same actor"
    );
    let announce = activity("Announce", json!(post));
    assert_eq!(peer.send(&inbox, &announce).await, 202);
    assert_eq!(instance.interaction_counts(&post).await, (1, 1));

    let mention = activity(
        "Create",
        json!({
            "id": format!("{}/notes/hello", peer.base),
            "type": "Note",
            "attributedTo": peer.actor_id,
            "content": "<p>@alice well done</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "tag": [{"type": "Mention", "href": format!("{}/users/alice", instance.base)}],
        }),
    );
    assert_eq!(peer.send(&inbox, &mention).await, 202);

    let kinds: Vec<(String, String)> = instance
        .notifications("alice")
        .await
        .into_iter()
        .map(|(kind, from, _)| (kind, from))
        .collect();
    assert_eq!(
        kinds,
        ["mention", "reblog", "favourite", "follow"]
            .map(|k| (k.to_owned(), peer_acct.clone()))
            .to_vec()
    );
    let favourite = instance
        .notifications("alice")
        .await
        .into_iter()
        .find(|n| n.0 == "favourite")
        .unwrap();
    assert_eq!(favourite.2, Some(post_id));

    // Taking them back.
    assert_eq!(peer.send(&inbox, &activity("Undo", like)).await, 202);
    assert_eq!(peer.send(&inbox, &activity("Undo", announce)).await, 202);
    assert_eq!(instance.interaction_counts(&post).await, (0, 0));

    // A followers-only post cannot be boosted; a post that is not here is not counted.
    let private = instance
        .post_as("alice", "Just for followers", Visibility::Private)
        .await;
    assert_eq!(
        peer.send(&inbox, &activity("Announce", json!(private)))
            .await,
        202
    );
    assert_eq!(instance.interaction_counts(&private).await.1, 0);
    let elsewhere = activity("Like", json!(format!("{}/notes/not-here", peer.base)));
    assert_eq!(peer.send(&inbox, &elsewhere).await, 202);
    instance.shut_down().await;
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_delivery_once() {
    // Two server processes sharing one database (as on PostgreSQL behind a load
    // balancer) share the queue: every delivery goes out exactly once.
    let first = TestInstance::start().await;
    first.create_user("alice", &[]).await;
    let second = first.second_process().await;
    let peer = following_peer(&first, "alice").await;

    let mut posts = Vec::new();
    for n in 0..12 {
        let on = if n % 2 == 0 { &first } else { &second };
        posts.push(
            on.post_as("alice", &format!("Post number {n}"), Visibility::Public)
                .await,
        );
    }
    for post in &posts {
        peer.wait_for(WAIT, |a| {
            a["type"] == "Create" && a["object"]["id"] == *post
        })
        .await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for post in &posts {
        let copies = peer
            .received()
            .iter()
            .filter(|a| a["type"] == "Create" && a["object"]["id"] == *post)
            .count();
        assert_eq!(copies, 1, "{post}");
    }
    second.shut_down().await;
    first.shut_down().await;
}

#[tokio::test]
async fn a_sender_with_a_new_key_is_fetched_again_and_accepted() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let mut peer = following_peer(&instance, "alice").await;
    assert_eq!(follower_count(&instance, "alice").await, 1);

    // The peer's server rotates its key; the stored one no longer verifies.
    peer.rotate_key().await;
    let follow = peer
        .received()
        .into_iter()
        .find(|a| a["type"] == "Accept")
        .map(|a| a["object"].clone())
        .unwrap();
    let undo = peer.activity("Undo", follow);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &undo).await,
        202
    );
    assert_eq!(follower_count(&instance, "alice").await, 0);
    instance.shut_down().await;
}

#[tokio::test]
async fn stale_or_future_signatures_are_refused() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);
    let now = std::time::SystemTime::now();
    let stale = follow(&peer, &instance, "alice");
    assert_eq!(
        peer.send_dated(&inbox, &stale, now - Duration::from_secs(3 * 60 * 60))
            .await,
        401
    );
    let future = follow(&peer, &instance, "alice");
    assert_eq!(
        peer.send_dated(&inbox, &future, now + Duration::from_secs(3 * 60 * 60))
            .await,
        401
    );
    assert_eq!(follower_count(&instance, "alice").await, 0);
    let fresh = follow(&peer, &instance, "alice");
    assert_eq!(peer.send_dated(&inbox, &fresh, now).await, 202);
    instance.shut_down().await;
}

#[tokio::test]
async fn outside_test_mode_loopback_servers_are_never_contacted() {
    let instance = TestInstance::start_with(&[("STAFFROOM_FEDERATION_TEST_MODE", "false")]).await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    // The follow names an actor on a loopback port: the instance refuses to fetch it.
    let status = peer
        .send(
            &format!("{}/inbox", instance.base),
            &follow(&peer, &instance, "alice"),
        )
        .await;
    assert!(status == 401 || status == 403, "{status}");
    assert_eq!(follower_count(&instance, "alice").await, 0);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_boost_of_a_remote_post_names_its_author_by_their_own_id() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    // Someone here has the remote author's name: the boost must not name them.
    instance.user("peer").await;
    let peer = Peer::start().await;
    let note_id = format!("{}/notes/1", peer.base);
    peer.serve(
        "/notes/1",
        Some(json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": note_id,
            "type": "Note",
            "attributedTo": peer.actor_id,
            "content": "<p>Open evening on Thursday</p>",
            "published": "2026-11-20T10:00:00Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{}/followers", peer.actor_id)],
        })),
    );
    let found = alice
        .get(&format!(
            "/api/v2/search?q={note_id}&resolve=true&type=statuses"
        ))
        .await
        .expect(200)
        .body["statuses"][0]
        .clone();
    let id = found["id"].as_str().unwrap_or_else(|| panic!("{found}"));
    alice
        .post(&format!("/api/v1/statuses/{id}/reblog"), json!({}))
        .await
        .expect(200);
    let announce = peer.wait_for(WAIT, |a| a["type"] == "Announce").await;
    assert_eq!(announce["object"], note_id);
    assert!(
        announce["cc"]
            .as_array()
            .unwrap()
            .contains(&Value::from(peer.actor_id.clone())),
        "{announce}"
    );
    assert!(
        !announce
            .to_string()
            .contains(&format!("{}/users/peer", instance.base)),
        "{announce}"
    );
}
