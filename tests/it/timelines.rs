//! Timelines through the client API: what they show, and Mastodon's pagination with
//! its `Link` header.

use serde_json::{Value, json};
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::TestInstance;
use staffroom_tests::peer::Peer;

async fn page(instance: &TestInstance, path_or_url: &str) -> (u16, Vec<Value>, Option<String>) {
    let url = if path_or_url.starts_with("http") {
        path_or_url.to_owned()
    } else {
        format!("{}{path_or_url}", instance.base)
    };
    let response = instance.http.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let link = response
        .headers()
        .get("link")
        .map(|v| v.to_str().unwrap().to_owned());
    let body: Value = response.json().await.unwrap();
    (status, body.as_array().cloned().unwrap_or_default(), link)
}

fn link_to(link: &str, rel: &str) -> String {
    link.split(", ")
        .find(|part| part.ends_with(&format!("rel=\"{rel}\"")))
        .and_then(|part| part.split('>').next())
        .map(|url| url.trim_start_matches('<').to_owned())
        .unwrap()
}

fn ids(statuses: &[Value]) -> Vec<String> {
    statuses
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_public_timeline_pages_newest_first_with_links() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let mut posted = Vec::new();
    for n in 0..25 {
        let uri = instance
            .post_as("alice", &format!("Public post {n}"), Visibility::Public)
            .await;
        posted.push(uri.rsplit('/').next().unwrap().to_owned());
    }
    instance
        .post_as("alice", "Followers only", Visibility::Private)
        .await;
    instance
        .post_as("alice", "Unlisted", Visibility::Unlisted)
        .await;
    posted.reverse(); // newest first

    let (status, first, link) = page(&instance, "/api/v1/timelines/public").await;
    assert_eq!(status, 200);
    assert_eq!(
        ids(&first),
        posted[..20].to_vec(),
        "20 by default, newest first, only public posts"
    );
    let link = link.expect("a Link header");
    let next = link_to(&link, "next");
    assert_eq!(
        next,
        format!(
            "{}/api/v1/timelines/public?max_id={}",
            instance.base, posted[19]
        )
    );
    let (_, second, _) = page(&instance, &next).await;
    assert_eq!(ids(&second), posted[20..].to_vec());
    let prev = link_to(&link, "prev");
    assert_eq!(
        prev,
        format!(
            "{}/api/v1/timelines/public?min_id={}",
            instance.base, posted[0]
        )
    );
    let (_, newer, newer_link) = page(&instance, &prev).await;
    assert!(
        newer.is_empty() && newer_link.is_none(),
        "nothing newer yet"
    );

    let (_, all, _) = page(&instance, "/api/v1/timelines/public?limit=100").await;
    assert_eq!(all.len(), 25, "limit is capped at 40");
    let (_, just_newer, _) = page(
        &instance,
        &format!("/api/v1/timelines/public?min_id={}&limit=3", posted[10]),
    )
    .await;
    assert_eq!(
        ids(&just_newer),
        posted[7..10].to_vec(),
        "min_id: the posts just newer, newest first"
    );
    let (_, since, _) = page(
        &instance,
        &format!("/api/v1/timelines/public?since_id={}&limit=3", posted[10]),
    )
    .await;
    assert_eq!(
        ids(&since),
        posted[..3].to_vec(),
        "since_id: the newest posts after it"
    );

    for bad in [
        "max_id=abc",
        "since_id=-1",
        "limit=0",
        "limit=many",
        "local=perhaps",
    ] {
        let (status, _, _) = page(&instance, &format!("/api/v1/timelines/public?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn local_and_remote_public_timelines_are_told_apart() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let local = instance
        .post_as("alice", "Written here", Visibility::Public)
        .await;
    let peer = Peer::start().await;
    let remote = format!("{}/notes/1", peer.base);
    let create = peer.activity(
        "Create",
        json!({
            "id": remote,
            "type": "Note",
            "attributedTo": peer.actor_id,
            "content": "<p>Written elsewhere</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "tag": [{"type": "Mention", "href": format!("{}/users/alice", instance.base)}],
        }),
    );
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &create)
            .await,
        202
    );

    let uris = |statuses: Vec<Value>| {
        statuses
            .iter()
            .map(|s| s["uri"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let (_, all, _) = page(&instance, "/api/v1/timelines/public").await;
    assert_eq!(uris(all), vec![remote.clone(), local.clone()]);
    let (_, only_local, link) = page(&instance, "/api/v1/timelines/public?local=true").await;
    assert_eq!(uris(only_local), vec![local.clone()]);
    assert!(
        link.unwrap().contains("local=true"),
        "the other parameters are kept"
    );
    let (_, only_remote, _) = page(&instance, "/api/v1/timelines/public?remote=true").await;
    assert_eq!(uris(only_remote), vec![remote]);
    instance.shut_down().await;
}
