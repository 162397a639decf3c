//! Articles: written through the project's API (Markdown rendered and cleaned,
//! limits refused with reasons), shown in Mastodon apps as Mastodon shows an
//! `Article` (title, summary, link), edited and deleted; their comments, which
//! the author may hide from everyone but the comment's author; private articles
//! kept from outsiders on every route; the pages; and across two instances an
//! article federated as an `Article` with its comments and edits, and articles
//! from other servers (`Article`, `Page`) stored with their title.

use reqwest::header::ACCEPT;
use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually, two_instances};

const ARTICLES: &str = "/api/staffroom/v1/articles";
const BODY: &str = "## Why it matters\n\nA *short* case:\n\n- first\n- second\n\n> Quoted wisdom\n\nSee [the report](https://example.org/report) and `code`.\n\n<script>alert(1)</script>";

async fn write(client: &ApiClient, extra: Value) -> Value {
    let mut body = json!({
        "title": "Leading a residential",
        "summary": "What we learnt taking Year 6 away for three days.",
        "body": BODY,
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    client.post(ARTICLES, body).await.expect(200).body
}

async fn context(client: &ApiClient, id: &str) -> Vec<String> {
    client
        .get(&format!("/api/v1/statuses/{id}/context"))
        .await
        .expect(200)
        .body["descendants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn reply(client: &ApiClient, to: &str, text: &str) -> String {
    client
        .post(
            "/api/v1/statuses",
            json!({"status": text, "in_reply_to_id": to}),
        )
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn activity_json(instance: &TestInstance, url: &str) -> (u16, Value) {
    let response = instance
        .http
        .get(url)
        .header(ACCEPT, "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_article_is_written_shown_as_a_status_and_refused_with_reasons() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let made = write(&alice, json!({})).await;
    let id = made["id"].as_str().unwrap().to_owned();
    let page = format!(
        "{}/@alice/articles/{id}",
        instance.base.trim_end_matches('/')
    );
    assert_eq!(made["title"], "Leading a residential");
    assert_eq!(made["url"], page);
    assert_eq!(made["body_markdown"], BODY);
    let html = made["body_html"].as_str().unwrap();
    assert!(html.contains("<h2>Why it matters</h2>"), "{html}");
    assert!(html.contains("<li>first</li>"), "{html}");
    assert!(html.contains("<blockquote>"), "{html}");
    assert!(html.contains("<code>code</code>"), "{html}");
    assert!(
        html.contains("href=\"https://example.org/report\""),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");

    // In Mastodon apps: the title, the summary and a link to its page.
    let status = alice
        .get(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(200)
        .body;
    let content = status["content"].as_str().unwrap();
    assert!(
        content.starts_with("<p><strong>Leading a residential</strong></p>"),
        "{content}"
    );
    assert!(content.contains("What we learnt taking Year 6 away"));
    assert!(
        content.contains(&format!("<a href=\"{page}\">")),
        "{content}"
    );
    assert_eq!(status["url"], page);
    // The status cannot be edited as a note.
    alice
        .put(&format!("/api/v1/statuses/{id}"), json!({"status": "x"}))
        .await
        .expect(422);

    // Limits, each with its reason.
    for (field, value, reason) in [
        ("title", json!("x".repeat(201)), "title is too long"),
        ("title", json!("  "), "title must not be empty"),
        ("summary", json!("x".repeat(501)), "summary is too long"),
        ("body", json!("x".repeat(100_001)), "body is too long"),
        ("body", json!(""), "body must not be empty"),
        ("visibility", json!("everyone"), "visibility must be"),
    ] {
        let mut asked = json!({"title": "T", "summary": "S", "body": "B"});
        asked[field] = value;
        let refused = alice.post(ARTICLES, asked).await.expect(422);
        let error = refused.body["error"].as_str().unwrap();
        assert!(error.contains(reason), "{field}: {error}");
    }
    // A cover must be one's own unused upload.
    alice
        .post(
            ARTICLES,
            json!({"title": "T", "body": "B", "cover_media_id": "12345"}),
        )
        .await
        .expect(422);

    // A cover, uploaded first, is attached and shown.
    let token = alice.token.clone().unwrap();
    let (uploaded, medium) = crate::media::upload_to(
        &instance,
        "/api/v2/media",
        &token,
        crate::media::png(64, 48),
        "cover.png",
        &[("description", "Pupils by the lake")],
    )
    .await;
    assert_eq!(uploaded, 200, "{medium}");
    let cover_id = medium["id"].as_str().unwrap();
    let media_url = medium["url"].as_str().unwrap();
    let media_path = &media_url[media_url.find("/media/").unwrap()..];
    let with_cover = write(
        &alice,
        json!({
            "cover_media_id": cover_id,
            "body": format!("Before\n\n![The lake]({media_path})\n\n![Elsewhere](https://tracker.example/t.png)"),
        }),
    )
    .await;
    assert_eq!(with_cover["cover"]["id"], cover_id);
    assert_eq!(with_cover["cover"]["description"], "Pupils by the lake");
    let html = with_cover["body_html"].as_str().unwrap();
    assert!(html.contains(&format!("src=\"{media_url}\"")), "{html}");
    assert!(!html.contains("tracker.example"), "{html}");

    // A person's articles, newest first, in pages.
    let me = alice.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = instance
        .anonymous()
        .get(&format!("{ARTICLES}?account_id={me}"))
        .await
        .expect(200)
        .ids();
    assert_eq!(
        listed,
        vec![with_cover["id"].as_str().unwrap().to_owned(), id.clone()]
    );
    let second = instance
        .anonymous()
        .get(&format!("{ARTICLES}?account_id={me}&limit=1&offset=1"))
        .await
        .expect(200)
        .ids();
    assert_eq!(second, vec![id.clone()]);

    // Edited: the article, its status and its page change.
    let edited = alice
        .put(
            &format!("{ARTICLES}/{id}"),
            json!({"title": "Leading a residential, revised", "summary": "Now with costs.", "body": "# Costs\n\nLess than feared."}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(edited["title"], "Leading a residential, revised");
    assert!(edited["edited_at"].is_string());
    let status = alice.get(&format!("/api/v1/statuses/{id}")).await.body;
    assert!(status["content"].as_str().unwrap().contains("revised"));
    let page_html = instance
        .http
        .get(&page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page_html.contains("<h1>Costs</h1>"), "{page_html}");

    // Its ActivityPub document is an Article.
    let (status_code, article) = activity_json(&instance, made["uri"].as_str().unwrap()).await;
    assert_eq!(status_code, 200);
    assert_eq!(article["type"], "Article");
    assert_eq!(article["name"], "Leading a residential, revised");
    assert_eq!(article["summary"], "Now with costs.");
    assert_eq!(article["mediaType"], "text/html");
    assert_eq!(article["source"]["mediaType"], "text/markdown");
    assert_eq!(article["source"]["content"], "# Costs\n\nLess than feared.");
    assert_eq!(article["url"], page);
    let (_, covered) = activity_json(&instance, with_cover["uri"].as_str().unwrap()).await;
    assert_eq!(covered["image"]["type"], "Image");
    assert_eq!(covered["image"]["url"], media_url);

    // Deleted: gone everywhere.
    alice.delete(&format!("{ARTICLES}/{id}")).await.expect(200);
    alice.get(&format!("{ARTICLES}/{id}")).await.expect(404);
    alice
        .get(&format!("/api/v1/statuses/{id}"))
        .await
        .expect(404);
}

#[tokio::test]
async fn comments_are_threaded_and_the_author_hides_them_from_others() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let carol = instance.user("carol").await;
    let made = write(&alice, json!({})).await;
    let id = made["id"].as_str().unwrap().to_owned();
    let page = format!("/@alice/articles/{id}");
    let rude = reply(&bob, &id, "A rude remark about residentials").await;
    let below = reply(&carol, &rude, "An answer to the rude remark").await;
    let kind = reply(&carol, &id, "A kind comment on the article").await;
    assert_eq!(
        context(&carol, &id).await,
        vec![rude.clone(), below.clone(), kind.clone()]
    );

    // Only the article's author hides a comment.
    bob.post(&format!("{ARTICLES}/{id}/comments/{rude}/hide"), json!({}))
        .await
        .expect(404);
    let hidden = alice
        .post(&format!("{ARTICLES}/{id}/comments/{rude}/hide"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(hidden["hidden_comment_ids"], json!([rude.clone()]));
    // A post outside the thread is no comment of it.
    let elsewhere = bob.status("Not a comment").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    alice
        .post(
            &format!("{ARTICLES}/{id}/comments/{elsewhere}/hide"),
            json!({}),
        )
        .await
        .expect(404);

    // Gone (with what answers it) for others; kept for its author and the article's.
    assert_eq!(context(&carol, &id).await, vec![kind.clone()]);
    assert_eq!(
        context(&instance.anonymous(), &id).await,
        vec![kind.clone()]
    );
    assert!(context(&bob, &id).await.contains(&rude));
    assert!(context(&alice, &id).await.contains(&rude));
    let page = page.as_str();
    let seen_by = |browser: Browser| async move { browser.get(page).await.body };
    let visitor = seen_by(Browser::new(&instance.base)).await;
    assert!(!visitor.contains("A rude remark"), "{visitor}");
    assert!(visitor.contains("A kind comment"));
    let author_page =
        seen_by(Browser::signed_in(&instance.base, "alice", "correct horse battery").await).await;
    assert!(author_page.contains("A rude remark"));
    assert!(author_page.contains("Hidden by the article"));
    let bob_page =
        seen_by(Browser::signed_in(&instance.base, "bob", "correct horse battery").await).await;
    assert!(bob_page.contains("A rude remark"));

    // Shown again.
    alice
        .post(
            &format!("{ARTICLES}/{id}/comments/{rude}/unhide"),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(context(&carol, &id).await, vec![rude, below, kind]);
}

#[tokio::test]
async fn a_private_article_is_never_shown_to_outsiders() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let made = write(&alice, json!({"visibility": "private"})).await;
    let id = made["id"].as_str().unwrap();
    let me = alice.get("/api/v1/accounts/verify_credentials").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for client in [&bob, &instance.anonymous()] {
        client.get(&format!("{ARTICLES}/{id}")).await.expect(404);
        client
            .get(&format!("/api/v1/statuses/{id}"))
            .await
            .expect(404);
        assert!(
            client
                .get(&format!("{ARTICLES}?account_id={me}"))
                .await
                .expect(200)
                .items()
                .is_empty()
        );
    }
    let visitor = Browser::new(&instance.base);
    assert_eq!(
        visitor.get(&format!("/@alice/articles/{id}")).await.status,
        404
    );
    let listed = visitor.get("/@alice/articles").await;
    assert!(!listed.body.contains("Leading a residential"));
    let bob_browser = Browser::signed_in(&instance.base, "bob", "correct horse battery").await;
    assert_eq!(
        bob_browser
            .get(&format!("/@alice/articles/{id}"))
            .await
            .status,
        404
    );
    let (fetched, _) = activity_json(&instance, made["uri"].as_str().unwrap()).await;
    assert!(fetched == 404 || fetched == 401, "{fetched}");
    let (fetched, _) = activity_json(&instance, made["url"].as_str().unwrap()).await;
    assert!(fetched == 404 || fetched == 401, "{fetched}");
    // Its author sees it.
    alice.get(&format!("{ARTICLES}/{id}")).await.expect(200);
}

#[tokio::test]
async fn articles_are_written_edited_and_commented_on_the_web_pages() {
    let instance = TestInstance::start_for_apps().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    instance.create_user("bob", &["--password-stdin"]).await;
    let alice = Browser::signed_in(&instance.base, "alice", "correct horse battery").await;
    let compose = alice.get("/publish").await;
    assert!(compose.body.contains("href=\"/articles/new\""));
    let form = alice.get("/articles/new").await;
    assert_eq!(form.status, 200);
    for id in [
        "article-title",
        "article-summary",
        "article-body",
        "article-cover",
        "article-cover-alt",
        "article-visibility",
    ] {
        assert!(
            form.body.contains(&format!("for=\"{id}\"")),
            "{id} has no label"
        );
    }
    let fields = |title: &str| -> Vec<(String, String)> {
        vec![
            ("authenticity_token".into(), form.csrf()),
            ("title".into(), title.into()),
            ("summary".into(), "Three things we changed.".into()),
            ("body".into(), "## One\n\nWe *listened*.".into()),
            ("visibility".into(), "public".into()),
            ("cover_alt".into(), "The school hall".into()),
        ]
    };
    let refused = alice
        .post_multipart("/articles/new", &fields(&"x".repeat(201)), &[])
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("title is too long"),
        "{}",
        refused.body
    );
    let made = alice
        .post_multipart(
            "/articles/new",
            &fields("Our assembly rethink"),
            &[("cover", "hall.png", crate::media::png(40, 30))],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.location.clone().unwrap();
    assert!(path.starts_with("/@alice/articles/"), "{path}");
    let page = alice.get(&path).await;
    assert!(
        page.body
            .contains("<h1 id=\"article-title\">Our assembly rethink</h1>")
    );
    assert!(page.body.contains("<h2>One</h2>"));
    assert!(page.body.contains("alt=\"The school hall\""));
    assert!(alice.get("/@alice/articles").await.body.contains(&path));

    // Edited by its author.
    let edit = alice.get(&format!("{path}/edit")).await;
    assert_eq!(edit.status, 200);
    assert!(edit.body.contains("We *listened*."));
    let saved = alice
        .post(
            &format!("{path}/edit"),
            &[
                ("authenticity_token".into(), edit.csrf()),
                ("title".into(), "Our assembly rethink, a term on".into()),
                ("summary".into(), "Three things we changed.".into()),
                (
                    "body".into(),
                    "## One\n\nWe *listened*, and kept listening.".into(),
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(alice.get(&path).await.body.contains("a term on"));

    // Bob comments from the page; alice hides it from the page.
    let bob = Browser::signed_in(&instance.base, "bob", "correct horse battery").await;
    let seen = bob.get(&path).await;
    assert!(seen.body.contains("id=\"compose-text\""));
    assert!(!seen.body.contains("/edit\""), "only the author edits");
    let mut comment = seen.hidden_fields();
    comment.push(("status".into(), "Brilliant, we will try it".into()));
    comment.push(("visibility".into(), "public".into()));
    let sent = bob.post_multipart("/publish", &comment, &[]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(
        bob.get(&path)
            .await
            .body
            .contains("Brilliant, we will try it")
    );
    let own = alice.get(&path).await;
    let start = own.body.find("/comments/").expect("a hide button");
    let action_end = own.body[start..].find('"').unwrap() + start;
    let action = format!("{path}{}", &own.body[start..action_end]);
    assert!(action.ends_with("/hide"), "{action}");
    let hidden = alice
        .post(&action, &[("authenticity_token".into(), own.csrf())])
        .await;
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    let visitor = Browser::new(&instance.base).get(&path).await;
    assert!(!visitor.body.contains("Brilliant, we will try it"));
    assert!(
        bob.get(&path)
            .await
            .body
            .contains("Brilliant, we will try it")
    );
}

#[tokio::test]
async fn an_article_federates_with_its_comments_and_edits() {
    let (a, _b, alice, bob) = two_instances().await;
    let made = write(&alice, json!({})).await;
    let find = || async {
        bob.get("/api/v1/timelines/home")
            .await
            .items()
            .into_iter()
            .find(|s| s["uri"] == made["uri"])
    };
    eventually("the article reaches bob's home", || async {
        find().await.is_some()
    })
    .await;
    let status = find().await.unwrap();
    let on_b = status["id"].as_str().unwrap().to_owned();
    // Shown as Mastodon shows an Article: title, summary, link to its page.
    let content = status["content"].as_str().unwrap();
    assert!(
        content.contains("<strong>Leading a residential</strong>"),
        "{content}"
    );
    assert!(content.contains("What we learnt taking Year 6 away"));
    assert!(content.contains(made["url"].as_str().unwrap()), "{content}");
    assert_eq!(status["url"], made["url"]);
    let seen = bob
        .get(&format!("{ARTICLES}/{on_b}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["title"], "Leading a residential");
    assert_eq!(seen["summary"], made["summary"]);
    assert_eq!(seen["local"], false);
    assert_eq!(seen["url"], made["url"]);
    let html = seen["body_html"].as_str().unwrap();
    assert!(html.contains("<h2>Why it matters</h2>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    // Its page on b shows it too.
    let page = Browser::new(&_b.base)
        .get(&format!("/@alice@{}/articles/{on_b}", a.domain()))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h2>Why it matters</h2>"));

    // Bob comments from b: the comment reaches the article on a.
    let comment = reply(&bob, &on_b, "A comment from another server").await;
    let id_on_a = made["id"].as_str().unwrap().to_owned();
    eventually("the comment reaches alice", || async {
        alice
            .get(&format!("/api/v1/statuses/{id_on_a}/context"))
            .await
            .body["descendants"]
            .as_array()
            .is_some_and(|d| {
                d.iter().any(|s| {
                    s["content"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("another server")
                })
            })
    })
    .await;
    assert!(!comment.is_empty());

    // Alice edits: b hears an Update.
    alice
        .put(
            &format!("{ARTICLES}/{id_on_a}"),
            json!({"title": "Leading a residential (updated)", "summary": "Revised.", "body": "New text."}),
        )
        .await
        .expect(200);
    eventually("the edit reaches bob", || async {
        bob.get(&format!("{ARTICLES}/{on_b}")).await.body["title"]
            == "Leading a residential (updated)"
    })
    .await;
}

#[tokio::test]
async fn articles_from_other_servers_are_stored_with_their_title_and_comments_arrive() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let peer = Peer::start().await;
    let inbox = format!("{}/inbox", instance.base);
    let alice_id = format!("{}/users/alice", instance.base);

    // A WordPress-like Article naming alice, with a cover and HTML.
    let article_id = format!("{}/2026/12/residentials", peer.base);
    let article = json!({
        "id": article_id,
        "type": "Article",
        "attributedTo": peer.actor_id,
        "name": "Residentials on a budget",
        "summary": "<p>How three trusts cut costs.</p>",
        "content": "<h2>Costs</h2><p>Plan early <script>alert(1)</script><img src=\"https://tracker.example/t.png\"></p>",
        "url": format!("{}/residentials", peer.base),
        "image": {"type": "Image", "url": format!("{}/cover.jpg", peer.base)},
        "published": "2026-12-01T10:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [alice_id],
        "tag": [{"type": "Mention", "href": alice_id, "name": "@alice"}],
    });
    assert_eq!(
        peer.send(&inbox, &peer.activity("Create", article)).await,
        202
    );
    let mentioned = || async {
        alice
            .get("/api/v1/notifications?types[]=mention")
            .await
            .items()
            .into_iter()
            .find(|n| n["status"]["uri"] == article_id)
    };
    eventually("the article is stored", || async {
        mentioned().await.is_some()
    })
    .await;
    let status = mentioned().await.unwrap()["status"].clone();
    let id = status["id"].as_str().unwrap();
    let content = status["content"].as_str().unwrap();
    assert!(
        content.contains("<strong>Residentials on a budget</strong>"),
        "{content}"
    );
    assert!(content.contains("How three trusts cut costs."), "{content}");
    assert!(
        content.contains(&format!("{}/residentials", peer.base)),
        "{content}"
    );
    let seen = alice
        .get(&format!("{ARTICLES}/{id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["title"], "Residentials on a budget");
    assert_eq!(seen["summary"], "How three trusts cut costs.");
    assert_eq!(seen["cover"]["url"], format!("{}/cover.jpg", peer.base));
    let html = seen["body_html"].as_str().unwrap();
    assert!(html.contains("<h2>Costs</h2>"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("tracker.example"),
        "{html}"
    );

    // A Lemmy-like Page without a summary: the start of its text stands in.
    let page_id = format!("{}/post/7", peer.base);
    let page = json!({
        "id": page_id,
        "type": "Page",
        "attributedTo": peer.actor_id,
        "name": "Knowledge organisers",
        "content": "<p>How do you use them in year 7?</p>",
        "mediaType": "text/html",
        "published": "2026-12-01T11:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [alice_id],
        "tag": [{"type": "Mention", "href": alice_id, "name": "@alice"}],
    });
    assert_eq!(peer.send(&inbox, &peer.activity("Create", page)).await, 202);
    let found = || async {
        alice
            .get("/api/v1/notifications?types[]=mention")
            .await
            .items()
            .into_iter()
            .find(|n| n["status"]["uri"] == page_id)
    };
    eventually("the page is stored", || async { found().await.is_some() }).await;
    let page_here = found().await.unwrap()["status"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = alice
        .get(&format!("{ARTICLES}/{page_here}"))
        .await
        .expect(200)
        .body;
    assert_eq!(seen["title"], "Knowledge organisers");
    assert_eq!(seen["summary"], "How do you use them in year 7?");

    // A comment from the peer on alice's article arrives, and she hides it.
    let mine = write(&alice, json!({})).await;
    let mine_id = mine["id"].as_str().unwrap().to_owned();
    let comment_id = format!("{}/notes/comment", peer.base);
    let comment = json!({
        "id": comment_id,
        "type": "Note",
        "attributedTo": peer.actor_id,
        "content": "<p>A comment from a blog elsewhere</p>",
        "inReplyTo": mine["uri"],
        "published": "2026-12-02T10:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [alice_id],
    });
    assert_eq!(
        peer.send(&inbox, &peer.activity("Create", comment)).await,
        202
    );
    let anonymous = instance.anonymous();
    let comments = || async {
        anonymous
            .get(&format!("/api/v1/statuses/{mine_id}/context"))
            .await
            .body["descendants"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    eventually("the comment arrives", || async {
        comments().await.len() == 1
    })
    .await;
    let remote_comment = comments().await[0]["id"].as_str().unwrap().to_owned();
    alice
        .post(
            &format!("{ARTICLES}/{mine_id}/comments/{remote_comment}/hide"),
            json!({}),
        )
        .await
        .expect(200);
    assert!(comments().await.is_empty());
    assert_eq!(context(&alice, &mine_id).await, vec![remote_comment]);
}
