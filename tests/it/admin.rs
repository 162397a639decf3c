//! `staffroom admin ...`: users, roles and invites from the command line, and the
//! clear refusals that change nothing.

use staffroom_tests::{TestInstance, run_cli};

async fn user_count(instance: &TestInstance) -> u64 {
    let (_, nodeinfo) = instance.get_json("/nodeinfo/2.1").await;
    nodeinfo["usage"]["users"]["total"]
        .as_u64()
        .expect("a user count")
}

async fn webfinger_status(instance: &TestInstance, username: &str) -> u16 {
    instance
        .get(&format!(
            "/.well-known/webfinger?resource=acct:{username}@{}",
            instance.domain()
        ))
        .await
        .status()
        .as_u16()
}

/// The status of looking `username` up as an account of this instance (a name
/// nobody has still finds the hashtag feed of that name by WebFinger).
async fn lookup_status(instance: &TestInstance, username: &str) -> u16 {
    instance
        .get(&format!("/api/v1/accounts/lookup?acct={username}"))
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn create_user_prints_a_generated_password_once_and_the_account_is_found() {
    let instance = TestInstance::start().await;
    let out = instance
        .cli(
            &[
                "admin",
                "create-user",
                "--username",
                "alice",
                "--email",
                "Alice@Example.org",
                "--display-name",
                "Alice Smith",
                "--role",
                "admin",
            ],
            "",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Created user alice (admin) with email alice@example.org."),
        "{}",
        out.stdout
    );
    let password = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Password: "))
        .expect("the generated password is printed");
    assert_eq!(password.len(), 20);
    assert_eq!(webfinger_status(&instance, "alice").await, 200);
    assert_eq!(user_count(&instance).await, 1);

    let (_, v2) = instance.get_json("/api/v2/instance").await;
    assert_eq!(v2["contact"]["account"]["username"], "alice");
    assert_eq!(v2["contact"]["account"]["display_name"], "Alice Smith");
    instance.shut_down().await;
}

#[tokio::test]
async fn a_password_from_stdin_is_used_and_not_printed() {
    let instance = TestInstance::start().await;
    let out = instance
        .cli(
            &[
                "admin",
                "create-user",
                "--username",
                "bob",
                "--email",
                "bob@example.org",
                "--password-stdin",
            ],
            "a long enough passphrase\n",
        )
        .await;
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("Password"), "{}", out.stdout);
    assert!(!out.stdout.contains("passphrase"));
    instance.shut_down().await;
}

#[tokio::test]
async fn bad_input_is_one_line_exit_1_and_stores_nothing() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;

    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--username", "ALICE", "--email", "other@example.org"],
            "",
            "the username 'ALICE' is already taken",
        ),
        (
            &["--username", "carol", "--email", "ALICE@example.org"],
            "",
            "the email address 'alice@example.org' is already in use",
        ),
        (
            &[
                "--username",
                "carol",
                "--email",
                "carol@example.org",
                "--password-stdin",
            ],
            "\n",
            "password must not be empty",
        ),
        (
            &[
                "--username",
                "carol",
                "--email",
                "carol@example.org",
                "--password-stdin",
            ],
            "short\n",
            "password is too short",
        ),
        (
            &[
                "--username",
                "carol",
                "--email",
                "carol@example.org",
                "--password-stdin",
            ],
            "password123\n",
            "commonly used",
        ),
        (
            &["--username", "carol!", "--email", "carol@example.org"],
            "",
            "username may contain only",
        ),
        (
            &["--username", "carol", "--email", "not-an-address"],
            "",
            "email is not an email address",
        ),
    ];
    for (args, stdin, message) in cases {
        let mut argv = vec!["admin", "create-user"];
        argv.extend_from_slice(args);
        let out = instance.cli(&argv, stdin).await;
        assert_eq!(out.status, 1, "{argv:?}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{argv:?}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{argv:?}: {}", out.stderr);
    }
    assert_eq!(user_count(&instance).await, 1, "nothing was stored");
    assert_eq!(lookup_status(&instance, "carol").await, 404);

    // The refused name is still free for a good request.
    instance.create_user("carol", &[]).await;
    instance.shut_down().await;
}

#[tokio::test]
async fn roles_and_disabling_change_what_the_instance_shows() {
    let instance = TestInstance::start().await;
    for name in ["alice", "bob"] {
        instance.create_user(name, &[]).await;
    }
    let (_, v1) = instance.get_json("/api/v1/instance").await;
    assert!(v1["contact_account"].is_null(), "no admin yet");

    let promoted = instance
        .cli(&["admin", "set-role", "bob", "admin"], "")
        .await;
    assert_eq!(promoted.status, 0, "{}", promoted.stderr);
    assert_eq!(promoted.stdout.trim(), "bob is now an admin.");
    let (_, v1) = instance.get_json("/api/v1/instance").await;
    assert_eq!(v1["contact_account"]["username"], "bob");

    let moderator = instance
        .cli(&["admin", "set-role", "alice", "moderator"], "")
        .await;
    assert_eq!(moderator.stdout.trim(), "alice is now a moderator.");

    assert_eq!(user_count(&instance).await, 2);
    let disabled = instance.cli(&["admin", "disable-user", "bob"], "").await;
    assert_eq!(disabled.status, 0, "{}", disabled.stderr);
    assert_eq!(
        user_count(&instance).await,
        1,
        "a disabled user is not counted"
    );
    let (_, v1) = instance.get_json("/api/v1/instance").await;
    assert!(
        v1["contact_account"].is_null(),
        "a disabled admin is no contact"
    );

    let enabled = instance.cli(&["admin", "enable-user", "bob"], "").await;
    assert_eq!(enabled.status, 0, "{}", enabled.stderr);
    assert_eq!(user_count(&instance).await, 2);

    let unknown = instance.cli(&["admin", "disable-user", "nobody"], "").await;
    assert_eq!(unknown.status, 1);
    assert_eq!(
        unknown.stderr.trim(),
        "staffroom: there is no user called 'nobody'"
    );
    let bad_role = instance
        .cli(&["admin", "set-role", "bob", "overlord"], "")
        .await;
    assert_eq!(bad_role.status, 2);
    assert_eq!(bad_role.stderr.lines().count(), 1, "{}", bad_role.stderr);
    instance.shut_down().await;
}

#[tokio::test]
async fn invites_get_a_fresh_code_each_time() {
    let instance = TestInstance::start_with(&[("STAFFROOM_REGISTRATIONS", "invite-only")]).await;
    let code = |stdout: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("Invite code: "))
            .expect("a code is printed")
            .to_owned()
    };
    let first = instance
        .cli(
            &[
                "admin",
                "create-invite",
                "--max-uses",
                "5",
                "--expires-in-days",
                "7",
            ],
            "",
        )
        .await;
    assert_eq!(first.status, 0, "{}", first.stderr);
    assert!(
        first.stdout.contains("Uses: 5; expires: "),
        "{}",
        first.stdout
    );
    assert!(
        !first.stdout.contains("Note:"),
        "invite-only asks for invites"
    );
    let second = instance.cli(&["admin", "create-invite"], "").await;
    assert!(
        second.stdout.contains("Uses: no limit; expires: never."),
        "{}",
        second.stdout
    );
    assert_eq!(code(&first.stdout).len(), 12);
    assert_ne!(code(&first.stdout), code(&second.stdout));

    let zero = instance
        .cli(&["admin", "create-invite", "--max-uses", "0"], "")
        .await;
    assert_eq!(zero.status, 2, "{}", zero.stderr);
    instance.shut_down().await;
}

#[tokio::test]
async fn invalid_configuration_stops_the_command_with_exit_2() {
    let instance = TestInstance::start().await;
    let mut env = instance.env.clone();
    env.insert("STAFFROOM_REGISTRATIONS".into(), "sometimes".into());
    let out = run_cli(&["admin", "create-invite"], &env, "").await;
    assert_eq!(out.status, 2);
    assert_eq!(
        out.stderr,
        "staffroom: invalid configuration: STAFFROOM_REGISTRATIONS = \"sometimes\": expected one of open, approval, invite-only, closed\n"
    );
    let unknown = run_cli(&["admin", "frobnicate"], &instance.env, "").await;
    assert_eq!(unknown.status, 2);
    assert!(
        unknown
            .stderr
            .starts_with("staffroom: unrecognized subcommand 'frobnicate'"),
        "{}",
        unknown.stderr
    );
    instance.shut_down().await;
}
