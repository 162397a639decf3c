//! Conversations: direct posts between two people here and one on a second
//! instance, filed per person by thread; unread and read, put away and brought
//! back, paged, streamed on `direct`, and never seen by anyone outside them.

use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::{TestInstance, eventually};

use crate::streaming::open;

/// Writes a direct post as `client`, answering `in_reply_to` if given.
async fn direct(client: &ApiClient, text: &str, in_reply_to: Option<&str>) -> Value {
    let mut body = json!({ "status": text, "visibility": "direct" });
    if let Some(parent) = in_reply_to {
        body["in_reply_to_id"] = json!(parent);
    }
    client.post("/api/v1/statuses", body).await.expect(200).body
}

async fn conversations(client: &ApiClient) -> Vec<Value> {
    client
        .get("/api/v1/conversations")
        .await
        .expect(200)
        .items()
}

fn accts(conversation: &Value) -> Vec<String> {
    conversation["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["acct"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn direct_posts_make_one_conversation_per_thread_for_the_people_in_it() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;

    let first = direct(&alice, "@bob shall we meet about the budget?", None).await;
    let first_id = first["id"].as_str().unwrap();

    let bobs = conversations(&bob).await;
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0]["unread"], true, "new to bob");
    assert_eq!(accts(&bobs[0]), vec!["alice"]);
    assert_eq!(bobs[0]["last_status"]["id"], first_id);
    let alices = conversations(&alice).await;
    assert_eq!(alices.len(), 1);
    assert_eq!(
        alices[0]["unread"], false,
        "the author has read what she wrote"
    );
    assert_eq!(accts(&alices[0]), vec!["bob"]);
    assert!(conversations(&carol).await.is_empty(), "carol is not in it");

    // Bob reads it, then answers in the same thread: one conversation, unread for
    // alice and read for bob.
    let bob_conversation = bobs[0]["id"].as_str().unwrap().to_owned();
    let read = bob
        .post(
            &format!("/api/v1/conversations/{bob_conversation}/read"),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(read.body["unread"], false);
    assert_eq!(conversations(&bob).await[0]["unread"], false);
    let answer = direct(&bob, "@alice Thursday works", Some(first_id)).await;
    let alices = conversations(&alice).await;
    assert_eq!(alices.len(), 1, "the answer is in the same conversation");
    assert_eq!(alices[0]["unread"], true);
    assert_eq!(alices[0]["last_status"]["id"], answer["id"]);
    let bobs = conversations(&bob).await;
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0]["id"], bob_conversation.as_str());
    assert_eq!(bobs[0]["unread"], false);

    // Carol can neither see it nor read nor delete it, by its id.
    assert!(conversations(&carol).await.is_empty());
    carol
        .post(
            &format!("/api/v1/conversations/{bob_conversation}/read"),
            json!({}),
        )
        .await
        .expect(404);
    carol
        .delete(&format!("/api/v1/conversations/{bob_conversation}"))
        .await
        .expect(404);
    instance
        .anonymous()
        .get("/api/v1/conversations")
        .await
        .expect(401);

    // Bob puts it away; alice keeps hers; a new post brings bob's back.
    bob.delete(&format!("/api/v1/conversations/{bob_conversation}"))
        .await
        .expect(200);
    assert!(conversations(&bob).await.is_empty());
    assert_eq!(conversations(&alice).await.len(), 1);
    direct(
        &alice,
        "@bob see you then",
        Some(answer["id"].as_str().unwrap()),
    )
    .await;
    let bobs = conversations(&bob).await;
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0]["unread"], true);

    // A new thread with carol too is a second conversation, naming both others.
    direct(&alice, "@bob @carol a new topic", None).await;
    let carols = conversations(&carol).await;
    assert_eq!(carols.len(), 1);
    let mut others = accts(&carols[0]);
    others.sort();
    assert_eq!(others, vec!["alice", "bob"]);
    assert_eq!(conversations(&bob).await.len(), 2);

    // Public posts and followers-only posts make none.
    alice
        .post("/api/v1/statuses", json!({"status": "@bob in public"}))
        .await
        .expect(200);
    assert_eq!(conversations(&bob).await.len(), 2);
}

#[tokio::test]
async fn conversations_are_paged_by_their_newest_post() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let mut newest_first = Vec::new();
    for n in 0..5 {
        let post = direct(&alice, &format!("@bob topic {n}"), None).await;
        newest_first.insert(0, post["id"].as_str().unwrap().to_owned());
    }
    let first = bob.get("/api/v1/conversations?limit=2").await.expect(200);
    let last_ids = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|c| c["last_status"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(last_ids(&first.items()), newest_first[..2]);
    let next = first.link_to("next").expect("a next page");
    let second = bob.get(&next).await.expect(200);
    assert_eq!(last_ids(&second.items()), newest_first[2..4]);
    let prev = second.link_to("prev").expect("a previous page");
    let back = bob.get(&prev).await.expect(200);
    assert_eq!(last_ids(&back.items()), newest_first[..2]);
    let since = bob
        .get(&format!(
            "/api/v1/conversations?since_id={}",
            newest_first[1]
        ))
        .await
        .expect(200);
    assert_eq!(last_ids(&since.items()), newest_first[..1]);
}

#[tokio::test]
async fn the_direct_stream_tells_of_each_new_post_in_a_conversation() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let mut bobs = open(&instance, &bob, "?stream=direct").await;
    let mut carols = open(&instance, &carol, "?stream=direct").await;
    let post = direct(&alice, "@bob a quiet word", None).await;
    let frame = bobs.next().await;
    assert_eq!(frame.stream, vec!["direct"]);
    assert_eq!(frame.event, "conversation");
    assert_eq!(frame.payload["last_status"]["id"], post["id"]);
    assert_eq!(frame.payload["unread"], true);
    assert_eq!(accts(&frame.payload), vec!["alice"]);
    // Carol hears her own conversation first, never bob's.
    let hers = direct(&alice, "@carol another word", None).await;
    let frame = carols.next().await;
    assert_eq!(frame.payload["last_status"]["id"], hers["id"]);
}

#[tokio::test]
async fn a_conversation_spans_two_instances() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let dan = a.user("dan").await;
    let bob = b.user("bob").await;
    let bob_address = format!("bob@{}", b.domain());
    let alice_address = format!("alice@{}", a.domain());

    let first = direct(&alice, &format!("@{bob_address} between our trusts"), None).await;
    eventually("the direct post reaches bob", || async {
        !conversations(&bob).await.is_empty()
    })
    .await;
    let bobs = conversations(&bob).await;
    assert_eq!(bobs[0]["unread"], true);
    assert_eq!(accts(&bobs[0]), vec![alice_address.clone()]);
    assert_eq!(
        conversations(&alice).await[0]["accounts"][0]["acct"],
        bob_address.as_str()
    );

    // Bob answers in the thread; alice's conversation is the same one, unread.
    let bob_copy = bobs[0]["last_status"]["id"].as_str().unwrap().to_owned();
    let answer = direct(&bob, &format!("@{alice_address} agreed"), Some(&bob_copy)).await;
    let answer_uri = answer["uri"].as_str().unwrap().to_owned();
    eventually("bob's answer reaches alice's conversation", || async {
        let alices = conversations(&alice).await;
        alices.len() == 1 && alices[0]["last_status"]["uri"] == answer_uri.as_str()
    })
    .await;
    let alices = conversations(&alice).await;
    assert_eq!(alices[0]["unread"], true);
    assert_eq!(
        alices[0]["last_status"]["in_reply_to_id"], first["id"],
        "threaded under alice's post"
    );
    assert!(
        conversations(&dan).await.is_empty(),
        "someone else on alice's server sees nothing"
    );
}
