//! `staffroom migrate`: every migration runs forward and back on the engine under test.

use staffroom_tests::{TestDatabase, environment, run_cli};

fn states(status_output: &str) -> Vec<(String, String)> {
    status_output
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.to_owned(), words.next()?.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn migrations_run_forward_and_back_and_forward_again() {
    let db = TestDatabase::new().await;
    let env = environment(&db);

    let fresh = run_cli(&["migrate", "status"], &env, "").await;
    assert_eq!(fresh.status, 0, "{}", fresh.stderr);
    let fresh = states(&fresh.stdout);
    assert!(fresh.len() >= 4, "{fresh:?}");
    assert!(
        fresh.iter().all(|(state, _)| state == "pending"),
        "{fresh:?}"
    );

    let up = run_cli(&["migrate", "up"], &env, "").await;
    assert_eq!(up.status, 0, "{}", up.stderr);
    assert_eq!(
        up.stdout
            .lines()
            .filter(|l| l.starts_with("applied"))
            .count(),
        fresh.len()
    );
    let applied = states(&run_cli(&["migrate", "status"], &env, "").await.stdout);
    assert!(
        applied.iter().all(|(state, _)| state == "applied"),
        "{applied:?}"
    );

    let again = run_cli(&["migrate", "up"], &env, "").await;
    assert_eq!(again.stdout.trim(), "The database is up to date.");

    // One step back: only the newest migration is rolled back.
    let one = run_cli(&["migrate", "down"], &env, "").await;
    assert_eq!(one.status, 0, "{}", one.stderr);
    let newest = &fresh.last().expect("a migration").1;
    assert_eq!(one.stdout.trim(), format!("rolled back  {newest}"));
    let after_one = states(&run_cli(&["migrate", "status"], &env, "").await.stdout);
    assert_eq!(after_one.iter().filter(|(s, _)| s == "pending").count(), 1);

    // All the way back, then forward again: every `down` really removed its tables,
    // or the second `up` would fail to create them.
    let all = run_cli(&["migrate", "down", "--all"], &env, "").await;
    assert_eq!(all.status, 0, "{}", all.stderr);
    assert_eq!(all.stdout.lines().count(), fresh.len() - 1);
    let none = states(&run_cli(&["migrate", "status"], &env, "").await.stdout);
    assert!(none.iter().all(|(state, _)| state == "pending"), "{none:?}");
    let nothing = run_cli(&["migrate", "down"], &env, "").await;
    assert_eq!(nothing.stdout.trim(), "No migration is applied.");

    let up_again = run_cli(&["migrate", "up"], &env, "").await;
    assert_eq!(up_again.status, 0, "{}", up_again.stderr);
    let created = run_cli(
        &[
            "admin",
            "create-user",
            "--username",
            "alice",
            "--email",
            "alice@example.org",
        ],
        &env,
        "",
    )
    .await;
    assert_eq!(
        created.status, 0,
        "the schema works after a round trip: {}",
        created.stderr
    );
}

#[tokio::test]
async fn an_unreachable_database_is_one_clear_line_and_exit_1() {
    let db = TestDatabase::new().await;
    let mut env = environment(&db);
    env.insert(
        "DATABASE_URL".into(),
        "postgres://staffroom:secret@127.0.0.1:1/staffroom".into(),
    );
    let out = run_cli(&["migrate", "status"], &env, "").await;
    assert_eq!(out.status, 1);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(
            "staffroom: cannot open the database at postgres://staffroom:***@127.0.0.1:1/staffroom"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("secret"));
}
