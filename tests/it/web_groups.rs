//! Groups on the web app, driven as a browser without JavaScript drives it:
//! starting a group, joining an open one and asking to join a closed one, posting
//! to it from its page, and what its moderators do there (answer requests, take
//! posts out, remove and ban members), with what each page keeps from people who
//! may not see it.

use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};

const PASSWORD: &str = "correct horse battery";

fn field(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// Starts the group `handle` from the form at `/groups/new`; the answer.
async fn start_group(browser: &Browser, handle: &str, name: &str, policy: &str) -> Page {
    let form = browser.get("/groups/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    browser
        .post(
            "/groups",
            &[
                field("authenticity_token", &form.csrf()),
                field("handle", handle),
                field("name", name),
                field("description", "Heads of small rural primaries"),
                field("rules", "Be kind.\nWhat is said here stays here."),
                field("policy", policy),
            ],
        )
        .await
}

/// Presses the button of `page` whose form posts to `action`.
async fn press(browser: &Browser, page: &Page, action: &str) -> Page {
    assert!(
        page.body.contains(&format!("action=\"{action}\"")),
        "no button for {action} on the page: {}",
        page.body
    );
    browser
        .post(action, &[field("authenticity_token", &page.csrf())])
        .await
}

/// Writes `text` with the compose form of the group page at `path`, after the
/// mention of the group that the form starts with.
async fn post_to_group(browser: &Browser, path: &str, text: &str) -> Page {
    let page = browser.get(path).await;
    assert!(page.body.contains("Post to the group"), "{}", page.body);
    let handle = path.trim_start_matches("/groups/");
    let mention = format!("@{handle} ");
    assert!(
        page.body.contains(&format!(">{mention}</textarea>")),
        "the form starts with the group's mention: {}",
        page.body
    );
    let visibility = if page.body.contains("value=\"direct\" selected") {
        "direct"
    } else {
        "public"
    };
    browser
        .post_multipart(
            "/publish",
            &[
                field("authenticity_token", &page.csrf()),
                field("return_to", &page.hidden("return_to").unwrap()),
                field("status", &format!("{mention}{text}")),
                field("visibility", visibility),
                field("spoiler_text", ""),
            ],
            &[],
        )
        .await
}

#[tokio::test]
async fn an_open_group_is_started_joined_posted_to_and_moderated_from_its_pages() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob", "carol"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let made = start_group(&alice, "ruralheads", "Rural heads", "open").await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.location.as_deref(), Some("/groups/ruralheads"));

    // A taken handle comes back with what was typed and why.
    let again = start_group(&alice, "ruralheads", "Rural heads again", "open").await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("role=\"alert\""), "{}", again.body);
    assert!(again.body.contains("value=\"Rural heads again\""));

    // Everyone finds it; a visitor is asked to sign in to join.
    let visitor = Browser::new(&instance.base);
    let list = visitor.get("/groups").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("href=\"/groups/ruralheads\""));
    assert!(list.body.contains("open group · 1 member"), "{}", list.body);
    let page = visitor.get("/groups/ruralheads").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("What is said here stays here."));
    assert!(
        page.body
            .contains("/auth/sign_in?return_to=%2Fgroups%2Fruralheads")
    );
    assert_eq!(visitor.get("/groups/nobody").await.status, 404);

    // Bob joins at once and posts to it from its page.
    let bob = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    let page = bob.get("/groups/ruralheads").await;
    assert!(
        !page.body.contains("Post to the group"),
        "not before joining"
    );
    let joined = press(&bob, &page, "/groups/ruralheads/join").await;
    assert_eq!(joined.status, 303, "{}", joined.body);
    let posted = post_to_group(
        &bob,
        "/groups/ruralheads",
        "Who else has mixed-age classes?",
    )
    .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    assert_eq!(posted.location.as_deref(), Some("/groups/ruralheads"));
    let page = visitor.get("/groups/ruralheads").await;
    assert!(page.body.contains("mixed-age classes"), "{}", page.body);

    // Bob is no moderator: he cannot take it out, remove or ban.
    let bob_id = instance.account("bob").await.id;
    let post_id = page
        .body
        .split("id=\"post-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let page = bob.get("/groups/ruralheads").await;
    assert!(!page.body.contains("Take out of the group"));
    for action in [
        format!("/groups/ruralheads/posts/{post_id}/remove"),
        format!("/groups/ruralheads/members/{bob_id}/remove"),
    ] {
        let refused = bob
            .post(&action, &[field("authenticity_token", &page.csrf())])
            .await;
        assert_eq!(refused.status, 403, "{action}: {}", refused.body);
    }

    // Alice takes the post out: it leaves the group's page (the author keeps it).
    let page = alice.get("/groups/ruralheads").await;
    let taken = press(
        &alice,
        &page,
        &format!("/groups/ruralheads/posts/{post_id}/remove"),
    )
    .await;
    assert_eq!(taken.status, 303, "{}", taken.body);
    assert!(
        !visitor
            .get("/groups/ruralheads")
            .await
            .body
            .contains("mixed-age classes")
    );
    assert!(
        visitor
            .get("/@bob")
            .await
            .body
            .contains("mixed-age classes")
    );

    // A forged removal (no CSRF field) does nothing; the real one removes Bob.
    let forged = alice
        .post(&format!("/groups/ruralheads/members/{bob_id}/remove"), &[])
        .await;
    assert_ne!(forged.status, 303);
    let members = alice.get("/groups/ruralheads/members").await;
    assert!(members.body.contains("href=\"/@bob\""), "{}", members.body);
    let removed = press(
        &alice,
        &members,
        &format!("/groups/ruralheads/members/{bob_id}/remove"),
    )
    .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let members = alice.get("/groups/ruralheads/members").await;
    assert!(!members.body.contains("href=\"/@bob\""));

    // Carol joins and is banned: asking again changes nothing.
    let page = bob.get("/groups/ruralheads").await;
    assert!(page.body.contains("action=\"/groups/ruralheads/join\""));
    let carol = Browser::signed_in(&instance.base, "carol", PASSWORD).await;
    let page = carol.get("/groups/ruralheads").await;
    press(&carol, &page, "/groups/ruralheads/join").await;
    let carol_id = instance.account("carol").await.id;
    let members = alice.get("/groups/ruralheads/members").await;
    let banned = press(
        &alice,
        &members,
        &format!("/groups/ruralheads/members/{carol_id}/ban"),
    )
    .await;
    assert_eq!(banned.status, 303, "{}", banned.body);
    let page = carol.get("/groups/ruralheads").await;
    carol
        .post(
            "/groups/ruralheads/join",
            &[field("authenticity_token", &page.csrf())],
        )
        .await;
    let page = carol.get("/groups/ruralheads").await;
    assert!(!page.body.contains("Post to the group"), "{}", page.body);
    // A moderator cannot be banned.
    let alice_id = instance.account("alice").await.id;
    let members = alice.get("/groups/ruralheads/members").await;
    let refused = alice
        .post(
            &format!("/groups/ruralheads/members/{alice_id}/ban"),
            &[field("authenticity_token", &members.csrf())],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_closed_group_page_shows_its_posts_and_members_to_its_members_alone() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob", "mallory"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let made = start_group(&alice, "peerheads", "Peer heads", "closed").await;
    assert_eq!(made.status, 303, "{}", made.body);

    // Bob asks to join; Alice approves him on the group's page.
    let bob = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    let page = bob.get("/groups/peerheads").await;
    assert!(page.body.contains("Ask to join"), "{}", page.body);
    press(&bob, &page, "/groups/peerheads/join").await;
    let page = bob.get("/groups/peerheads").await;
    assert!(page.body.contains("Asked to join"));
    assert!(!page.body.contains("Post to the group"));
    let bob_id = instance.account("bob").await.id;
    let page = alice.get("/groups/peerheads").await;
    assert!(page.body.contains("Asking to join"), "{}", page.body);
    let approved = press(
        &alice,
        &page,
        &format!("/groups/peerheads/requests/{bob_id}/approve"),
    )
    .await;
    assert_eq!(approved.status, 303, "{}", approved.body);

    // Bob writes to the group: a direct post naming it, for its members alone.
    let posted = post_to_group(
        &bob,
        "/groups/peerheads",
        "A hard conversation with governors",
    )
    .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    for member in [&alice, &bob] {
        let page = member.get("/groups/peerheads").await;
        assert!(page.body.contains("hard conversation"), "{}", page.body);
        assert_eq!(member.get("/groups/peerheads/members").await.status, 200);
    }
    let mallory = Browser::signed_in(&instance.base, "mallory", PASSWORD).await;
    let visitor = Browser::new(&instance.base);
    for outsider in [&mallory, &visitor] {
        let page = outsider.get("/groups/peerheads").await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("hard conversation"));
        assert!(
            page.body
                .contains("What is written to this group is for its members.")
        );
        assert!(!page.body.contains("/groups/peerheads/members\""));
        assert_eq!(outsider.get("/groups/peerheads/members").await.status, 404);
        for path in ["/public/local", "/public", "/@bob"] {
            assert!(
                !outsider.get(path).await.body.contains("hard conversation"),
                "{path}"
            );
        }
    }
    // Mallory, no moderator, cannot answer a request either.
    let page = mallory.get("/groups/peerheads").await;
    press(&mallory, &page, "/groups/peerheads/join").await;
    let mallory_id = instance.account("mallory").await.id;
    let refused = mallory
        .post(
            &format!("/groups/peerheads/requests/{mallory_id}/approve"),
            &[field("authenticity_token", &page.csrf())],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        !mallory
            .get("/groups/peerheads")
            .await
            .body
            .contains("hard conversation")
    );

    // Once Bob leaves, the group's posts are no longer his to read there.
    let page = bob.get("/groups/peerheads").await;
    press(&bob, &page, "/groups/peerheads/leave").await;
    let page = bob.get("/groups/peerheads").await;
    assert!(!page.body.contains("A hard conversation"), "{}", page.body);
    instance.shut_down().await;
}
