//! Lemmy users as members of a group here (played by the test peer): what the
//! group sends them is read with the structs and in the order Lemmy 1.0 reads a
//! community's announces (`staffroom_tests::lemmy`), so that each test fails
//! where a Lemmy server would refuse what it gets.

use std::time::Duration;

use serde_json::{Value, json};
use staffroom_tests::lemmy::{self, Announcable, GroupFollowers};
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

use crate::groups::make_group;

const WAIT: Duration = Duration::from_secs(20);
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Whether `activity` is an announce with an activity of `kind` embedded whose
/// object (or the object's id) is `uri`, or answers it when `reply` is set.
fn announces(activity: &Value, kind: &str, uri: &str, reply: bool) -> bool {
    let inner = &activity["object"];
    let object = &inner["object"];
    activity["type"] == "Announce"
        && inner["type"] == kind
        && if reply {
            object["inReplyTo"] == uri
        } else {
            object == uri || object["id"] == uri
        }
}

/// `peer` joins `group` and is accepted.
async fn join(peer: &Peer, group: &str) {
    let follow = peer.join(group).await;
    peer.wait_for(WAIT, |a| {
        a["type"] == "Accept" && a["object"]["id"] == follow["id"]
    })
    .await;
}

#[tokio::test]
async fn a_lemmy_member_reads_the_groups_posts_replies_edits_and_deletions_as_lemmy_does() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    make_group(&alice, "finance", "open").await;
    let group = format!("http://{}/users/finance", a.domain());
    let lemmy = Peer::start().await;
    join(&lemmy, &group).await;

    // Lemmy counts the community's subscribers from its followers collection.
    let (status, followers) = lemmy.signed_get(&format!("{group}/followers")).await;
    assert_eq!(status, 200);
    let read: GroupFollowers = serde_json::from_value(followers.clone())
        .unwrap_or_else(|e| panic!("Lemmy cannot read {followers}: {e}"));
    assert_eq!(read.total_items, 2, "alice and the Lemmy user");

    // A member's post reaches the Lemmy user as the member's `Create` of a
    // `Page` with a title, embedded in the group's announce.
    let mention = format!("@finance@{}", a.domain());
    let post = alice
        .status(&format!(
            "{mention} Budgets for 2027\n\nWhat are you cutting?"
        ))
        .await;
    let uri = post["uri"].as_str().unwrap().to_owned();
    let id = post["id"].as_str().unwrap().to_owned();
    let announce = lemmy
        .wait_for(WAIT, |a| announces(a, "Create", &uri, false))
        .await;
    let (outer, inner) =
        lemmy::read_announce(&announce).unwrap_or_else(|e| panic!("Lemmy refuses {announce}: {e}"));
    assert_eq!(outer.actor.as_str(), group);
    assert!(outer.to.iter().any(|u| u.as_str() == PUBLIC), "{announce}");
    let create = inner
        .post()
        .unwrap_or_else(|e| panic!("Lemmy reads no post in {announce}: {e}"));
    assert_eq!(create.object.id.as_str(), uri);
    assert_eq!(create.object.name, "Budgets for 2027");
    assert_eq!(
        create.object.audience.as_ref().map(|u| u.as_str()),
        Some(group.as_str())
    );
    assert_eq!(create.actor, create.object.attributed_to);
    // Mastodon-like servers get the boost form as well.
    lemmy
        .wait_for(WAIT, |a| a["type"] == "Announce" && a["object"] == uri)
        .await;

    // A reply in the group is a comment: a `Note` answering the post.
    let reply = alice
        .post(
            "/api/v1/statuses",
            json!({"status": format!("{mention} Supply teachers first"), "in_reply_to_id": id}),
        )
        .await
        .expect(200)
        .body;
    let announce = lemmy
        .wait_for(WAIT, |a| announces(a, "Create", &uri, true))
        .await;
    let (_, inner) =
        lemmy::read_announce(&announce).unwrap_or_else(|e| panic!("Lemmy refuses {announce}: {e}"));
    let comment = inner
        .comment(&announce["object"])
        .unwrap_or_else(|e| panic!("Lemmy reads no comment in {announce}: {e}"));
    assert_eq!(comment.object.id.as_str(), reply["uri"]);
    assert_eq!(comment.object.in_reply_to.as_str(), uri);

    // An edit is the member's `Update` of the post.
    alice
        .put(
            &format!("/api/v1/statuses/{id}"),
            json!({"status": format!("{mention} Budgets for 2027 and 2028")}),
        )
        .await
        .expect(200);
    let announce = lemmy
        .wait_for(WAIT, |a| announces(a, "Update", &uri, false))
        .await;
    let (_, inner) =
        lemmy::read_announce(&announce).unwrap_or_else(|e| panic!("Lemmy refuses {announce}: {e}"));
    let update = inner.post().unwrap_or_else(|e| panic!("{announce}: {e}"));
    assert_eq!(update.kind, lemmy::CreateOrUpdateType::Update);
    assert_eq!(update.object.name, "Budgets for 2027 and 2028");

    // A deletion is the member's `Delete`, and the post is gone for good.
    alice
        .delete(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200);
    let announce = lemmy
        .wait_for(WAIT, |a| announces(a, "Delete", &uri, false))
        .await;
    let (_, inner) =
        lemmy::read_announce(&announce).unwrap_or_else(|e| panic!("Lemmy refuses {announce}: {e}"));
    assert!(matches!(inner, Announcable::Delete(_)), "{inner:?}");
    let (status, gone) = lemmy.signed_get(&uri).await;
    assert_eq!(status, 410, "{gone}");
    assert_eq!(gone["type"], "Tombstone");
    assert_eq!(gone["id"], uri);
    assert!(gone["deleted"].is_string(), "{gone}");
    // A post that never was is still unknown.
    let (status, _) = lemmy.signed_get(&format!("{group}/statuses/1")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_lemmy_members_post_reaches_a_member_on_a_third_server_as_lemmy_reads_it() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    make_group(&alice, "curriculum", "open").await;
    let group = format!("http://{}/users/curriculum", a.domain());
    let writer = Peer::start().await;
    let reader = Peer::start().await;
    join(&writer, &group).await;
    join(&reader, &group).await;

    // The writer's Lemmy posts to the group as Lemmy posts to a community.
    let page_id = format!("{}/post/1", writer.base);
    let page = json!({
        "type": "Page",
        "id": page_id,
        "attributedTo": writer.actor_id,
        "to": [group, PUBLIC],
        "cc": [],
        "name": "Knowledge organisers",
        "content": "<p>How do you use them in year 7?</p>",
        "mediaType": "text/html",
        "source": {"content": "How do you use them in year 7?", "mediaType": "text/markdown"},
        "sensitive": false,
        "published": "2026-11-01T12:11:22.871846Z",
        "audience": group,
    });
    writer.serve("/post/1", Some(page.clone()));
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": writer.new_id("create"),
        "type": "Create",
        "actor": writer.actor_id,
        "to": [group, PUBLIC],
        "cc": [],
        "audience": group,
        "object": page,
    });
    assert_eq!(writer.send(&format!("{group}/inbox"), &create).await, 202);

    // The member on the third server reads it as a Lemmy post, title and all.
    let announce = reader
        .wait_for(WAIT, |a| announces(a, "Create", &page_id, false))
        .await;
    let (outer, inner) =
        lemmy::read_announce(&announce).unwrap_or_else(|e| panic!("Lemmy refuses {announce}: {e}"));
    assert_eq!(outer.actor.as_str(), group);
    let post = inner.post().unwrap_or_else(|e| panic!("{announce}: {e}"));
    assert_eq!(post.actor.as_str(), writer.actor_id);
    assert_eq!(post.object.name, "Knowledge organisers");
    assert_eq!(
        post.object.audience.as_ref().map(|u| u.as_str()),
        Some(group.as_str())
    );
    eventually("alice sees it at home", || async {
        crate::groups::times_at_home(&alice, &page_id).await == 1
    })
    .await;
}

#[tokio::test]
async fn an_announced_lemmy_vote_without_addressing_is_accepted() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let community = Peer::start().await;
    let group = community.actor_id.clone();
    community.describe(json!({"type": "Group", "preferredUsername": "main"}));
    let found = alice
        .get(&format!(
            "/api/v2/search?q={group}&resolve=true&type=accounts"
        ))
        .await
        .expect(200)
        .body["accounts"][0]
        .clone();
    let id = found["id"].as_str().unwrap().to_owned();
    alice
        .post(&format!("/api/v1/accounts/{id}/follow"), json!({}))
        .await
        .expect(200);
    let follow = community.wait_for(WAIT, |a| a["type"] == "Follow").await;
    let inbox = format!("http://{}/inbox", a.domain());
    assert_eq!(
        community
            .send(&inbox, &community.activity("Accept", follow))
            .await,
        202
    );
    // As Lemmy's `like_note.json`: a `Like` with no `to` or `cc`, announced.
    let vote = json!({
        "actor": format!("{}/u/lemmy_alpha", community.base),
        "object": format!("{}/comment/1", community.base),
        "audience": group,
        "type": "Like",
        "id": community.new_id("like"),
    });
    let announce = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": community.new_id("announce"),
        "type": "Announce",
        "actor": group,
        "to": [PUBLIC],
        "cc": [format!("{group}/followers")],
        "object": vote,
    });
    assert_eq!(community.send(&inbox, &announce).await, 202);
}
