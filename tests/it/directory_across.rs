//! The directory across two instances: a trust of A followed from B, its details
//! shown on B as profile fields, its school and a leader of A in B's directory,
//! marked as remote.

use serde_json::{Value, json};
use staffroom_tests::api::{ApiClient, profile_fields};
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

const V1: &str = "/api/staffroom/v1";

/// The Brookfield Learning Trust and its Greenhill Primary, made by `admin`.
async fn brookfield(admin: &ApiClient) -> (Value, Value) {
    let trust = admin
        .post(
            &format!("{V1}/trusts"),
            json!({"name": "Brookfield Learning Trust", "kind": "multi_academy_trust", "region": "yorkshire_and_the_humber", "website": "https://brookfield.example"}),
        )
        .await
        .expect(200)
        .body;
    let school = admin
        .post(
            &format!("{V1}/schools"),
            json!({"urn": "900001", "name": "Greenhill Primary", "phase": "primary", "region": "yorkshire_and_the_humber",
                   "local_authority": "Sheffield", "inspection_grade": "good", "trust_id": trust["id"]}),
        )
        .await
        .expect(200)
        .body;
    (trust, school)
}

#[tokio::test]
async fn a_trust_followed_from_another_instance_brings_its_school_and_leaders() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let admin = a.admin("amara").await;
    let head = a.user("head").await;
    let bob = b.user("bob").await;

    let (trust, school) = brookfield(&admin).await;
    let head_id = head
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    head.put(
        &format!("{V1}/leaders/{head_id}"),
        json!({"role": "headteacher", "school_id": school["id"]}),
    )
    .await
    .expect(200);
    admin
        .post(&format!("{V1}/leaders/{head_id}/confirmation"), json!({}))
        .await
        .expect(200);

    // B finds the trust by its address, as a Mastodon app would, and follows it.
    let address = format!("brookfield-learning-trust@{}", a.domain());
    let found = bob
        .get(&format!(
            "/api/v2/search?q=@{address}&resolve=true&type=accounts"
        ))
        .await
        .expect(200);
    let remote_trust = found.body["accounts"][0].clone();
    assert_eq!(remote_trust["acct"], address.as_str());
    let shown = profile_fields(&remote_trust);
    assert!(
        shown.contains(&"Kind: Multi-academy trust".to_owned()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"Region: Yorkshire and the Humber".to_owned()),
        "{shown:?}"
    );
    let remote_id = remote_trust["id"].as_str().unwrap();
    bob.post(&format!("/api/v1/accounts/{remote_id}/follow"), json!({}))
        .await
        .expect(200);
    eventually("the trust accepts bob", || async {
        bob.get(&format!("/api/v1/accounts/relationships?id[]={remote_id}"))
            .await
            .items()[0]["following"]
            == true
    })
    .await;
    let followers = a
        .anonymous()
        .get(&format!(
            "/api/v1/accounts/{}/followers",
            trust["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .strings("acct");
    assert_eq!(followers, [format!("bob@{}", b.domain())]);

    // B's directory has the trust and its school, as remote records.
    let visitor = b.anonymous();
    let trusts = visitor
        .get(&format!("{V1}/trusts?origin=remote"))
        .await
        .expect(200);
    assert_eq!(trusts.strings("name"), ["Brookfield Learning Trust"]);
    assert_eq!(trusts.items()[0]["local"], false);
    assert_eq!(trusts.items()[0]["domain"], a.domain());
    assert_eq!(trusts.items()[0]["kind"], "multi_academy_trust");
    let schools = visitor
        .get(&format!("{V1}/schools?origin=remote"))
        .await
        .expect(200);
    let listed = schools.items()[0].clone();
    assert_eq!(listed["name"], "Greenhill Primary");
    assert_eq!(listed["urn"], "900001");
    assert_eq!(listed["local"], false);
    assert_eq!(listed["local_authority"], "Sheffield");
    assert_eq!(listed["trust"]["name"], "Brookfield Learning Trust");
    assert_eq!(listed["trust"]["id"], trusts.items()[0]["id"]);
    assert!(
        visitor
            .get(&format!("{V1}/schools?origin=local"))
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    let directory = visitor
        .get("/api/v1/directory")
        .await
        .expect(200)
        .strings("acct");
    assert!(directory.contains(&address), "{directory:?}");
    assert!(
        directory.contains(&format!("school-900001@{}", a.domain())),
        "{directory:?}"
    );

    // A leader of A shows their role and school to B, and is in B's directory.
    let head_address = format!("head@{}", a.domain());
    let remote_head = bob
        .get(&format!(
            "/api/v2/search?q=@{head_address}&resolve=true&type=accounts"
        ))
        .await
        .expect(200)
        .body["accounts"][0]
        .clone();
    let shown = profile_fields(&remote_head);
    assert!(shown.contains(&"Role: Headteacher".to_owned()), "{shown:?}");
    assert!(
        shown.iter().any(|f| f.starts_with("School: <a href=")
            && f.contains("Greenhill Primary</a> (Sheffield)")),
        "{shown:?}"
    );
    let leaders = visitor
        .get(&format!("{V1}/leaders?origin=remote&role=headteacher"))
        .await
        .expect(200);
    assert_eq!(leaders.strings("acct"), [head_address]);
    assert_eq!(leaders.items()[0]["school"]["name"], "Greenhill Primary");
    assert_eq!(leaders.items()[0]["local"], false);
    assert_eq!(
        leaders.items()[0]["membership_confirmed"],
        true,
        "confirmed by the trust's own server"
    );

    // The trust's announcements reach its follower on B.
    let announcement = admin
        .post(
            &format!("{V1}/trusts/{}/statuses", trust["id"].as_str().unwrap()),
            json!({"status": "Applications for our middle leaders programme are open."}),
        )
        .await
        .expect(200)
        .body;
    eventually("the announcement reaches bob's home", || async {
        bob.get("/api/v1/timelines/home")
            .await
            .items()
            .iter()
            .any(|s| s["uri"] == announcement["uri"] && s["account"]["acct"] == address.as_str())
    })
    .await;

    // A school that joins the trust later reaches B's directory too.
    admin
        .post(
            &format!("{V1}/schools"),
            json!({"urn": "900003", "name": "Greenhill Academy", "phase": "secondary", "trust_id": trust["id"]}),
        )
        .await
        .expect(200);
    eventually("the new school reaches B", || async {
        visitor
            .get(&format!("{V1}/schools?origin=remote&urn=900003"))
            .await
            .strings("name")
            == ["Greenhill Academy"]
    })
    .await;

    // Changes on A reach B with the trust's next Update.
    admin
        .patch(
            &format!("{V1}/trusts/{}", trust["id"].as_str().unwrap()),
            json!({"region": "north_east"}),
        )
        .await
        .expect(200);
    eventually("the trust's new region reaches B", || async {
        visitor
            .get(&format!("{V1}/trusts?origin=remote&region=north_east"))
            .await
            .items()
            .len()
            == 1
    })
    .await;
}

#[tokio::test]
async fn another_server_cannot_put_its_schools_or_confirmations_into_our_trusts() {
    let a = TestInstance::start_for_apps().await;
    let admin = a.admin("amara").await;
    let (trust, school) = brookfield(&admin).await;

    // A school elsewhere says it belongs to our trust: it is kept, without the trust.
    let impostor = Peer::start().await;
    impostor.describe(json!({
        "type": "Organization",
        "name": "Elsewhere Academy",
        "staffroom:directoryType": "school",
        "staffroom:urn": "900002",
        "staffroom:phase": "secondary",
        "staffroom:trust": trust["uri"],
    }));
    // A person elsewhere says our trust confirmed them.
    let claimant = Peer::start().await;
    claimant.describe(json!({
        "discoverable": true,
        "staffroom:directoryType": "leader",
        "staffroom:role": "headteacher",
        "staffroom:school": school["uri"],
        "staffroom:trust": trust["uri"],
        "staffroom:membershipConfirmed": true,
    }));
    for peer in [&impostor, &claimant] {
        admin
            .get(&format!(
                "/api/v2/search?q={}&resolve=true&type=accounts",
                peer.actor_id
            ))
            .await
            .expect(200);
    }
    let visitor = a.anonymous();
    let remote_schools = visitor
        .get(&format!("{V1}/schools?origin=remote"))
        .await
        .expect(200);
    assert_eq!(remote_schools.strings("name"), ["Elsewhere Academy"]);
    assert!(remote_schools.items()[0]["trust"].is_null());
    assert_eq!(
        visitor
            .get(&format!(
                "{V1}/schools?trust_id={}",
                trust["id"].as_str().unwrap()
            ))
            .await
            .expect(200)
            .strings("name"),
        ["Greenhill Primary"]
    );
    let leader = visitor
        .get(&format!("{V1}/leaders?origin=remote"))
        .await
        .expect(200)
        .items()[0]
        .clone();
    assert_eq!(
        leader["school"]["name"], "Greenhill Primary",
        "they may say where they work"
    );
    assert_eq!(
        leader["membership_confirmed"], false,
        "but only our admins confirm it"
    );
}
