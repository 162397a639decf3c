//! The client API across two instances: finding a remote person by address,
//! following them, their posts at home, and favourites and boosts told back.

use serde_json::json;
use staffroom_tests::{TestInstance, eventually};

#[tokio::test]
async fn a_remote_person_found_by_search_is_followed_and_answered() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let address = format!("bob@{}", b.domain());

    // Without resolve, an unknown address finds nothing; with it, bob is fetched.
    let unresolved = alice
        .get(&format!("/api/v2/search?q=@{address}&type=accounts"))
        .await
        .expect(200);
    assert!(unresolved.body["accounts"].as_array().unwrap().is_empty());
    let found = alice
        .get(&format!("/api/v2/search?q=@{address}&resolve=true"))
        .await
        .expect(200);
    let remote_bob = found.body["accounts"][0].clone();
    assert_eq!(remote_bob["acct"], address.as_str());
    let remote_id = remote_bob["id"].as_str().unwrap();

    let asked = alice
        .post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(
        asked["requested"], true,
        "a remote follow waits for the answer"
    );
    eventually("bob's server accepts", || async {
        alice
            .get(&format!("/api/v1/accounts/relationships?id[]={remote_id}"))
            .await
            .items()[0]["following"]
            == true
    })
    .await;

    let post = bob.status("News from trust B #ambitionfeed").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    eventually("bob's post reaches alice's home", || async {
        alice
            .get("/api/v1/timelines/home")
            .await
            .items()
            .iter()
            .any(|s| s["uri"] == uri.as_str())
    })
    .await;
    let home = alice.get("/api/v1/timelines/home").await.expect(200);
    let local_id = home.items()[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(home.items()[0]["account"]["acct"], address.as_str());

    alice
        .post(&format!("/api/v1/statuses/{local_id}/favourite"), json!({}))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/statuses/{local_id}/reblog"), json!({}))
        .await
        .expect(200);
    let bob_post = format!("/api/v1/statuses/{}", post["id"].as_str().unwrap());
    eventually("the favourite and the boost reach bob", || async {
        let seen = bob.get(&bob_post).await.body;
        seen["favourites_count"] == 1 && seen["reblogs_count"] == 1
    })
    .await;
    // The counts and the notifications are written one after the other.
    eventually(
        "bob is notified of the follow, favourite and boost",
        || async {
            let kinds = bob.get("/api/v1/notifications").await.strings("type");
            ["favourite", "reblog", "follow"]
                .iter()
                .all(|kind| kinds.iter().any(|k| k == kind))
        },
    )
    .await;

    alice
        .post(
            &format!("/api/v1/statuses/{local_id}/unfavourite"),
            json!({}),
        )
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/statuses/{local_id}/unreblog"), json!({}))
        .await
        .expect(200);
    eventually("taking back reaches bob", || async {
        let seen = bob.get(&bob_post).await.body;
        seen["favourites_count"] == 0 && seen["reblogs_count"] == 0
    })
    .await;

    // A post's URL resolves too (here one B has and A does not yet).
    let other = bob.status("Another one").await;
    let resolved = alice
        .get(&format!(
            "/api/v2/search?q={}&resolve=true&type=statuses",
            other["uri"].as_str().unwrap()
        ))
        .await
        .expect(200);
    assert_eq!(resolved.body["statuses"][0]["uri"], other["uri"]);

    // A block across servers ends the follow on both.
    alice
        .post(&format!("/api/v1/accounts/{remote_id}/block"), json!({}))
        .await
        .expect(200);
    let alice_on_b = bob.lookup(&format!("alice@{}", a.domain())).await;
    let alice_on_b = alice_on_b["id"].as_str().unwrap().to_owned();
    eventually("bob's server hears of the block", || async {
        let relationship = bob
            .get(&format!("/api/v1/accounts/relationships?id[]={alice_on_b}"))
            .await;
        relationship.items()[0]["blocked_by"] == true
            && relationship.items()[0]["followed_by"] == false
    })
    .await;
}
