//! `staffroom admin import-schools`: the register's CSV layout imported whole, or
//! not at all with every bad row named by its line.

use staffroom_tests::TestInstance;

fn sample(name: &str) -> String {
    format!("{}/fixtures/schools/{name}", env!("CARGO_MANIFEST_DIR"))
}

const V1: &str = "/api/staffroom/v1";

#[tokio::test]
async fn a_register_file_is_imported_with_its_trusts() {
    let a = TestInstance::start().await;
    let file = sample("register-sample.csv");
    let out = a.cli(&["admin", "import-schools", &file], "").await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("6 new, 0 updated; 3 new trust(s)"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("schools: 6/6"), "{}", out.stderr);

    let visitor = a.anonymous();
    let trusts = visitor.get(&format!("{V1}/trusts")).await.expect(200);
    let mut names = trusts.strings("name");
    names.sort();
    assert_eq!(
        names,
        [
            "Brookfield Learning Trust",
            "Coastal Schools Partnership",
            "Coastal Schools Partnership!"
        ]
    );
    let mut slugs = trusts.strings("slug");
    slugs.sort();
    assert_eq!(
        slugs,
        [
            "brookfield-learning-trust",
            "coastal-schools-partnership",
            "coastal-schools-partnership-2"
        ],
        "a taken slug gets a number"
    );
    let brookfield = trusts
        .items()
        .into_iter()
        .find(|t| t["name"] == "Brookfield Learning Trust")
        .unwrap();
    assert_eq!(brookfield["kind"], "multi_academy_trust");
    let in_trust = visitor
        .get(&format!(
            "{V1}/schools?trust_id={}",
            brookfield["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    let mut urns = in_trust.strings("urn");
    urns.sort();
    assert_eq!(urns, ["900001", "900002"]);

    let special = visitor
        .get(&format!("{V1}/schools?urn=900003"))
        .await
        .expect(200)
        .items()[0]
        .clone();
    assert_eq!(
        special["phase"], "special",
        "from the type of establishment"
    );
    assert_eq!(special["region"], "east_of_england");
    assert_eq!(special["inspection"]["grade"], "outstanding");
    assert_eq!(special["inspection"]["date"], "2019-06-20");
    assert!(special["trust"].is_null());
    let nursery = visitor
        .get(&format!("{V1}/schools?urn=900004"))
        .await
        .expect(200)
        .items()[0]
        .clone();
    assert_eq!(nursery["inspection"]["grade"], "not_yet_inspected");
    let brook = visitor
        .get(&format!("{V1}/schools?urn=900001"))
        .await
        .expect(200)
        .items()[0]
        .clone();
    assert_eq!(brook["website"], "https://www.lowmoor-brook.example");
    assert_eq!(
        visitor
            .get(&format!("{V1}/schools?urn=900005"))
            .await
            .expect(200)
            .items()[0]["name"],
        "Harbourside St. Ives Primary, Upper Site"
    );

    // An imported school is an actor; its key pair is made when first asked for,
    // and stays.
    let actor = a.get_activity(brook["uri"].as_str().unwrap()).await;
    assert_eq!(actor["type"], "Organization");
    assert_eq!(actor["staffroom:urn"], "900001");
    let key = actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(key.contains("BEGIN PUBLIC KEY"), "{key}");
    let again = a.get_activity(brook["uri"].as_str().unwrap()).await;
    assert_eq!(again["publicKey"]["publicKeyPem"], key.as_str());

    // Importing again updates what is there and makes nothing twice.
    let again = a.cli(&["admin", "import-schools", &file], "").await;
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("0 new, 6 updated; 0 new trust(s)"),
        "{}",
        again.stdout
    );
    assert_eq!(visitor.get(&format!("{V1}/schools")).await.items().len(), 6);
}

#[tokio::test]
async fn a_file_with_bad_rows_names_them_and_imports_nothing() {
    let a = TestInstance::start().await;
    let file = sample("register-bad.csv");
    let out = a.cli(&["admin", "import-schools", &file], "").await;
    assert_eq!(out.status, 1);
    assert!(
        out.stderr
            .contains(&format!("{file}:3: the URN '90012' is not six digits")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{file}:4: the region 'Narnia'")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{file}:5: the inspection date '31-02-2023'")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("nothing was imported"),
        "{}",
        out.stderr
    );
    let visitor = a.anonymous();
    assert!(
        visitor
            .get(&format!("{V1}/schools"))
            .await
            .expect(200)
            .items()
            .is_empty()
    );
    assert!(
        visitor
            .get(&format!("{V1}/trusts"))
            .await
            .expect(200)
            .items()
            .is_empty(),
        "the trust of the good row is not made either"
    );

    let missing = a
        .cli(
            &["admin", "import-schools", "/nonexistent/register.csv"],
            "",
        )
        .await;
    assert_eq!(missing.status, 1);
    assert!(
        missing.stderr.starts_with("staffroom: cannot read"),
        "{}",
        missing.stderr
    );
}
