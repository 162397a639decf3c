//! `serve --demo`: the demo accounts and posts a newcomer sees first.

use staffroom_tests::TestInstance;

#[tokio::test]
async fn seeding_twice_keeps_one_set_of_posts_and_prints_new_passwords() {
    let instance = TestInstance::start().await;
    let db = instance.running().db();
    let mut first = Vec::new();
    staffroom::demo::seed(db, &instance.running().federation().urls, &mut first)
        .await
        .expect("the first seed");
    let mut second = Vec::new();
    staffroom::demo::seed(db, &instance.running().federation().urls, &mut second)
        .await
        .expect("the second seed");
    let (first, second) = (
        String::from_utf8(first).unwrap(),
        String::from_utf8(second).unwrap(),
    );
    let passwords = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.split("password ").nth(1).map(str::to_owned))
            .collect()
    };
    assert_eq!(passwords(&first).len(), 3, "{first}");
    assert!(
        passwords(&first)
            .iter()
            .zip(passwords(&second))
            .all(|(a, b)| *a != b)
    );
    for username in ["amara", "ben", "chloe"] {
        let (status, _) = instance
            .get_json(&format!(
                "/.well-known/webfinger?resource=acct:{username}@{}",
                instance.domain()
            ))
            .await;
        assert_eq!(status, 200, "{username}");
    }
    let (_, nodeinfo) = instance.get_json("/nodeinfo/2.1").await;
    assert_eq!(
        nodeinfo["usage"]["localPosts"], 5,
        "posts are not seeded twice"
    );
    // The demo trust, its schools and leaders, seeded once.
    let (_, schools) = instance.get_json("/api/staffroom/v1/schools").await;
    assert_eq!(schools.as_array().unwrap().len(), 2, "{schools}");
    assert_eq!(schools[0]["trust"]["name"], "Greenhill Learning Trust");
    let (_, heads) = instance
        .get_json("/api/staffroom/v1/leaders?role=headteacher&confirmed=true")
        .await;
    assert_eq!(heads[0]["acct"], "ben", "{heads}");
    assert_eq!(heads[0]["school"]["name"], "Greenhill Primary");
    let (_, v1) = instance.get_json("/api/v1/instance").await;
    assert_eq!(v1["contact_account"]["username"], "amara");
    assert_eq!(v1["contact_account"]["statuses_count"], 2);
    assert!(
        v1["contact_account"]["last_status_at"]
            .as_str()
            .is_some_and(|d| d.len() == 10)
    );
    // This month's challenge is seeded once, and shown on the front page.
    let (_, current) = instance
        .get_json("/api/staffroom/v1/challenges/current")
        .await;
    assert_eq!(current.as_array().unwrap().len(), 1, "{current}");
    assert_eq!(current[0]["hashtag"], "ambitionfeed");
    assert_eq!(current[0]["posts"], 2, "amara's two posts take part");
    let front = instance.get("/").await.text().await.unwrap();
    assert!(front.contains("Raising the aspirations"), "{front}");
    assert!(front.contains("/tags/ambitionfeed"), "{front}");
    instance.shut_down().await;
}
