//! WebFinger, host-meta and NodeInfo: how other servers and apps find the instance
//! and its accounts.

use staffroom_tests::TestInstance;

#[tokio::test]
async fn webfinger_finds_a_user_created_from_the_command_line() {
    let instance = TestInstance::start().await;
    let domain = instance.domain().to_owned();
    let path = format!("/.well-known/webfinger?resource=acct:alice@{domain}");
    // Before the user exists the name is the hashtag feed's; the person takes it.
    let before: serde_json::Value = instance.get(&path).await.json().await.expect("JSON");
    assert_eq!(
        before["links"][1]["href"],
        format!("http://{domain}/tags/alice"),
        "not the user before the user exists"
    );

    instance.create_user("alice", &[]).await;
    let response = instance.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/jrd+json; charset=utf-8"
    );
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["subject"], format!("acct:alice@{domain}"));
    let actor = format!("http://{domain}/users/alice");
    let self_link = body["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("a self link");
    assert_eq!(self_link["type"], "application/activity+json");
    assert_eq!(self_link["href"], actor);

    // The other accepted forms of the same account.
    for resource in [
        format!("acct:ALICE@{domain}"),
        format!("alice@{domain}"),
        actor.clone(),
        format!("http://{domain}/@alice"),
    ] {
        let (status, body) = instance
            .get_json(&format!("/.well-known/webfinger?resource={resource}"))
            .await;
        assert_eq!(status, 200, "{resource}");
        assert_eq!(
            body["subject"],
            format!("acct:alice@{domain}"),
            "{resource}"
        );
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn webfinger_answers_404_for_strangers_and_400_for_nonsense() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let domain = instance.domain().to_owned();
    // A name nobody has is a hashtag's feed (pointed at, not made); a name that
    // is no hashtag, or another server's account, is nobody's.
    let (status, feed) = instance
        .get_json(&format!(
            "/.well-known/webfinger?resource=acct:nobody@{domain}"
        ))
        .await;
    assert_eq!(status, 200, "{feed}");
    assert_eq!(feed["subject"], format!("acct:nobody@{domain}"));
    assert_eq!(
        feed["links"][1]["href"],
        format!("{}/tags/nobody", instance.base)
    );
    for resource in [
        format!("acct:no-body@{domain}"),
        "acct:alice@elsewhere.example".to_owned(),
    ] {
        let (status, body) = instance
            .get_json(&format!("/.well-known/webfinger?resource={resource}"))
            .await;
        assert_eq!(status, 404, "{resource}");
        assert!(body["error"].is_string());
    }
    for query in [
        "",
        "?resource=",
        "?resource=alice",
        "?resource=acct:alice@",
        "?resource=acct:@x.org",
    ] {
        let (status, body) = instance
            .get_json(&format!("/.well-known/webfinger{query}"))
            .await;
        assert_eq!(status, 400, "{query}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("resource")),
            "{query}: {body}"
        );
    }
    let long = "a".repeat(3000);
    let (status, _) = instance
        .get_json(&format!(
            "/.well-known/webfinger?resource=acct:{long}@{domain}"
        ))
        .await;
    assert_eq!(status, 400);
    instance.shut_down().await;
}

#[tokio::test]
async fn host_meta_points_at_webfinger() {
    let instance = TestInstance::start().await;
    let response = instance.get("/.well-known/host-meta").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xrd+xml")
    );
    let body = response.text().await.unwrap();
    assert!(
        body.contains(&format!(
            "template=\"{}/.well-known/webfinger?resource={{uri}}\"",
            instance.base
        )),
        "{body}"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn nodeinfo_names_the_software_and_counts_what_exists() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "closed")]).await;
    let (status, discovery) = instance.get_json("/.well-known/nodeinfo").await;
    assert_eq!(status, 200);
    let href = discovery["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1")
        .expect("a 2.1 link")["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(href, format!("{}/nodeinfo/2.1", instance.base));

    let (_, empty) = instance.get_json("/nodeinfo/2.1").await;
    assert_eq!(empty["software"]["name"], "staffroom");
    assert_eq!(empty["protocols"], serde_json::json!(["activitypub"]));
    assert_eq!(empty["openRegistrations"], false);
    assert_eq!(empty["usage"]["users"]["total"], 0);
    assert_eq!(empty["usage"]["localPosts"], 0);

    // The demo seed makes three users and five posts; a user made by hand makes four.
    let mut seeded = Vec::new();
    staffroom::demo::seed(
        instance.running().db(),
        &instance.running().federation().urls,
        &mut seeded,
    )
    .await
    .expect("the demo seeds");
    instance.create_user("dora", &[]).await;
    let response = instance.get("/nodeinfo/2.1").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("schema/2.1#")
    );
    let counted: serde_json::Value = response.json().await.unwrap();
    assert_eq!(counted["usage"]["users"]["total"], 4);
    assert_eq!(
        counted["usage"]["users"]["activeMonth"], 3,
        "the three who posted"
    );
    assert_eq!(counted["usage"]["users"]["activeHalfyear"], 3);
    assert_eq!(counted["usage"]["localPosts"], 5);

    let (status, v2_0) = instance.get_json("/nodeinfo/2.0").await;
    assert_eq!(status, 200);
    assert_eq!(v2_0["version"], "2.0");
    assert!(
        v2_0["software"].get("repository").is_none(),
        "2.0 has no repository"
    );
    assert_eq!(v2_0["usage"]["localPosts"], 5);
    instance.shut_down().await;
}
