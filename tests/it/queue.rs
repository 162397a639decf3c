//! The delivery queue on the engine under test: an activity is stored once with one
//! delivery per inbox; claims are exclusive and leased; failures wait their turn.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use staffroom_domain::delivery::queue::{self, NewActivity, Retry};
use staffroom_tests::TestInstance;

#[tokio::test]
async fn deliveries_are_queued_once_claimed_once_and_retried_in_time() {
    let mut instance = TestInstance::start_with(&[]).await;
    instance.create_user("alice", &[]).await;
    let alice = instance.account("alice").await;
    // The instance's own worker would race this test for the deliveries: stop it.
    instance.stop_workers().await;
    let db = instance.running().db();
    let activity = |uri: &str| NewActivity {
        uri: uri.to_owned(),
        actor_id: alice.id,
        body: "{}".to_owned(),
    };
    let inbox = |n: u32| format!("http://remote{n}.example/inbox");
    let now = Utc::now();

    let added = queue::enqueue(
        db,
        activity("https://x/1"),
        &[inbox(1), inbox(2), inbox(2)],
        now,
    )
    .await
    .unwrap();
    assert_eq!(added, 2, "one delivery per distinct inbox");
    let again = queue::enqueue(db, activity("https://x/1"), &[inbox(2), inbox(3)], now)
        .await
        .unwrap();
    assert_eq!(again, 1, "queuing again adds only the new inbox");
    assert!(
        queue::enqueue(db, activity("https://x/2"), &["ftp://nope".to_owned()], now)
            .await
            .is_err()
    );
    assert_eq!(queue::stats(db).await.unwrap().pending, 3);

    let lease = Duration::from_secs(60);
    let claimed = queue::claim(db, 10, lease, now).await.unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(
        claimed.windows(2).all(|w| w[0].id < w[1].id),
        "oldest first"
    );
    assert!(
        queue::claim(db, 10, lease, now).await.unwrap().is_empty(),
        "held by the first claim"
    );
    let after_lease = now + TimeDelta::seconds(61);
    assert_eq!(
        queue::claim(db, 10, lease, after_lease)
            .await
            .unwrap()
            .len(),
        3,
        "a lapsed lease is taken over"
    );

    let (first, second, third) = (&claimed[0], &claimed[1], &claimed[2]);
    queue::succeeded(db, first, now).await.unwrap();
    queue::failed(
        db,
        second,
        "503",
        Retry::At(now + TimeDelta::minutes(5)),
        now,
    )
    .await
    .unwrap();
    queue::failed(db, third, "410", Retry::Never, now)
        .await
        .unwrap();
    let later = after_lease + TimeDelta::seconds(61);
    assert!(
        queue::claim(db, 10, lease, later).await.unwrap().is_empty(),
        "the retry waits its time"
    );
    let retried = queue::claim(db, 10, lease, now + TimeDelta::minutes(6))
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].inbox, second.inbox);
    assert_eq!(retried[0].attempts, 1);
    let stats = queue::stats(db).await.unwrap();
    assert_eq!((stats.pending, stats.failed), (1, 1));

    // A delivery failing for longer than a week is given up.
    let week = now + queue::GIVE_UP_AFTER + TimeDelta::hours(1);
    queue::failed(db, &retried[0], "503", Retry::At(week), now)
        .await
        .unwrap();
    assert_eq!(queue::stats(db).await.unwrap().failed, 2);
    instance.shut_down().await;
}

#[tokio::test]
async fn a_server_that_keeps_failing_is_left_alone_for_a_while() {
    let mut instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let alice = instance.account("alice").await;
    instance.stop_workers().await;
    let db = instance.running().db();
    let now = Utc::now();
    for n in 0..6 {
        let activity = NewActivity {
            uri: format!("https://x/{n}"),
            actor_id: alice.id,
            body: "{}".to_owned(),
        };
        queue::enqueue(db, activity, &["http://down.example/inbox".to_owned()], now)
            .await
            .unwrap();
    }
    queue::enqueue(
        db,
        NewActivity {
            uri: "https://x/up".to_owned(),
            actor_id: alice.id,
            body: "{}".to_owned(),
        },
        &["http://up.example/inbox".to_owned()],
        now,
    )
    .await
    .unwrap();
    // Five failures in a row at the same server...
    for _ in 0..5 {
        let claimed = queue::claim(db, 1, Duration::from_secs(60), now)
            .await
            .unwrap();
        queue::failed(db, &claimed[0], "timeout", Retry::At(now), now)
            .await
            .unwrap();
    }
    // ...and its other deliveries wait, while other servers' go ahead.
    let claimed = queue::claim(db, 10, Duration::from_secs(60), now)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].domain, "up.example");
    let much_later = now + TimeDelta::hours(2);
    let claimed = queue::claim(db, 10, Duration::from_secs(60), much_later)
        .await
        .unwrap();
    let down = claimed
        .iter()
        .filter(|c| c.domain == "down.example")
        .count();
    assert_eq!(
        down, 6,
        "after the pause, the server's backlog is tried again"
    );
    instance.shut_down().await;
}
