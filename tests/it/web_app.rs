//! The web app, driven as a browser without JavaScript drives it: signing in to
//! the home timeline, writing, boosting, favouriting, bookmarking, editing and
//! deleting from the pages' own forms, the timelines and their paging, and what
//! the pages keep from people who may not see a post.

use serde_json::json;
use staffroom_domain::posts::post::Visibility;
use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};

const PASSWORD: &str = "correct horse battery";

/// The fields of the compose form on `page`, with `text` as the post.
fn compose_fields(page: &Page, text: &str, visibility: &str) -> Vec<(String, String)> {
    vec![
        ("authenticity_token".into(), page.csrf()),
        (
            "return_to".into(),
            page.hidden("return_to").expect("a compose form"),
        ),
        ("status".into(), text.into()),
        ("visibility".into(), visibility.into()),
        ("spoiler_text".into(), String::new()),
    ]
}

/// Publishes `text` from the home page's form; the answer.
async fn publish(browser: &Browser, text: &str, visibility: &str) -> Page {
    let home = browser.get("/home").await;
    assert_eq!(home.status, 200, "{}", home.body);
    browser
        .post_multipart("/publish", &compose_fields(&home, text, visibility), &[])
        .await
}

/// The id of `username`'s newest post.
async fn newest_post_of(instance: &TestInstance, username: &str) -> String {
    let account = instance.account(username).await;
    let (status, posts) = instance
        .get_json(&format!("/api/v1/accounts/{}/statuses", account.id))
        .await;
    assert_eq!(status, 200);
    posts[0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_visitor_is_sent_to_sign_in_and_comes_back_home() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::new(&instance.base);

    let home = browser.get("/home").await;
    assert_eq!(home.status, 303);
    assert_eq!(
        home.location.as_deref(),
        Some("/auth/sign_in?return_to=%2Fhome")
    );
    let form = browser.get(home.location.as_deref().unwrap()).await;
    let signed_in = browser.sign_in(&form, "alice", PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(signed_in.location.as_deref(), Some("/home"));

    let home = browser.get("/home").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("action=\"/publish\""), "{}", home.body);
    assert!(home.body.contains("href=\"/assets/staffroom.css\""));
    assert!(home.body.contains("aria-current=\"page\">Home<"));
    instance.shut_down().await;
}

#[tokio::test]
async fn a_post_written_on_the_home_page_is_in_the_timelines_with_its_hashtag_linked() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let done = publish(
        &browser,
        "Our first #ambitionfeed visit went well",
        "public",
    )
    .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/home"));

    let home = browser.get("/home").await;
    assert!(home.body.contains("Our first"), "{}", home.body);
    assert!(home.body.contains("/tags/ambitionfeed"), "{}", home.body);
    let local = Browser::new(&instance.base).get("/public/local").await;
    assert_eq!(local.status, 200);
    assert!(local.body.contains("Our first"), "{}", local.body);
    // A visitor has no buttons.
    assert!(!local.body.contains("/favourite\""), "{}", local.body);
    let federated = Browser::new(&instance.base).get("/public").await;
    assert!(federated.body.contains("Our first"));
    instance.shut_down().await;
}

#[tokio::test]
async fn a_refused_post_comes_back_with_its_text_and_the_reason() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let long = format!("Too long {}", "x".repeat(6000));
    let again = publish(&browser, &long, "private").await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("role=\"alert\""), "{}", again.body);
    assert!(again.body.contains(&long), "the text is lost");
    assert!(
        again.body.contains("<option value=\"private\" selected>"),
        "the visibility is lost"
    );
    let account = instance.account("alice").await;
    let (_, posts) = instance
        .get_json(&format!("/api/v1/accounts/{}/statuses", account.id))
        .await;
    assert_eq!(posts, json!([]));
    instance.shut_down().await;
}

#[tokio::test]
async fn a_form_without_its_token_changes_nothing() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let fields = vec![
        ("status".to_owned(), "Forged".to_owned()),
        ("visibility".to_owned(), "public".to_owned()),
    ];
    let refused = browser.post_multipart("/publish", &fields, &[]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let local = browser.get("/public/local").await;
    assert!(!local.body.contains("Forged"));
    instance.shut_down().await;
}

#[tokio::test]
async fn the_buttons_of_a_post_favourite_boost_and_bookmark_and_take_each_back() {
    let instance = TestInstance::start_for_apps().await;
    let bob = instance.user("bob").await;
    let bobs = bob.status("A question for heads of maths").await;
    let id = bobs["id"].as_str().unwrap().to_owned();
    instance.create_user("alice", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let local = browser.get("/public/local").await;
    assert!(local.body.contains("A question"), "{}", local.body);
    let csrf = local.csrf();
    let press = |action: &'static str| {
        let browser = browser.clone();
        let csrf = csrf.clone();
        let id = id.clone();
        async move {
            let fields = vec![
                ("authenticity_token".to_owned(), csrf),
                ("return_to".to_owned(), "/public/local".to_owned()),
            ];
            browser
                .post(&format!("/statuses/{id}/{action}"), &fields)
                .await
        }
    };
    for action in ["favourite", "reblog", "bookmark"] {
        let done = press(action).await;
        assert_eq!(done.status, 303, "{action}: {}", done.body);
        assert_eq!(
            done.location.as_deref(),
            Some(format!("/public/local#post-{id}").as_str())
        );
    }
    let status = bob.get(&format!("/api/v1/statuses/{id}")).await.expect(200);
    assert_eq!(status.body["favourites_count"], 1);
    assert_eq!(status.body["reblogs_count"], 1);
    let page = browser.get("/public/local").await;
    assert!(page.body.contains(&format!("/statuses/{id}/unfavourite")));
    assert!(page.body.contains(&format!("/statuses/{id}/unreblog")));
    assert!(page.body.contains(&format!("/statuses/{id}/unbookmark")));

    for action in ["unfavourite", "unreblog", "unbookmark"] {
        assert_eq!(press(action).await.status, 303, "{action}");
    }
    let status = bob.get(&format!("/api/v1/statuses/{id}")).await.expect(200);
    assert_eq!(status.body["favourites_count"], 0);
    assert_eq!(status.body["reblogs_count"], 0);
    let page = browser.get("/public/local").await;
    assert!(page.body.contains(&format!("/statuses/{id}/favourite")));
    assert!(page.body.contains(&format!("/statuses/{id}/bookmark")));
    instance.shut_down().await;
}

#[tokio::test]
async fn an_author_edits_and_deletes_a_post_from_its_pages() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    instance.create_user("bob", &["--password-stdin"]).await;
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    publish(&browser, "Residential in Mrach", "public").await;
    let id = newest_post_of(&instance, "alice").await;

    // Someone else can neither edit nor delete it.
    let bobs = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    assert_eq!(bobs.get(&format!("/statuses/{id}/edit")).await.status, 404);
    let malformed = bobs.get("/statuses/nonsense/edit").await;
    assert_eq!(malformed.status, 404);
    assert!(
        malformed.body.contains("<html"),
        "a page, not JSON: {}",
        malformed.body
    );
    let form = bobs.get("/home").await;
    let forged = bobs
        .post(
            &format!("/statuses/{id}/delete"),
            &[("authenticity_token".to_owned(), form.csrf())],
        )
        .await;
    assert_ne!(forged.status, 303, "{}", forged.body);

    let edit = browser.get(&format!("/statuses/{id}/edit")).await;
    assert_eq!(edit.status, 200, "{}", edit.body);
    assert!(edit.body.contains(">Residential in Mrach</textarea>"));
    let saved = browser
        .post(
            &format!("/statuses/{id}/edit"),
            &[
                ("authenticity_token".to_owned(), edit.csrf()),
                ("status".to_owned(), "Residential in March".to_owned()),
                ("spoiler_text".to_owned(), String::new()),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, status) = instance.get_json(&format!("/api/v1/statuses/{id}")).await;
    assert!(status["content"].as_str().unwrap().contains("March"));
    assert!(status["edited_at"].is_string());

    let ask = browser.get(&format!("/statuses/{id}/delete")).await;
    assert_eq!(ask.status, 200);
    let deleted = browser
        .post(
            &format!("/statuses/{id}/delete"),
            &[("authenticity_token".to_owned(), ask.csrf())],
        )
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    let (status, _) = instance.get_json(&format!("/api/v1/statuses/{id}")).await;
    assert_eq!(status, 404);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_followers_only_post_stays_off_the_pages_of_people_who_may_not_see_it() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    instance.create_user("mallory", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    publish(&alice, "Only for my followers: staffing worries", "private").await;
    let id = newest_on_home(&alice).await;

    // Alice sees it at home; nobody else sees it anywhere.
    assert!(alice.get("/home").await.body.contains("staffing worries"));
    let mallory = Browser::signed_in(&instance.base, "mallory", PASSWORD).await;
    for browser in [&mallory, &Browser::new(&instance.base)] {
        for path in ["/public/local", "/public"] {
            let page = browser.get(path).await;
            assert!(!page.body.contains("staffing worries"), "{path}");
        }
        assert_eq!(browser.get(&format!("/statuses/{id}")).await.status, 404);
    }
    let home = mallory.get("/home").await;
    assert!(!home.body.contains("staffing worries"));
    let favourite = mallory
        .post(
            &format!("/statuses/{id}/favourite"),
            &[("authenticity_token".to_owned(), home.csrf())],
        )
        .await;
    assert_eq!(favourite.status, 404);
    instance.shut_down().await;
}

/// The id of the newest post on `browser`'s home page.
async fn newest_on_home(browser: &Browser) -> String {
    let home = browser.get("/home").await;
    let start = home.body.find("id=\"post-").expect("a post") + "id=\"post-".len();
    let end = start + home.body[start..].find('"').unwrap();
    home.body[start..end].to_owned()
}

#[tokio::test]
async fn a_timeline_pages_to_older_and_newer_posts() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    for n in 1..=25 {
        instance
            .post_as(
                "alice",
                &format!("Numbered post {n:02}."),
                Visibility::Public,
            )
            .await;
    }
    let browser = Browser::new(&instance.base);
    let first = browser.get("/public/local").await;
    assert!(first.body.contains("Numbered post 25."));
    assert!(!first.body.contains("Numbered post 05."));
    assert!(
        !first.body.contains("rel=\"prev\""),
        "no newer page on the first"
    );
    let older = link(&first, "next").expect("an older page");
    let second = browser.get(&older).await;
    assert!(second.body.contains("Numbered post 05."), "{}", second.body);
    assert!(second.body.contains("Numbered post 01."));
    assert!(!second.body.contains("Numbered post 06."));
    assert!(link(&second, "next").is_none(), "the last page is not full");
    let newer = link(&second, "prev").expect("a newer page");
    let back = browser.get(&newer).await;
    assert!(back.body.contains("Numbered post 06."), "{}", back.body);
    assert!(back.body.contains("Numbered post 25."));

    let bad = browser.get("/public/local?max_id=nonsense").await;
    assert_eq!(bad.status, 400);
    instance.shut_down().await;
}

/// The `href` of the pager's link with `rel`.
fn link(page: &Page, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\"");
    let at = page.body.find(&marker)?;
    let before = &page.body[..at];
    let start = before.rfind("href=\"")? + "href=\"".len();
    let end = start + page.body[start..].find('"')?;
    Some(page.body[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn a_post_page_shows_its_thread_and_takes_a_reply() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob", "carol"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    let question = instance
        .post_as("alice", "Who runs a peer review?", Visibility::Public)
        .await;
    let answer = instance
        .compose_as(
            "bob",
            "@alice We do, termly.",
            Visibility::Public,
            Some(&question),
        )
        .await;
    let answer_id = answer.rsplit('/').next().unwrap();
    let page_path = format!("/@bob/{answer_id}");

    let visitor = Browser::new(&instance.base).get(&page_path).await;
    assert_eq!(visitor.status, 200, "{}", visitor.body);
    let main = &visitor.body[visitor.body.find("<main").unwrap()..];
    let question_at = main
        .find("Who runs a peer review?")
        .expect("the question above");
    let answer_at = main.find("We do, termly.").expect("the answer");
    assert!(question_at < answer_at, "the question comes first");
    assert!(
        !visitor.body.contains("action=\"/publish\""),
        "no reply box for a visitor"
    );
    assert!(
        visitor
            .body
            .contains("<meta name=\"description\" content=\"@alice We do, termly.\">")
    );

    let carol = Browser::signed_in(&instance.base, "carol", PASSWORD).await;
    let page = carol.get(&page_path).await;
    assert_eq!(page.hidden("in_reply_to_id").as_deref(), Some(answer_id));
    assert!(
        page.body.contains(">@bob </textarea>"),
        "the author is mentioned: {}",
        page.body
    );
    let mut fields = compose_fields(&page, "@bob Could you share the rubric?", "public");
    fields.push(("in_reply_to_id".into(), answer_id.into()));
    let sent = carol.post_multipart("/publish", &fields, &[]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location.as_deref(), Some(page_path.as_str()));
    let again = carol.get(&page_path).await;
    assert!(
        again.body.contains("Could you share the rubric?"),
        "{}",
        again.body
    );

    // A wrong author in the address, and a boost's id, are not a post's page.
    assert_eq!(
        Browser::new(&instance.base)
            .get(&format!("/@alice/{answer_id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        Browser::new(&instance.base)
            .get("/@bob/nonsense")
            .await
            .status,
        404
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn a_reply_for_followers_only_is_left_out_of_the_thread_for_others() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    let question = instance
        .post_as("alice", "Budget question for trusts", Visibility::Public)
        .await;
    instance
        .compose_as(
            "alice",
            "Our figures are confidential",
            Visibility::Private,
            Some(&question),
        )
        .await;
    let question_id = question.rsplit('/').next().unwrap();
    let path = format!("/@alice/{question_id}");

    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    assert!(
        alice
            .get(&path)
            .await
            .body
            .contains("Our figures are confidential")
    );
    let bob = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    for browser in [&bob, &Browser::new(&instance.base)] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("Our figures are confidential"),
            "{}",
            page.body
        );
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn a_profile_page_follows_mutes_and_blocks_and_lists_followers() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    instance
        .post_as("bob", "Bob's followers-only note", Visibility::Private)
        .await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let profile = alice.get("/@bob").await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    assert!(profile.body.contains("action=\"/@bob/follow\""));
    assert!(
        !profile.body.contains("followers-only note"),
        "not before following"
    );

    let press = |action: &'static str| {
        let alice = alice.clone();
        let csrf = profile.csrf();
        async move {
            let done = alice
                .post(
                    &format!("/@bob/{action}"),
                    &[("authenticity_token".to_owned(), csrf)],
                )
                .await;
            assert_eq!(done.status, 303, "{action}: {}", done.body);
            assert_eq!(done.location.as_deref(), Some("/@bob"));
        }
    };
    press("follow").await;
    let profile = alice.get("/@bob").await;
    assert!(profile.body.contains("action=\"/@bob/unfollow\""));
    assert!(
        profile.body.contains("followers-only note"),
        "{}",
        profile.body
    );
    let followers = Browser::new(&instance.base).get("/@bob/followers").await;
    assert!(
        followers.body.contains("href=\"/@alice\""),
        "{}",
        followers.body
    );
    let following = Browser::new(&instance.base).get("/@alice/following").await;
    assert!(following.body.contains("href=\"/@bob\""));

    press("mute").await;
    assert!(
        alice
            .get("/@bob")
            .await
            .body
            .contains("action=\"/@bob/unmute\"")
    );
    press("unmute").await;
    press("block").await;
    let profile = alice.get("/@bob").await;
    assert!(profile.body.contains("action=\"/@bob/unblock\""));
    let (_, followers) = instance
        .get_json(&format!(
            "/api/v1/accounts/{}/followers",
            instance.account("bob").await.id
        ))
        .await;
    assert_eq!(followers, json!([]), "a block ends the follow");
    press("unblock").await;
    assert!(
        alice
            .get("/@bob")
            .await
            .body
            .contains("action=\"/@bob/follow\"")
    );

    // Nobody follows themself, and a visitor has no buttons.
    let own = alice.get("/@alice").await;
    assert!(!own.body.contains("action=\"/@alice/follow\""));
    let refused = alice
        .post(
            "/@alice/follow",
            &[("authenticity_token".to_owned(), own.csrf())],
        )
        .await;
    assert_eq!(refused.status, 403);
    let visitor = Browser::new(&instance.base).get("/@bob").await;
    assert!(!visitor.body.contains("action=\"/@bob/follow\""));
    assert_eq!(
        Browser::new(&instance.base).get("/@nobody").await.status,
        404
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn following_a_locked_account_shows_the_request_until_it_is_answered() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    instance.lock("bob").await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let profile = alice.get("/@bob").await;
    assert!(profile.body.contains("approves followers"));
    let done = alice
        .post(
            "/@bob/follow",
            &[("authenticity_token".to_owned(), profile.csrf())],
        )
        .await;
    assert_eq!(done.status, 303);
    let profile = alice.get("/@bob").await;
    assert!(
        profile.body.contains("Follow requested"),
        "{}",
        profile.body
    );
    let withdrawn = alice
        .post(
            "/@bob/unfollow",
            &[("authenticity_token".to_owned(), profile.csrf())],
        )
        .await;
    assert_eq!(withdrawn.status, 303);
    assert!(
        alice
            .get("/@bob")
            .await
            .body
            .contains("action=\"/@bob/follow\"")
    );
    instance.shut_down().await;
}

#[tokio::test]
async fn the_notifications_page_shows_what_happened_and_answers_follow_requests() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    instance.lock("alice").await;
    let post = instance
        .post_as("alice", "Our curriculum review", Visibility::Public)
        .await;
    let post_id = post.rsplit('/').next().unwrap().to_owned();
    let bob = Browser::signed_in(&instance.base, "bob", PASSWORD).await;
    let profile = bob.get("/@alice").await;
    let csrf = profile.csrf();
    let token = || vec![("authenticity_token".to_owned(), csrf.clone())];
    assert_eq!(bob.post("/@alice/follow", &token()).await.status, 303);
    assert_eq!(
        bob.post(&format!("/statuses/{post_id}/favourite"), &token())
            .await
            .status,
        303
    );
    instance
        .post_as("bob", "@alice thank you for sharing", Visibility::Public)
        .await;

    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = alice.get("/notifications").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("favourited your post"), "{}", page.body);
    assert!(page.body.contains("Our curriculum review"));
    assert!(page.body.contains("mentioned you"));
    assert!(page.body.contains("asked to follow you"));
    let bob_id = instance.account("bob").await.id;
    assert!(
        page.body
            .contains(&format!("action=\"/follow_requests/{bob_id}/authorize\""))
    );
    let mentions = alice.get("/notifications?only=mentions").await;
    assert!(mentions.body.contains("thank you for sharing"));
    assert!(!mentions.body.contains("favourited your post"));

    // Bob cannot answer a request made to Alice.
    let forged = bob
        .post(&format!("/follow_requests/{bob_id}/authorize"), &token())
        .await;
    assert_ne!(forged.status, 303, "{}", forged.body);
    let accepted = alice
        .post(
            &format!("/follow_requests/{bob_id}/authorize"),
            &[("authenticity_token".to_owned(), page.csrf())],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let page = alice.get("/notifications").await;
    assert!(!page.body.contains("/follow_requests/"), "answered");
    assert!(
        bob.get("/@alice")
            .await
            .body
            .contains("action=\"/@alice/unfollow\"")
    );
    assert!(!bob.get("/@alice").await.body.contains("Follow requested"));
    instance.shut_down().await;
}

#[tokio::test]
async fn the_search_page_finds_people_hashtags_and_posts_by_address() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bobby"] {
        instance.create_user(name, &["--password-stdin"]).await;
    }
    let public = instance
        .post_as(
            "bobby",
            "Planning the #ambitionfeed launch",
            Visibility::Public,
        )
        .await;
    let private = instance
        .post_as("bobby", "Private planning notes", Visibility::Private)
        .await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;

    let people = alice.get("/search?q=bob").await;
    assert_eq!(people.status, 200, "{}", people.body);
    assert!(people.body.contains("href=\"/@bobby\""), "{}", people.body);
    let tags = alice.get("/search?q=%23ambition").await;
    assert!(
        tags.body.contains("href=\"/tags/ambitionfeed\""),
        "{}",
        tags.body
    );
    let by_url = alice
        .get(&format!("/search?q={}", urlencode(&public)))
        .await;
    assert!(by_url.body.contains("Planning the"), "{}", by_url.body);
    // A post nobody but followers may see is not found by its address.
    for browser in [&alice, &Browser::new(&instance.base)] {
        let hidden = browser
            .get(&format!("/search?q={}", urlencode(&private)))
            .await;
        assert_eq!(hidden.status, 200);
        assert!(!hidden.body.contains("Private planning notes"));
    }
    let too_long = alice.get(&format!("/search?q={}", "x".repeat(600))).await;
    assert_eq!(too_long.status, 400);
    instance.shut_down().await;
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn the_profile_settings_save_what_was_typed_and_keep_it_on_a_mistake() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let form = alice.get("/settings/profile").await;
    assert_eq!(form.status, 200, "{}", form.body);
    let fields = |name: &str, note: &str| {
        vec![
            ("authenticity_token".to_owned(), form.csrf()),
            ("display_name".to_owned(), name.to_owned()),
            ("note".to_owned(), note.to_owned()),
            ("field_name_0".to_owned(), "School".to_owned()),
            ("field_value_0".to_owned(), "Hillside Primary".to_owned()),
            ("locked".to_owned(), "true".to_owned()),
        ]
    };
    let bio = "Head of <Hillside> & proud.\n\nAsk me about phonics.";
    let saved = alice
        .post_multipart("/settings/profile", &fields("Alice Adeyemi", bio), &[])
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, account) = instance
        .get_json("/api/v1/accounts/lookup?acct=alice")
        .await;
    assert_eq!(account["display_name"], "Alice Adeyemi");
    assert_eq!(account["locked"], true);
    assert_eq!(account["fields"][0]["name"], "School");
    assert!(
        account["note"]
            .as_str()
            .unwrap()
            .contains("&lt;Hillside&gt;")
    );
    // The form shows the bio as it was typed.
    let again = alice.get("/settings/profile?saved").await;
    assert!(again.body.contains("role=\"status\""));
    assert!(
        again
            .body
            .contains("Head of &lt;Hillside&gt; &amp; proud.\n\nAsk me about phonics.</textarea>"),
        "{}",
        again.body
    );
    assert!(alice.get("/@alice").await.body.contains("Hillside Primary"));

    // Not a picture: nothing saved, and the form keeps what was typed.
    let refused = alice
        .post_multipart(
            "/settings/profile",
            &fields("Alice Renamed", bio),
            &[("avatar", "avatar.png", b"not an image".to_vec())],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("role=\"alert\""));
    assert!(refused.body.contains("value=\"Alice Renamed\""));
    let (_, account) = instance
        .get_json("/api/v1/accounts/lookup?acct=alice")
        .await;
    assert_eq!(account["display_name"], "Alice Adeyemi");
    let too_long = alice
        .post_multipart("/settings/profile", &fields(&"x".repeat(200), bio), &[])
        .await;
    assert_eq!(too_long.status, 422, "{}", too_long.body);
    instance.shut_down().await;
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_and_no_answer_is_sniffed_or_framed() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    alice
        .post("/api/v1/statuses", json!({"status": "Hello #ambitionfeed"}))
        .await
        .expect(200);
    let browser = Browser::new(&instance.base);
    for path in [
        "/",
        "/auth/sign_in",
        "/@alice",
        "/tags/ambitionfeed",
        "/@nobody",
    ] {
        let page = browser.get(path).await;
        let header = |name: &str| {
            page.headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let policy = header("content-security-policy");
        assert!(policy.contains("script-src 'self';"), "{path}: {policy}");
        assert!(policy.contains("style-src 'self';"), "{path}: {policy}");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert!(policy.contains("object-src 'none'"), "{path}: {policy}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
    }
    let api = instance
        .http
        .get(format!("{}/api/v1/instance", instance.base))
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    assert!(api.headers().get("content-security-policy").is_none());
}
