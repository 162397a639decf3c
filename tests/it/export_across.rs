//! Moving between two Staffroom instances with the exported files: the accounts
//! followed on one are followed from the other after an import, over real HTTP,
//! and a server blocked in an imported file stays out of the importer's home.

use serde_json::json;
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::browser::Browser;
use staffroom_tests::{TestInstance, eventually};

use crate::export::{PASSWORD, file, import};
use crate::two_instances::total;

#[tokio::test]
async fn the_accounts_followed_on_one_instance_are_followed_from_another() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let (domain_a, domain_b) = (a.domain().to_owned(), b.domain().to_owned());
    let alice = a.user("alice").await;
    a.user("dave").await;
    b.user("grace").await;
    let frank = b.user("frank").await;

    // Alice, on A, follows dave (on A) and grace (on B).
    let dave = alice.lookup("dave").await;
    let dave_id = dave["id"].as_str().unwrap();
    alice
        .post(&format!("/api/v1/accounts/{dave_id}/follow"), json!({}))
        .await
        .expect(200);
    a.follow_as("alice", &format!("{}/users/grace", b.base))
        .await;
    eventually("grace accepts alice", || async {
        total(&a, "/users/alice/following").await == 2
    })
    .await;
    let alice_browser = Browser::signed_in(&a.base, "alice", PASSWORD).await;
    let following = file(&alice_browser, "following_accounts").await;
    assert!(
        following.contains(&format!("dave@{domain_a}")),
        "{following}"
    );
    assert!(
        following.contains(&format!("grace@{domain_b}")),
        "{following}"
    );

    // Frank, on B, imports it: dave is looked up on A and followed there, grace
    // is followed at once.
    let frank_browser = Browser::signed_in(&b.base, "frank", PASSWORD).await;
    let done = import(
        &frank_browser,
        "following",
        "merge",
        following.clone().into_bytes(),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("2 of the accounts"), "{}", done.body);
    eventually("A tells B that dave accepted frank", || async {
        total(&b, "/users/frank/following").await == 2
    })
    .await;
    assert_eq!(total(&a, "/users/dave/followers").await, 2);
    assert_eq!(total(&b, "/users/grace/followers").await, 2);
    assert_eq!(file(&frank_browser, "following_accounts").await, following);

    // Dave's posts reach frank's home, until frank imports a block of A.
    let before = a
        .post_as("dave", "Before the block", Visibility::Public)
        .await;
    eventually("dave's post reaches frank's home", || async {
        let home = frank.get("/api/v1/timelines/home").await.expect(200);
        home.strings("uri").contains(&before)
    })
    .await;
    let done = import(
        &frank_browser,
        "domain_blocks",
        "merge",
        format!("{domain_a}\n{domain_b}\n").into_bytes(),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("1 of the servers"), "{}", done.body);
    assert!(done.body.contains("own domain"), "{}", done.body);
    assert_eq!(
        file(&frank_browser, "blocked_domains").await,
        format!("{domain_a}\n")
    );
    let after = a
        .post_as("dave", "After the block", Visibility::Public)
        .await;
    let grace_post = b.post_as("grace", "Still here", Visibility::Public).await;
    eventually("the new post reaches B", || async {
        b.remote_posts().await.iter().any(|p| p.1 == after)
    })
    .await;
    let home = frank.get("/api/v1/timelines/home").await.expect(200);
    let uris = home.strings("uri");
    assert!(uris.contains(&grace_post), "{uris:?}");
    assert!(!uris.contains(&after), "{uris:?}");
    assert!(!uris.contains(&before), "{uris:?}");

    // Replacing the blocks with a file naming another server lifts the block of A.
    let done = import(
        &frank_browser,
        "domain_blocks",
        "overwrite",
        b"spam.example\n".to_vec(),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(
        file(&frank_browser, "blocked_domains").await,
        "spam.example\n"
    );
    let home = frank.get("/api/v1/timelines/home").await.expect(200);
    assert!(home.strings("uri").contains(&after));
    b.shut_down().await;
    a.shut_down().await;
}
