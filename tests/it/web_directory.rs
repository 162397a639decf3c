//! The directory and challenge pages of the web app, driven as a browser without
//! JavaScript drives them: the filters that narrow the lists of leaders, trusts
//! and schools, a trust admin confirming a membership from the trust's page (and
//! everyone else refused), and a challenge's page with the posts under its
//! hashtag that the viewer may see and the form to join in.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::ApiClient;
use staffroom_tests::browser::Browser;

const PASSWORD: &str = "correct horse battery";
const V1: &str = "/api/staffroom/v1";

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn me(client: &ApiClient) -> String {
    id(&client
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body)
}

/// Creates a trust as `admin`; its id.
async fn trust(admin: &ApiClient, name: &str, kind: &str, region: &str) -> String {
    id(&admin
        .post(
            &format!("{V1}/trusts"),
            json!({"name": name, "kind": kind, "region": region}),
        )
        .await
        .expect(200)
        .body)
}

/// Creates a school as `admin`; its id.
async fn school(admin: &ApiClient, details: Value) -> String {
    id(&admin
        .post(&format!("{V1}/schools"), details)
        .await
        .expect(200)
        .body)
}

/// Sets `who`'s leader profile.
async fn lead(who: &ApiClient, role: &str, school_id: &str) {
    who.put(
        &format!("{V1}/leaders/{}", me(who).await),
        json!({"role": role, "school_id": school_id}),
    )
    .await
    .expect(200);
}

/// Two trusts, a school in each, and a leader in each school: `head`, a
/// headteacher in the north east, and `tess`, a teacher in the south west.
struct Directory {
    instance: TestInstance,
    admin: ApiClient,
    head: ApiClient,
    tess: ApiClient,
    north_id: String,
    south_school: String,
}

async fn directory() -> Directory {
    let instance = TestInstance::start_for_apps().await;
    let admin = instance.admin("amara").await;
    let head = instance.user("head").await;
    let tess = instance.user("tess").await;
    let north_id = trust(
        &admin,
        "Northern Lights Trust",
        "multi_academy_trust",
        "north_east",
    )
    .await;
    let south_id = trust(
        &admin,
        "Southdown Network",
        "leadership_network",
        "south_west",
    )
    .await;
    let north_school = school(
        &admin,
        json!({"urn": "900101", "name": "North High", "phase": "secondary", "type": "Academy converter", "region": "north_east", "local_authority": "Tyneside", "trust_id": north_id, "inspection_grade": "good", "inspection_date": "2023-03-14"}),
    )
    .await;
    let south_school = school(
        &admin,
        json!({"urn": "900201", "name": "South Primary", "phase": "primary", "region": "south_west", "local_authority": "Devon", "trust_id": south_id}),
    )
    .await;
    lead(&head, "headteacher", &north_school).await;
    lead(&tess, "teacher", &south_school).await;
    Directory {
        instance,
        admin,
        head,
        tess,
        north_id,
        south_school,
    }
}

#[tokio::test]
async fn the_directory_lists_narrow_by_their_filters() {
    let d = directory().await;
    let visitor = Browser::new(&d.instance.base);

    let all = visitor.get("/directory").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.body.contains("href=\"/directory\""), "the navigation");
    assert!(all.body.contains("href=\"/@head\""), "{}", all.body);
    assert!(all.body.contains("href=\"/@tess\""), "{}", all.body);
    assert!(all.body.contains("Headteacher"), "{}", all.body);
    assert!(all.body.contains("North High"), "{}", all.body);
    for (query, shown, hidden) in [
        ("role=headteacher", "/@head\"", "/@tess\""),
        ("region=south_west", "/@tess\"", "/@head\""),
        ("name=TES", "/@tess\"", "/@head\""),
        ("name=head&role=headteacher", "/@head\"", "/@tess\""),
    ] {
        let page = visitor.get(&format!("/directory?{query}")).await;
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert!(page.body.contains(shown), "{query}: {}", page.body);
        assert!(!page.body.contains(hidden), "{query}: {}", page.body);
    }
    // The chosen filter stays chosen.
    let narrowed = visitor.get("/directory?role=headteacher").await;
    assert!(
        narrowed
            .body
            .contains("<option value=\"headteacher\" selected>"),
        "{}",
        narrowed.body
    );
    // A name with a pattern's characters is taken as it is.
    let nobody = visitor.get("/directory?name=%25").await;
    assert!(!nobody.body.contains("/@head\""), "{}", nobody.body);
    let wrong = visitor.get("/directory?role=wizard").await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);

    let trusts = visitor
        .get("/directory/trusts?kind=leadership_network")
        .await;
    assert_eq!(trusts.status, 200, "{}", trusts.body);
    assert!(trusts.body.contains("Southdown Network"), "{}", trusts.body);
    assert!(
        !trusts.body.contains("Northern Lights Trust"),
        "{}",
        trusts.body
    );
    let trusts = visitor.get("/directory/trusts?region=north_east").await;
    assert!(
        trusts.body.contains("Northern Lights Trust"),
        "{}",
        trusts.body
    );
    assert!(
        !trusts.body.contains("Southdown Network"),
        "{}",
        trusts.body
    );
    assert!(
        trusts
            .body
            .contains("href=\"/directory/trusts/northern-lights-trust\""),
        "{}",
        trusts.body
    );

    for (query, shown, hidden) in [
        ("phase=primary", "South Primary", "North High"),
        ("region=north_east", "North High", "South Primary"),
        ("local_authority=devon", "South Primary", "North High"),
        ("name=high", "North High", "South Primary"),
        (
            &format!("trust_id={}", d.north_id) as &str,
            "North High",
            "South Primary",
        ),
    ] {
        let page = visitor.get(&format!("/directory/schools?{query}")).await;
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert!(page.body.contains(shown), "{query}: {}", page.body);
        assert!(!page.body.contains(hidden), "{query}: {}", page.body);
    }

    // A school's page has its details and its leaders.
    let schools = visitor.get("/directory/schools?name=south").await;
    let link = format!("/directory/schools/{}", d.south_school);
    assert!(schools.body.contains(&link), "{}", schools.body);
    let page = visitor.get(&link).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "900201",
        "Primary",
        "Devon",
        "South West",
        "Southdown Network",
        "/@tess",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    let north = visitor.get("/directory/schools?name=north+high").await;
    let north_link = north
        .body
        .split("href=\"/directory/schools/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the school")
        .to_owned();
    let page = visitor
        .get(&format!("/directory/schools/{north_link}"))
        .await;
    for shown in [
        "900101",
        "Academy converter",
        "Good",
        "14 March 2023",
        "Tyneside",
    ] {
        assert!(page.body.contains(shown), "{shown}: {}", page.body);
    }
    assert_eq!(visitor.get("/directory/schools/nonsense").await.status, 404);
    assert_eq!(
        visitor.get("/directory/trusts/nobody-here").await.status,
        404
    );

    // A leader's profile shows their role and school.
    let profile = visitor.get("/@head").await;
    assert!(
        profile.body.contains("Headteacher, North High"),
        "{}",
        profile.body
    );
    d.instance.shut_down().await;
}

#[tokio::test]
async fn a_trust_admin_confirms_a_membership_from_the_trust_page_and_no_one_else_can() {
    let d = directory().await;
    let (head_id, tess_id) = (me(&d.head).await, me(&d.tess).await);
    // `head` runs the northern trust; `tess` moves to its school and waits.
    d.admin
        .post(
            &format!("{V1}/trusts/{}/admins", d.north_id),
            json!({"account_id": head_id}),
        )
        .await
        .expect(200);
    let north_school = {
        let found = d
            .instance
            .anonymous()
            .get(&format!("{V1}/schools?urn=900101"))
            .await
            .expect(200);
        found.ids()[0].clone()
    };
    lead(&d.tess, "senior_leader", &north_school).await;
    let trust_page = "/directory/trusts/northern-lights-trust";
    let confirm = format!("{trust_page}/leaders/{tess_id}/confirm");

    // A visitor and a member who is no admin see no confirmation form.
    let visitor = Browser::new(&d.instance.base).get(trust_page).await;
    assert_eq!(visitor.status, 200, "{}", visitor.body);
    assert!(visitor.body.contains("North High"), "{}", visitor.body);
    assert!(visitor.body.contains("/@tess"), "{}", visitor.body);
    assert!(!visitor.body.contains(&confirm), "{}", visitor.body);
    let tess = Browser::signed_in(&d.instance.base, "tess", PASSWORD).await;
    let page = tess.get(trust_page).await;
    assert!(!page.body.contains(&confirm), "{}", page.body);
    // Sent anyway, with her own valid form token, the domain refuses it.
    let refused = tess
        .post(&confirm, &[("authenticity_token".to_owned(), page.csrf())])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.body.contains("Northern Lights Trust"),
        "{}",
        refused.body
    );

    // The admin sees the form; a forged one without the token is refused.
    let head = Browser::signed_in(&d.instance.base, "head", PASSWORD).await;
    let page = head.get(trust_page).await;
    assert!(
        page.body.contains("Memberships to confirm"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("action=\"{confirm}\"")),
        "{}",
        page.body
    );
    let forged = head.post(&confirm, &[]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);
    let unconfirmed = d
        .instance
        .anonymous()
        .get(&format!("{V1}/leaders/{tess_id}"))
        .await
        .expect(200);
    assert_eq!(
        unconfirmed.body["membership_confirmed"], false,
        "{}",
        unconfirmed.body
    );

    let done = head
        .post(&confirm, &[("authenticity_token".to_owned(), page.csrf())])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some(trust_page));
    let confirmed = d
        .instance
        .anonymous()
        .get(&format!("{V1}/leaders/{tess_id}"))
        .await
        .expect(200);
    assert_eq!(
        confirmed.body["membership_confirmed"], true,
        "{}",
        confirmed.body
    );
    // Her form is gone (his own still waits); the list says she is confirmed.
    let page = head.get(trust_page).await;
    assert!(!page.body.contains(&confirm), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("{trust_page}/leaders/{head_id}/confirm")),
        "{}",
        page.body
    );
    let tess_row = page
        .body
        .split("<li>")
        .find(|row| row.contains("/@tess\""))
        .unwrap();
    assert!(tess_row.contains("confirmed member"), "{}", page.body);

    // The trust is an account: a signed-in person follows it from its page.
    let follow = "action=\"/@northern-lights-trust/follow\"";
    let page = tess.get(trust_page).await;
    assert!(page.body.contains(follow), "{}", page.body);
    let followed = tess
        .post(
            "/@northern-lights-trust/follow",
            &[("authenticity_token".to_owned(), page.csrf())],
        )
        .await;
    assert_eq!(followed.status, 303, "{}", followed.body);
    let page = tess.get(trust_page).await;
    assert!(
        page.body
            .contains("action=\"/@northern-lights-trust/unfollow\""),
        "{}",
        page.body
    );
    d.instance.shut_down().await;
}

fn day(offset_days: i64) -> String {
    (Utc::now() + TimeDelta::days(offset_days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_challenge_page_shows_the_posts_a_viewer_may_see_and_a_form_to_join_in() {
    let instance = TestInstance::start_for_apps().await;
    let admin = instance.admin("amara").await;
    let alice = instance.user("alice").await;
    let created = admin
        .post(
            &format!("{V1}/challenges"),
            json!({
                "title": "Raising aspirations",
                "description": "**Share** one thing your school does. <script>alert(1)</script>",
                "hashtag": "ambitionfeed",
                "starts_at": day(-1),
                "ends_at": day(30),
                "run_by": "Northern Leaders Network",
            }),
        )
        .await
        .expect(200)
        .body;
    let page_path = format!("/challenges/{}", id(&created));
    let out = instance
        .cli(
            &[
                "admin",
                "create-challenge",
                "--title",
                "Reading for pleasure",
                "--hashtag",
                "readingforpleasure",
                "--starts",
                &day(-60),
                "--ends",
                &day(-31),
                "--run-by",
                "Trust A",
                "--description",
                "Books!",
            ],
            "",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    for (text, visibility) in [
        ("Our pupil panel #ambitionfeed", "public"),
        ("Only for my followers #ambitionfeed", "private"),
        ("Something else #careers", "public"),
    ] {
        alice
            .post(
                "/api/v1/statuses",
                json!({"status": text, "visibility": visibility}),
            )
            .await
            .expect(200);
    }

    let visitor = Browser::new(&instance.base);
    let front = visitor.get("/").await;
    assert!(
        front.body.contains(&format!("href=\"{page_path}\"")),
        "{}",
        front.body
    );
    let list = visitor.get("/challenges").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains(&format!("href=\"{page_path}\"")),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("<strong>Share</strong>"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("<script>alert"), "{}", list.body);
    let (running, past) = list.body.split_once("Past challenges").unwrap();
    assert!(running.contains("Raising aspirations"), "{}", list.body);
    assert!(past.contains("Reading for pleasure"), "{}", list.body);
    assert!(running.contains("1 post · 1 person"), "{}", list.body);

    let page = visitor.get(&page_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Our pupil panel"), "{}", page.body);
    assert!(
        !page.body.contains("Only for my followers"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Something else"), "{}", page.body);
    assert!(!page.body.contains("action=\"/publish\""), "{}", page.body);
    assert_eq!(visitor.get("/challenges/12x").await.status, 404);
    assert_eq!(visitor.get("/challenges/12").await.status, 404);

    // Signed in, the form to join in has the hashtag written in, and comes back.
    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = browser.get(&page_path).await;
    assert!(page.body.contains("action=\"/publish\""), "{}", page.body);
    assert!(
        page.body.contains(">#ambitionfeed </textarea>"),
        "{}",
        page.body
    );
    assert_eq!(
        page.hidden("return_to").as_deref(),
        Some(page_path.as_str())
    );
    let sent = browser
        .post_multipart(
            "/publish",
            &[
                ("authenticity_token".into(), page.csrf()),
                ("return_to".into(), page_path.clone()),
                ("status".into(), "#ambitionfeed Our careers fair".into()),
                ("visibility".into(), "public".into()),
                ("spoiler_text".into(), String::new()),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location.as_deref(), Some(page_path.as_str()));
    let page = visitor.get(&page_path).await;
    assert!(page.body.contains("Our careers fair"), "{}", page.body);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_leader_sets_their_role_school_and_trust_from_the_settings_page() {
    let d = directory().await;
    let browser = Browser::signed_in(&d.instance.base, "tess", "correct horse battery").await;
    let form = browser.get("/settings/directory").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("value=\"900201\""), "{}", form.body);
    assert!(form.body.contains("value=\"teacher\" selected"));

    let send = |role: &str, urn: &str| {
        vec![
            ("authenticity_token".to_owned(), form.csrf()),
            ("role".to_owned(), role.to_owned()),
            ("school_urn".to_owned(), urn.to_owned()),
            ("trust_slug".to_owned(), String::new()),
            ("interests".to_owned(), "reading, attendance".to_owned()),
        ]
    };
    // An unknown school is refused with what was typed kept, and nothing changes.
    let refused = browser
        .post("/settings/directory", &send("senior_leader", "999999"))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("999999"));
    let saved = browser
        .post("/settings/directory", &send("senior_leader", "900101"))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let me = me(&d.tess).await;
    let leader = d
        .tess
        .get(&format!("{V1}/leaders/{me}"))
        .await
        .expect(200)
        .body;
    assert_eq!(leader["role"], "senior_leader");
    assert_eq!(leader["school"]["name"], "North High");
    assert_eq!(leader["trust"]["id"], d.north_id.as_str());
    assert_eq!(leader["interests"], json!(["reading", "attendance"]));
    let profile = browser.get("/@tess").await;
    assert!(profile.body.contains("North High"), "{}", profile.body);

    // Leaving the directory.
    let left = browser.post("/settings/directory", &send("none", "")).await;
    assert_eq!(left.status, 303, "{}", left.body);
    assert_eq!(d.tess.get(&format!("{V1}/leaders/{me}")).await.status, 404);
    d.instance.shut_down().await;
}
