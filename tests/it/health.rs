//! `/livez`, `/readyz` and graceful shutdown.

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
