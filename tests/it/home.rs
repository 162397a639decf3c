//! The home and hashtag timelines through the client API: whose posts reach home,
//! followed hashtags, and what stays out.

use serde_json::json;
use staffroom_tests::TestInstance;

#[tokio::test]
async fn home_shows_own_and_followed_posts_and_followed_hashtags() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let bob_id = alice.lookup("bob").await["id"].as_str().unwrap().to_owned();

    let before = bob.status("Before alice follows").await;
    let relationship = alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(relationship["following"], true);
    let own = alice.status("Alice's own post").await;
    let public = bob.status("Bob in public").await;
    let private = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "Bob to followers", "visibility": "private"}),
        )
        .await
        .expect(200)
        .body;
    let strangers = carol.status("Carol, not followed, on #Curriculum").await;
    let carols_private = carol
        .post(
            "/api/v1/statuses",
            json!({"status": "Carol's followers only #curriculum", "visibility": "private"}),
        )
        .await
        .expect(200)
        .body;

    let home = alice.get("/api/v1/timelines/home").await.expect(200);
    assert_eq!(
        home.ids(),
        [&private, &public, &own, &before].map(|s| s["id"].as_str().unwrap().to_owned()),
        "own and followed posts, newest first, followers-only included"
    );

    // Following a hashtag brings its public posts (not followers-only ones) home.
    let tag = alice
        .post("/api/v1/tags/curriculum/follow", json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(tag["following"], true);
    assert_eq!(tag["name"], "curriculum");
    assert_eq!(tag["history"].as_array().unwrap().len(), 7);
    assert_eq!(tag["history"][0]["uses"], "2", "{tag}");
    let home = alice.get("/api/v1/timelines/home").await.expect(200);
    assert_eq!(home.ids()[0], strangers["id"].as_str().unwrap());
    assert!(
        !home
            .ids()
            .contains(&carols_private["id"].as_str().unwrap().to_owned())
    );
    let followed = alice.get("/api/v1/followed_tags").await.expect(200);
    assert_eq!(followed.items()[0]["name"], "curriculum");

    // The tag timeline is public posts only, for anyone, in any case.
    let tagged = instance
        .anonymous()
        .get("/api/v1/timelines/tag/CURRICULUM")
        .await
        .expect(200);
    assert_eq!(tagged.ids(), [strangers["id"].as_str().unwrap()]);

    // Unfollowing removes bob's posts from home; unfollowing the tag, carol's.
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/unfollow"), json!({}))
        .await
        .expect(200);
    alice
        .post("/api/v1/tags/curriculum/unfollow", json!({}))
        .await
        .expect(200);
    let home = alice.get("/api/v1/timelines/home").await.expect(200);
    assert_eq!(home.ids(), [own["id"].as_str().unwrap()]);

    // Home is for a signed-in person.
    assert_eq!(
        instance
            .anonymous()
            .get("/api/v1/timelines/home")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn home_pages_with_links_and_min_id() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(
            alice.status(&format!("Post {n}")).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    ids.reverse();
    let first = alice
        .get("/api/v1/timelines/home?limit=3")
        .await
        .expect(200);
    assert_eq!(first.ids(), ids[..3]);
    let next = first.link_to("next").expect("a next link");
    assert!(next.contains("limit=3"), "{next}");
    let second = alice.get(&next).await.expect(200);
    assert_eq!(second.ids(), ids[3..6]);
    // min_id gives the posts just newer than the cursor, still newest first.
    let newer = alice
        .get(&format!("/api/v1/timelines/home?min_id={}&limit=2", ids[5]))
        .await
        .expect(200);
    assert_eq!(newer.ids(), ids[3..5]);
    assert_eq!(
        alice.get("/api/v1/timelines/home?max_id=abc").await.status,
        400
    );
}

#[tokio::test]
async fn account_statuses_show_what_the_viewer_may_see() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let bob_id = alice.lookup("bob").await["id"].as_str().unwrap().to_owned();
    let public = bob.status("Public").await;
    let private = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "Followers only", "visibility": "private"}),
        )
        .await
        .expect(200)
        .body;
    let reply = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "A reply", "in_reply_to_id": public["id"]}),
        )
        .await
        .expect(200)
        .body;
    let path = format!("/api/v1/accounts/{bob_id}/statuses");
    let id = |s: &serde_json::Value| s["id"].as_str().unwrap().to_owned();

    let anonymous = instance.anonymous().get(&path).await.expect(200);
    assert_eq!(anonymous.ids(), [id(&reply), id(&public)]);
    let own = bob.get(&path).await.expect(200);
    assert_eq!(own.ids(), [id(&reply), id(&private), id(&public)]);
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/follow"), json!({}))
        .await
        .expect(200);
    let follower = alice.get(&path).await.expect(200);
    assert_eq!(follower.ids(), [id(&reply), id(&private), id(&public)]);
    let no_replies = alice
        .get(&format!("{path}?exclude_replies=true"))
        .await
        .expect(200);
    assert_eq!(no_replies.ids(), [id(&private), id(&public)]);
    assert_eq!(
        alice
            .get(&format!("{path}?pinned=true"))
            .await
            .expect(200)
            .ids(),
        Vec::<String>::new()
    );
    assert_eq!(alice.get("/api/v1/accounts/999/statuses").await.status, 404);
}

#[tokio::test]
async fn reading_positions_are_kept_between_apps() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let empty = alice
        .get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
        .await
        .expect(200);
    assert_eq!(empty.body, json!({}));
    let post = alice.status("Read up to here").await;
    let id = post["id"].as_str().unwrap();
    let saved = alice
        .post("/api/v1/markers", json!({"home": {"last_read_id": id}}))
        .await
        .expect(200)
        .body;
    assert_eq!(saved["home"]["last_read_id"], id);
    assert_eq!(saved["home"]["version"], 1);
    // A form, as Mastodon.py sends it, moves it on.
    let again = alice
        .send_form(
            reqwest::Method::POST,
            "/api/v1/markers",
            &[
                ("home[last_read_id]", "12345"),
                ("notifications[last_read_id]", "7"),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(again["home"]["version"], 2);
    let read = alice
        .get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
        .await
        .expect(200)
        .body;
    assert_eq!(read["home"]["last_read_id"], "12345");
    assert_eq!(read["notifications"]["last_read_id"], "7");
    assert!(read["home"]["updated_at"].as_str().unwrap().ends_with('Z'));
    alice
        .post(
            "/api/v1/markers",
            json!({"home": {"last_read_id": "not an id"}}),
        )
        .await
        .expect(400);
}

#[tokio::test]
async fn a_tag_page_looks_past_posts_it_may_not_show() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let public = alice.status("The public one #deep").await;
    for n in 0..45 {
        alice
            .post(
                "/api/v1/statuses",
                json!({"status": format!("Followers only {n} #deep"), "visibility": "private"}),
            )
            .await
            .expect(200);
    }
    let page = instance
        .anonymous()
        .get("/api/v1/timelines/tag/deep")
        .await
        .expect(200);
    assert_eq!(page.ids(), [public["id"].as_str().unwrap()]);
}

#[tokio::test]
async fn direct_posts_reach_the_home_of_those_they_mention_only() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let direct = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "@alice just between us", "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    let home = alice.get("/api/v1/timelines/home").await.expect(200);
    assert_eq!(home.ids(), [direct["id"].as_str().unwrap()]);
    assert!(carol.get("/api/v1/timelines/home").await.ids().is_empty());
    assert_eq!(
        bob.get("/api/v1/timelines/home").await.ids(),
        [direct["id"].as_str().unwrap()],
        "the author sees their own"
    );
}
