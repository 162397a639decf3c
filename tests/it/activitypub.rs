//! Local actors, posts and outboxes as other servers fetch them, and as browsers see
//! the same URLs.

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use staffroom_tests::TestInstance;

const AP: &str = "application/activity+json";
const LD: &str = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

async fn fetch_ap(instance: &TestInstance, url: &str, accept: &str) -> (u16, Value) {
    let response = instance
        .http
        .get(url)
        .header(ACCEPT, accept)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status != 200 {
        return (status, Value::Null);
    }
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/activity+json; charset=utf-8",
        "{url}"
    );
    assert_eq!(response.headers()["vary"], "Accept", "{url}");
    (status, response.json().await.unwrap())
}

async fn seeded() -> TestInstance {
    let instance = TestInstance::start().await;
    let mut out = Vec::new();
    staffroom::demo::seed(
        instance.running().db(),
        &instance.running().federation().urls,
        &mut out,
    )
    .await
    .unwrap();
    instance
}

/// The id of chloe's followers-only demo post, looked up as set-up knowledge.
async fn private_post_id(instance: &TestInstance) -> i64 {
    let db = instance.running().db();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM posts WHERE visibility = 'private'",
        ))
        .await
        .unwrap()
        .expect("the demo has a followers-only post");
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn a_person_is_an_actor_with_its_key_and_collections() {
    let instance = seeded().await;
    let id = format!("{}/users/amara", instance.base);
    for accept in [AP, LD] {
        let (status, actor) = fetch_ap(&instance, &id, accept).await;
        assert_eq!(status, 200, "{accept}");
        assert_eq!(actor["id"], id);
        assert_eq!(actor["type"], "Person");
        assert_eq!(actor["preferredUsername"], "amara");
        assert_eq!(actor["name"], "Amara Okafor");
        assert_eq!(actor["url"], format!("{}/@amara", instance.base));
        for (key, suffix) in [
            ("inbox", "/inbox"),
            ("outbox", "/outbox"),
            ("followers", "/followers"),
            ("following", "/following"),
        ] {
            assert_eq!(actor[key], format!("{id}{suffix}"), "{key}");
        }
        assert_eq!(
            actor["endpoints"]["sharedInbox"],
            format!("{}/inbox", instance.base)
        );
        assert_eq!(actor["publicKey"]["id"], format!("{id}#main-key"));
        assert_eq!(actor["publicKey"]["owner"], id);
        let pem = actor["publicKey"]["publicKeyPem"].as_str().unwrap();
        assert!(
            pem.starts_with("-----BEGIN PUBLIC KEY-----")
                && pem.trim_end().ends_with("-----END PUBLIC KEY-----")
        );
        assert!(
            !actor.to_string().contains("PRIVATE"),
            "no private key leaks"
        );
        assert_eq!(actor["manuallyApprovesFollowers"], false);
        assert!(actor["published"].as_str().unwrap().ends_with('Z'));
        assert!(actor["attachment"].is_array() && actor["tag"].is_array());
        assert!(actor["@context"][0] == "https://www.w3.org/ns/activitystreams");
    }
    // Keys never change, and every account has its own.
    let (_, again) = fetch_ap(&instance, &id, AP).await;
    let (_, ben) = fetch_ap(&instance, &format!("{}/users/ben", instance.base), AP).await;
    let (_, amara) = fetch_ap(&instance, &id, AP).await;
    assert_eq!(again["publicKey"], amara["publicKey"]);
    assert_ne!(
        ben["publicKey"]["publicKeyPem"],
        amara["publicKey"]["publicKeyPem"]
    );
    // The profile URL answers ActivityPub requests too.
    let (status, by_profile) = fetch_ap(&instance, &format!("{}/@amara", instance.base), AP).await;
    assert_eq!(status, 200);
    assert_eq!(by_profile["id"], id);

    let (status, _) = fetch_ap(&instance, &format!("{}/users/nobody", instance.base), AP).await;
    assert_eq!(status, 404);
    instance.shut_down().await;
}

#[tokio::test]
async fn browsers_are_sent_to_the_profile_page() {
    let instance = seeded().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client
        .get(format!("{}/users/amara", instance.base))
        .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        format!("{}/@amara", instance.base)
    );

    let page = instance.get("/@amara").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>Amara Okafor</h1>"), "{html}");
    assert!(html.contains("careers week"), "{html}");
    assert!(
        html.contains("This month&#39;s challenge"),
        "post text stays escaped: {html}"
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn display_names_cannot_inject_markup_into_pages() {
    let instance = TestInstance::start_for_apps().await;
    let mallory = instance.user("mallory").await;
    mallory
        .patch(
            "/api/v1/accounts/update_credentials",
            serde_json::json!({"display_name": "<script>alert(1)</script>"}),
        )
        .await
        .expect(200);
    let post = mallory.status("Budget setting this week #budget").await;
    let url = post["url"].as_str().unwrap();
    let post_page = url.strip_prefix(&instance.base).unwrap().to_owned();
    for page in ["/@mallory".to_owned(), post_page, "/tags/budget".to_owned()] {
        let html = instance.get(&page).await.text().await.unwrap();
        assert!(!html.contains("<script>"), "{page}: {html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}: {html}"
        );
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn the_instance_actor_signs_for_the_instance() {
    let instance = TestInstance::start().await;
    let id = format!("{}/actor", instance.base);
    let (status, actor) = fetch_ap(&instance, &id, AP).await;
    assert_eq!(status, 200);
    assert_eq!(actor["id"], id);
    assert_eq!(actor["type"], "Application");
    assert_eq!(actor["publicKey"]["owner"], id);
    let (_, again) = fetch_ap(&instance, &id, AP).await;
    assert_eq!(
        again["publicKey"], actor["publicKey"],
        "made once, then kept"
    );

    let (status, webfinger) = instance
        .get_json(&format!(
            "/.well-known/webfinger?resource=acct:instance.actor@{}",
            instance.domain()
        ))
        .await;
    assert_eq!(status, 200);
    let link = webfinger["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .unwrap();
    assert_eq!(link["href"], id);
    // It is no person: no profile page, no user count.
    assert_eq!(instance.get("/@instance.actor").await.status(), 404);
    let (_, nodeinfo) = instance.get_json("/nodeinfo/2.1").await;
    assert_eq!(nodeinfo["usage"]["users"]["total"], 0);
    instance.shut_down().await;
}

#[tokio::test]
async fn the_outbox_pages_through_public_posts_as_create_activities() {
    let instance = seeded().await;
    let actor = format!("{}/users/amara", instance.base);
    let (status, outbox) = fetch_ap(&instance, &format!("{actor}/outbox"), AP).await;
    assert_eq!(status, 200);
    assert_eq!(outbox["type"], "OrderedCollection");
    assert_eq!(outbox["totalItems"], 2);
    let first = outbox["first"].as_str().unwrap().to_owned();

    let (_, page) = fetch_ap(&instance, &first, AP).await;
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["partOf"], format!("{actor}/outbox"));
    assert!(page.get("next").is_none(), "two posts fit on one page");
    let items = page["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let newest = &items[0];
    assert_eq!(newest["type"], "Create");
    assert_eq!(newest["actor"], actor);
    let note = &newest["object"];
    assert_eq!(note["type"], "Note");
    assert_eq!(note["attributedTo"], actor);
    assert!(note["content"].as_str().unwrap().contains("careers week"));
    assert_eq!(
        note["to"],
        serde_json::json!(["https://www.w3.org/ns/activitystreams#Public"])
    );
    assert_eq!(
        note["cc"],
        serde_json::json!([format!("{actor}/followers")])
    );
    assert!(note["tag"].is_array() && note["attachment"].is_array());
    assert_eq!(note["contentMap"]["en"], note["content"]);

    // The note is served at its id, to machines and (as a page) to people.
    let note_id = note["id"].as_str().unwrap();
    let (status, fetched) = fetch_ap(&instance, note_id, AP).await;
    assert_eq!(status, 200);
    assert_eq!(fetched["id"], note["id"]);
    assert_eq!(
        fetched["@context"][0],
        "https://www.w3.org/ns/activitystreams"
    );
    let page = instance
        .http
        .get(note["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("careers week"));

    // Paging backwards from the newest post leaves only the oldest.
    let newest_id = note_id.rsplit('/').next().unwrap();
    let (_, older) = fetch_ap(
        &instance,
        &format!("{actor}/outbox?page=true&max_id={newest_id}"),
        AP,
    )
    .await;
    assert_eq!(older["orderedItems"].as_array().unwrap().len(), 1);
    let (status, _) = fetch_ap(
        &instance,
        &format!("{actor}/outbox?page=true&max_id=soon"),
        AP,
    )
    .await;
    assert_eq!(status, 400);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_followers_only_post_is_hidden_from_every_unsigned_route() {
    let instance = seeded().await;
    let id = private_post_id(&instance).await;
    let actor = format!("{}/users/chloe", instance.base);

    let (status, _) = fetch_ap(&instance, &format!("{actor}/statuses/{id}"), AP).await;
    assert_eq!(status, 404, "the note is not served");
    assert_eq!(
        instance.get(&format!("/@chloe/{id}")).await.status(),
        404,
        "no page"
    );
    let (status, _) = fetch_ap(&instance, &format!("{}/@chloe/{id}", instance.base), AP).await;
    assert_eq!(status, 404, "not by the page URL either");

    let (_, outbox) = fetch_ap(&instance, &format!("{actor}/outbox"), AP).await;
    assert_eq!(
        outbox["totalItems"], 1,
        "the outbox counts only the public post"
    );
    let (_, page) = fetch_ap(&instance, &format!("{actor}/outbox?page=true"), AP).await;
    let text = page.to_string();
    assert!(!text.contains("inspection call"), "{text}");
    let profile = instance.get("/@chloe").await.text().await.unwrap();
    assert!(!profile.contains("inspection call"), "{profile}");
    assert!(
        profile.contains("governors"),
        "the public post is there: {profile}"
    );

    // A post of another author is not served under chloe's name.
    let (_, amara) = fetch_ap(
        &instance,
        &format!("{}/users/amara/outbox?page=true", instance.base),
        AP,
    )
    .await;
    let amara_note = amara["orderedItems"][0]["object"]["id"].as_str().unwrap();
    let amara_id = amara_note.rsplit('/').next().unwrap();
    let (status, _) = fetch_ap(&instance, &format!("{actor}/statuses/{amara_id}"), AP).await;
    assert_eq!(status, 404);
    instance.shut_down().await;
}

#[tokio::test]
async fn boosts_are_in_the_outbox_as_announce_activities() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let post = alice.status("Our careers week #ambitionfeed").await;
    bob.post(
        &format!("/api/v1/statuses/{}/reblog", post["id"].as_str().unwrap()),
        serde_json::json!({}),
    )
    .await
    .expect(200);
    bob.status("And my own news").await;
    let actor = format!("{}/users/bob", instance.base);
    let (_, outbox) = fetch_ap(&instance, &format!("{actor}/outbox"), AP).await;
    assert_eq!(outbox["totalItems"], 2);
    let (_, page) = fetch_ap(&instance, &format!("{actor}/outbox?page=true"), AP).await;
    let items = page["orderedItems"].as_array().unwrap();
    assert_eq!(items[0]["type"], "Create");
    assert_eq!(items[1]["type"], "Announce");
    assert_eq!(items[1]["actor"], actor);
    assert_eq!(items[1]["object"], post["uri"]);
    assert!(
        items[1].get("@context").is_none(),
        "items carry no context of their own"
    );
}

#[tokio::test]
async fn the_instance_actor_names_no_collections_it_does_not_serve() {
    let instance = TestInstance::start_for_apps().await;
    let (status, actor) = fetch_ap(&instance, &format!("{}/actor", instance.base), AP).await;
    assert_eq!(status, 200);
    assert_eq!(actor["type"], "Application");
    for key in ["outbox", "followers", "following", "icon", "image"] {
        assert!(actor.get(key).is_none(), "{key}: {actor}");
    }
    // What a person's actor names, answers.
    instance.user("alice").await;
    let id = format!("{}/users/alice", instance.base);
    let (_, alice) = fetch_ap(&instance, &id, AP).await;
    for key in ["outbox", "followers", "following"] {
        let url = alice[key].as_str().unwrap();
        assert_eq!(fetch_ap(&instance, url, AP).await.0, 200, "{key}");
    }
}

#[tokio::test]
async fn a_deleted_post_answers_gone_with_a_tombstone() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let post = alice.status("Soon gone").await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    assert_eq!(fetch_ap(&instance, &uri, AP).await.0, 200);
    alice
        .delete(&format!(
            "/api/v1/statuses/{}",
            post["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    let response = instance
        .http
        .get(&uri)
        .header(ACCEPT, AP)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 410);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/activity+json; charset=utf-8"
    );
    let gone: Value = response.json().await.unwrap();
    assert_eq!(gone["type"], "Tombstone");
    assert_eq!(gone["id"], uri);
    // Another account's post of that number, or one that never was, is unknown.
    let id = uri.rsplit('/').next().unwrap();
    instance.user("bob").await;
    let elsewhere = format!("{}/users/bob/statuses/{id}", instance.base);
    assert_eq!(fetch_ap(&instance, &elsewhere, AP).await.0, 404);
}
