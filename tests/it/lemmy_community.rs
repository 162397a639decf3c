//! A Staffroom user in a community on a server that speaks as Lemmy does (played
//! by the test peer, with the documents and activities in the shape of Lemmy's
//! published samples): found and joined from a Mastodon app, its posts arrive at
//! home as the community's announces of whole `Create`s, its announced edits and
//! deletions follow, and the user's post to it names the community.

use std::time::Duration;

use activitypub_federation::http_signatures::generate_actor_keypair;
use serde_json::{Value, json};
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

use crate::groups::{finds, id_at_home, times_at_home};

const WAIT: Duration = Duration::from_secs(20);

/// A Lemmy user's actor document at `id`.
fn lemmy_person(id: &str, name: &str) -> Value {
    let keys = generate_actor_keypair().unwrap();
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id,
        "type": "Person",
        "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": keys.public_key},
        "published": "2026-01-17T01:38:22.348392Z",
    })
}

/// A Lemmy post (a `Page` with a title) in `community` by `author`.
fn lemmy_page(id: &str, author: &str, community: &str, title: &str, body: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Page",
        "id": id,
        "attributedTo": author,
        "to": [community, "https://www.w3.org/ns/activitystreams#Public"],
        "cc": [],
        "name": title,
        "content": body,
        "mediaType": "text/html",
        "source": {"content": body, "mediaType": "text/markdown"},
        "commentsEnabled": true,
        "sensitive": false,
        "stickied": false,
        "published": "2026-11-01T12:11:22.871846Z",
        "audience": community,
    })
}

/// The community's `Announce` of `activity`, as Lemmy sends it.
fn announce(community: &Peer, activity: Value) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": community.new_id("announce"),
        "type": "Announce",
        "actor": community.actor_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{}/followers", community.actor_id)],
        "object": activity,
    })
}

/// An activity of `kind` by `actor` on `object`, as Lemmy wraps what happens in a
/// community.
fn by(community: &Peer, actor: &str, kind: &str, object: Value) -> Value {
    json!({
        "id": community.new_id(&kind.to_ascii_lowercase()),
        "type": kind,
        "actor": actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [community.actor_id],
        "audience": community.actor_id,
        "object": object,
    })
}

#[tokio::test]
async fn a_user_joins_a_lemmy_community_and_its_posts_edits_and_deletions_reach_home() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let dave = a.user("dave").await;
    let community = Peer::start().await;
    let base = community.base.clone();
    let group = community.actor_id.clone();
    community.describe(json!({
        "type": "Group",
        "preferredUsername": "curriculum",
        "name": "Curriculum",
        "summary": "<p>Sequencing, assessment and everything between.</p>",
        "source": {"content": "Sequencing, assessment and everything between.", "mediaType": "text/markdown"},
        "attributedTo": format!("{group}/moderators"),
        "featured": format!("{group}/featured"),
        "postingRestrictedToMods": false,
        "manuallyApprovesFollowers": false,
        "language": [{"identifier": "en", "name": "English"}],
    }));
    community.serve(
        "/.well-known/webfinger",
        Some(json!({
            "subject": format!("acct:curriculum@{}", community.domain()),
            "links": [{"rel": "self", "type": "application/activity+json", "href": group}],
        })),
    );
    let author = format!("{base}/u/kim");
    community.serve("/u/kim", Some(lemmy_person(&author, "kim")));
    let page_id = format!("{base}/post/7");
    let page = lemmy_page(
        &page_id,
        &author,
        &group,
        "Knowledge organisers",
        "<p>How do you use them in year 7?</p>",
    );
    community.serve("/post/7", Some(page.clone()));

    // Found by its URL, it is a group; Alice joins, and the community accepts.
    let found = alice
        .get(&format!(
            "/api/v2/search?q={group}&resolve=true&type=accounts"
        ))
        .await
        .expect(200)
        .body["accounts"][0]
        .clone();
    assert_eq!(found["group"], true, "{found}");
    assert_eq!(found["display_name"], "Curriculum");
    let id = found["id"].as_str().unwrap().to_owned();
    alice
        .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
        .await
        .expect(200);
    let follow = community.wait_for(WAIT, |a| a["type"] == "Follow").await;
    assert_eq!(follow["object"], group);
    let inbox = format!("http://{}/inbox", a.domain());
    assert_eq!(
        community
            .send(&inbox, &community.activity("Accept", follow))
            .await,
        202
    );
    eventually("alice is a member", || async {
        alice
            .get(&format!("/api/v1/accounts/relationships?id[]={id}"))
            .await
            .items()[0]["following"]
            == true
    })
    .await;

    // A post in the community arrives at home, its title first, once.
    let create = by(&community, &author, "Create", page.clone());
    assert_eq!(
        community.send(&inbox, &announce(&community, create)).await,
        202
    );
    eventually("the post reaches alice's home", || async {
        times_at_home(&alice, &page_id).await == 1
    })
    .await;
    let post_here = id_at_home(&alice, &page_id).await;
    assert!(
        finds(
            &alice,
            &format!("/api/v1/statuses/{post_here}"),
            "<strong>Knowledge organisers</strong>"
        )
        .await
    );
    assert_eq!(times_at_home(&dave, &page_id).await, 0, "dave is no member");
    // Votes are announced too, and change nothing.
    let vote = by(&community, &author, "Like", Value::String(page_id.clone()));
    assert_eq!(
        community.send(&inbox, &announce(&community, vote)).await,
        202
    );

    // An edit, announced, is fetched from the post's server.
    let mut edited = page.clone();
    edited["content"] = json!("<p>How do you use them in year 7? Updated with our examples.</p>");
    edited["updated"] = json!("2026-11-02T09:00:00Z");
    community.serve("/post/7", Some(edited.clone()));
    let update = by(&community, &author, "Update", edited);
    assert_eq!(
        community.send(&inbox, &announce(&community, update)).await,
        202
    );
    eventually("the edit reaches alice", || async {
        finds(
            &alice,
            &format!("/api/v1/statuses/{post_here}"),
            "our examples",
        )
        .await
    })
    .await;

    // Alice's post to the community names it, as Lemmy needs.
    alice
        .status(&format!(
            "@curriculum@{} Retrieval practice first",
            community.domain()
        ))
        .await;
    let create = community
        .wait_for(WAIT, |a| {
            a["type"] == "Create"
                && a["object"]["content"]
                    .as_str()
                    .is_some_and(|c| c.contains("Retrieval practice"))
        })
        .await;
    let addressed: Vec<&Value> = create["object"]["to"]
        .as_array()
        .into_iter()
        .chain(create["object"]["cc"].as_array())
        .flatten()
        .collect();
    assert!(addressed.iter().any(|v| **v == group), "{create}");

    // A deletion, announced, removes the post once its server says it is gone.
    community.serve("/post/7", None);
    let delete = by(
        &community,
        &author,
        "Delete",
        json!({"id": page_id, "type": "Tombstone"}),
    );
    assert_eq!(
        community.send(&inbox, &announce(&community, delete)).await,
        202
    );
    eventually("the deletion reaches alice", || async {
        alice
            .get(&format!("/api/v1/statuses/{post_here}"))
            .await
            .status
            == 404
    })
    .await;
}
