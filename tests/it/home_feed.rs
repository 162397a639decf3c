//! The home feed behind the home timeline: posts reach it when they arrive and
//! when a source is taken up, and the visibility rules still decide, at each read,
//! which of its posts a page shows.

use serde_json::{Value, json};
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;

fn id(status: &Value) -> String {
    status["id"].as_str().unwrap().to_owned()
}

/// The id of a post from its ActivityPub id.
fn id_of_uri(uri: &str) -> String {
    uri.rsplit('/').next().unwrap().to_owned()
}

async fn account_id(client: &ApiClient, acct: &str) -> String {
    id(&client.lookup(acct).await)
}

async fn home(client: &ApiClient, query: &str) -> Vec<String> {
    client
        .get(&format!("/api/v1/timelines/home{query}"))
        .await
        .expect(200)
        .ids()
}

#[tokio::test]
async fn posts_from_before_and_after_a_follow_reach_home() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let dave = instance.user("dave").await;
    let bob_id = account_id(&alice, "bob").await;
    let carol_id = account_id(&alice, "carol").await;

    let before = bob.status("Bob before the follow").await;
    let before_private = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "Bob to followers, before", "visibility": "private"}),
        )
        .await
        .expect(200)
        .body;
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    let after = bob.status("Bob after the follow").await;
    assert_eq!(
        home(&alice, "").await,
        [&after, &before_private, &before].map(id)
    );

    // A locked account's posts come home when it accepts the request.
    carol
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"locked": true}),
        )
        .await
        .expect(200);
    let carols = carol.status("Carol before accepting").await;
    alice
        .post(&format!("/api/v1/accounts/{carol_id}/follow"), json!({}))
        .await
        .expect(200);
    assert_eq!(home(&alice, "").await[0], id(&after), "not yet accepted");
    let alice_id = account_id(&carol, "alice").await;
    carol
        .post(
            &format!("/api/v1/follow_requests/{alice_id}/authorize"),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(home(&alice, "").await[0], id(&carols));

    // A followed hashtag's public posts, before and after it is followed.
    let tagged_before = dave.status("Dave on #wellbeing").await;
    alice
        .post("/api/v1/tags/wellbeing/follow", json!({}))
        .await
        .expect(200);
    let tagged_after = dave.status("Dave again on #Wellbeing").await;
    let untagged = dave.status("Dave on nothing in particular").await;
    let shown = home(&alice, "").await;
    assert_eq!(shown[..2], [&tagged_after, &tagged_before].map(id));
    assert!(!shown.contains(&id(&untagged)));

    // A direct post reaches the one it names, not the author's followers.
    let alice_id = account_id(&bob, "alice").await;
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    let direct = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "@dave a word", "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(home(&dave, "").await[0], id(&direct));
    assert!(!home(&bob, "").await.contains(&id(&direct)));
}

#[tokio::test]
async fn unfollows_blocks_mutes_lists_and_deletions_take_posts_out_of_home() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let mut others = Vec::new();
    for name in ["bob", "carol", "dave", "erin", "frank"] {
        let client = instance.user(name).await;
        let other_id = account_id(&alice, name).await;
        alice
            .post(&format!("/api/v1/accounts/{other_id}/follow"), json!({}))
            .await
            .expect(200);
        let post = client.status(&format!("{name} writes")).await;
        others.push((client, other_id, post));
    }
    let own = alice.status("Alice writes").await;
    let [bob, carol, dave, erin, frank] = &others[..] else {
        unreachable!()
    };
    assert_eq!(
        home(&alice, "").await,
        [&own, &frank.2, &erin.2, &dave.2, &carol.2, &bob.2].map(id)
    );

    alice
        .post(&format!("/api/v1/accounts/{}/unfollow", bob.1), json!({}))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/accounts/{}/block", carol.1), json!({}))
        .await
        .expect(200);
    alice
        .post(&format!("/api/v1/accounts/{}/mute", dave.1), json!({}))
        .await
        .expect(200);
    let list = alice
        .post(
            "/api/v1/lists",
            json!({"title": "Read apart", "exclusive": true}),
        )
        .await
        .expect(200)
        .body;
    let list_id = list["id"].as_str().unwrap();
    assert_eq!(super::lists::add(&alice, list_id, &[&erin.1]).await, 200);
    frank
        .0
        .delete(&format!("/api/v1/statuses/{}", id(&frank.2)))
        .await
        .expect(200);
    assert_eq!(home(&alice, "").await, [id(&own)]);
    assert_eq!(
        alice
            .get(&format!("/api/v1/timelines/list/{list_id}"))
            .await
            .expect(200)
            .ids(),
        [id(&erin.2)],
        "the exclusive list's member is read in the list"
    );

    // A new post by someone left out does not come home either.
    dave.0.status("dave, still muted").await;
    erin.0.status("erin, still in the list").await;
    assert_eq!(home(&alice, "").await, [id(&own)]);
}

#[tokio::test]
async fn a_page_fills_from_posts_past_those_it_may_not_show() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    instance.user("bob").await;
    instance.user("carol").await;
    for name in ["bob", "carol"] {
        let other_id = account_id(&alice, name).await;
        alice
            .post(&format!("/api/v1/accounts/{other_id}/follow"), json!({}))
            .await
            .expect(200);
    }
    let mut bobs = Vec::new();
    for n in 0..4 {
        let uri = instance
            .post_as("bob", &format!("Bob {n}"), Visibility::Public)
            .await;
        bobs.push(id_of_uri(&uri));
    }
    bobs.reverse();
    // More of carol's than one round of the feed reads.
    for n in 0..450 {
        instance
            .post_as("carol", &format!("Carol {n}"), Visibility::Public)
            .await;
    }
    let carol_id = account_id(&alice, "carol").await;
    alice
        .post(&format!("/api/v1/accounts/{carol_id}/mute"), json!({}))
        .await
        .expect(200);

    assert_eq!(home(&alice, "?limit=3").await, bobs[..3]);
    let page = alice
        .get("/api/v1/timelines/home?limit=3")
        .await
        .expect(200);
    let next = page.link_to("next").expect("a next link");
    let path = next.split_once("/api/v1/").map(|(_, p)| p).unwrap();
    let older = alice.get(&format!("/api/v1/{path}")).await.expect(200);
    assert_eq!(older.ids(), bobs[3..]);
    // Read oldest first from before bob's first post, the page is his first three.
    let below: i64 = bobs[3].parse::<i64>().unwrap() - 1;
    assert_eq!(
        home(&alice, &format!("?min_id={below}&limit=3")).await,
        bobs[1..]
    );
    let newest: i64 = bobs[0].parse().unwrap();
    assert_eq!(home(&alice, &format!("?since_id={newest}")).await.len(), 0);
}
