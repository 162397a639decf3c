//! Pinned posts: up to five of one's own posts at the top of the profile, shown
//! to whoever may see each; served to other servers as the `featured`
//! collection, with `Add` and `Remove` to followers' servers.

use std::time::Duration;

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;
use staffroom_tests::peer::Peer;

const WAIT: Duration = Duration::from_secs(20);

async fn write(client: &ApiClient, text: &str, visibility: &str) -> String {
    client
        .post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": visibility}),
        )
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn pinned(client: &ApiClient, account: &str) -> Vec<String> {
    client
        .get(&format!("/api/v1/accounts/{account}/statuses?pinned=true"))
        .await
        .expect(200)
        .ids()
}

#[tokio::test]
async fn pinned_posts_show_to_whoever_may_see_them_and_federate() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A follower on another server hears of pins.
    let peer = Peer::start().await;
    let follow = peer.activity("Follow", format!("{}/users/alice", a.base));
    assert_eq!(
        peer.send(&format!("{}/users/alice/inbox", a.base), &follow)
            .await,
        202
    );
    peer.wait_for(WAIT, |x| x["type"] == "Accept").await;
    let bob_id = bob.lookup("bob").await["id"].as_str().unwrap().to_owned();
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);

    let public = write(&alice, "Our curriculum statement", "public").await;
    let private = write(&alice, "For followers: the draft", "private").await;
    let direct = write(&alice, "@bob just you", "direct").await;
    let bobs = write(&bob, "Bob's own", "public").await;

    // Pinning: one's own posts, not a direct one, not someone else's.
    let answer = alice
        .post(&format!("/api/v1/statuses/{public}/pin"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(answer["pinned"], true);
    alice
        .post(&format!("/api/v1/statuses/{private}/pin"), json!({}))
        .await
        .expect(200);
    for (id, status) in [(&direct, 422), (&bobs, 422)] {
        let refused = alice
            .post(&format!("/api/v1/statuses/{id}/pin"), json!({}))
            .await;
        assert_eq!(refused.status, status, "{}", refused.body);
        assert!(refused.body["error"].is_string());
    }

    // Each sees the pins they may see, latest first.
    assert_eq!(
        pinned(&alice, &alice_id).await,
        [private.clone(), public.clone()]
    );
    assert_eq!(
        pinned(&bob, &alice_id).await,
        [private.clone(), public.clone()]
    );
    assert_eq!(
        pinned(&a.anonymous(), &alice_id).await,
        vec![public.clone()]
    );
    assert!(pinned(&alice, &bob_id).await.is_empty());

    // Other servers read the public ones from the featured collection, and
    // followers' servers hear of each public pin.
    let actor = a.get_activity(&format!("{}/users/alice", a.base)).await;
    let featured_url = actor["featured"].as_str().unwrap().to_owned();
    let featured = a.get_activity(&featured_url).await;
    let items: Vec<&Value> = featured["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(items.len(), 1, "{featured}");
    assert_eq!(items[0]["type"], "Note");
    assert!(items[0]["content"].as_str().unwrap().contains("curriculum"));
    let added = peer
        .wait_for(WAIT, |x| {
            x["type"] == "Add" && x["target"] == featured_url.as_str()
        })
        .await;
    assert!(
        added["object"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/statuses/{public}"))
    );

    // At most five.
    for n in 0..3 {
        let id = write(&alice, &format!("Pinned {n}"), "public").await;
        alice
            .post(&format!("/api/v1/statuses/{id}/pin"), json!({}))
            .await
            .expect(200);
    }
    let sixth = write(&alice, "One too many", "public").await;
    assert_eq!(
        alice
            .post(&format!("/api/v1/statuses/{sixth}/pin"), json!({}))
            .await
            .status,
        422
    );

    // Unpinned: gone from the profile and the collection, and followers hear.
    let answer = alice
        .post(&format!("/api/v1/statuses/{public}/unpin"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(answer["pinned"], false);
    assert!(!pinned(&a.anonymous(), &alice_id).await.contains(&public));
    peer.wait_for(WAIT, |x| {
        x["type"] == "Remove" && x["target"] == featured_url.as_str()
    })
    .await;
    let featured = a.get_activity(&featured_url).await;
    assert!(
        !featured.to_string().contains("curriculum statement"),
        "{featured}"
    );
}
