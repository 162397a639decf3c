//! Groups (FEP-1b12): made and moderated through Staffroom's API, joined and
//! posted to from Mastodon apps, and spanning instances — a member's post reaches
//! every member once, wherever they are.

use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::{TestInstance, eventually};

/// How often `uri` shows in `client`'s home timeline: as a post, or as a boost of it.
pub(crate) async fn times_at_home(client: &ApiClient, uri: &str) -> usize {
    client
        .get("/api/v1/timelines/home?limit=40")
        .await
        .expect(200)
        .items()
        .iter()
        .filter(|s| s["uri"] == uri || s["reblog"]["uri"] == uri)
        .count()
}

/// `client` finds the account `address` (`name@host`) as a Mastodon app does.
pub(crate) async fn resolve(client: &ApiClient, address: &str) -> Value {
    let found = client
        .get(&format!(
            "/api/v2/search?q=@{address}&resolve=true&type=accounts"
        ))
        .await
        .expect(200);
    found.body["accounts"][0].clone()
}

pub(crate) async fn make_group(client: &ApiClient, handle: &str, policy: &str) -> Value {
    client
        .post(
            "/api/staffroom/v1/groups",
            json!({
                "handle": handle,
                "name": format!("{handle} leaders"),
                "description": "Budgets, audits and procurement.",
                "rules": "Be kind. No names of pupils.",
                "policy": policy,
            }),
        )
        .await
        .expect(200)
        .body
}

#[tokio::test]
async fn a_group_is_made_joined_posted_to_and_moderated_on_one_instance() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let carol = a.user("carol").await;

    // Making one: bad input is refused and stores nothing.
    for (body, status) in [
        (json!({"handle": "finance", "name": " "}), 422),
        (json!({"handle": "fin ance", "name": "Finance"}), 422),
        (json!({"handle": "finance", "name": "x".repeat(101)}), 422),
        (
            json!({"handle": "finance", "name": "Finance", "policy": "secret"}),
            400,
        ),
        (json!({"handle": "bob", "name": "Taken"}), 409),
    ] {
        let reply = alice.post("/api/staffroom/v1/groups", body).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(reply.body["error"].is_string(), "{}", reply.body);
    }
    assert!(
        alice
            .get("/api/staffroom/v1/groups")
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    let finance = make_group(&alice, "finance", "open").await;
    let id = finance["id"].as_str().unwrap().to_owned();
    assert_eq!(finance["policy"], "open");
    assert_eq!(finance["members_count"], 1, "its maker is a member");
    assert_eq!(finance["membership"]["moderator"], true);
    assert_eq!(finance["account"]["group"], true);
    assert_eq!(finance["account"]["display_name"], "finance leaders");

    // A Mastodon app finds it as an account, and joins by following it.
    let account = bob.lookup("finance").await;
    assert_eq!(account["id"], id.as_str());
    assert_eq!(account["group"], true);
    let searched = bob
        .get("/api/v2/search?q=finance&type=accounts")
        .await
        .expect(200);
    assert_eq!(searched.body["accounts"][0]["group"], true);
    let joined = bob
        .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
        .await
        .expect(200);
    assert_eq!(joined.body["following"], true, "an open group takes anyone");
    let members = bob
        .get(&format!("/api/staffroom/v1/groups/{id}/members"))
        .await
        .expect(200);
    assert_eq!(members.items().len(), 2);

    // A member's post that mentions the group reaches every member once; a
    // non-member's does not go through the group.
    let post = bob.status("@finance Our audit went well").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    assert_eq!(times_at_home(&alice, &uri).await, 1);
    let boosts = alice.get("/api/v1/timelines/home").await.items();
    assert_eq!(boosts[0]["account"]["acct"], "finance");
    let outsider = carol.status("@finance Can I sell you software?").await;
    let outsider_uri = outsider["uri"].as_str().unwrap().to_owned();
    assert_eq!(times_at_home(&alice, &outsider_uri).await, 0);

    // A reply that keeps the group in its mentions threads under the post and is
    // shared too.
    let reply = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "@bob @finance Well done", "in_reply_to_id": post["id"]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(times_at_home(&bob, reply["uri"].as_str().unwrap()).await, 1);
    let context = bob
        .get(&format!(
            "/api/v1/statuses/{}/context",
            post["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    assert_eq!(context.body["descendants"][0]["uri"], reply["uri"]);

    // Moderators name other moderators among the members; a group keeps one.
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bob_id = bob.lookup("bob").await["id"].as_str().unwrap().to_owned();
    let carol_id = carol.lookup("carol").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let moderator = |account: &str| format!("/api/staffroom/v1/groups/{id}/moderators/{account}");
    assert_eq!(bob.post(&moderator(&bob_id), json!({})).await.status, 403);
    assert_eq!(
        alice.post(&moderator(&carol_id), json!({})).await.status,
        422
    );
    assert_eq!(alice.delete(&moderator(&alice_id)).await.status, 422);
    let both = alice.post(&moderator(&bob_id), json!({})).await.expect(200);
    assert_eq!(both.body["moderators"], json!([alice_id, bob_id]));
    bob.delete(&moderator(&bob_id)).await.expect(200);
    assert_eq!(bob.post(&moderator(&bob_id), json!({})).await.status, 403);

    // Only moderators edit and take posts out.
    let edit = json!({"name": "Finance and audit", "policy": "closed"});
    assert_eq!(
        bob.patch(&format!("/api/staffroom/v1/groups/{id}"), edit.clone())
            .await
            .status,
        403
    );
    let edited = alice
        .patch(&format!("/api/staffroom/v1/groups/{id}"), edit)
        .await
        .expect(200);
    assert_eq!(edited.body["name"], "Finance and audit");
    assert_eq!(edited.body["account"]["locked"], true);
    let post_id = post["id"].as_str().unwrap();
    assert_eq!(
        bob.delete(&format!("/api/staffroom/v1/groups/{id}/posts/{post_id}"))
            .await
            .status,
        403
    );
    alice
        .delete(&format!("/api/staffroom/v1/groups/{id}/posts/{post_id}"))
        .await
        .expect(200);
    assert_eq!(times_at_home(&alice, &uri).await, 0, "the announce is gone");

    // Now closed: carol's request waits, the moderator is told and answers.
    let asked = carol
        .post(&format!("/api/staffroom/v1/groups/{id}/join"), json!({}))
        .await
        .expect(200);
    assert_eq!(asked.body["membership"]["requested"], true);
    assert_eq!(asked.body["membership"]["member"], false);
    let told = alice.get("/api/v1/notifications").await.expect(200);
    assert!(
        told.items()
            .iter()
            .any(|n| n["type"] == "follow_request" && n["account"]["username"] == "carol"),
        "{}",
        told.body
    );
    assert_eq!(
        bob.get(&format!("/api/staffroom/v1/groups/{id}/requests"))
            .await
            .status,
        403
    );
    let requests = alice
        .get(&format!("/api/staffroom/v1/groups/{id}/requests"))
        .await
        .expect(200);
    let carol_id = requests.items()[0]["id"].as_str().unwrap().to_owned();
    let closed_members = carol
        .get(&format!("/api/staffroom/v1/groups/{id}/members"))
        .await;
    assert_eq!(
        closed_members.status, 404,
        "a closed group's members are private"
    );
    alice
        .post(
            &format!("/api/staffroom/v1/groups/{id}/requests/{carol_id}/approve"),
            json!({}),
        )
        .await
        .expect(200);
    let shown = carol
        .get(&format!("/api/staffroom/v1/groups/{id}"))
        .await
        .expect(200);
    assert_eq!(shown.body["membership"]["member"], true);
    assert_eq!(shown.body["members_count"], 3);

    // A removed member stops receiving.
    alice
        .delete(&format!("/api/staffroom/v1/groups/{id}/members/{carol_id}"))
        .await
        .expect(200);
    // A banned account is refused when it asks again, until the ban is lifted;
    // moderators cannot be banned.
    let ban = format!("/api/staffroom/v1/groups/{id}/bans/{carol_id}");
    assert_eq!(bob.post(&ban, json!({})).await.status, 403);
    alice.post(&ban, json!({})).await.expect(200);
    let refused = carol
        .post(&format!("/api/staffroom/v1/groups/{id}/join"), json!({}))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    alice.delete(&ban).await.expect(200);
    let again = carol
        .post(&format!("/api/staffroom/v1/groups/{id}/join"), json!({}))
        .await
        .expect(200);
    assert_eq!(again.body["membership"]["requested"], true);
    let alice_account = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        alice
            .post(
                &format!("/api/staffroom/v1/groups/{id}/bans/{alice_account}"),
                json!({})
            )
            .await
            .status,
        422
    );
    let later = bob.status("@finance Next year's budget").await;
    assert_eq!(
        times_at_home(&carol, later["uri"].as_str().unwrap()).await,
        0
    );
    assert_eq!(
        times_at_home(&alice, later["uri"].as_str().unwrap()).await,
        1
    );

    // The group's actor: a `Group` with its moderators, found by WebFinger.
    let actor = a.get_activity(&format!("{}/users/finance", a.base)).await;
    assert_eq!(actor["type"], "Group");
    assert_eq!(actor["postingRestrictedToMods"], false);
    assert_eq!(actor["manuallyApprovesFollowers"], true);
    let moderators = a
        .get_activity(actor["attributedTo"].as_str().unwrap())
        .await;
    assert_eq!(
        moderators["orderedItems"],
        json!([format!("{}/users/alice", a.base)])
    );
    let (status, webfinger) = a
        .get_json(&format!(
            "/.well-known/webfinger?resource=acct:finance@{}",
            a.domain()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(webfinger["links"][1]["href"], actor["id"]);
}

#[tokio::test]
async fn an_open_group_spans_three_instances_and_each_post_reaches_every_member_once() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let c = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    let dave = c.user("dave").await;
    make_group(&alice, "curriculum", "open").await;
    let address = format!("curriculum@{}", a.domain());

    // Bob and Carol join from their own instances by following the group.
    for member in [&bob, &carol] {
        let group = resolve(member, &address).await;
        assert_eq!(group["group"], true, "{group}");
        let id = group["id"].as_str().unwrap().to_owned();
        member
            .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await
            .expect(200);
        eventually("the group accepts", || async {
            member
                .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
                .await
                .items()[0]["following"]
                == true
        })
        .await;
    }
    let members = alice
        .get("/api/staffroom/v1/groups")
        .await
        .expect(200)
        .items()[0]["members_count"]
        .clone();
    assert_eq!(members, 3);

    // Each member posts to the group from their own instance.
    let mention = format!("@{address}");
    let posts = [
        (
            &alice,
            alice
                .status(&format!("{mention} Oracy across subjects"))
                .await,
        ),
        (
            &bob,
            bob.status(&format!("{mention} Knowledge organisers")).await,
        ),
        (
            &carol,
            carol
                .status(&format!("{mention} Reading for pleasure"))
                .await,
        ),
    ];
    let uris: Vec<String> = posts
        .iter()
        .map(|(_, p)| p["uri"].as_str().unwrap().to_owned())
        .collect();
    let everyone = [("alice", &alice), ("bob", &bob), ("carol", &carol)];
    for (name, member) in everyone {
        for uri in &uris {
            eventually(&format!("{uri} reaches {name}"), || async {
                times_at_home(member, uri).await > 0
            })
            .await;
        }
    }
    // Once everything has arrived, a last post travels too; then each member
    // holds each other member's post once.
    let last = bob.status(&format!("{mention} Last one")).await;
    let last_uri = last["uri"].as_str().unwrap().to_owned();
    for (name, member) in everyone {
        eventually(&format!("the last post reaches {name}"), || async {
            times_at_home(member, &last_uri).await > 0
        })
        .await;
    }
    for (name, member) in everyone {
        // Each post once, its author included (their post, not the group's
        // announce of it beside it).
        for uri in &uris {
            assert_eq!(times_at_home(member, uri).await, 1, "{name} and {uri}");
        }
    }
    // Dave, on Carol's instance but no member, gets none of it at home.
    for uri in &uris {
        assert_eq!(times_at_home(&dave, uri).await, 0);
    }
    // Erin, on an instance that has heard nothing of the group, joins and catches
    // up with what the group announced.
    let d = TestInstance::start_for_apps().await;
    let erin = d.user("erin").await;
    let group = resolve(&erin, &address).await;
    erin.post(
        &format!("/api/v1/accounts/{}/follow", group["id"].as_str().unwrap()),
        json!({}),
    )
    .await
    .expect(200);
    for uri in uris.iter().chain([&last_uri]) {
        eventually(&format!("erin catches up with {uri}"), || async {
            times_at_home(&erin, uri).await == 1
        })
        .await;
    }

    // Bob edits his post, then deletes it: both reach the members who follow only
    // the group, on every instance.
    let bob_post = posts[1].1["id"].as_str().unwrap().to_owned();
    let bob_uri = &uris[1];
    bob.put(
        &format!("/api/v1/statuses/{bob_post}"),
        json!({"status": format!("{mention} Knowledge organisers, revised")}),
    )
    .await
    .expect(200);
    let elsewhere = [("alice", &alice), ("carol", &carol), ("erin", &erin)];
    let mut ids = Vec::new();
    for (name, member) in elsewhere {
        let id = id_at_home(member, bob_uri).await;
        eventually(&format!("the edit reaches {name}"), || async {
            finds(member, &format!("/api/v1/statuses/{id}"), "revised").await
        })
        .await;
        ids.push(id);
    }
    bob.delete(&format!("/api/v1/statuses/{bob_post}"))
        .await
        .expect(200);
    for ((name, member), id) in elsewhere.into_iter().zip(&ids) {
        eventually(&format!("the deletion reaches {name}"), || async {
            member.get(&format!("/api/v1/statuses/{id}")).await.status == 404
        })
        .await;
    }
}

/// The id under which `client`'s instance shows the post `uri` (shown at home
/// as itself or boosted).
pub(crate) async fn id_at_home(client: &ApiClient, uri: &str) -> String {
    let home = client
        .get("/api/v1/timelines/home?limit=40")
        .await
        .expect(200);
    home.items()
        .iter()
        .find_map(|s| {
            if s["uri"] == uri {
                s["id"].as_str().map(str::to_owned)
            } else if s["reblog"]["uri"] == uri {
                s["reblog"]["id"].as_str().map(str::to_owned)
            } else {
                None
            }
        })
        .unwrap_or_else(|| panic!("{uri} is not at home"))
}

#[tokio::test]
async fn a_closed_group_answers_a_request_from_another_instance_and_removes_the_member() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let heads = make_group(&alice, "heads", "closed").await;
    let id = heads["id"].as_str().unwrap().to_owned();
    let address = format!("heads@{}", a.domain());
    let group = resolve(&bob, &address).await;
    assert_eq!(group["locked"], true, "{group}");
    let remote_id = group["id"].as_str().unwrap().to_owned();
    let relationship = || async {
        bob.get(&format!("/api/v1/accounts/relationships?id[]={remote_id}"))
            .await
            .items()[0]
            .clone()
    };

    // Bob asks; the request waits for Alice, who is told.
    bob.post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({}))
        .await
        .expect(200);
    eventually("the moderator hears of the request", || async {
        alice
            .get("/api/v1/notifications?types[]=follow_request")
            .await
            .items()
            .iter()
            .any(|n| n["account"]["acct"] == format!("bob@{}", b.domain()))
    })
    .await;
    assert_eq!(relationship().await["requested"], true);
    assert_eq!(relationship().await["following"], false);
    let requests = alice
        .get(&format!("/api/staffroom/v1/groups/{id}/requests"))
        .await
        .expect(200);
    let bob_here = requests.items()[0]["id"].as_str().unwrap().to_owned();
    // A Mastodon app's follow-request screen lists it for the moderator (and
    // for nobody else) ...
    assert_eq!(
        alice.get("/api/v1/follow_requests").await.expect(200).ids(),
        vec![bob_here.clone()]
    );
    let carol = a.user("carol").await;
    assert!(carol.get("/api/v1/follow_requests").await.ids().is_empty());
    assert_eq!(
        carol
            .post(
                &format!("/api/v1/follow_requests/{bob_here}/authorize"),
                json!({})
            )
            .await
            .status,
        404
    );

    // ... and approves it: Bob's instance hears of it, and Bob's posts to the
    // group reach the members.
    alice
        .post(
            &format!("/api/v1/follow_requests/{bob_here}/authorize"),
            json!({}),
        )
        .await
        .expect(200);
    assert!(alice.get("/api/v1/follow_requests").await.ids().is_empty());
    eventually("bob's instance hears he is a member", || async {
        relationship().await["following"] == true
    })
    .await;
    let post = bob.status(&format!("@{address} Hello, heads")).await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    eventually("bob's post reaches alice through the group", || async {
        times_at_home(&alice, &uri).await == 1
    })
    .await;
    // A closed group announces to its members alone: who is in it shows neither
    // in its public posts and outbox nor in its followers collection.
    let anonymous = a.anonymous();
    assert!(!finds(&anonymous, &format!("/api/v1/accounts/{id}/statuses"), &uri).await);
    let outbox = a
        .get_activity(&format!(
            "http://{}/users/heads/outbox?page=true",
            a.domain()
        ))
        .await;
    assert!(!outbox.to_string().contains(&uri), "{outbox}");
    let members = a.get("/users/heads/followers?page=1").await;
    assert_eq!(members.status().as_u16(), 404);
    assert!(
        !finds(
            &carol,
            &format!("/api/staffroom/v1/groups/{id}/members"),
            &format!("bob@{}", b.domain())
        )
        .await
    );

    // Removed: Bob's instance hears of it, and his next post is not announced.
    alice
        .delete(&format!("/api/staffroom/v1/groups/{id}/members/{bob_here}"))
        .await
        .expect(200);
    eventually("bob's instance hears he is removed", || async {
        relationship().await["following"] == false
    })
    .await;
    let later = bob.status(&format!("@{address} Still here?")).await;
    let later_uri = later["uri"].as_str().unwrap().to_owned();
    eventually("the post arrives at the group's instance", || async {
        a.remote_posts().await.iter().any(|p| p.1 == later_uri)
    })
    .await;
    assert_eq!(times_at_home(&alice, &later_uri).await, 0);
}

/// Whether `client` finds `text` anywhere in the answer to `path`.
pub(crate) async fn finds(client: &ApiClient, path: &str, text: &str) -> bool {
    let reply = client.get(path).await;
    reply.status == 200 && reply.body.to_string().contains(text)
}

#[tokio::test]
async fn a_closed_group_post_reaches_its_members_and_no_one_else_by_any_route() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let erin = a.user("erin").await;
    let carol = a.user("carol").await;
    let remote_carol = b.user("carol").await;
    let peers = make_group(&alice, "peers", "closed").await;
    let id = peers["id"].as_str().unwrap().to_owned();
    for member in [&bob, &erin] {
        member
            .post(&format!("/api/staffroom/v1/groups/{id}/join"), json!({}))
            .await
            .expect(200);
    }
    for asked in alice
        .get(&format!("/api/staffroom/v1/groups/{id}/requests"))
        .await
        .ids()
    {
        alice
            .post(
                &format!("/api/staffroom/v1/groups/{id}/requests/{asked}/approve"),
                json!({}),
            )
            .await
            .expect(200);
    }
    // Carol asked too, and was not approved: asking is not membership.
    carol
        .post(&format!("/api/staffroom/v1/groups/{id}/join"), json!({}))
        .await
        .expect(200);

    // From a Mastodon app, a direct post mentioning the group is a post to it.
    let secret = "Candid about the deficit #budget";
    let post = bob
        .post(
            "/api/v1/statuses",
            json!({"status": format!("@peers {secret}"), "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    let post_id = post["id"].as_str().unwrap().to_owned();
    let uri = post["uri"].as_str().unwrap().to_owned();
    for (name, member) in [("alice", &alice), ("erin", &erin)] {
        assert_eq!(times_at_home(member, &uri).await, 1, "{name}'s home");
        assert!(
            finds(member, "/api/v2/search?q=deficit&type=statuses", "deficit").await,
            "{name} finds it by its words"
        );
        member
            .get(&format!("/api/v1/statuses/{post_id}"))
            .await
            .expect(200);
        member
            .get(&format!("/api/v1/statuses/{post_id}/context"))
            .await
            .expect(200);
    }

    // Nobody else sees it, by any route.
    let anonymous = a.anonymous();
    let bob_id = bob.lookup("bob").await["id"].as_str().unwrap().to_owned();
    for (who, client) in [("carol", &carol), ("anonymous", &anonymous)] {
        for path in [
            format!("/api/v1/statuses/{post_id}"),
            format!("/api/v1/statuses/{post_id}/context"),
        ] {
            assert_eq!(client.get(&path).await.status, 404, "{who}: {path}");
        }
        for path in [
            "/api/v1/timelines/home".to_owned(),
            "/api/v1/timelines/public".to_owned(),
            "/api/v1/timelines/public?local=true".to_owned(),
            "/api/v1/timelines/tag/budget".to_owned(),
            format!("/api/v1/accounts/{bob_id}/statuses"),
            "/api/v2/search?q=deficit&type=statuses".to_owned(),
            format!("/api/v2/search?q={uri}&resolve=true"),
        ] {
            assert!(!finds(client, &path, "deficit").await, "{who}: {path}");
        }
    }
    for path in [
        format!("/@bob/{post_id}"),
        "/tags/budget".to_owned(),
        "/tags/budget.rss".to_owned(),
        "/@bob".to_owned(),
    ] {
        let page = a.get(&path).await;
        let status = page.status().as_u16();
        let body = page.text().await.unwrap();
        assert!(!body.contains("deficit"), "{path}: {status}");
    }
    let fetched = a
        .http
        .get(&uri)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status().as_u16(), 404, "an unsigned fetch");
    // Another instance asked for it (a signed fetch by its instance actor) gets
    // nothing either.
    assert!(
        !finds(
            &remote_carol,
            &format!("/api/v2/search?q={uri}&resolve=true"),
            "deficit"
        )
        .await
    );
    assert!(b.remote_posts().await.iter().all(|p| p.1 != uri));

    // A removed member stops seeing it.
    let erin_id = erin.lookup("erin").await["id"].as_str().unwrap().to_owned();
    alice
        .delete(&format!("/api/staffroom/v1/groups/{id}/members/{erin_id}"))
        .await
        .expect(200);
    assert_eq!(
        erin.get(&format!("/api/v1/statuses/{post_id}"))
            .await
            .status,
        404
    );
    assert_eq!(times_at_home(&erin, &uri).await, 0);
    assert!(!finds(&erin, "/api/v2/search?q=deficit&type=statuses", "deficit").await);
    // A moderator takes a post out: members no longer see it; its author still does.
    let second = bob
        .post(
            "/api/v1/statuses",
            json!({"status": "@peers off the record", "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    let second_id = second["id"].as_str().unwrap();
    alice
        .get(&format!("/api/v1/statuses/{second_id}"))
        .await
        .expect(200);
    alice
        .delete(&format!("/api/staffroom/v1/groups/{id}/posts/{second_id}"))
        .await
        .expect(200);
    assert_eq!(
        alice
            .get(&format!("/api/v1/statuses/{second_id}"))
            .await
            .status,
        404
    );
    bob.get(&format!("/api/v1/statuses/{second_id}"))
        .await
        .expect(200);
    // A direct post by someone outside the group is not a post to it.
    let outside = carol
        .post(
            "/api/v1/statuses",
            json!({"status": "@peers let me in", "visibility": "direct"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        times_at_home(&alice, outside["uri"].as_str().unwrap()).await,
        0
    );
}
