//! `/livez`, `/readyz`, `/health`, `/metrics` and graceful shutdown.

use staffroom_tests::TestInstance;

#[tokio::test]
async fn livez_and_readyz_answer_while_the_database_does() {
    let instance = TestInstance::start().await;
    let (status, body) = instance.get_json("/livez").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
    let (status, body) = instance.get_json("/readyz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));

    // With its database gone, the instance is alive but not ready.
    instance
        .running()
        .db()
        .clone()
        .close()
        .await
        .expect("the pool closes");
    let (status, body) = instance.get_json("/readyz").await;
    assert_eq!(status, 503);
    assert!(body["error"].is_string());
    let (status, _) = instance.get_json("/livez").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn health_answers_ok_as_mastodon_does() {
    let instance = TestInstance::start().await;
    let response = instance.get("/health").await;
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/plain"), "{kind}");
    assert_eq!(response.text().await.unwrap(), "OK");
}

#[tokio::test]
async fn shutdown_finishes_and_then_refuses_new_connections() {
    let instance = TestInstance::start().await;
    let base = instance.base.clone();
    // A kept-alive connection must not hold the shutdown up.
    let client = instance.http.clone();
    assert_eq!(
        client
            .get(format!("{base}/livez"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::timeout(std::time::Duration::from_secs(10), instance.shut_down())
        .await
        .expect("shutdown completes promptly");
    let after = reqwest::Client::new()
        .get(format!("{base}/livez"))
        .send()
        .await;
    assert!(after.is_err(), "nothing listens after shutdown: {after:?}");
}

/// The value of the sample `name` (with its labels) in a metrics page.
fn sample(page: &str, name: &str) -> Option<u64> {
    page.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_are_off_without_a_token_and_for_the_token_alone_with_one() {
    let off = TestInstance::start().await;
    assert_eq!(off.get("/metrics").await.status().as_u16(), 404);

    let token = "a-long-metrics-token-0123456789";
    let instance = TestInstance::start_with(&[
        ("STAFFROOM_METRICS_TOKEN", token),
        ("STAFFROOM_PASSWORD_GRANT", "true"),
    ])
    .await;
    let read = |bearer: &'static str| {
        let url = format!("{}/metrics", instance.base);
        let http = instance.http.clone();
        async move {
            let response = http.get(url).bearer_auth(bearer).send().await.unwrap();
            let status = response.status().as_u16();
            let kind = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap().to_owned());
            (status, kind, response.text().await.unwrap())
        }
    };
    assert_eq!(instance.get("/metrics").await.status().as_u16(), 401);
    assert_eq!(read("a-long-metrics-token-012345678X").await.0, 401);
    assert_eq!(read("short").await.0, 401);

    let alice = instance.user("alice").await;
    alice.status("Counted").await;
    instance.get("/no/such/page").await;
    let (status, kind, page) = read("a-long-metrics-token-0123456789").await;
    assert_eq!(status, 200, "{page}");
    assert!(kind.unwrap().starts_with("text/plain; version=0.0.4"));
    assert!(page.contains("# TYPE staffroom_users gauge"), "{page}");
    assert_eq!(sample(&page, "staffroom_users"), Some(1), "{page}");
    assert_eq!(sample(&page, "staffroom_local_posts"), Some(1), "{page}");
    assert_eq!(sample(&page, "staffroom_open_reports"), Some(0), "{page}");
    assert_eq!(
        sample(&page, "staffroom_deliveries{state=\"failed\"}"),
        Some(0),
        "{page}"
    );
    assert!(sample(&page, "staffroom_http_responses_total{class=\"2xx\"}").unwrap() >= 3);
    // The two refused reads, the bad token and the missing page at least.
    assert!(sample(&page, "staffroom_http_responses_total{class=\"4xx\"}").unwrap() >= 4);
    assert_eq!(
        sample(&page, "staffroom_http_responses_total{class=\"5xx\"}"),
        Some(0)
    );
}

#[tokio::test]
async fn sqlite_is_built_with_the_flags_reads_depend_on() {
    let instance = TestInstance::start().await;
    let missing = staffroom_domain::database::missing_sqlite_flags(instance.running().db())
        .await
        .unwrap();
    // Without them every statement with a bound LIMIT is planned anew on every run.
    assert!(missing.is_empty(), "built without {missing:?}");
    instance.shut_down().await;
}
