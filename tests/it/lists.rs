//! Lists through the client API: making, changing and deleting them, their limits,
//! who may be in them (accounts the owner follows), their timeline (privacy,
//! replies policies, paging), exclusive lists and home, someone else's list, the
//! list stream, and the web app's `/lists` pages driven as a browser drives them.

use reqwest::Method;
use serde_json::{Value, json};
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;

use crate::streaming::{open, refused, streaming_url};

/// The id of the local `username`, as `client` looks it up.
pub(crate) async fn id_of(client: &ApiClient, username: &str) -> String {
    client.lookup(username).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `client` follows the local `username`; their id.
async fn follow(client: &ApiClient, username: &str) -> String {
    let id = id_of(client, username).await;
    client
        .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
        .await
        .expect(200);
    id
}

/// `client` makes a list titled `title`; its id.
pub(crate) async fn create_list(client: &ApiClient, body: Value) -> String {
    client.post("/api/v1/lists", body).await.expect(200).body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `client` adds `accounts` to its list `list`: the answer's status.
pub(crate) async fn add(client: &ApiClient, list: &str, accounts: &[&str]) -> u16 {
    client
        .post(
            &format!("/api/v1/lists/{list}/accounts"),
            json!({ "account_ids": accounts }),
        )
        .await
        .status
}

async fn post(client: &ApiClient, body: Value) -> String {
    client.post("/api/v1/statuses", body).await.expect(200).body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn list_timeline(client: &ApiClient, list: &str) -> Vec<String> {
    client
        .get(&format!("/api/v1/timelines/list/{list}"))
        .await
        .expect(200)
        .ids()
}

#[tokio::test]
async fn lists_are_made_changed_and_deleted_with_their_limits() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    assert_eq!(alice.get("/api/v1/lists").await.expect(200).body, json!([]));

    let made = alice
        .post("/api/v1/lists", json!({"title": "Heads of maths"}))
        .await
        .expect(200)
        .body;
    assert_eq!(made["title"], "Heads of maths");
    assert_eq!(made["replies_policy"], "followed");
    assert_eq!(made["exclusive"], false);
    let id = made["id"].as_str().unwrap().to_owned();

    // A form body, as Mastodon.py sends it.
    let second = alice
        .send_form(
            Method::POST,
            "/api/v1/lists",
            &[
                ("title", "Trust leaders"),
                ("replies_policy", "none"),
                ("exclusive", "True"),
            ],
        )
        .await
        .expect(200)
        .body;
    assert_eq!(second["replies_policy"], "none");
    assert_eq!(second["exclusive"], true);

    let changed = alice
        .put(
            &format!("/api/v1/lists/{id}"),
            json!({"title": "Maths leads", "replies_policy": "list", "exclusive": true}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["title"], "Maths leads");
    assert_eq!(changed["replies_policy"], "list");
    assert_eq!(changed["exclusive"], true);
    let shown = alice.get(&format!("/api/v1/lists/{id}")).await.expect(200);
    assert_eq!(shown.body, changed);
    assert_eq!(
        alice
            .get("/api/v1/lists")
            .await
            .expect(200)
            .strings("title"),
        ["Maths leads", "Trust leaders"]
    );

    // Validation: 422 in Mastodon's error shape.
    for body in [
        json!({"title": ""}),
        json!({"title": "   "}),
        json!({}),
        json!({"title": "x".repeat(256)}),
        json!({"title": "Fine", "replies_policy": "everyone"}),
    ] {
        let refused = alice.post("/api/v1/lists", body).await.expect(422);
        assert!(refused.body["error"].is_string(), "{}", refused.body);
    }
    alice
        .post("/api/v1/lists", json!({"title": "y".repeat(255)}))
        .await
        .expect(200);
    alice
        .put(&format!("/api/v1/lists/{id}"), json!({"title": ""}))
        .await
        .expect(422);

    // Fifty lists at most.
    for n in 3..50 {
        create_list(&alice, json!({"title": format!("List {n}")})).await;
    }
    assert_eq!(alice.get("/api/v1/lists").await.items().len(), 50);
    let refused = alice
        .post("/api/v1/lists", json!({"title": "One too many"}))
        .await
        .expect(422);
    assert!(refused.body["error"].as_str().unwrap().contains("50"));

    alice
        .delete(&format!("/api/v1/lists/{id}"))
        .await
        .expect(200);
    alice.get(&format!("/api/v1/lists/{id}")).await.expect(404);
    alice
        .post("/api/v1/lists", json!({"title": "Room again"}))
        .await
        .expect(200);
}

#[tokio::test]
async fn someone_elses_list_is_not_found_and_scopes_are_enforced() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    instance.user("carol").await;
    let carol_id = follow(&alice, "carol").await;
    follow(&bob, "carol").await;
    let list = create_list(&alice, json!({"title": "Private"})).await;
    assert_eq!(add(&alice, &list, &[&carol_id]).await, 200);

    bob.get(&format!("/api/v1/lists/{list}")).await.expect(404);
    bob.put(&format!("/api/v1/lists/{list}"), json!({"title": "Mine"}))
        .await
        .expect(404);
    bob.delete(&format!("/api/v1/lists/{list}"))
        .await
        .expect(404);
    bob.get(&format!("/api/v1/lists/{list}/accounts"))
        .await
        .expect(404);
    assert_eq!(add(&bob, &list, &[&carol_id]).await, 404);
    bob.get(&format!("/api/v1/timelines/list/{list}"))
        .await
        .expect(404);
    bob.get("/api/v1/lists/not-a-number").await.expect(404);
    assert_eq!(
        bob.get(&format!("/api/v1/accounts/{carol_id}/lists"))
            .await
            .expect(200)
            .body,
        json!([])
    );
    alice
        .get(&format!("/api/v1/lists/{list}"))
        .await
        .expect(200);
    instance.anonymous().get("/api/v1/lists").await.expect(401);

    // A token that may only read lists cannot change them, nor read statuses.
    let token = instance
        .sign_in("alice", "correct horse battery", "read:lists")
        .await;
    let reader = ApiClient::new(&instance.base, Some(token));
    reader.get("/api/v1/lists").await.expect(200);
    reader
        .get(&format!("/api/v1/timelines/list/{list}"))
        .await
        .expect(200);
    reader
        .post("/api/v1/lists", json!({"title": "Nope"}))
        .await
        .expect(403);
    reader
        .delete(&format!("/api/v1/lists/{list}"))
        .await
        .expect(403);
    let token = instance
        .sign_in("alice", "correct horse battery", "write:lists")
        .await;
    let writer = ApiClient::new(&instance.base, Some(token));
    writer.get("/api/v1/lists").await.expect(403);
    writer
        .put(
            &format!("/api/v1/lists/{list}"),
            json!({"title": "Renamed"}),
        )
        .await
        .expect(200);
}

#[tokio::test]
async fn only_followed_accounts_join_and_leave_when_unfollowed_or_blocked() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    instance.user("carol").await;
    let dave = instance.user("dave").await;
    let bob_id = follow(&alice, "bob").await;
    let dave_id = follow(&alice, "dave").await;
    let carol_id = id_of(&alice, "carol").await;
    let list = create_list(&alice, json!({"title": "Leaders"})).await;
    let other = create_list(&alice, json!({"title": "Others"})).await;

    // Carol is not followed: nobody is added.
    let refused = alice
        .post(
            &format!("/api/v1/lists/{list}/accounts"),
            json!({"account_ids": [bob_id, carol_id]}),
        )
        .await
        .expect(422);
    assert!(refused.body["error"].is_string());
    assert!(
        alice
            .get(&format!("/api/v1/lists/{list}/accounts"))
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    // Nor is a made-up account, nor nobody at all.
    assert_eq!(add(&alice, &list, &["123456789"]).await, 422);
    assert_eq!(add(&alice, &list, &[]).await, 422);

    // Form bodies with `account_ids[]`, as Mastodon.py sends them; twice is once.
    alice
        .send_form(
            Method::POST,
            &format!("/api/v1/lists/{list}/accounts"),
            &[("account_ids[]", &bob_id), ("account_ids[]", &dave_id)],
        )
        .await
        .expect(200);
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    assert_eq!(add(&alice, &other, &[&bob_id]).await, 200);
    let members = alice
        .get(&format!("/api/v1/lists/{list}/accounts"))
        .await
        .expect(200);
    let mut usernames = members.strings("username");
    usernames.sort();
    assert_eq!(usernames, ["bob", "dave"]);
    assert_eq!(
        alice
            .get(&format!("/api/v1/accounts/{bob_id}/lists"))
            .await
            .expect(200)
            .strings("title"),
        ["Leaders", "Others"]
    );

    // Members page with a Link header.
    let first = alice
        .get(&format!("/api/v1/lists/{list}/accounts?limit=1"))
        .await
        .expect(200);
    assert_eq!(first.items().len(), 1);
    let next = first.link_to("next").expect("a next link");
    let second = alice.get(&next).await.expect(200);
    assert_eq!(second.items().len(), 1);
    assert_ne!(first.ids(), second.ids());

    // Unfollowing takes bob out of every list of alice's.
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/unfollow"), json!({}))
        .await
        .expect(200);
    assert_eq!(
        alice
            .get(&format!("/api/v1/lists/{list}/accounts"))
            .await
            .strings("username"),
        ["dave"]
    );
    assert_eq!(
        alice
            .get(&format!("/api/v1/accounts/{bob_id}/lists"))
            .await
            .expect(200)
            .body,
        json!([])
    );

    // A block either way ends the follow, and the membership with it.
    let alice_id = id_of(&dave, "alice").await;
    dave.post(&format!("/api/v1/accounts/{alice_id}/block"), json!({}))
        .await
        .expect(200);
    assert!(
        alice
            .get(&format!("/api/v1/lists/{list}/accounts"))
            .await
            .items()
            .is_empty()
    );

    // Removing, with the ids in the body or the query string.
    follow(&alice, "bob").await;
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    alice
        .send_form(
            Method::DELETE,
            &format!("/api/v1/lists/{list}/accounts"),
            &[("account_ids[]", &bob_id)],
        )
        .await
        .expect(200);
    assert!(
        alice
            .get(&format!("/api/v1/lists/{list}/accounts"))
            .await
            .items()
            .is_empty()
    );
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    alice
        .delete(&format!(
            "/api/v1/lists/{list}/accounts?account_ids[]={bob_id}"
        ))
        .await
        .expect(200);
    assert!(
        alice
            .get(&format!("/api/v1/lists/{list}/accounts"))
            .await
            .items()
            .is_empty()
    );
    drop(bob);
}

#[tokio::test]
async fn the_list_timeline_shows_what_the_owner_may_see_of_its_members() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let dave = instance.user("dave").await;
    let bob_id = follow(&alice, "bob").await;
    let dave_id = follow(&alice, "dave").await;
    follow(&alice, "carol").await;
    let list = create_list(&alice, json!({"title": "Leaders"})).await;
    assert_eq!(add(&alice, &list, &[&bob_id, &dave_id]).await, 200);

    let public = post(&bob, json!({"status": "Public", "visibility": "public"})).await;
    let private = post(
        &bob,
        json!({"status": "Followers", "visibility": "private"}),
    )
    .await;
    let unlisted = post(&bob, json!({"status": "Quiet", "visibility": "unlisted"})).await;
    // A direct post to carol, and one to alice: direct posts are not list posts.
    post(
        &bob,
        json!({"status": "@carol Just you", "visibility": "direct"}),
    )
    .await;
    post(
        &bob,
        json!({"status": "@alice Just you", "visibility": "direct"}),
    )
    .await;
    // Carol is followed but not in the list.
    let carols = post(&carol, json!({"status": "Not listed"})).await;
    // A boost by a member is in the list.
    let boost = bob
        .post(&format!("/api/v1/statuses/{carols}/reblog"), json!({}))
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let daves = post(&dave, json!({"status": "Dave here"})).await;

    assert_eq!(
        list_timeline(&alice, &list).await,
        [
            daves.clone(),
            boost.clone(),
            unlisted.clone(),
            private.clone(),
            public.clone()
        ]
    );

    // Muting dave hides his posts; blocking bob ends the follow and the membership.
    alice
        .post(&format!("/api/v1/accounts/{dave_id}/mute"), json!({}))
        .await
        .expect(200);
    assert_eq!(
        list_timeline(&alice, &list).await,
        [boost, unlisted, private, public]
    );
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/block"), json!({}))
        .await
        .expect(200);
    assert!(list_timeline(&alice, &list).await.is_empty());
}

#[tokio::test]
async fn replies_policies_choose_which_replies_show() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let dave = instance.user("dave").await;
    let bob_id = follow(&alice, "bob").await;
    let carol_id = follow(&alice, "carol").await;

    let by_carol = post(&carol, json!({"status": "Carol asks"})).await;
    let by_dave = post(&dave, json!({"status": "Dave asks"})).await;
    let by_alice = post(&alice, json!({"status": "Alice asks"})).await;
    let by_bob = post(&bob, json!({"status": "Bob asks"})).await;
    let reply = |to: &str| json!({"status": "An answer", "in_reply_to_id": to});
    let to_carol = post(&bob, reply(&by_carol)).await;
    let to_dave = post(&bob, reply(&by_dave)).await;
    let to_alice = post(&bob, reply(&by_alice)).await;
    let to_self = post(&bob, reply(&by_bob)).await;

    let followed = create_list(&alice, json!({"title": "Followed"})).await;
    let members = create_list(
        &alice,
        json!({"title": "Members", "replies_policy": "list"}),
    )
    .await;
    let none = create_list(&alice, json!({"title": "None", "replies_policy": "none"})).await;
    for list in [&followed, &members, &none] {
        assert_eq!(add(&alice, list, &[&bob_id]).await, 200);
    }
    assert_eq!(add(&alice, &members, &[&carol_id]).await, 200);

    assert_eq!(
        list_timeline(&alice, &followed).await,
        [
            to_self.clone(),
            to_alice.clone(),
            to_carol.clone(),
            by_bob.clone()
        ],
        "replies to followed accounts, the owner and oneself"
    );
    assert_eq!(
        list_timeline(&alice, &members).await,
        [
            to_self.clone(),
            to_alice.clone(),
            to_carol.clone(),
            by_bob.clone(),
            by_carol.clone()
        ],
        "replies to members, the owner and oneself"
    );
    assert_eq!(
        list_timeline(&alice, &none).await,
        [to_self.clone(), to_alice.clone(), by_bob.clone()],
        "only replies to the owner and oneself"
    );
    // Carol leaves the members list: replies to her go from it.
    alice
        .delete(&format!(
            "/api/v1/lists/{members}/accounts?account_ids[]={carol_id}"
        ))
        .await
        .expect(200);
    assert_eq!(
        list_timeline(&alice, &members).await,
        [to_self, to_alice, by_bob]
    );
    assert!(!list_timeline(&alice, &followed).await.contains(&to_dave));
}

#[tokio::test]
async fn exclusive_lists_keep_their_members_out_of_home() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let bob_id = follow(&alice, "bob").await;
    follow(&alice, "carol").await;
    let list = create_list(&alice, json!({"title": "Apart", "exclusive": true})).await;
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    let bobs = post(&bob, json!({"status": "In the list only"})).await;
    let carols = post(&carol, json!({"status": "At home"})).await;
    let alices = post(&alice, json!({"status": "My own"})).await;

    let home = alice.get("/api/v1/timelines/home").await.expect(200).ids();
    assert_eq!(home, [alices.clone(), carols.clone()]);
    assert_eq!(
        list_timeline(&alice, &list).await,
        std::slice::from_ref(&bobs)
    );

    // No longer exclusive: bob is back at home.
    alice
        .put(
            &format!("/api/v1/lists/{list}"),
            json!({"title": "Apart", "exclusive": false}),
        )
        .await
        .expect(200);
    let home = alice.get("/api/v1/timelines/home").await.expect(200).ids();
    assert_eq!(home, [alices, carols, bobs]);
}

#[tokio::test]
async fn the_list_timeline_pages_with_links() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let bob_id = follow(&alice, "bob").await;
    let list = create_list(&alice, json!({"title": "Paged"})).await;
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    let mut posted = Vec::new();
    for n in 0..5 {
        posted.push(post(&bob, json!({"status": format!("Post {n}")})).await);
    }
    posted.reverse();

    let first = alice
        .get(&format!("/api/v1/timelines/list/{list}?limit=2"))
        .await
        .expect(200);
    assert_eq!(first.ids(), posted[..2]);
    let next = first.link_to("next").expect("a next link");
    assert!(
        next.contains(&format!("/api/v1/timelines/list/{list}?")),
        "{next}"
    );
    let second = alice.get(&next).await.expect(200);
    assert_eq!(second.ids(), posted[2..4]);
    let prev = second.link_to("prev").expect("a prev link");
    assert_eq!(alice.get(&prev).await.expect(200).ids(), posted[..2]);
    let newer = alice
        .get(&format!(
            "/api/v1/timelines/list/{list}?min_id={}&limit=2",
            posted[4]
        ))
        .await
        .expect(200);
    assert_eq!(newer.ids(), posted[2..4]);
    let since = alice
        .get(&format!(
            "/api/v1/timelines/list/{list}?since_id={}",
            posted[1]
        ))
        .await
        .expect(200);
    assert_eq!(since.ids(), posted[..1]);
}

#[tokio::test]
async fn the_list_stream_hears_its_members_new_posts() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let bob_id = follow(&alice, "bob").await;
    follow(&alice, "carol").await;
    let list = create_list(&alice, json!({"title": "Streamed"})).await;
    assert_eq!(add(&alice, &list, &[&bob_id]).await, 200);
    let mut stream = open(&instance, &alice, &format!("?stream=list&list={list}")).await;

    // Carol's post is not in the list; bob's next post arrives first.
    post(&carol, json!({"status": "Not for the list"})).await;
    let bobs = post(&bob, json!({"status": "For the list"})).await;
    let frame = stream.next().await;
    assert_eq!(frame.event, "update");
    assert_eq!(frame.stream, ["list".to_owned(), list.clone()]);
    assert_eq!(frame.payload["id"], bobs.as_str());

    // Someone else's list cannot be listened to.
    let url = streaming_url(&instance, &format!("?stream=list&list={list}")).await;
    assert_eq!(refused(&url, carol.token.as_deref()).await, 404);
}

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// The value of the `<option>` of `page` that reads `label`.
fn option_value(body: &str, label: &str) -> String {
    let end = body
        .find(&format!("\">{label}</option>"))
        .unwrap_or_else(|| panic!("no option {label}: {body}"));
    let start = body[..end].rfind("value=\"").unwrap() + "value=\"".len();
    body[start..end].to_owned()
}

#[tokio::test]
async fn the_web_app_makes_fills_pages_renames_and_deletes_a_list() {
    const PASSWORD: &str = "correct horse battery";
    let instance = TestInstance::start().await;
    for name in ["alice", "bob", "carol"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let profile = alice.get("/@bob").await;
    let followed = alice
        .post(
            "/@bob/follow",
            &[field("authenticity_token", &profile.csrf())],
        )
        .await;
    assert_eq!(followed.status, 303, "{}", followed.body);

    let lists = alice.get("/lists").await;
    assert_eq!(lists.status, 200, "{}", lists.body);
    assert!(
        lists
            .body
            .contains("<a href=\"/lists\" aria-current=\"page\">Lists</a>"),
        "linked from the navigation: {}",
        lists.body
    );
    assert!(lists.body.contains("No lists yet."));

    // Without the form's CSRF token nothing is made.
    let forged = alice.post("/lists", &[field("title", "Forged")]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    let blank = alice
        .post(
            "/lists",
            &[
                field("authenticity_token", &lists.csrf()),
                field("title", " "),
            ],
        )
        .await;
    assert_eq!(blank.status, 422, "{}", blank.body);

    let made = alice
        .post(
            "/lists",
            &[
                field("authenticity_token", &lists.csrf()),
                field("title", "Heads <of> maths"),
                field("replies_policy", "list"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.location.unwrap();
    assert!(path.starts_with("/lists/"), "{path}");
    let id = path.trim_start_matches("/lists/").to_owned();

    // Bob is offered, being followed; carol is not.
    let page = alice.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("<h1>Heads &lt;of&gt; maths</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Nobody is in this list yet."));
    assert!(!page.body.contains("@carol</option>"));
    let bob_id = option_value(&page.body, "@bob");
    let added = alice
        .post(
            &format!("{path}/accounts"),
            &[
                field("authenticity_token", &page.csrf()),
                field("account_id", &bob_id),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.location.as_deref(), Some(path.as_str()));

    // Carol is not followed: the form refuses her.
    let carol_id = instance.account("carol").await.id.to_string();
    let refused = alice
        .post(
            &format!("{path}/accounts"),
            &[
                field("authenticity_token", &page.csrf()),
                field("account_id", &carol_id),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);

    // The list's posts, twenty a page, with older and newer links.
    instance
        .post_as("carol", "Carol is not in the list", Visibility::Public)
        .await;
    for n in 0..21 {
        instance
            .post_as("bob", &format!("Bob says {n}."), Visibility::Public)
            .await;
    }
    let page = alice.get(&path).await;
    assert!(page.body.contains("Bob says 20."), "{}", page.body);
    assert!(page.body.contains("Bob says 1."));
    assert!(!page.body.contains("Bob says 0."));
    assert!(!page.body.contains("Carol is not in the list"));
    assert!(page.body.contains("href=\"/@bob\""));
    let older = page
        .body
        .split("href=\"")
        .map(|rest| rest.split('"').next().unwrap())
        .find(|href| href.starts_with(&format!("{path}?max_id=")))
        .expect("a link to older posts")
        .to_owned();
    let second = alice.get(&older).await;
    assert_eq!(second.status, 200);
    assert!(second.body.contains("Bob says 0."), "{}", second.body);
    assert!(!second.body.contains("Bob says 1."));
    assert!(second.body.contains("Newer posts"));

    // Someone else's list is not found.
    let bob = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    assert_eq!(bob.get(&path).await.status, 404);
    let bobs_lists = bob.get("/lists").await;
    let taken = bob
        .post(
            &format!("{path}/delete"),
            &[field("authenticity_token", &bobs_lists.csrf())],
        )
        .await;
    assert_eq!(taken.status, 404);

    // Renamed, with its replies policy and exclusivity.
    let renamed = alice
        .post(
            &format!("{path}/update"),
            &[
                field("authenticity_token", &page.csrf()),
                field("title", "Maths leads"),
                field("replies_policy", "none"),
                field("exclusive", "true"),
            ],
        )
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let lists = alice.get("/lists").await;
    assert!(
        lists
            .body
            .contains(&format!("<a href=\"{path}\">Maths leads</a>"))
    );
    let page = alice.get(&path).await;
    assert!(
        page.body.contains("value=\"none\" selected"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("name=\"exclusive\" value=\"true\" checked")
    );

    // Bob taken out, then the list deleted.
    let removed = alice
        .post(
            &format!("{path}/accounts/{bob_id}/remove"),
            &[field("authenticity_token", &page.csrf())],
        )
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let page = alice.get(&path).await;
    assert!(page.body.contains("Nobody is in this list yet."));
    assert!(!page.body.contains("Bob says 20."));
    let deleted = alice
        .post(
            &format!("/lists/{id}/delete"),
            &[field("authenticity_token", &page.csrf())],
        )
        .await;
    assert_eq!(deleted.status, 303);
    assert_eq!(deleted.location.as_deref(), Some("/lists"));
    assert_eq!(alice.get(&path).await.status, 404);
    assert!(alice.get("/lists").await.body.contains("No lists yet."));
}
