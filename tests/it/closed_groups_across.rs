//! A closed group whose members are on three instances: what they write to it
//! reaches each member wherever they are, and nobody else by any route; edits,
//! replies, deletions, a moderator's removals and a late member's catching up
//! all travel between the instances.

use serde_json::json;
use staffroom_tests::api::ApiClient;
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

use crate::groups::{finds, id_at_home, make_group, resolve, times_at_home};

/// `client` (of another instance) asks to join `address`; its moderator
/// `moderator` approves; their instance hears of it.
async fn join(client: &ApiClient, address: &str, moderator: &ApiClient, group_id: &str) {
    let group = resolve(client, address).await;
    assert_eq!(group["locked"], true, "{group}");
    let remote_id = group["id"].as_str().unwrap().to_owned();
    client
        .post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({}))
        .await
        .expect(200);
    let requests = format!("/api/staffroom/v1/groups/{group_id}/requests");
    eventually("the request reaches the moderator", || async {
        !moderator.get(&requests).await.ids().is_empty()
    })
    .await;
    for asked in moderator.get(&requests).await.ids() {
        moderator
            .post(&format!("{requests}/{asked}/approve"), json!({}))
            .await
            .expect(200);
    }
    eventually("the member's instance hears they are in", || async {
        client
            .get(&format!("/api/v1/accounts/relationships?id[]={remote_id}"))
            .await
            .items()[0]["following"]
            == true
    })
    .await;
}

/// A direct post by `client`: for a closed group it mentions, a post to the group.
async fn write(client: &ApiClient, text: &str) -> (String, String) {
    let post = client
        .post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    (
        post["id"].as_str().unwrap().to_owned(),
        post["uri"].as_str().unwrap().to_owned(),
    )
}

/// Everything a non-member (`client`, of `instance`, or nobody signed in) might
/// reach `secret` by: the post `id` there, its thread, every timeline, the
/// author's posts, search with and without fetching `uri`, and `instance`'s
/// pages (its front page, the tag's page and RSS, people's pages and post pages).
async fn assert_hidden(
    instance: &TestInstance,
    client: &ApiClient,
    who: &str,
    id: &str,
    uri: &str,
    author: &str,
    secret: &str,
) {
    for path in [
        format!("/api/v1/statuses/{id}"),
        format!("/api/v1/statuses/{id}/context"),
    ] {
        assert_eq!(client.get(&path).await.status, 404, "{who}: {path}");
    }
    let author_id = client.lookup(author).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/api/v1/timelines/home".to_owned(),
        "/api/v1/timelines/public".to_owned(),
        "/api/v1/timelines/public?local=true".to_owned(),
        "/api/v1/timelines/tag/budget".to_owned(),
        format!("/api/v1/accounts/{author_id}/statuses"),
        format!("/api/v2/search?q={secret}&type=statuses"),
        format!("/api/v2/search?q={uri}&resolve=true"),
    ] {
        assert!(!finds(client, &path, secret).await, "{who}: {path}");
    }
    let mut pages: Vec<String> = ["/", "/tags/budget", "/tags/budget.rss"]
        .map(str::to_owned)
        .to_vec();
    for name in ["alice", "bob", "cath"] {
        pages.push(format!("/@{name}"));
        pages.push(format!("/@{name}/{id}"));
    }
    for path in &pages {
        let page = instance.get(path).await;
        let body = page.text().await.unwrap();
        assert!(!body.contains(secret), "{who}: page {path}");
    }
}

#[tokio::test]
async fn a_closed_group_across_three_instances_reaches_its_members_and_nobody_else() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let c = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let erin = a.user("erin").await;
    let bob = b.user("bob").await;
    let bert = b.user("bert").await;
    let cath = c.user("cath").await;
    let cole = c.user("cole").await;
    let peers = make_group(&alice, "peers", "closed").await;
    let group_id = peers["id"].as_str().unwrap().to_owned();
    let address = format!("peers@{}", a.domain());
    let bob_address = format!("bob@{}", b.domain());
    let cath_address = format!("cath@{}", c.domain());

    // Bob joins from B; he and Alice write to the group.
    join(&bob, &address, &alice, &group_id).await;
    let (bob_post, bob_uri) = write(
        &bob,
        &format!("@{address} Candid about the deficit #budget"),
    )
    .await;
    let (_, alice_uri) = write(&alice, "@peers Frank about governance #budget").await;
    eventually("bob's post reaches alice", || async {
        times_at_home(&alice, &bob_uri).await == 1
    })
    .await;
    eventually("alice's post reaches bob", || async {
        times_at_home(&bob, &alice_uri).await == 1
    })
    .await;

    // Cath joins from C later, and catches up with what was written before.
    join(&cath, &address, &alice, &group_id).await;
    for uri in [&bob_uri, &alice_uri] {
        eventually(&format!("cath catches up with {uri}"), || async {
            times_at_home(&cath, uri).await == 1
        })
        .await;
    }
    let (cath_post, cath_uri) = write(
        &cath,
        &format!("@{address} Worried about attendance #budget"),
    )
    .await;
    for (name, member) in [("alice", &alice), ("bob", &bob)] {
        eventually(&format!("cath's post reaches {name}"), || async {
            times_at_home(member, &cath_uri).await == 1
        })
        .await;
    }

    // A reply threads under the post it answers, on every instance.
    let bob_post_on_c = id_at_home(&cath, &bob_uri).await;
    let reply = cath
        .post(
            "/api/v1/statuses",
            json!({
                "status": format!("@{address} @{bob_address} Same here"),
                "visibility": "direct",
                "in_reply_to_id": bob_post_on_c,
            }),
        )
        .await
        .expect(200)
        .body;
    let reply_uri = reply["uri"].as_str().unwrap().to_owned();
    let bob_post_on_a = id_at_home(&alice, &bob_uri).await;
    for (name, member, id) in [("bob", &bob, &bob_post), ("alice", &alice, &bob_post_on_a)] {
        eventually(&format!("the reply threads for {name}"), || async {
            member
                .get(&format!("/api/v1/statuses/{id}/context"))
                .await
                .body["descendants"]
                .as_array()
                .is_some_and(|d| d.iter().any(|s| s["uri"] == reply_uri))
        })
        .await;
    }

    // Nobody else, on any of the three instances, sees any of it by any route.
    let secrets = [
        (&bob_uri, "deficit", bob_address.clone()),
        (&alice_uri, "governance", format!("alice@{}", a.domain())),
        (&cath_uri, "attendance", cath_address.clone()),
    ];
    let sides = [
        (&a, &alice, &erin, "erin on A"),
        (&b, &bob, &bert, "bert on B"),
        (&c, &cath, &cole, "cole on C"),
    ];
    for (instance, member, outsider, who) in sides {
        let anonymous = instance.anonymous();
        for (uri, secret, author) in &secrets {
            let id = id_at_home(member, uri).await;
            for (who, client) in [(who, outsider), ("anonymous", &anonymous)] {
                assert_hidden(instance, client, who, &id, uri, author, secret).await;
            }
        }
    }
    // The group's outbox holds what is written to it for its members' servers
    // alone (C read it when Cath joined): not for an unsigned fetch, nor for a
    // server without members.
    let outbox = format!("http://{}/users/peers/outbox?page=true", a.domain());
    assert_eq!(a.get_activity(&outbox).await["orderedItems"], json!([]));
    let stranger = Peer::start().await;
    let (status, signed) = stranger.signed_get(&outbox).await;
    assert_eq!(status, 200);
    assert_eq!(signed["orderedItems"], json!([]));
    for (origin, uri) in [(&b, &bob_uri), (&a, &alice_uri), (&c, &cath_uri)] {
        let fetched = origin
            .http
            .get(uri.as_str())
            .header("accept", "application/activity+json")
            .send()
            .await
            .unwrap();
        assert_eq!(fetched.status().as_u16(), 404, "an unsigned fetch of {uri}");
    }

    // An edit reaches every member.
    bob.put(
        &format!("/api/v1/statuses/{bob_post}"),
        json!({"status": format!("@{address} Candid about the deficit, revised")}),
    )
    .await
    .expect(200);
    for (name, member) in [("alice", &alice), ("cath", &cath)] {
        let id = id_at_home(member, &bob_uri).await;
        eventually(&format!("the edit reaches {name}"), || async {
            finds(member, &format!("/api/v1/statuses/{id}"), "revised").await
        })
        .await;
    }

    // A moderator takes Cath's post out: gone for the members on A and B; its
    // author keeps it.
    let cath_post_on_a = id_at_home(&alice, &cath_uri).await;
    let cath_post_on_b = id_at_home(&bob, &cath_uri).await;
    alice
        .delete(&format!(
            "/api/staffroom/v1/groups/{group_id}/posts/{cath_post_on_a}"
        ))
        .await
        .expect(200);
    assert_eq!(
        alice
            .get(&format!("/api/v1/statuses/{cath_post_on_a}"))
            .await
            .status,
        404
    );
    eventually("the removal reaches B", || async {
        bob.get(&format!("/api/v1/statuses/{cath_post_on_b}"))
            .await
            .status
            == 404
    })
    .await;
    cath.get(&format!("/api/v1/statuses/{cath_post}"))
        .await
        .expect(200);

    // Bob deletes his post: it goes from A and C as well.
    let bob_post_on_c = id_at_home(&cath, &bob_uri).await;
    bob.delete(&format!("/api/v1/statuses/{bob_post}"))
        .await
        .expect(200);
    for (name, member, id) in [
        ("alice", &alice, &bob_post_on_a),
        ("cath", &cath, &bob_post_on_c),
    ] {
        eventually(&format!("the deletion reaches {name}"), || async {
            member.get(&format!("/api/v1/statuses/{id}")).await.status == 404
        })
        .await;
    }
    eventually("C keeps nothing of it", || async {
        c.remote_posts().await.iter().all(|p| p.1 != bob_uri)
    })
    .await;

    // Cath is removed: she no longer sees what was written, nor what comes next.
    let alice_post_on_c = id_at_home(&cath, &alice_uri).await;
    let cath_on_a = alice.lookup(&cath_address).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    alice
        .delete(&format!(
            "/api/staffroom/v1/groups/{group_id}/members/{cath_on_a}"
        ))
        .await
        .expect(200);
    eventually("cath's instance hears she is removed", || async {
        cath.get(&format!("/api/v1/statuses/{alice_post_on_c}"))
            .await
            .status
            == 404
    })
    .await;
    let (_, later_uri) = write(&alice, "@peers Budget setting in spring").await;
    eventually("the next post reaches bob", || async {
        times_at_home(&bob, &later_uri).await == 1
    })
    .await;
    assert_eq!(times_at_home(&cath, &later_uri).await, 0);
    assert!(c.remote_posts().await.iter().all(|p| p.1 != later_uri));
}

#[tokio::test]
async fn a_group_elsewhere_cannot_show_its_members_a_direct_message_stored_here() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let dave = a.user("dave").await;
    let bob = b.user("bob").await;
    // A server playing a closed group, which Dave joins.
    let group = Peer::start().await;
    group.describe(json!({
        "type": "Group",
        "preferredUsername": "whispers",
        "manuallyApprovesFollowers": true,
    }));
    let found = dave
        .get(&format!(
            "/api/v2/search?q={}&resolve=true&type=accounts",
            group.actor_id
        ))
        .await
        .expect(200);
    let group_here = found.body["accounts"][0]["id"].as_str().unwrap().to_owned();
    dave.post(&format!("/api/v1/accounts/{group_here}/follow"), json!({}))
        .await
        .expect(200);
    let follow = group
        .wait_for(std::time::Duration::from_secs(20), |x| {
            x["type"] == "Follow"
        })
        .await;
    let inbox = format!("http://{}/inbox", a.domain());
    assert_eq!(
        group.send(&inbox, &group.activity("Accept", follow)).await,
        202
    );

    // Bob, on B, writes to Alice alone.
    let secret = bob
        .post(
            "/api/v1/statuses",
            json!({"status": format!("@alice@{} the password is swordfish", a.domain()), "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    let uri = secret["uri"].as_str().unwrap().to_owned();
    eventually("the message reaches alice", || async {
        finds(&alice, "/api/v1/timelines/home", "swordfish").await
    })
    .await;

    // The group passes on a copy naming itself: nothing changes for Dave (the
    // message is not shown to him) nor for Alice (it is not rewritten).
    let note = json!({
        "id": uri,
        "type": "Note",
        "attributedTo": format!("http://{}/users/bob", b.domain()),
        "content": "<p>rewritten by the group</p>",
        "to": [group.actor_id],
        "published": "2026-11-23T10:00:00Z",
        "updated": "2099-01-01T00:00:00Z",
    });
    let mut announce = group.activity("Announce", note);
    announce["to"] = json!([format!("{}/followers", group.actor_id)]);
    let status = group.send(&inbox, &announce).await;
    assert!(status < 500, "{status}");
    // The inbox has dealt with the copy by the time it answers.
    assert!(!finds(&dave, "/api/v1/timelines/home", "swordfish").await);
    assert!(!finds(&dave, "/api/v1/timelines/home", "rewritten").await);
    assert!(finds(&alice, "/api/v1/timelines/home", "swordfish").await);
    assert!(!finds(&alice, "/api/v1/timelines/home", "rewritten").await);
}
