//! The directory API: who may create and change trusts, schools and leader
//! profiles, the filters of its listings, and its answers to bad input.

use serde_json::{Value, json};
use staffroom_tests::TestInstance;
use staffroom_tests::api::{ApiClient, profile_fields};

/// An instance with an admin (`amara`), a future trust admin (`head`) and a
/// teacher (`tess`).
async fn instance() -> (TestInstance, ApiClient, ApiClient, ApiClient) {
    let a = TestInstance::start_for_apps().await;
    let admin = a.admin("amara").await;
    let head = a.user("head").await;
    let tess = a.user("tess").await;
    (a, admin, head, tess)
}

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

const V1: &str = "/api/staffroom/v1";

#[tokio::test]
async fn trusts_schools_and_leaders_are_changed_by_whom_they_belong_to() {
    let (a, admin, head, tess) = instance().await;
    let (head_id, tess_id) = (me(&head).await, me(&tess).await);
    let new_trust = json!({"name": "Brookfield Learning Trust", "kind": "multi_academy_trust", "region": "yorkshire_and_the_humber"});

    // Only an instance admin creates a trust.
    let refused = head.post(&format!("{V1}/trusts"), new_trust.clone()).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let trust = admin
        .post(&format!("{V1}/trusts"), new_trust)
        .await
        .expect(200)
        .body;
    assert_eq!(trust["slug"], "brookfield-learning-trust");
    assert_eq!(trust["local"], true);
    let trust_id = id(&trust);

    // The admin makes `head` an admin of the trust; then head may edit it, tess not.
    admin
        .post(
            &format!("{V1}/trusts/{trust_id}/admins"),
            json!({"account_id": head_id}),
        )
        .await
        .expect(200);
    let edited = head
        .patch(
            &format!("{V1}/trusts/{trust_id}"),
            json!({"description": "Six schools in the Lowmoor valley", "website": "https://brookfield.example"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(edited["website"], "https://brookfield.example");
    let forbidden = tess
        .patch(
            &format!("{V1}/trusts/{trust_id}"),
            json!({"name": "Mine now"}),
        )
        .await;
    assert_eq!(forbidden.status, 403);
    assert!(
        forbidden.body["error"]
            .as_str()
            .unwrap()
            .contains("Brookfield")
    );
    assert_eq!(
        a.anonymous()
            .get(&format!("{V1}/trusts/{trust_id}"))
            .await
            .expect(200)
            .body["name"],
        "Brookfield Learning Trust"
    );

    // A trust admin adds a school to their trust; others may not.
    let school = json!({"urn": "900001", "name": "Lowmoor Brook Primary", "phase": "primary", "region": "yorkshire_and_the_humber", "local_authority": "Lowmoor", "trust_id": trust_id, "inspection_grade": "good", "inspection_date": "2023-03-14"});
    assert_eq!(
        tess.post(&format!("{V1}/schools"), school.clone())
            .await
            .status,
        403
    );
    let created = head
        .post(&format!("{V1}/schools"), school.clone())
        .await
        .expect(200)
        .body;
    assert_eq!(created["trust"]["name"], "Brookfield Learning Trust");
    assert_eq!(created["inspection"]["date"], "2023-03-14");
    let school_id = id(&created);

    // Bad input: a taken URN names the school that has it; a malformed one is 422.
    let duplicate = admin
        .post(
            &format!("{V1}/schools"),
            json!({"urn": "900001", "name": "Another", "phase": "secondary"}),
        )
        .await;
    assert_eq!(duplicate.status, 409);
    assert!(
        duplicate.body["error"]
            .as_str()
            .unwrap()
            .contains("Lowmoor Brook Primary"),
        "{}",
        duplicate.body
    );
    for urn in ["90001", "9000011", "90000a"] {
        let malformed = admin
            .post(
                &format!("{V1}/schools"),
                json!({"urn": urn, "name": "X", "phase": "primary"}),
            )
            .await;
        assert_eq!(malformed.status, 422, "{urn}: {}", malformed.body);
    }
    let changed = head
        .patch(
            &format!("{V1}/schools/{school_id}"),
            json!({"inspection_grade": "outstanding"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(changed["inspection"]["grade"], "outstanding");
    assert_eq!(changed["urn"], "900001");

    // A leader profile is the leader's own; the trust's admin confirms it.
    assert_eq!(
        tess.put(
            &format!("{V1}/leaders/{head_id}"),
            json!({"role": "teacher"})
        )
        .await
        .status,
        403
    );
    let profile = tess
        .put(
            &format!("{V1}/leaders/{tess_id}"),
            json!({"role": "middle_leader", "school_id": school_id, "interests": ["reading", "attendance"]}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(
        profile["trust"]["id"],
        trust_id.as_str(),
        "the school's trust"
    );
    assert_eq!(profile["membership_confirmed"], false);
    // Apps here show the role, school and trust among the account's fields, as
    // other servers do.
    let shown = profile_fields(
        &a.anonymous()
            .get(&format!("/api/v1/accounts/{tess_id}"))
            .await
            .expect(200)
            .body,
    );
    assert!(
        shown.contains(&"Role: Middle leader".to_owned()),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|f| f.starts_with("School: ") && f.contains("/@")),
        "{shown:?}"
    );
    assert!(shown.iter().any(|f| f.starts_with("Trust: ")), "{shown:?}");
    assert_eq!(
        tess.post(&format!("{V1}/leaders/{tess_id}/confirmation"), json!({}))
            .await
            .status,
        403,
        "nobody confirms themself"
    );
    let confirmed = head
        .post(&format!("{V1}/leaders/{tess_id}/confirmation"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(confirmed["membership_confirmed"], true);
    // Moving school needs confirming again.
    let moved = tess
        .put(
            &format!("{V1}/leaders/{tess_id}"),
            json!({"role": "middle_leader"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(moved["membership_confirmed"], false);
    assert!(moved["school"].is_null());
    assert_eq!(
        head.delete(&format!("{V1}/leaders/{tess_id}")).await.status,
        403
    );
    tess.delete(&format!("{V1}/leaders/{tess_id}"))
        .await
        .expect(200);
    assert_eq!(
        tess.get(&format!("{V1}/leaders/{tess_id}")).await.status,
        404
    );

    // The trust is an account too, with its details as profile fields, in the
    // profile directory.
    let account = tess.lookup("brookfield-learning-trust").await;
    let fields = profile_fields(&account);
    assert!(
        fields.contains(&"Kind: Multi-academy trust".to_owned()),
        "{fields:?}"
    );
    let listed = a
        .anonymous()
        .get("/api/v1/directory?local=true")
        .await
        .expect(200)
        .strings("acct");
    assert!(
        listed.contains(&"brookfield-learning-trust".to_owned()),
        "{listed:?}"
    );
    assert!(listed.contains(&"school-900001".to_owned()), "{listed:?}");

    // A Mastodon app follows the trust like anyone; its admins post as the trust
    // and as its schools, others may not.
    let relationship = tess
        .post(&format!("/api/v1/accounts/{trust_id}/follow"), json!({}))
        .await
        .expect(200)
        .body;
    assert_eq!(relationship["following"], true);
    let refused = tess
        .post(
            &format!("{V1}/trusts/{trust_id}/statuses"),
            json!({"status": "Not mine to say"}),
        )
        .await;
    assert_eq!(refused.status, 403);
    let announcement = head
        .post(
            &format!("{V1}/trusts/{trust_id}/statuses"),
            json!({"status": "Our leadership conference is on 12 March. #ambitionfeed"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(announcement["account"]["acct"], "brookfield-learning-trust");
    head.post(
        &format!("{V1}/schools/{school_id}/statuses"),
        json!({"status": "Sports day moves to Friday.", "visibility": "unlisted"}),
    )
    .await
    .expect(200);
    let home = tess.get("/api/v1/timelines/home").await.expect(200);
    assert!(
        home.items().iter().any(|s| s["id"] == announcement["id"]),
        "the announcement is in a follower's home"
    );
    let bad = head
        .post(
            &format!("{V1}/trusts/{trust_id}/statuses"),
            json!({"status": "Hello", "visibility": "direct"}),
        )
        .await;
    assert_eq!(bad.status, 422);

    // An admin who steps down may no longer change the trust.
    let left = admin
        .delete(&format!("{V1}/trusts/{trust_id}/admins/{head_id}"))
        .await
        .expect(200);
    assert!(left.items().is_empty());
    assert_eq!(
        head.patch(
            &format!("{V1}/trusts/{trust_id}"),
            json!({"name": "Renamed"})
        )
        .await
        .status,
        403
    );
    assert_eq!(
        admin
            .delete(&format!("{V1}/trusts/{trust_id}/admins/{head_id}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn listings_filter_page_and_name_what_they_refuse() {
    let (a, admin, head, tess) = instance().await;
    let trust = |name: &str, region: &str| json!({"name": name, "kind": "multi_academy_trust", "region": region});
    let north = admin
        .post(
            &format!("{V1}/trusts"),
            trust("Northfield Trust", "north_east"),
        )
        .await
        .expect(200)
        .body;
    let south = admin
        .post(
            &format!("{V1}/trusts"),
            trust("Southdown Trust", "south_west"),
        )
        .await
        .expect(200)
        .body;
    let school = |urn: &str, name: &str, phase: &str, la: &str, grade: &str, trust: &Value| {
        json!({"urn": urn, "name": name, "phase": phase, "local_authority": la, "inspection_grade": grade,
               "region": trust["region"], "trust_id": trust["id"]})
    };
    let mut ids = Vec::new();
    for body in [
        school(
            "900101",
            "North Primary",
            "primary",
            "Tynewick",
            "good",
            &north,
        ),
        school(
            "900102",
            "North High",
            "secondary",
            "Tynewick",
            "outstanding",
            &north,
        ),
        school(
            "900103",
            "South Primary",
            "primary",
            "Coastly",
            "good",
            &south,
        ),
    ] {
        ids.push(id(&admin
            .post(&format!("{V1}/schools"), body)
            .await
            .expect(200)
            .body));
    }
    let visitor = a.anonymous();
    let visitor = &visitor;
    let names = |path: String| async move { visitor.get(&path).await.expect(200).strings("name") };
    assert_eq!(
        names(format!("{V1}/schools?phase=primary")).await,
        ["South Primary", "North Primary"]
    );
    assert_eq!(
        names(format!("{V1}/schools?phase=primary&region=north_east")).await,
        ["North Primary"]
    );
    assert_eq!(
        names(format!(
            "{V1}/schools?local_authority=tynewick&inspection_grade=outstanding"
        ))
        .await,
        ["North High"]
    );
    assert_eq!(
        names(format!("{V1}/schools?trust_id={}", id(&south))).await,
        ["South Primary"]
    );
    assert_eq!(
        names(format!("{V1}/schools?urn=900102")).await,
        ["North High"]
    );
    assert_eq!(
        names(format!("{V1}/trusts?region=south_west")).await,
        ["Southdown Trust"]
    );
    assert!(
        names(format!("{V1}/schools?origin=remote"))
            .await
            .is_empty()
    );

    // Pages of one, linked.
    let first = a
        .anonymous()
        .get(&format!("{V1}/schools?limit=1&phase=primary"))
        .await
        .expect(200);
    let next = first.link_to("next").unwrap();
    assert!(next.contains("phase=primary"), "{next}");
    let second = a.anonymous().get(&next).await.expect(200);
    assert_eq!(second.strings("name"), ["North Primary"]);

    // Leaders by role, school, trust and region.
    head.put(
        &format!("{V1}/leaders/{}", me(&head).await),
        json!({"role": "headteacher", "school_id": ids[1]}),
    )
    .await
    .expect(200);
    tess.put(
        &format!("{V1}/leaders/{}", me(&tess).await),
        json!({"role": "teacher", "school_id": ids[2]}),
    )
    .await
    .expect(200);
    let accts = |path: String| async move { visitor.get(&path).await.expect(200).strings("acct") };
    assert_eq!(
        accts(format!("{V1}/leaders?role=headteacher")).await,
        ["head"]
    );
    assert_eq!(
        accts(format!("{V1}/leaders?region=south_west")).await,
        ["tess"]
    );
    assert_eq!(
        accts(format!("{V1}/leaders?trust_id={}", id(&north))).await,
        ["head"]
    );
    assert_eq!(
        accts(format!("{V1}/leaders?school_id={}", ids[2])).await,
        ["tess"]
    );
    assert_eq!(
        accts(format!("{V1}/leaders?confirmed=true")).await,
        Vec::<String>::new()
    );

    // A disabled account's profile is not listed.
    let out = a.cli(&["admin", "disable-user", "tess"], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        accts(format!("{V1}/leaders?region=south_west"))
            .await
            .is_empty()
    );

    // Unknown filters and values are refused, naming them.
    for (path, named) in [
        (format!("{V1}/schools?colour=blue"), "colour"),
        (format!("{V1}/schools?phase=college"), "phase"),
        (format!("{V1}/trusts?region=atlantis"), "region"),
        (format!("{V1}/leaders?role=wizard"), "role"),
        (format!("{V1}/leaders?school=1"), "school"),
        (format!("{V1}/schools?urn=12"), "urn"),
    ] {
        let refused = a.anonymous().get(&path).await;
        assert_eq!(refused.status, 400, "{path}");
        assert!(
            refused.body["error"].as_str().unwrap().contains(named),
            "{path}: {}",
            refused.body
        );
    }

    // The API describes itself.
    let document = a
        .anonymous()
        .get(&format!("{V1}/openapi.json"))
        .await
        .expect(200)
        .body;
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    assert!(document["paths"]["/schools"]["get"].is_object());
}
