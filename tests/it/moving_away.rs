//! Moving a local account away: its aliases (`alsoKnownAs`), the move and what
//! it refuses, the followers taken along (on this instance, on a second
//! Staffroom instance and on another server), and the old account afterwards:
//! read-only, shown as moved in the API, its actor document and its page.

use std::time::Duration;

use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

const PASSWORD: &str = "correct horse battery";
const WAIT: Duration = Duration::from_secs(20);

/// How `client` stands towards the account `id`.
async fn relationship(client: &ApiClient, id: &str) -> Value {
    client
        .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
        .await
        .expect(200)
        .items()[0]
        .clone()
}

/// The id of the account `acct` on `client`'s instance (fetched when remote).
async fn id_of(client: &ApiClient, acct: &str) -> String {
    let found = client
        .get(&format!(
            "/api/v2/search?q=@{acct}&resolve=true&type=accounts"
        ))
        .await
        .expect(200);
    found.body["accounts"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{acct} not found: {}", found.body))
        .to_owned()
}

#[tokio::test]
async fn aliases_are_set_listed_removed_and_served_as_also_known_as() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    a.create_user("bob", &["--password-stdin"]).await;
    let peer = Peer::start().await;
    let bob_uri = format!("{}/users/bob", a.base);

    // The API takes the whole list, as GoToSocial's: a URL and an address.
    let set = alice
        .post(
            "/api/v1/accounts/alias",
            json!({"also_known_as_uris": [peer.actor_id, "@bob"]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        set["source"]["also_known_as_uris"],
        json!([peer.actor_id, bob_uri]),
        "{set}"
    );
    let actor = a.get_activity(&format!("{}/users/alice", a.base)).await;
    assert_eq!(actor["alsoKnownAs"], json!([peer.actor_id, bob_uri]));

    // An account that cannot be found, or the account itself, is refused whole.
    let refused = alice
        .post(
            "/api/v1/accounts/alias",
            json!({"also_known_as_uris": ["nobody-here"]}),
        )
        .await
        .expect(422);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("no account")
    );
    alice
        .post(
            "/api/v1/accounts/alias",
            json!({"also_known_as_uris": ["alice"]}),
        )
        .await
        .expect(422);
    let unchanged = a.get_activity(&format!("{}/users/alice", a.base)).await;
    assert_eq!(unchanged["alsoKnownAs"], json!([peer.actor_id, bob_uri]));

    // The settings page lists them, removes one and adds one.
    let browser = Browser::signed_in(&a.base, "alice", PASSWORD).await;
    let page = browser.get("/settings/aliases").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&bob_uri), "{}", page.body);
    let removed = browser
        .post(
            "/settings/aliases/remove",
            &[
                ("authenticity_token".into(), page.csrf()),
                ("alias".into(), bob_uri.clone()),
            ],
        )
        .await;
    assert_eq!(removed.status, 303);
    let actor = a.get_activity(&format!("{}/users/alice", a.base)).await;
    assert_eq!(actor["alsoKnownAs"], json!([peer.actor_id]));
    let added = browser
        .post(
            "/settings/aliases",
            &[
                ("authenticity_token".into(), page.csrf()),
                ("alias".into(), format!("bob@{}", a.domain())),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let actor = a.get_activity(&format!("{}/users/alice", a.base)).await;
    assert_eq!(actor["alsoKnownAs"], json!([peer.actor_id, bob_uri]));
    let wrong = browser
        .post(
            "/settings/aliases",
            &[
                ("authenticity_token".into(), page.csrf()),
                ("alias".into(), "nobody-here".into()),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("no account"), "{}", wrong.body);

    // An empty list clears them; the document then names none.
    alice
        .post("/api/v1/accounts/alias", json!({"also_known_as_uris": []}))
        .await
        .expect(200);
    let actor = a.get_activity(&format!("{}/users/alice", a.base)).await;
    assert!(actor.get("alsoKnownAs").is_none(), "{actor}");
    a.shut_down().await;
}

#[tokio::test]
async fn a_move_needs_the_alias_and_the_password_and_leaves_a_read_only_account() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let carol = a.user("carol").await;
    let dave = a.user("dave").await;
    let alice_uri = format!("{}/users/alice", a.base);
    let bob_uri = format!("{}/users/bob", a.base);
    let alice_id = id_of(&carol, "alice").await;
    let bob_id = id_of(&carol, "bob").await;
    let dave_id = id_of(&alice, "dave").await;
    carol
        .post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);
    let post = dave.status("Something to favourite").await;
    let post_id = post["id"].as_str().unwrap();
    let moving = |password: &str| json!({"password": password, "moved_to_uri": bob_uri});

    // Bob does not name alice yet: refused, nothing changes.
    let refused = alice
        .post("/api/v1/accounts/move", moving(PASSWORD))
        .await
        .expect(422);
    assert!(
        refused.body["error"]
            .as_str()
            .unwrap()
            .contains("alsoKnownAs"),
        "{}",
        refused.body
    );
    bob.post(
        "/api/v1/accounts/alias",
        json!({"also_known_as_uris": [alice_uri]}),
    )
    .await
    .expect(200);
    // A wrong password is refused too.
    let wrong = alice
        .post("/api/v1/accounts/move", moving("not my password"))
        .await
        .expect(422);
    assert!(wrong.body["error"].as_str().unwrap().contains("password"));
    assert_eq!(relationship(&carol, &alice_id).await["following"], true);
    let kept = alice.status("Still here").await;
    let kept_id = kept["id"].as_str().unwrap();
    let to_delete = alice.status("To be deleted after the move").await;
    let to_delete_id = to_delete["id"].as_str().unwrap();

    // The move: alice points at bob, and carol follows bob instead.
    let moved = alice
        .post("/api/v1/accounts/move", moving(PASSWORD))
        .await
        .expect(202)
        .body;
    assert_eq!(moved["moved"]["acct"], "bob", "{moved}");
    // Its own answers say where it went.
    let me = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    assert_eq!(me["moved"]["acct"], "bob", "{me}");
    let updated = alice
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"display_name": "Alice (moved)"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(updated["moved"]["acct"], "bob", "{updated}");
    assert_eq!(relationship(&carol, &alice_id).await["following"], false);
    assert_eq!(relationship(&carol, &bob_id).await["following"], true);
    let shown = carol
        .get(&format!("/api/v1/accounts/{alice_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(shown["moved"]["acct"], "bob", "{shown}");
    let actor = a.get_activity(&alice_uri).await;
    assert_eq!(actor["movedTo"], bob_uri.as_str(), "{actor}");

    // Read-only: no posts, boosts, favourites or follows, each said plainly.
    let refusals = [
        alice
            .post("/api/v1/statuses", json!({"status": "After the move"}))
            .await,
        alice
            .post(&format!("/api/v1/statuses/{post_id}/favourite"), json!({}))
            .await,
        alice
            .post(&format!("/api/v1/statuses/{post_id}/reblog"), json!({}))
            .await,
        alice
            .post(&format!("/api/v1/accounts/{dave_id}/follow"), json!({}))
            .await,
        alice
            .put(
                &format!("/api/v1/statuses/{kept_id}"),
                json!({"status": "Edited after the move"}),
            )
            .await,
    ];
    for refusal in refusals {
        assert_eq!(refusal.status, 403, "{}", refusal.body);
        assert!(
            refusal.body["error"]
                .as_str()
                .unwrap()
                .contains("has moved"),
            "{}",
            refusal.body
        );
    }
    assert_eq!(relationship(&alice, &dave_id).await["following"], false);
    let unchanged = carol
        .get(&format!("/api/v1/statuses/{kept_id}"))
        .await
        .expect(200)
        .body;
    assert!(
        unchanged["content"]
            .as_str()
            .unwrap()
            .contains("Still here"),
        "{unchanged}"
    );
    // Its posts may still be deleted.
    alice
        .delete(&format!("/api/v1/statuses/{to_delete_id}"))
        .await
        .expect(200);
    carol
        .get(&format!("/api/v1/statuses/{to_delete_id}"))
        .await
        .expect(404);
    // It still reads and signs in.
    alice.get("/api/v1/timelines/home").await.expect(200);
    alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200);
    let browser = Browser::signed_in(&a.base, "alice", PASSWORD).await;
    // Pages say why too.
    let compose = browser.get("/publish").await;
    let refused_page = browser
        .post(
            "/@dave/follow",
            &[("authenticity_token".into(), compose.csrf())],
        )
        .await;
    assert_eq!(refused_page.status, 403);
    assert!(
        refused_page.body.contains("has moved"),
        "{}",
        refused_page.body
    );
    // Its page says where it went, for anyone.
    let profile = Browser::new(&a.base).get("/@alice").await;
    assert_eq!(profile.status, 200);
    assert!(
        profile.body.contains("This account has moved to")
            && profile.body.contains("href=\"/@bob\""),
        "{}",
        profile.body
    );

    // Taking back the redirect lets it act again; a second move waits out the
    // cooldown.
    let settings = browser.get("/settings/move").await;
    assert!(settings.body.contains("has moved to"), "{}", settings.body);
    let cancelled = browser
        .post(
            "/settings/move/cancel",
            &[("authenticity_token".into(), settings.csrf())],
        )
        .await;
    assert_eq!(cancelled.status, 303);
    alice.status("Back again").await;
    let again = alice
        .post("/api/v1/accounts/move", moving(PASSWORD))
        .await
        .expect(403);
    assert!(
        again.body["error"].as_str().unwrap().contains("30 days"),
        "{}",
        again.body
    );
    let form = browser.get("/settings/move").await;
    assert!(form.body.contains("may move again"), "{}", form.body);
    let page_again = browser
        .post(
            "/settings/move",
            &[
                ("authenticity_token".into(), form.csrf()),
                ("target".into(), "bob".into()),
                ("password".into(), PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(page_again.status, 403);
    assert!(page_again.body.contains("30 days"), "{}", page_again.body);
    a.shut_down().await;
}

#[tokio::test]
async fn followers_here_on_the_new_instance_and_elsewhere_follow_the_new_account() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let carol = a.user("carol").await;
    let bob = b.user("bob").await;
    let dave = b.user("dave").await;
    let peer = Peer::start().await;
    let alice_uri = format!("{}/users/alice", a.base);
    let bob_uri = format!("{}/users/bob", b.base);

    // Carol (here), Dave (on B) and the peer follow alice.
    let alice_on_a = id_of(&carol, "alice").await;
    carol
        .post(&format!("/api/v1/accounts/{alice_on_a}/follow"), json!({}))
        .await
        .expect(200);
    let alice_on_b = id_of(&dave, &format!("alice@{}", a.domain())).await;
    dave.post(&format!("/api/v1/accounts/{alice_on_b}/follow"), json!({}))
        .await
        .expect(200);
    eventually("alice accepts dave", || async {
        relationship(&dave, &alice_on_b).await["following"] == true
    })
    .await;
    let follow = peer.activity("Follow", alice_uri.clone());
    assert_eq!(peer.send(&format!("{}/inbox", a.base), &follow).await, 202);
    peer.wait_for(WAIT, |activity| activity["type"] == "Accept")
        .await;

    // Bob names alice; alice moves to bob.
    bob.post(
        "/api/v1/accounts/alias",
        json!({"also_known_as_uris": [format!("alice@{}", a.domain())]}),
    )
    .await
    .expect(200);
    alice
        .post(
            "/api/v1/accounts/move",
            json!({"password": PASSWORD, "moved_to_uri": format!("@bob@{}", b.domain())}),
        )
        .await
        .expect(202);

    // The peer is sent the signed Move (it records only what verifies).
    let sent = peer
        .wait_for(WAIT, |activity| activity["type"] == "Move")
        .await;
    assert_eq!(sent["actor"], alice_uri.as_str());
    assert_eq!(sent["object"], alice_uri.as_str());
    assert_eq!(sent["target"], bob_uri.as_str());

    // Dave, on bob's own instance, now follows bob and not alice.
    let bob_on_b = id_of(&dave, "bob").await;
    eventually("dave follows bob", || async {
        relationship(&dave, &bob_on_b).await["following"] == true
    })
    .await;
    assert_eq!(relationship(&dave, &alice_on_b).await["following"], false);
    let shown = dave
        .get(&format!("/api/v1/accounts/{alice_on_b}"))
        .await
        .expect(200)
        .body;
    assert_eq!(shown["moved"]["acct"], "bob", "{shown}");

    // Carol, on alice's instance, follows bob on B once B accepts.
    let bob_on_a = id_of(&carol, &format!("bob@{}", b.domain())).await;
    eventually("carol follows bob", || async {
        relationship(&carol, &bob_on_a).await["following"] == true
    })
    .await;
    assert_eq!(relationship(&carol, &alice_on_a).await["following"], false);
    let moved = carol
        .get(&format!("/api/v1/accounts/{alice_on_a}"))
        .await
        .expect(200)
        .body;
    assert_eq!(
        moved["moved"]["acct"],
        format!("bob@{}", b.domain()).as_str(),
        "{moved}"
    );
    b.shut_down().await;
    a.shut_down().await;
}

#[tokio::test]
async fn a_move_asks_for_a_two_factor_code_when_two_factor_sign_in_is_on() {
    let a = TestInstance::start_for_apps().await;
    // The token comes before two-factor sign-in is on (the password grant
    // is refused after).
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let alice_uri = format!("{}/users/alice", a.base);
    let bob_uri = format!("{}/users/bob", a.base);
    bob.post(
        "/api/v1/accounts/alias",
        json!({"also_known_as_uris": [alice_uri]}),
    )
    .await
    .expect(200);
    let browser = Browser::signed_in(&a.base, "alice", PASSWORD).await;
    let (_secret, codes) = crate::two_factor::turn_on(&browser).await;

    // Without a code, or with a wrong one: refused, nothing changes.
    let without = alice
        .post(
            "/api/v1/accounts/move",
            json!({"password": PASSWORD, "moved_to_uri": bob_uri}),
        )
        .await
        .expect(422);
    assert!(
        without.body["error"].as_str().unwrap().contains("code"),
        "{}",
        without.body
    );
    let wrong = alice
        .post(
            "/api/v1/accounts/move",
            json!({"password": PASSWORD, "moved_to_uri": bob_uri, "code": "000000"}),
        )
        .await
        .expect(422);
    assert!(
        wrong.body["error"].as_str().unwrap().contains("code"),
        "{}",
        wrong.body
    );
    // The page asks for it as well.
    let form = browser.get("/settings/move").await;
    assert!(form.body.contains("name=\"code\""), "{}", form.body);
    let refused_page = browser
        .post(
            "/settings/move",
            &[
                ("authenticity_token".into(), form.csrf()),
                ("target".into(), bob_uri.clone()),
                ("password".into(), PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(refused_page.status, 422, "{}", refused_page.body);
    let me = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    assert!(me["moved"].is_null(), "{me}");

    // With a recovery code, it moves.
    let moved = alice
        .post(
            "/api/v1/accounts/move",
            json!({"password": PASSWORD, "moved_to_uri": bob_uri, "code": codes[0]}),
        )
        .await
        .expect(202)
        .body;
    assert_eq!(moved["moved"]["acct"], "bob", "{moved}");
    a.shut_down().await;
}
