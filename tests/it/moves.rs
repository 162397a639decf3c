//! `Move`: an account of another server moves (Mastodon's account migration).
//! Played by the test peer: its person is the old account, and a second actor
//! it serves is the new one.

use std::time::Duration;

use activitypub_federation::http_signatures::generate_actor_keypair;
use serde_json::{Value, json};
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

const WAIT: Duration = Duration::from_secs(20);

/// An actor document at `id` named `name`, naming `also_known_as`, whose
/// inbox is the peer's shared inbox.
fn actor(peer: &Peer, id: &str, name: &str, also_known_as: &[&str]) -> Value {
    let keys = generate_actor_keypair().unwrap();
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": name,
        "inbox": format!("{}/inbox", peer.base),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "alsoKnownAs": also_known_as,
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": keys.public_key},
    })
}

#[tokio::test]
async fn the_followers_of_an_account_that_moves_follow_its_new_home() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    // Carol exists and follows no one: the move must not make her follow.
    a.user("carol").await;
    let old = Peer::start().await;
    let new_id = format!("{}/users/newhome", old.base);
    old.serve(
        "/users/newhome",
        Some(actor(&old, &new_id, "newhome", &[&old.actor_id])),
    );
    let stranger_id = format!("{}/users/stranger", old.base);
    old.serve(
        "/users/stranger",
        Some(actor(&old, &stranger_id, "stranger", &[])),
    );
    let inbox = format!("http://{}/inbox", a.domain());

    // Alice follows the old account; Carol does not.
    let found = alice
        .get(&format!(
            "/api/v2/search?q={}&resolve=true&type=accounts",
            old.actor_id
        ))
        .await
        .expect(200);
    let old_here = found.body["accounts"][0]["id"].as_str().unwrap().to_owned();
    alice
        .post(&format!("/api/v1/accounts/{old_here}/follow"), json!({}))
        .await
        .expect(200);
    let follow = old
        .wait_for(WAIT, |a| {
            a["type"] == "Follow" && a["object"] == old.actor_id
        })
        .await;
    assert_eq!(old.send(&inbox, &old.activity("Accept", follow)).await, 202);
    let relationship = |id: String| {
        let alice = &alice;
        async move {
            alice
                .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
                .await
                .items()[0]
                .clone()
        }
    };
    eventually("alice follows the old account", || async {
        relationship(old_here.clone()).await["following"] == true
    })
    .await;

    // A move to an account that does not name the old one is refused, and
    // changes nothing.
    let mut bogus = old.activity("Move", Value::String(old.actor_id.clone()));
    bogus["target"] = json!(stranger_id);
    let status = old.send(&inbox, &bogus).await;
    assert!((400..500).contains(&status), "{status}");
    assert_eq!(relationship(old_here.clone()).await["following"], true);
    // Nor may an account move someone else.
    let mut other = old.activity("Move", Value::String(stranger_id.clone()));
    other["target"] = json!(new_id);
    let status = old.send(&inbox, &other).await;
    assert!((400..500).contains(&status), "{status}");

    // The real move: Alice now asks to follow the new account and no longer
    // follows the old one, which shows where it went.
    let mut moved = old.activity("Move", Value::String(old.actor_id.clone()));
    moved["target"] = json!(new_id);
    assert_eq!(old.send(&inbox, &moved).await, 202);
    old.wait_for(WAIT, |a| {
        a["type"] == "Follow" && a["object"] == new_id.as_str()
    })
    .await;
    old.wait_for(WAIT, |a| {
        a["type"] == "Undo" && a["object"]["object"] == old.actor_id
    })
    .await;
    assert_eq!(relationship(old_here.clone()).await["following"], false);
    let shown = alice
        .get(&format!("/api/v1/accounts/{old_here}"))
        .await
        .expect(200)
        .body;
    assert_eq!(
        shown["moved"]["acct"],
        format!("newhome@{}", old.domain()).as_str(),
        "{shown}"
    );
    let new_here = shown["moved"]["id"].as_str().unwrap().to_owned();
    assert_eq!(relationship(new_here).await["requested"], true);
    // Carol, who did not follow, follows nobody new.
    let carol_follows = old
        .received()
        .iter()
        .filter(|a| a["type"] == "Follow" && a["actor"].as_str().unwrap().ends_with("/users/carol"))
        .count();
    assert_eq!(carol_follows, 0);
}
