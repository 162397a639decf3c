//! The staff's pages, driven as a browser drives them: who may reach them, a
//! moderator approving a sign-up, disabling someone, resolving a report and
//! suspending an account elsewhere, an administrator giving roles, making invites
//! and blocking a server, and the audit log that records each, the command line's
//! changes included.

use serde_json::json;
use staffroom_tests::TestInstance;
use staffroom_tests::browser::{Browser, Page};

const PASSWORD: &str = "correct horse battery";

pub(crate) fn field(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// Sends the form of `page` that posts to `action`, with `fields` after its CSRF
/// field.
pub(crate) async fn send(
    browser: &Browser,
    page: &Page,
    action: &str,
    fields: &[(&str, &str)],
) -> Page {
    assert!(
        page.body.contains(&format!("action=\"{action}\"")),
        "no form for {action} on the page: {}",
        page.body
    );
    let mut all = vec![field("authenticity_token", &page.csrf())];
    all.extend(fields.iter().map(|(name, value)| field(name, value)));
    browser.post(action, &all).await
}

#[tokio::test]
async fn only_staff_reach_the_admin_pages_and_only_administrators_their_part() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &["--password-stdin"]).await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    let visitor = Browser::new(&instance.base);
    let answer = visitor.get("/admin").await;
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.location.as_deref(),
        Some("/auth/sign_in?return_to=%2Fadmin")
    );

    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    assert!(!alice.get("/home").await.body.contains("href=\"/admin\""));
    for path in [
        "/admin",
        "/admin/users",
        "/admin/reports",
        "/admin/audit",
        "/admin/domains",
    ] {
        let refused = alice.get(path).await;
        assert_eq!(refused.status, 403, "{path}: {}", refused.body);
    }
    // Her forms are refused too, whatever they say.
    let home = alice.get("/home").await;
    let refused = alice
        .post(
            "/admin/users/modo/disable",
            &[field("authenticity_token", &home.csrf())],
        )
        .await;
    assert_eq!(refused.status, 403);

    let modo = Browser::signed_in(&instance.base, "modo", PASSWORD).await;
    let home = modo.get("/home").await;
    assert!(home.body.contains("href=\"/admin\""), "{}", home.body);
    let overview = modo.get("/admin").await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    assert!(!overview.body.contains("href=\"/admin/domains\""));
    for path in ["/admin/domains", "/admin/invites"] {
        assert_eq!(modo.get(path).await.status, 403, "{path}");
    }
    let refused = send(
        &modo,
        &modo.get("/admin/users").await,
        "/admin/users/alice/disable",
        &[],
    )
    .await;
    assert_eq!(
        refused.status, 303,
        "a moderator disables a person: {}",
        refused.body
    );
    let refused = modo
        .post(
            "/admin/users/alice/role",
            &[
                field("authenticity_token", &overview.csrf()),
                field("role", "admin"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403, "only administrators give roles");
    instance.shut_down().await;
}

#[tokio::test]
async fn a_moderator_approves_disables_and_resolves_and_the_log_says_who_did_what() {
    let instance = TestInstance::start_with(&[
        ("STAFFROOM_REGISTRATIONS", "approval"),
        ("STAFFROOM_PASSWORD_GRANT", "true"),
    ])
    .await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    instance
        .create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;

    // Someone signs up and waits; the moderator lets them in.
    let newcomer = Browser::new(&instance.base);
    let form = newcomer.get("/auth/sign_up").await;
    let signed_up = newcomer
        .post(
            "/auth/sign_up",
            &[
                field("authenticity_token", &form.csrf()),
                field("username", "newhead"),
                field("email", "newhead@example.org"),
                field("password", PASSWORD),
                field("agreement", "1"),
                field("reason", "I lead Hill Primary"),
            ],
        )
        .await;
    assert!(signed_up.status < 400, "{}", signed_up.body);
    let modo = Browser::signed_in(&instance.base, "modo", PASSWORD).await;
    let waiting = modo.get("/admin/sign_ups").await;
    assert!(
        waiting.body.contains("I lead Hill Primary"),
        "{}",
        waiting.body
    );
    let approved = send(&modo, &waiting, "/admin/sign_ups/newhead/approve", &[]).await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert!(
        !modo
            .get("/admin/sign_ups")
            .await
            .body
            .contains("I lead Hill Primary")
    );
    let newhead = Browser::signed_in(&instance.base, "newhead", PASSWORD).await;
    assert_eq!(newhead.get("/home").await.status, 200);

    // Disabled, they can no longer sign in; an administrator cannot be disabled by
    // a moderator, nor can the moderator disable themself.
    let people = modo.get("/admin/users?q=newhead").await;
    assert!(
        people.body.contains("id=\"user-newhead\""),
        "{}",
        people.body
    );
    assert!(!people.body.contains("id=\"user-boss\""));
    let disabled = send(
        &modo,
        &people,
        "/admin/users/newhead/disable",
        &[("return_to", "/admin/users?q=newhead")],
    )
    .await;
    assert_eq!(disabled.status, 303, "{}", disabled.body);
    assert_eq!(disabled.location.as_deref(), Some("/admin/users?q=newhead"));
    let again = Browser::new(&instance.base);
    let form = again.get("/auth/sign_in").await;
    assert_ne!(again.sign_in(&form, "newhead", PASSWORD).await.status, 303);
    let people = modo.get("/admin/users").await;
    for (target, status) in [("boss", 403), ("modo", 403)] {
        let refused = modo
            .post(
                &format!("/admin/users/{target}/disable"),
                &[field("authenticity_token", &people.csrf())],
            )
            .await;
        assert_eq!(refused.status, status, "{target}: {}", refused.body);
    }

    // A report: resolved from its page, and open again.
    let alice = instance.user("alice").await;
    let mallory = instance.user("mallory").await;
    let spam = mallory.status("Buy essays, cheap").await;
    let mallory_id = alice.lookup("mallory").await["id"].clone();
    let report = alice
        .post(
            "/api/v1/reports",
            json!({"account_id": mallory_id, "status_ids": [spam["id"]], "comment": "spam again"}),
        )
        .await
        .expect(200)
        .body;
    let id = report["id"].as_str().unwrap();
    let list = modo.get("/admin/reports").await;
    assert!(
        list.body.contains(&format!("/admin/reports/{id}")),
        "{}",
        list.body
    );
    let page = modo.get(&format!("/admin/reports/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("spam again"));
    assert!(page.body.contains("Buy essays, cheap"), "the post named");
    let resolved = send(&modo, &page, &format!("/admin/reports/{id}/resolve"), &[]).await;
    assert_eq!(resolved.status, 303, "{}", resolved.body);
    let page = modo.get(&format!("/admin/reports/{id}")).await;
    assert!(page.body.contains("resolved by modo"), "{}", page.body);
    assert!(
        !modo
            .get("/admin/reports")
            .await
            .body
            .contains(&format!("/admin/reports/{id}\""))
    );

    // The operator's change at the command line is in the log beside theirs.
    let out = instance
        .cli(&["admin", "set-role", "alice", "moderator"], "")
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    let log = modo.get("/admin/audit").await;
    assert_eq!(log.status, 200);
    for line in [
        "approved the sign-up of newhead",
        "disabled newhead",
        &format!("resolved report {id}"),
        "gave a role to alice",
    ] {
        assert!(log.body.contains(line), "{line} in {}", log.body);
    }
    assert!(log.body.contains("the operator"));
    assert!(log.body.contains("href=\"/@modo\">modo</a>"));
    instance.shut_down().await;
}

#[tokio::test]
async fn an_administrator_gives_roles_makes_invites_and_sets_rules_for_other_servers() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "invite-only")]).await;
    instance
        .create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let boss = Browser::signed_in(&instance.base, "boss", PASSWORD).await;

    // A role given; the administrator's own is not theirs to change.
    let people = boss.get("/admin/users").await;
    let given = send(
        &boss,
        &people,
        "/admin/users/alice/role",
        &[("role", "moderator")],
    )
    .await;
    assert_eq!(given.status, 303, "{}", given.body);
    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    assert_eq!(alice.get("/admin").await.status, 200);
    let refused = boss
        .post(
            "/admin/users/boss/role",
            &[
                field("authenticity_token", &people.csrf()),
                field("role", "user"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    let refused = boss
        .post(
            "/admin/users/alice/role",
            &[
                field("authenticity_token", &people.csrf()),
                field("role", "emperor"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);

    // An invite for two people, whose link fills the sign-up form's code.
    let invites = boss.get("/admin/invites").await;
    let bad = send(&boss, &invites, "/admin/invites", &[("max_uses", "0")]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let made = send(
        &boss,
        &invites,
        "/admin/invites",
        &[("max_uses", "2"), ("expires_in_days", "7")],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let invites = boss.get("/admin/invites").await;
    let link = invites
        .body
        .split("href=\"/auth/sign_up?invite_code=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an invite link")
        .to_owned();
    assert!(invites.body.contains("0 of 2"), "{}", invites.body);
    let visitor = Browser::new(&instance.base);
    let form = visitor
        .get(&format!("/auth/sign_up?invite_code={link}"))
        .await;
    assert!(
        form.body.contains(&format!("value=\"{link}\"")),
        "{}",
        form.body
    );

    // A server blocked, then let back; a malformed domain is refused.
    let domains = boss.get("/admin/domains").await;
    let bad = send(
        &boss,
        &domains,
        "/admin/domains",
        &[("domain", "not a domain"), ("policy", "block")],
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let blocked = send(
        &boss,
        &domains,
        "/admin/domains",
        &[
            ("domain", "spam.example"),
            ("policy", "block"),
            ("reason", "spam"),
        ],
    )
    .await;
    assert_eq!(blocked.status, 303, "{}", blocked.body);
    let out = instance.cli(&["admin", "domain", "list"], "").await;
    assert!(
        out.stdout.contains("block  spam.example spam"),
        "{}",
        out.stdout
    );
    let domains = boss.get("/admin/domains").await;
    let removed = send(
        &boss,
        &domains,
        "/admin/domains/remove",
        &[("domain", "spam.example")],
    )
    .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let out = instance.cli(&["admin", "domain", "list"], "").await;
    assert!(!out.stdout.contains("spam.example"), "{}", out.stdout);

    let log = boss.get("/admin/audit").await;
    for line in [
        "gave a role to alice",
        "made an invite",
        "blocked the server spam.example",
        "removed the rule for spam.example",
    ] {
        assert!(log.body.contains(line), "{line} in {}", log.body);
    }
    assert!(!log.body.contains("emperor"));
    instance.shut_down().await;
}

#[tokio::test]
async fn a_person_reports_a_post_from_its_page_and_the_moderators_see_it() {
    let instance = TestInstance::start_for_apps().await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    instance.create_user("alice", &["--password-stdin"]).await;
    let mallory = instance.user("mallory").await;
    let spam = mallory.status("Buy essays, cheap").await;
    let id = spam["id"].as_str().unwrap();

    let alice = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let timeline = alice.get("/public/local").await;
    assert!(
        timeline
            .body
            .contains(&format!("href=\"/statuses/{id}/report\"")),
        "{}",
        timeline.body
    );
    let form = alice.get(&format!("/statuses/{id}/report")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Buy essays, cheap"));
    // A comment too long comes back with what was typed.
    let long = "x".repeat(1001);
    let refused = send(
        &alice,
        &form,
        &format!("/statuses/{id}/report"),
        &[("category", "spam"), ("comment", &long)],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains(&long));
    let sent = send(
        &alice,
        &form,
        &format!("/statuses/{id}/report"),
        &[("category", "spam"), ("comment", "the same advert daily")],
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("the report is sent"), "{}", sent.body);
    // Her own posts and profile have nothing to report.
    assert_eq!(alice.get("/@alice/report").await.status, 403);

    let modo = Browser::signed_in(&instance.base, "modo", PASSWORD).await;
    let list = modo.get("/admin/reports").await;
    assert!(list.body.contains("the same advert daily"), "{}", list.body);
    assert!(list.body.contains("By alice"), "{}", list.body);
    instance.shut_down().await;
}

#[tokio::test]
async fn an_administrator_features_changes_and_ends_a_challenge_from_the_pages() {
    let instance = TestInstance::start().await;
    instance
        .create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;
    instance
        .create_user("modo", &["--password-stdin", "--role", "moderator"])
        .await;
    let modo = Browser::signed_in(&instance.base, "modo", PASSWORD).await;
    assert!(
        !modo
            .get("/admin")
            .await
            .body
            .contains("href=\"/admin/challenges\"")
    );
    for path in ["/admin/challenges", "/admin/feeds"] {
        assert_eq!(modo.get(path).await.status, 403, "{path}");
    }

    let boss = Browser::signed_in(&instance.base, "boss", PASSWORD).await;
    let page = boss.get("/admin/challenges").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("href=\"/admin/challenges\""));
    let today = chrono::Utc::now().date_naive();
    let start = today.format("%Y-%m-%d").to_string();
    let end = (today + chrono::Days::new(7))
        .format("%Y-%m-%d")
        .to_string();
    let description = "Write about **belonging** in your school";
    let mut fields = vec![
        ("title", "Belonging week"),
        ("hashtag", "not a tag!"),
        ("starts", start.as_str()),
        ("ends", end.as_str()),
        ("run_by", "Hill Trust"),
        ("trust", ""),
        ("description", description),
        ("feed_host", ""),
    ];
    // Mistakes bring the form back with what was typed and why.
    let refused = send(&boss, &page, "/admin/challenges", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("The challenge was not featured"));
    assert!(refused.body.contains("hashtag is not a valid hashtag"));
    assert!(refused.body.contains("value=\"Belonging week\""));
    assert!(refused.body.contains("value=\"not a tag!\""));
    assert!(refused.body.contains(description), "{}", refused.body);
    fields[1].1 = "BelongingWeek";
    fields[3].1 = "2020-01-01";
    let refused = send(&boss, &page, "/admin/challenges", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("must be after the start"),
        "{}",
        refused.body
    );
    fields[5].1 = "No Such Trust";
    fields[3].1 = &end;
    let refused = send(&boss, &page, "/admin/challenges", &fields).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("no trust called"), "{}", refused.body);
    fields[5].1 = "";

    let made = send(&boss, &page, "/admin/challenges", &fields).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let location = made.location.clone().unwrap();
    assert!(location.starts_with("/admin/challenges/"), "{location}");
    let id = location.rsplit('/').next().unwrap().to_owned();
    let shown = boss.get(&location).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("Challenge #belongingweek"));
    assert!(shown.body.contains("End the challenge now"));
    assert!(
        Browser::new(&instance.base)
            .get("/challenges")
            .await
            .body
            .contains("Belonging week")
    );

    // Changed: an empty title is refused with the rest kept, then a new one saved.
    let edit = [
        ("title", ""),
        ("starts", start.as_str()),
        ("ends", end.as_str()),
        ("run_by", "Hill Trust"),
        ("description", "Changed words"),
    ];
    let refused = send(&boss, &shown, &location, &edit).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("The challenge was not changed"));
    assert!(refused.body.contains("Changed words"), "{}", refused.body);
    let mut edit = edit;
    edit[0].1 = "Belonging fortnight";
    let saved = send(&boss, &shown, &location, &edit).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = boss.get(&location).await;
    assert!(shown.body.contains("value=\"Belonging fortnight\""));

    let ended = send(&boss, &shown, &format!("{location}/end"), &[]).await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    let list = boss.get("/admin/challenges").await.body;
    let ended_at = list.find("<h2>Ended</h2>").unwrap();
    let listed_at = list
        .find(&format!("href=\"/admin/challenges/{id}\""))
        .unwrap();
    assert!(listed_at > ended_at, "listed as ended: {list}");
    assert!(
        !boss
            .get(&location)
            .await
            .body
            .contains("End the challenge now")
    );

    let log = boss.get("/admin/audit").await.body;
    for line in [
        "featured the challenge",
        "changed the challenge",
        "ended the challenge",
    ] {
        assert!(log.contains(line), "{line} in {log}");
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn an_administrator_subscribes_to_a_feed_from_the_page_or_is_told_why_not() {
    use staffroom_domain::posts::post::Visibility;
    let a = TestInstance::start().await;
    let b = TestInstance::start().await;
    b.create_user("bea", &[]).await;
    b.post_as("bea", "Our week of #belongingweek", Visibility::Public)
        .await;
    a.create_user("boss", &["--password-stdin", "--role", "admin"])
        .await;
    let boss = Browser::signed_in(&a.base, "boss", PASSWORD).await;
    let page = boss.get("/admin/feeds").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("subscribes to no hashtag feed"));

    // A server that cannot be reached: the form comes back with why.
    let typed = "belongingweek@unreachable.invalid";
    let refused = send(&boss, &page, "/admin/feeds", &[("feed", typed)]).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Not subscribed"), "{}", refused.body);
    assert!(
        refused.body.contains("could not be reached"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(&format!("value=\"{typed}\"")));

    let feed = format!("belongingweek@{}", b.domain());
    let subscribed = send(&boss, &page, "/admin/feeds", &[("feed", &feed)]).await;
    assert_eq!(subscribed.status, 303, "{}", subscribed.body);
    let page = boss.get("/admin/feeds").await;
    assert!(page.body.contains("#belongingweek"), "{}", page.body);
    let uri = format!("{}/tags/belongingweek", b.base);
    assert!(page.body.contains(&uri), "{}", page.body);
    let out = a.cli(&["admin", "feeds", "list"], "").await;
    assert!(out.stdout.contains(&uri), "{}", out.stdout);

    let gone = send(&boss, &page, "/admin/feeds/unsubscribe", &[("feed", &uri)]).await;
    assert_eq!(gone.status, 303, "{}", gone.body);
    let page = boss.get("/admin/feeds").await;
    assert!(page.body.contains("subscribes to no hashtag feed"));
    let again = boss
        .post(
            "/admin/feeds/unsubscribe",
            &[
                field("authenticity_token", &page.csrf()),
                field("feed", &uri),
            ],
        )
        .await;
    assert_eq!(again.status, 404, "{}", again.body);

    let log = boss.get("/admin/audit").await.body;
    assert!(
        log.contains(&format!("subscribed to the hashtag feed {uri}")),
        "{log}"
    );
    assert!(log.contains(&format!("unsubscribed from the hashtag feed {uri}")));
    a.shut_down().await;
    b.shut_down().await;
}
