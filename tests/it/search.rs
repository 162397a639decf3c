//! Full-text search of statuses (`/api/v2/search`): posts found by their words,
//! for what the searcher may see and nothing else, kept up to date as posts are
//! written, edited and deleted here and on other servers, with the operators and
//! paging apps use.

use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::{TestInstance, eventually};

use crate::media::{png, upload};

/// The texts of the statuses `client` finds for `q` (with any extra `params`).
async fn found(client: &ApiClient, q: &str, params: &str) -> Vec<String> {
    let q = urlencode(q);
    client
        .get(&format!("/api/v2/search?q={q}&type=statuses{params}"))
        .await
        .expect(200)
        .body["statuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["content"].as_str().unwrap().to_owned())
        .collect()
}

fn urlencode(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// Which of `labels` occur among `texts`, in the order found.
fn which(texts: &[String], labels: &[&str]) -> Vec<String> {
    texts
        .iter()
        .filter_map(|t| {
            labels
                .iter()
                .find(|l| t.contains(*l))
                .map(|l| (*l).to_owned())
        })
        .collect()
}

const LABELS: [&str; 5] = ["ONE", "TWO", "THREE", "FOUR", "FIVE"];

#[tokio::test]
async fn statuses_are_found_by_their_words_only_by_those_who_may_see_them() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let carol = a.user("carol").await;
    let dave = a.user("dave").await;
    let anonymous = a.anonymous();
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    bob.post(&format!("/api/v1/accounts/{alice_id}/follow"), json!({}))
        .await
        .expect(200);

    let post = |text: &str, visibility: &str, spoiler: &str| {
        let body = json!({"status": text, "visibility": visibility, "spoiler_text": spoiler});
        let alice = alice.clone();
        async move { alice.post("/api/v1/statuses", body).await.expect(200).body }
    };
    let public = post(
        "ONE Planning the Ofsted <b>inspection</b>",
        "public",
        "Workload",
    )
    .await;
    post("TWO Ofsted, quietly", "unlisted", "").await;
    post("THREE Ofsted for followers", "private", "").await;
    post("FOUR @carol Ofsted between us", "direct", "").await;

    // Each finds what they may see, newest first; a visitor only public posts.
    for (who, client, expected) in [
        ("alice", &alice, vec!["FOUR", "THREE", "TWO", "ONE"]),
        ("bob, a follower", &bob, vec!["THREE", "TWO", "ONE"]),
        ("carol, mentioned", &carol, vec!["FOUR", "TWO", "ONE"]),
        ("dave, a stranger", &dave, vec!["TWO", "ONE"]),
        ("a visitor", &anonymous, vec!["ONE"]),
    ] {
        let texts = found(client, "ofsted", "").await;
        assert_eq!(which(&texts, &LABELS), expected, "{who}");
    }
    // Case, the content warning and several words; markup is not text.
    assert_eq!(
        which(&found(&dave, "OFSTED Inspection", "").await, &LABELS),
        ["ONE"]
    );
    assert_eq!(which(&found(&dave, "workload", "").await, &LABELS), ["ONE"]);
    for markup in ["href", "span", "class", "mention", "p"] {
        assert!(found(&alice, markup, "").await.is_empty(), "{markup}");
    }
    assert!(found(&alice, "ofsted budget", "").await.is_empty());
    // Without a type, statuses come with accounts and hashtags.
    let mixed = alice.get("/api/v2/search?q=ofsted").await.expect(200).body;
    assert_eq!(mixed["statuses"].as_array().unwrap().len(), 4);
    assert!(mixed["accounts"].is_array() && mixed["hashtags"].is_array());

    // Blocking the searcher hides the author's posts from them.
    let dave_id = dave.lookup("dave").await["id"].as_str().unwrap().to_owned();
    alice
        .post(&format!("/api/v1/accounts/{dave_id}/block"), json!({}))
        .await
        .expect(200);
    assert!(found(&dave, "ofsted", "").await.is_empty());

    // An edit changes what finds the post; a deletion removes it.
    let public_id = public["id"].as_str().unwrap();
    alice
        .put(
            &format!("/api/v1/statuses/{public_id}"),
            json!({"status": "ONE Planning the SATs week"}),
        )
        .await
        .expect(200);
    assert_eq!(
        which(&found(&bob, "ofsted", "").await, &LABELS),
        ["THREE", "TWO"]
    );
    assert_eq!(which(&found(&bob, "sats", "").await, &LABELS), ["ONE"]);
    alice
        .delete(&format!("/api/v1/statuses/{public_id}"))
        .await
        .expect(200);
    assert!(found(&bob, "sats", "").await.is_empty());

    // Bad input.
    let long = "a".repeat(501);
    assert_eq!(
        alice
            .get(&format!("/api/v2/search?q={long}&type=statuses"))
            .await
            .status,
        400
    );
    let bad = alice
        .get("/api/v2/search?q=ofsted&type=statuses&offset=x")
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body["error"].is_string());
    assert_eq!(
        alice
            .get("/api/v2/search?q=ofsted&type=statuses&account_id=x")
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn operators_and_paging_narrow_a_search() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let alice_id = alice.lookup("alice").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ids = Vec::new();
    for label in LABELS {
        let status = alice.status(&format!("{label} curriculum review")).await;
        ids.push(status["id"].as_str().unwrap().to_owned());
    }
    bob.status("Bob's curriculum notes").await;
    let medium = upload(&a, alice.token.as_deref().unwrap(), png(4, 4)).await;
    let with_media = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Curriculum map attached", "media_ids": [medium["id"]]}),
        )
        .await
        .expect(200)
        .body;

    assert_eq!(found(&bob, "curriculum", "").await.len(), 7);
    let from_alice = found(&bob, "curriculum from:alice", "").await;
    assert_eq!(from_alice.len(), 6);
    assert_eq!(found(&bob, "from:alice", "").await.len(), 6);
    let address = format!("from:@alice@{}", a.domain());
    assert_eq!(
        found(&bob, &format!("curriculum {address}"), "")
            .await
            .len(),
        6
    );
    let own = found(&bob, "curriculum from:me", "").await;
    assert!(
        own.len() == 1 && own[0].contains("curriculum notes"),
        "{own:?}"
    );
    assert!(found(&bob, "curriculum from:nobody", "").await.is_empty());
    assert_eq!(
        found(&bob, "curriculum", &format!("&account_id={alice_id}"))
            .await
            .len(),
        6
    );
    let media_only = found(&bob, "curriculum has:media", "").await;
    assert_eq!(media_only.len(), 1);
    assert!(media_only[0].contains("map attached"), "{with_media}");
    // Dates: everything was posted today.
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let yesterday = today.pred_opt().unwrap();
    assert_eq!(
        found(&bob, &format!("curriculum before:{tomorrow}"), "")
            .await
            .len(),
        7
    );
    assert!(
        found(&bob, &format!("curriculum before:{today}"), "")
            .await
            .is_empty()
    );
    assert_eq!(
        found(&bob, &format!("curriculum after:{yesterday}"), "")
            .await
            .len(),
        7
    );
    assert!(
        found(&bob, &format!("curriculum after:{today}"), "")
            .await
            .is_empty()
    );
    assert_eq!(
        found(&bob, &format!("curriculum during:{today}"), "")
            .await
            .len(),
        7
    );

    // Paging: by limit and offset, and by max_id / min_id.
    let q = "review from:alice";
    let first = which(&found(&bob, q, "&limit=2").await, &LABELS);
    assert_eq!(first, ["FIVE", "FOUR"]);
    assert_eq!(
        which(&found(&bob, q, "&limit=2&offset=2").await, &LABELS),
        ["THREE", "TWO"]
    );
    assert_eq!(
        which(
            &found(&bob, q, &format!("&limit=2&max_id={}", ids[3])).await,
            &LABELS
        ),
        ["THREE", "TWO"]
    );
    assert_eq!(
        which(
            &found(&bob, q, &format!("&limit=2&min_id={}", ids[0])).await,
            &LABELS
        ),
        ["THREE", "TWO"]
    );
    // A later page has no accounts or hashtags again.
    let later: Value = bob
        .get("/api/v2/search?q=alice&offset=1")
        .await
        .expect(200)
        .body;
    assert!(later["accounts"].as_array().unwrap().is_empty());

    // The web app's search page finds posts by their words too.
    let page = a
        .get("/search?q=curriculum+review")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("FIVE curriculum review"), "{page}");
    assert!(!page.contains("Bob&#39;s curriculum"));
}

#[tokio::test]
async fn remote_statuses_are_found_edited_and_forgotten_as_their_server_says() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let address = format!("bob@{}", b.domain());
    let remote = alice
        .get(&format!(
            "/api/v2/search?q=@{address}&resolve=true&type=accounts"
        ))
        .await
        .expect(200)
        .body["accounts"][0]
        .clone();
    let remote_id = remote["id"].as_str().unwrap();
    alice
        .post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({}))
        .await
        .expect(200);
    eventually("bob's server accepts", || async {
        alice
            .get(&format!("/api/v1/accounts/relationships?id[]={remote_id}"))
            .await
            .items()[0]["following"]
            == true
    })
    .await;

    let posted = bob.status("Safeguarding training on Thursday").await;
    eventually("bob's post is found at alice's", || async {
        found(&alice, "safeguarding", "").await.len() == 1
    })
    .await;
    let posted_id = posted["id"].as_str().unwrap();
    bob.put(
        &format!("/api/v1/statuses/{posted_id}"),
        json!({"status": "Attendance training on Thursday"}),
    )
    .await
    .expect(200);
    eventually("the edit is searched", || async {
        found(&alice, "attendance", "").await.len() == 1
            && found(&alice, "safeguarding", "").await.is_empty()
    })
    .await;
    bob.delete(&format!("/api/v1/statuses/{posted_id}"))
        .await
        .expect(200);
    eventually("the deletion is searched", || async {
        found(&alice, "attendance", "").await.is_empty()
    })
    .await;
}

#[tokio::test]
async fn posts_written_before_search_existed_are_indexed_by_its_migration() {
    let a = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Governors meeting minutes", "spoiler_text": "Finance"}),
        )
        .await
        .expect(200);
    // Back to before the search's migration, then forward again.
    const SEARCH: &str = "m20261207_000075_create_post_search";
    for _ in 0..100 {
        let status = a.cli(&["migrate", "status"], "").await.stdout;
        if status
            .lines()
            .any(|l| l.contains(SEARCH) && l.contains("pending"))
        {
            break;
        }
        let down = a.cli(&["migrate", "down"], "").await;
        assert_eq!(down.status, 0, "{}", down.stderr);
    }
    let up = a.cli(&["migrate", "up"], "").await;
    assert_eq!(up.status, 0, "{}", up.stderr);
    assert!(up.stdout.contains(SEARCH), "{}", up.stdout);
    let a = a.restart().await;
    let alice = ApiClient::new(&a.base, alice.token.clone());
    for q in ["governors minutes", "finance"] {
        assert_eq!(found(&alice, q, "").await.len(), 1, "{q}");
    }
    assert!(found(&alice, "p", "").await.is_empty());
}
