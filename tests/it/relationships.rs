//! Following, follow requests, blocks, mutes and private notes through the client
//! API, with the `Relationship` every app shows on a profile.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

async fn id_of(client: &ApiClient, username: &str) -> String {
    client.lookup(username).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn relationship(client: &ApiClient, id: &str) -> Value {
    let reply = client
        .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
        .await
        .expect(200);
    reply.items()[0].clone()
}

#[tokio::test]
async fn a_locked_account_answers_requests_and_relationships_say_so() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let locked = bob
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"locked": true, "display_name": "Bob Head", "note": "Headteacher"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(locked["locked"], true);
    assert_eq!(locked["display_name"], "Bob Head");
    assert_eq!(locked["note"], "<p>Headteacher</p>");
    let bob_id = id_of(&alice, "bob").await;
    let alice_id = id_of(&bob, "alice").await;
    let carol_id = id_of(&bob, "carol").await;

    let asked = alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(asked["following"], false);
    assert_eq!(asked["requested"], true);
    for flag in [
        "showing_reblogs",
        "notifying",
        "followed_by",
        "blocking",
        "blocked_by",
        "muting",
        "muting_notifications",
        "requested_by",
        "domain_blocking",
        "endorsed",
    ] {
        assert!(asked[flag].is_boolean(), "{flag} in {asked}");
    }
    carol
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);

    let requests = bob.get("/api/v1/follow_requests").await.expect(200);
    assert_eq!(requests.ids(), [carol_id.clone(), alice_id.clone()]);
    assert_eq!(relationship(&bob, &alice_id).await["requested_by"], true);
    let me = bob
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    assert_eq!(me["source"]["follow_requests_count"], 2);

    let accepted = bob
        .post(
            &format!("/api/v1/follow_requests/{alice_id}/authorize"),
            json!({}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(accepted["followed_by"], true);
    bob.post(
        &format!("/api/v1/follow_requests/{carol_id}/reject"),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(relationship(&alice, &bob_id).await["following"], true);
    assert_eq!(relationship(&carol, &bob_id).await["requested"], false);
    let followers = alice
        .get(&format!("/api/v1/accounts/{bob_id}/followers"))
        .await
        .expect(200);
    assert_eq!(followers.ids(), [alice_id.as_str()]);
    let following = alice
        .get(&format!("/api/v1/accounts/{alice_id}/following"))
        .await
        .expect(200);
    assert_eq!(following.ids(), [bob_id.as_str()]);

    // Unknown ids are left out of relationships; unknown accounts are 404 to follow.
    let many = alice
        .get(&format!(
            "/api/v1/accounts/relationships?id[]={bob_id}&id[]=12345&id[]=nonsense"
        ))
        .await
        .expect(200);
    assert_eq!(many.ids(), [bob_id.as_str()]);
    alice
        .post("/api/v1/accounts/12345/follow", json!({}))
        .await
        .expect(404);
    // A token without the follow scopes may not follow.
    let token = instance
        .sign_in("carol", "correct horse battery", "read")
        .await;
    let reader = ApiClient::new(&instance.base, Some(token));
    reader
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(403);
}

#[tokio::test]
async fn a_block_ends_follows_hides_posts_and_refuses_new_follows() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let bob_id = id_of(&alice, "bob").await;
    let alice_id = id_of(&bob, "alice").await;
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    let post = bob.status("Bob speaks").await;
    let post_id = post["id"].as_str().unwrap();

    let blocked = bob
        .post(&format!("/api/v1/accounts/{alice_id}/block"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(blocked["blocking"], true);
    assert_eq!(blocked["following"], false);
    assert_eq!(blocked["followed_by"], false);
    let seen_by_alice = relationship(&alice, &bob_id).await;
    assert_eq!(seen_by_alice["blocked_by"], true);
    assert_eq!(seen_by_alice["following"], false);

    alice
        .get(&format!("/api/v1/statuses/{post_id}"))
        .await
        .expect(404);
    assert!(
        alice
            .get(&format!("/api/v1/accounts/{bob_id}/statuses"))
            .await
            .expect(200)
            .ids()
            .is_empty()
    );
    assert!(
        !alice
            .get("/api/v1/timelines/public")
            .await
            .ids()
            .contains(&post_id.to_owned())
    );
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(403);
    alice
        .post(&format!("/api/v1/statuses/{post_id}/favourite"), json!({}))
        .await
        .expect(404);
    assert_eq!(
        bob.get("/api/v1/blocks").await.expect(200).ids(),
        [alice_id.as_str()]
    );

    bob.post(&format!("/api/v1/accounts/{alice_id}/unblock"), json!({}))
        .await
        .expect(200);
    alice
        .get(&format!("/api/v1/statuses/{post_id}"))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_mute_hides_posts_and_notifications_until_lifted() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let bob_id = id_of(&alice, "bob").await;
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    let muted = alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/mute"),
            json!({"notifications": true, "duration": 3600}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(muted["muting"], true);
    assert_eq!(muted["muting_notifications"], true);
    assert_eq!(muted["following"], true, "a mute is no unfollow");
    bob.status("Mentioning @alice while muted").await;
    assert!(alice.get("/api/v1/timelines/home").await.ids().is_empty());
    assert!(alice.get("/api/v1/notifications").await.ids().is_empty());
    assert_eq!(alice.get("/api/v1/mutes").await.ids(), [bob_id.as_str()]);
    alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/mute"),
            json!({"duration": -5}),
        )
        .await
        .expect(422);

    alice
        .post(&format!("/api/v1/accounts/{bob_id}/unmute"), json!({}))
        .await
        .expect(200);
    assert_eq!(alice.get("/api/v1/timelines/home").await.ids().len(), 1);
}

#[tokio::test]
async fn a_note_about_an_account_is_kept_for_its_writer_alone() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let carol = instance.user("carol").await;
    instance.user("bob").await;
    let bob_id = id_of(&alice, "bob").await;
    let note = "Met at the Leeds residential; ask about their reading scheme.";

    let written = alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/note"),
            json!({"comment": note}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(written["id"], bob_id.as_str());
    assert_eq!(written["note"], note);
    assert_eq!(relationship(&alice, &bob_id).await["note"], note);
    assert_eq!(
        relationship(&carol, &bob_id).await["note"],
        "",
        "another reader sees no note"
    );

    // Writing again replaces it; a note too long is refused and the one kept stays.
    let replaced = "Reading scheme: phonics first.";
    alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/note"),
            json!({"comment": replaced}),
        )
        .await
        .expect(200);
    let refused = alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/note"),
            json!({"comment": "x".repeat(2_001)}),
        )
        .await
        .expect(422);
    assert!(refused.body["error"].as_str().unwrap().contains("comment"));
    assert_eq!(relationship(&alice, &bob_id).await["note"], replaced);

    // An empty comment removes it; an unknown account is 404; no token is 401.
    alice
        .post(
            &format!("/api/v1/accounts/{bob_id}/note"),
            json!({"comment": ""}),
        )
        .await
        .expect(200);
    assert_eq!(relationship(&alice, &bob_id).await["note"], "");
    alice
        .post("/api/v1/accounts/999999999/note", json!({"comment": "x"}))
        .await
        .expect(404);
    instance
        .anonymous()
        .post(
            &format!("/api/v1/accounts/{bob_id}/note"),
            json!({"comment": "x"}),
        )
        .await
        .expect(401);
    instance.shut_down().await;
}
