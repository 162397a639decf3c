//! Hashtag feeds across three instances: a discussion under `#ambitionfeed` ends
//! whole on every instance that takes part, each post once; followers-only posts,
//! blocked servers and unsubscribed instances stay out.

use std::collections::BTreeSet;

use serde_json::json;
use staffroom_tests::api::ApiClient;
use staffroom_tests::{TestInstance, eventually};

/// The ids (`uri`) of the posts in the public tag timeline of `tag` on `instance`.
async fn tag_timeline(instance: &TestInstance, tag: &str) -> Vec<String> {
    instance
        .anonymous()
        .get(&format!("/api/v1/timelines/tag/{tag}?limit=40"))
        .await
        .expect(200)
        .strings("uri")
}

/// `instance` subscribes (from the command line) to `tag`'s feed on `host`, and
/// the feed accepts.
async fn subscribe(instance: &TestInstance, tag: &str, host: &TestInstance) {
    let feed = format!("{tag}@{}", host.domain());
    let out = instance
        .cli(&["admin", "feeds", "subscribe", &feed], "")
        .await;
    assert_eq!(out.status, 0, "subscribe to {feed}: {}", out.stderr);
    eventually(&format!("{feed} accepts the subscription"), || async {
        instance
            .cli(&["admin", "feeds", "list"], "")
            .await
            .stdout
            .contains("subscribed")
    })
    .await;
}

/// Three instances, A, B and C, with alice on A, bob on B and carol on C.
async fn three_instances() -> (
    TestInstance,
    TestInstance,
    TestInstance,
    ApiClient,
    ApiClient,
    ApiClient,
) {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let c = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    (a, b, c, alice, bob, carol)
}

async fn post(client: &ApiClient, text: &str, visibility: &str) -> String {
    client
        .post(
            "/api/v1/statuses",
            json!({"status": text, "visibility": visibility}),
        )
        .await
        .expect(200)
        .body["uri"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_hashtag_discussion_is_whole_on_every_instance_each_post_once() {
    let (a, b, c, alice, bob, carol) = three_instances().await;

    // Before anyone subscribes: each instance has only its own.
    let mut public = vec![
        post(&alice, "Our pupil panel #AmbitionFeed", "public").await,
        post(&bob, "Careers week for year 7 #ambitionfeed", "public").await,
        post(&carol, "Mentoring by alumni #AMBITIONFEED", "public").await,
    ];
    let private = post(&alice, "Staff only: #ambitionfeed budget", "private").await;

    subscribe(&a, "ambitionfeed", &b).await;
    subscribe(&c, "ambitionfeed", &b).await;
    subscribe(&b, "ambitionfeed", &a).await;

    // After: posts written anywhere travel to everyone.
    public.push(
        post(
            &alice,
            "Aspiration evenings for parents #ambitionfeed",
            "public",
        )
        .await,
    );
    public.push(post(&bob, "University visits #AmbitionFeed", "public").await);
    public.push(post(&carol, "Work experience for all #ambitionFeed", "public").await);
    let unlisted = post(&carol, "Unlisted notes #ambitionfeed", "unlisted").await;

    let expected: BTreeSet<String> = public.iter().cloned().collect();
    for (name, instance) in [("A", &a), ("B", &b), ("C", &c)] {
        eventually(
            &format!("{name}'s tag timeline holds every public post"),
            || async {
                let found: BTreeSet<String> = tag_timeline(instance, "ambitionfeed")
                    .await
                    .into_iter()
                    .collect();
                found == expected
            },
        )
        .await;
    }
    // Mutual subscriptions settle: every instance holds each post once, and a
    // last post still travels once everything has gone round.
    let last = post(&bob, "Closing thoughts #ambitionfeed", "public").await;
    for instance in [&a, &b, &c] {
        eventually("the last post arrives", || async {
            tag_timeline(instance, "ambitionfeed").await.contains(&last)
        })
        .await;
        let timeline = tag_timeline(instance, "ambitionfeed").await;
        let unique: BTreeSet<&String> = timeline.iter().collect();
        assert_eq!(
            unique.len(),
            timeline.len(),
            "a post shown twice: {timeline:?}"
        );
        assert_eq!(timeline.len(), expected.len() + 1, "{timeline:?}");
        assert!(
            !timeline.contains(&private),
            "a followers-only post travelled"
        );
        assert!(!timeline.contains(&unlisted), "an unlisted post travelled");
    }
    // Someone who blocks an author does not see their relayed posts.
    let remote_bob = alice.lookup(&format!("bob@{}", b.domain())).await;
    alice
        .post(
            &format!(
                "/api/v1/accounts/{}/block",
                remote_bob["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    let seen_by_alice = alice
        .get("/api/v1/timelines/tag/ambitionfeed?limit=40")
        .await
        .strings("uri");
    assert!(
        !seen_by_alice.contains(&last),
        "a blocked author's post is shown"
    );
    assert!(seen_by_alice.contains(&public[2]), "carol's post is shown");

    // An edit reaches every instance the post reached, however many hops away.
    let evening = alice
        .get("/api/v1/timelines/tag/ambitionfeed?local=true&limit=40")
        .await
        .items()
        .into_iter()
        .find(|s| s["uri"] == public[3].as_str())
        .unwrap();
    alice
        .put(
            &format!("/api/v1/statuses/{}", evening["id"].as_str().unwrap()),
            json!({"status": "Aspiration evenings for parents and carers #ambitionfeed"}),
        )
        .await
        .expect(200);
    for (name, instance) in [("B", &b), ("C", &c)] {
        eventually(&format!("the edit reaches {name}"), || async {
            instance
                .anonymous()
                .get("/api/v1/timelines/tag/ambitionfeed?limit=40")
                .await
                .items()
                .iter()
                .any(|s| {
                    s["uri"] == public[3].as_str()
                        && s["content"].as_str().unwrap().contains("and carers")
                })
        })
        .await;
    }

    // A post deleted by its author is withdrawn everywhere the feeds took it,
    // however many hops away.
    let first = alice
        .get("/api/v1/timelines/tag/ambitionfeed?local=true&limit=40")
        .await
        .items()
        .into_iter()
        .find(|s| s["uri"] == public[0].as_str())
        .unwrap();
    alice
        .delete(&format!(
            "/api/v1/statuses/{}",
            first["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    for (name, instance) in [("A", &a), ("B", &b), ("C", &c)] {
        eventually(&format!("the deleted post leaves {name}"), || async {
            !tag_timeline(instance, "ambitionfeed")
                .await
                .contains(&public[0])
        })
        .await;
    }

    // Neither the followers-only nor the unlisted post is stored anywhere else.
    for instance in [&a, &b, &c] {
        let stored: Vec<String> = instance
            .remote_posts()
            .await
            .into_iter()
            .map(|p| p.1)
            .collect();
        assert!(
            !stored.contains(&private),
            "a followers-only post travelled"
        );
        assert!(!stored.contains(&unlisted), "an unlisted post travelled");
        let unique: BTreeSet<&String> = stored.iter().collect();
        assert_eq!(unique.len(), stored.len(), "a post stored twice");
    }
}

#[tokio::test]
async fn unsubscribing_stops_the_flow_and_a_blocked_server_never_gets_in() {
    let (a, b, c, alice, bob, carol) = three_instances().await;
    post(&bob, "Opening the feed #ambitionfeed", "public").await;
    let blocked = a.cli(&["admin", "domain", "block", c.domain()], "").await;
    assert_eq!(blocked.status, 0, "{}", blocked.stderr);
    subscribe(&a, "ambitionfeed", &b).await;
    subscribe(&c, "ambitionfeed", &b).await;

    // carol's post reaches B through C's subscription, and B's feed announces it
    // on; A, which blocks C, never takes it in.
    let from_blocked = post(&carol, "From the blocked server #ambitionfeed", "public").await;
    eventually("carol's post reaches B", || async {
        tag_timeline(&b, "ambitionfeed")
            .await
            .contains(&from_blocked)
    })
    .await;
    let after = post(&bob, "Later news #ambitionfeed", "public").await;
    eventually("bob's later post reaches A", || async {
        tag_timeline(&a, "ambitionfeed").await.contains(&after)
    })
    .await;
    assert!(
        !tag_timeline(&a, "ambitionfeed")
            .await
            .contains(&from_blocked)
    );
    let seen_by_alice = alice
        .get("/api/v1/timelines/tag/ambitionfeed")
        .await
        .expect(200);
    assert!(!seen_by_alice.strings("uri").contains(&from_blocked));

    // A unsubscribes: B's feed forgets it, and what B says next reaches C only.
    let feed = format!("ambitionfeed@{}", b.domain());
    let out = a.cli(&["admin", "feeds", "unsubscribe", &feed], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    eventually("B's feed has one subscriber left", || async {
        b.anonymous()
            .get("/api/staffroom/v1/hashtag_feeds/ambitionfeed")
            .await
            .body["subscribers"]
            == 1
    })
    .await;
    let unheard = post(&bob, "After A left #ambitionfeed", "public").await;
    eventually("C still hears B", || async {
        tag_timeline(&c, "ambitionfeed").await.contains(&unheard)
    })
    .await;
    assert!(!tag_timeline(&a, "ambitionfeed").await.contains(&unheard));
    let listed = a.cli(&["admin", "feeds", "list"], "").await;
    assert!(
        listed.stdout.contains("no hashtag feed"),
        "{}",
        listed.stdout
    );
}

#[tokio::test]
async fn a_feed_is_an_actor_found_by_webfinger_with_a_page_and_rss() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    post(&alice, "Pupil voice #ÜmläütSS and #AmbitionFeed", "public").await;

    let webfinger = a
        .anonymous()
        .get(&format!(
            "/.well-known/webfinger?resource=acct:ambitionfeed@{}",
            a.domain()
        ))
        .await
        .expect(200);
    let actor_url = format!("{}/tags/ambitionfeed", a.base);
    assert!(
        webfinger.body["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "self" && l["href"] == actor_url.as_str()),
        "{}",
        webfinger.body
    );
    let actor = a.get_activity(&actor_url).await;
    assert_eq!(actor["type"], "Service");
    assert_eq!(actor["preferredUsername"], "ambitionfeed");
    assert_eq!(actor["inbox"], format!("{actor_url}/inbox"));
    assert!(
        actor["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .contains("PUBLIC KEY")
    );
    let outbox = a.get_activity(&format!("{actor_url}/outbox")).await;
    assert_eq!(outbox["orderedItems"][0]["type"], "Announce");

    // People keep their names: a person called like a tag is found as the person.
    a.user("ambition").await;
    post(&alice, "#ambition", "public").await;
    let person = a
        .anonymous()
        .get(&format!(
            "/.well-known/webfinger?resource=acct:ambition@{}",
            a.domain()
        ))
        .await
        .expect(200);
    assert!(
        person.body.to_string().contains("/users/ambition"),
        "{}",
        person.body
    );

    // Tags are compared as people expect: case and Unicode forms do not matter.
    for spelling in [
        "ümläütss",
        "%C3%9CML%C3%84%C3%9CTSS",
        "u%CC%88mla%CC%88u%CC%88tss",
    ] {
        let found = a
            .anonymous()
            .get(&format!("/api/v1/timelines/tag/{spelling}"))
            .await
            .expect(200);
        assert_eq!(found.items().len(), 1, "{spelling}");
    }

    let page = a.get("/tags/ambitionfeed").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Pupil voice"), "{html}");
    let rss = a.get("/tags/AmbitionFeed.rss").await;
    assert_eq!(rss.status(), 200);
    assert!(
        rss.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml")
    );
    let xml = rss.text().await.unwrap();
    assert!(
        xml.contains("<rss version=\"2.0\">") && xml.contains("Pupil voice"),
        "{xml}"
    );
    // A tag no one used has its feed too, as it has its page; a name too long
    // for a feed has none.
    assert_eq!(a.get("/tags/nobodyusedthis").await.status(), 200);
    let fetch = |name: String| {
        a.http
            .get(format!("{}/tags/{name}", a.base))
            .header("accept", "application/activity+json")
            .send()
    };
    let unused = fetch("nobodyusedthis".into()).await.unwrap();
    assert_eq!(unused.status(), 200);
    let unused: serde_json::Value = unused.json().await.unwrap();
    assert_eq!(unused["type"], "Service");
    assert_eq!(unused["preferredUsername"], "nobodyusedthis");
    let too_long = fetch("x".repeat(65)).await.unwrap();
    assert_eq!(too_long.status(), 404);
}

#[tokio::test]
async fn a_suspended_account_is_shut_out_of_feeds_and_inbox() {
    let (a, b, c, alice, bob, carol) = three_instances().await;
    let dave = c.user("dave").await;
    post(&bob, "Opening the feed #ambitionfeed", "public").await;
    subscribe(&a, "ambitionfeed", &b).await;
    subscribe(&c, "ambitionfeed", &b).await;
    let before = post(&carol, "Before the suspension #ambitionfeed", "public").await;
    eventually("carol's post reaches A", || async {
        tag_timeline(&a, "ambitionfeed").await.contains(&before)
    })
    .await;

    // A's administrator suspends carol: her post goes, and nothing more of hers
    // gets in, through feeds or straight to the inbox; dave, on her server, is
    // not touched.
    let carol_acct = format!("carol@{}", c.domain());
    let out = a
        .cli(
            &[
                "admin",
                "account",
                "suspend",
                &carol_acct,
                "--reason",
                "spam",
            ],
            "",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!tag_timeline(&a, "ambitionfeed").await.contains(&before));
    let listed = a.cli(&["admin", "account", "suspended"], "").await;
    assert!(
        listed.stdout.contains(&carol_acct) && listed.stdout.contains("spam"),
        "{}",
        listed.stdout
    );

    let after = post(&carol, "After the suspension #ambitionfeed", "public").await;
    let from_dave = post(&dave, "Dave joins in #ambitionfeed", "public").await;
    eventually("dave's post reaches A", || async {
        tag_timeline(&a, "ambitionfeed").await.contains(&from_dave)
    })
    .await;
    eventually("carol's new post reaches B", || async {
        tag_timeline(&b, "ambitionfeed").await.contains(&after)
    })
    .await;
    assert!(!tag_timeline(&a, "ambitionfeed").await.contains(&after));
    let found = carol
        .get(&format!(
            "/api/v2/search?q=@alice@{}&resolve=true",
            a.domain()
        ))
        .await
        .expect(200);
    let remote_alice = found.body["accounts"][0]["id"].as_str().unwrap().to_owned();
    carol
        .post(
            &format!("/api/v1/accounts/{remote_alice}/follow"),
            json!({}),
        )
        .await
        .expect(200);
    let mention = post(&carol, &format!("Hello @alice@{}", a.domain()), "public").await;
    // Dave follows alice after carol: deliveries to one server go in order, so
    // once his follow is in, carol's was refused.
    let dave_found = dave
        .get(&format!(
            "/api/v2/search?q=@alice@{}&resolve=true",
            a.domain()
        ))
        .await
        .expect(200);
    dave.post(
        &format!(
            "/api/v1/accounts/{}/follow",
            dave_found.body["accounts"][0]["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await
    .expect(200);
    let alice_id = alice.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    eventually("dave's follow reaches alice", || async {
        alice
            .get(&format!("/api/v1/accounts/{alice_id}/followers"))
            .await
            .strings("acct")
            == vec![format!("dave@{}", c.domain())]
    })
    .await;
    assert!(
        !a.remote_posts().await.iter().any(|p| p.1 == mention),
        "a suspended account's mention got in"
    );

    // Lifted, carol's next posts come in again.
    let out = a
        .cli(&["admin", "account", "unsuspend", &carol_acct], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let lifted = post(&carol, "Back again #ambitionfeed", "public").await;
    eventually("carol's post reaches A once more", || async {
        tag_timeline(&a, "ambitionfeed").await.contains(&lifted)
    })
    .await;
    let missing = a
        .cli(
            &["admin", "account", "suspend", "nobody@nowhere.example"],
            "",
        )
        .await;
    assert_eq!(missing.status, 1);
}

#[tokio::test]
async fn a_feed_is_followable_before_its_tag_is_used_and_failures_say_why() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let bob = b.user("bob").await;

    // Nobody on B has used the tag yet: its feed is there all the same.
    subscribe(&a, "oracyweek", &b).await;
    let uri = post(&bob, "Starting #OracyWeek today", "public").await;
    eventually("the first post with the tag reaches A", || async {
        tag_timeline(&a, "oracyweek").await.contains(&uri)
    })
    .await;

    // Each failure says what went wrong.
    let blocked = a
        .cli(&["admin", "domain", "block", "blocked.example"], "")
        .await;
    assert_eq!(blocked.status, 0, "{}", blocked.stderr);
    for (feed, said) in [
        (
            "oracyweek@localhost:1".to_owned(),
            "no such server: localhost:1 could not be reached",
        ),
        (
            format!("not-a-tag!@{}", b.domain()),
            &*format!("{} has no feed #not-a-tag!", b.domain()),
        ),
        (
            "oracyweek@blocked.example".to_owned(),
            "blocked.example is blocked by this instance's domain policy",
        ),
    ] {
        let out = a.cli(&["admin", "feeds", "subscribe", &feed], "").await;
        assert_ne!(out.status, 0, "{feed}: {}", out.stdout);
        assert!(out.stderr.contains(said), "{feed}: {}", out.stderr);
    }
}
