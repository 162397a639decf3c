//! Endorsements (account pins) and familiar followers through the client API.

use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

async fn id_of(client: &ApiClient, username: &str) -> String {
    client.lookup(username).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn follow(client: &ApiClient, id: &str) {
    let relationship = client
        .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(relationship["following"], true);
}

async fn endorsed(client: &ApiClient, id: &str) -> bool {
    let reply = client
        .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
        .await
        .expect(200);
    reply.items()[0]["endorsed"].as_bool().unwrap()
}

#[tokio::test]
async fn a_person_endorses_only_accounts_they_follow_and_lists_them() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let _carol = instance.user("carol").await;
    let alice_id = id_of(&alice, "alice").await;
    let bob_id = id_of(&alice, "bob").await;
    let carol_id = id_of(&alice, "carol").await;

    // Not before following.
    let refused = alice
        .post(&format!("/api/v1/accounts/{bob_id}/pin"), json!({}))
        .await
        .expect(422);
    assert!(refused.body["error"].as_str().unwrap().contains("followed"));
    assert!(!endorsed(&alice, &bob_id).await);

    follow(&alice, &bob_id).await;
    follow(&alice, &carol_id).await;
    let pinned = alice
        .post(&format!("/api/v1/accounts/{bob_id}/pin"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(pinned["id"], bob_id);
    assert_eq!(pinned["endorsed"], true);
    assert_eq!(pinned["following"], true);
    // Endorsing again changes nothing; `endorse` is the newer name.
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/pin"), json!({}))
        .await
        .expect(200);
    let endorsed_carol = alice
        .post(&format!("/api/v1/accounts/{carol_id}/endorse"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(endorsed_carol["endorsed"], true);
    assert!(endorsed(&alice, &bob_id).await);
    assert!(!endorsed(&bob, &alice_id).await);

    // Latest first, paged with the Link header; on the profile for anyone.
    let mine = alice.get("/api/v1/endorsements").await.expect(200);
    assert_eq!(mine.ids(), [carol_id.clone(), bob_id.clone()]);
    assert_eq!(mine.items()[0]["username"], "carol");
    let first = alice.get("/api/v1/endorsements?limit=1").await.expect(200);
    assert_eq!(first.ids(), vec![carol_id.clone()]);
    let next = first.link_to("next").expect("a next page");
    assert_eq!(
        alice.get(&next).await.expect(200).ids(),
        vec![bob_id.clone()]
    );
    let profile = instance
        .anonymous()
        .get(&format!("/api/v1/accounts/{alice_id}/endorsements"))
        .await
        .expect(200);
    assert_eq!(profile.ids(), [carol_id.clone(), bob_id.clone()]);
    instance
        .anonymous()
        .get("/api/v1/endorsements")
        .await
        .expect(401);

    // Withdrawn by unpin, by unfollowing, and by a block either way.
    let unpinned = alice
        .post(&format!("/api/v1/accounts/{carol_id}/unpin"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(unpinned["endorsed"], false);
    assert_eq!(unpinned["following"], true);
    alice
        .post(&format!("/api/v1/accounts/{carol_id}/endorse"), json!({}))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/accounts/{carol_id}/unfollow"), json!({}))
        .await
        .expect(200);
    assert!(!endorsed(&alice, &carol_id).await);
    bob.post(&format!("/api/v1/accounts/{alice_id}/block"), json!({}))
        .await
        .expect(200);
    assert!(!endorsed(&alice, &bob_id).await);
    assert!(
        alice
            .get("/api/v1/endorsements")
            .await
            .expect(200)
            .ids()
            .is_empty()
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn familiar_followers_are_the_followers_one_follows_without_those_one_hides() {
    let instance = TestInstance::start_for_apps().await;
    let reader = instance.user("reader").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let dave = instance.user("dave").await;
    let eve = instance.user("eve").await;
    let bob_id = id_of(&reader, "bob").await;
    let carol_id = id_of(&reader, "carol").await;
    let dave_id = id_of(&reader, "dave").await;
    let eve_id = id_of(&reader, "eve").await;
    follow(&reader, &bob_id).await;
    follow(&reader, &carol_id).await;
    follow(&reader, &eve_id).await;
    follow(&bob, &dave_id).await;
    follow(&carol, &dave_id).await;
    follow(&eve, &dave_id).await;
    // Someone the reader does not follow is no familiar follower.
    let stranger = instance.user("stranger").await;
    follow(&stranger, &dave_id).await;
    // Nor is someone whose follow still waits for an answer.
    let frank = instance.user("frank").await;
    follow(&reader, &id_of(&reader, "frank").await).await;
    dave.patch(
        "/api/v1/accounts/update_credentials",
        json!({"locked": true}),
    )
    .await
    .expect(200);
    let asked = frank
        .post(&format!("/api/v1/accounts/{dave_id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(asked["requested"], true);

    let path = format!("/api/v1/accounts/familiar_followers?id[]={dave_id}&id[]={bob_id}&id[]=999");
    let found = reader.get(&path).await.expect(200).body;
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    assert_eq!(found[0]["id"], dave_id);
    let names: Vec<&str> = found[0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["eve", "carol", "bob"]);
    assert_eq!(found[1]["id"], bob_id);
    assert_eq!(found[1]["accounts"], json!([]));

    // Muted and blocked accounts are left out, as in the reader's timelines.
    reader
        .post(&format!("/api/v1/accounts/{carol_id}/mute"), json!({}))
        .await
        .expect(200);
    eve.post(
        &format!("/api/v1/accounts/{}/block", id_of(&eve, "reader").await),
        json!({}),
    )
    .await
    .expect(200);
    // The ids may come in a JSON body too.
    let reply = reader
        .send(
            reqwest::Method::GET,
            "/api/v1/accounts/familiar_followers",
            Some(json!({"id": [dave_id]})),
        )
        .await
        .expect(200)
        .body;
    let names: Vec<&str> = reply[0]["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bob"]);
    instance
        .anonymous()
        .get(&format!(
            "/api/v1/accounts/familiar_followers?id[]={dave_id}"
        ))
        .await
        .expect(401);
    instance.shut_down().await;
}
