//! Local-only posts: kept inside their instance. Made with `local_only` (or
//! `visibility=local`) through the client API and with the compose page's
//! checkbox; shown to the people signed in there, within the post's audience;
//! never to a visitor, never delivered, fetched, boosted or answered onto
//! another server.

use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;
use staffroom_tests::{TestInstance, eventually, follow_across, two_instances};

async fn post(client: &ApiClient, body: Value) -> Value {
    client.post("/api/v1/statuses", body).await.expect(200).body
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_local_only_post_is_seen_only_by_people_signed_in_here() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let carol = instance.user("carol").await;

    let kept = post(
        &alice,
        json!({"status": "Inside the trust: #staffing plans", "local_only": true}),
    )
    .await;
    assert_eq!(kept["local_only"], true);
    assert_eq!(kept["visibility"], "public");
    let also = post(
        &alice,
        json!({"status": "Also inside", "visibility": "local"}),
    )
    .await;
    assert_eq!(also["local_only"], true);
    assert_eq!(also["visibility"], "public");
    let open = post(&alice, json!({"status": "For everyone #staffing"})).await;
    assert_eq!(open["local_only"], false);
    // A followers-only local-only post keeps its audience too.
    let followers = post(
        &alice,
        json!({"status": "Followers inside", "visibility": "private", "local_only": "1"}),
    )
    .await;
    assert_eq!(followers["local_only"], true);
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "x", "local_only": "perhaps"}),
        )
        .await
        .expect(400);

    let kept_id = kept["id"].as_str().unwrap();
    let path = format!("/api/v1/statuses/{kept_id}");
    // Carol, signed in here, sees it wherever public posts are listed.
    assert_eq!(carol.get(&path).await.expect(200).body["local_only"], true);
    carol
        .get(&format!(
            "/api/v1/statuses/{}",
            followers["id"].as_str().unwrap()
        ))
        .await
        .expect(404);
    for listing in [
        "/api/v1/timelines/public",
        "/api/v1/timelines/public?local=true",
        "/api/v1/timelines/tag/staffing",
    ] {
        let seen = ids(&carol.get(listing).await.expect(200).items());
        assert!(seen.contains(&kept_id.to_owned()), "{listing}");
    }
    let alice_id = kept["account"]["id"].as_str().unwrap();
    let by_alice = format!("/api/v1/accounts/{alice_id}/statuses");
    assert!(ids(&carol.get(&by_alice).await.items()).contains(&kept_id.to_owned()));

    // A visitor sees none of it: not the status, not in any list, not its page.
    let visitor = instance.anonymous();
    visitor.get(&path).await.expect(404);
    for listing in [
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/staffing",
        by_alice.as_str(),
    ] {
        let seen = ids(&visitor.get(listing).await.expect(200).items());
        assert!(!seen.contains(&kept_id.to_owned()), "{listing}");
        assert!(
            seen.contains(&open["id"].as_str().unwrap().to_owned()),
            "{listing}"
        );
    }
    let page = instance.get(&format!("/@alice/{kept_id}")).await;
    assert_eq!(page.status(), 404);
    let document = instance
        .http
        .get(kept["uri"].as_str().unwrap())
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(document.status(), 404);
    let rss = instance
        .get("/tags/staffing.rss")
        .await
        .text()
        .await
        .unwrap();
    assert!(!rss.contains("Inside the trust"));
    assert!(rss.contains("For everyone"));

    // Replies to it stay inside, whatever their author asks; so do boosts.
    let reply = post(
        &carol,
        json!({"status": "@alice agreed", "in_reply_to_id": kept_id}),
    )
    .await;
    assert_eq!(reply["local_only"], true);
    let boost = carol
        .post(&format!("{path}/reblog"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(boost["local_only"], true);
    let carol_id = reply["account"]["id"].as_str().unwrap();
    let by_carol = ids(&visitor
        .get(&format!("/api/v1/accounts/{carol_id}/statuses"))
        .await
        .expect(200)
        .items());
    assert!(by_carol.is_empty(), "{by_carol:?}");
}

#[tokio::test]
async fn a_local_only_post_never_reaches_another_instance() {
    let (a, b, alice, bob) = two_instances().await;
    let carol = a.user("carol").await;
    follow_across(&bob, &format!("carol@{}", a.domain())).await;

    let kept = post(
        &alice,
        json!({"status": "Inside the trust: the restructure", "local_only": true}),
    )
    .await;
    let kept_id = kept["id"].as_str().unwrap();
    let reply = post(
        &carol,
        json!({"status": "Inside too", "in_reply_to_id": kept_id}),
    )
    .await;
    assert_eq!(reply["local_only"], true);
    carol
        .post(&format!("/api/v1/statuses/{kept_id}/reblog"), json!({}))
        .await
        .expect(200);
    alice
        .put(
            &format!("/api/v1/statuses/{kept_id}"),
            json!({"status": "Inside the trust: the restructure, edited"}),
        )
        .await
        .expect(200);

    // What goes out after it arrives, and it never does.
    let open = post(&alice, json!({"status": "Open to all"})).await;
    let later = post(&carol, json!({"status": "Carol, open to all"})).await;
    for (what, made) in [("alice's", &open), ("carol's", &later)] {
        eventually(&format!("{what} public post reaches bob"), || async {
            bob.get("/api/v1/timelines/home")
                .await
                .items()
                .iter()
                .any(|s| s["uri"] == made["uri"])
        })
        .await;
    }
    let home = bob.get("/api/v1/timelines/home").await.items();
    for status in &home {
        let text = status["content"].as_str().unwrap_or_default().to_owned()
            + status["reblog"]["content"].as_str().unwrap_or_default();
        assert!(!text.contains("Inside"), "reached b: {status}");
    }
    for (_, _, _, content, _) in b.remote_posts().await {
        assert!(!content.contains("Inside"), "b stored {content}");
    }

    // Nor can b fetch it: a signed fetch from bob's server finds nothing.
    let found = bob
        .get(&format!(
            "/api/v2/search?q={}&resolve=true",
            kept["uri"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(found["statuses"], json!([]), "{found}");
    let open_found = bob
        .get(&format!(
            "/api/v2/search?q={}&resolve=true",
            open["uri"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(open_found["statuses"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_compose_page_makes_a_local_only_post() {
    let instance = TestInstance::start_for_apps().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", "correct horse battery").await;
    let compose = browser.get("/publish").await;
    assert!(compose.body.contains("name=\"local_only\""));
    let mut fields = compose.hidden_fields();
    fields.push(("status".into(), "Kept in the staffroom".into()));
    fields.push(("visibility".into(), "public".into()));
    fields.push(("local_only".into(), "1".into()));
    let sent = browser.post_multipart("/publish", &fields, &[]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let token = instance
        .sign_in("alice", "correct horse battery", "read write")
        .await;
    let alice = ApiClient::new(&instance.base, Some(token));
    let me = alice.get("/api/v1/accounts/verify_credentials").await.body;
    let mine = alice
        .get(&format!(
            "/api/v1/accounts/{}/statuses",
            me["id"].as_str().unwrap()
        ))
        .await
        .items();
    let made = mine
        .iter()
        .find(|s| {
            s["content"]
                .as_str()
                .unwrap()
                .contains("Kept in the staffroom")
        })
        .expect("the post is made");
    assert_eq!(made["local_only"], true);
    let page = browser
        .get(&format!("/@alice/{}", made["id"].as_str().unwrap()))
        .await;
    assert!(page.body.contains("local only"), "{}", page.body);
    let visitor = Browser::new(&instance.base)
        .get(&format!("/@alice/{}", made["id"].as_str().unwrap()))
        .await;
    assert_eq!(visitor.status, 404);
}
