//! The `staffroom` program as an operator runs it: exit codes, one-line errors and
//! no panic traces, and a clean stop on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_staffroom");

/// `staffroom ARGS` in a fresh directory with only `env` set.
fn staffroom(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BINARY)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Arguments, environment, and what the error line must say.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn bad_arguments_and_configuration_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[Case] = &[
        (
            &["--bogus"],
            &[],
            "staffroom: unexpected argument '--bogus' found",
        ),
        (
            &["serve"],
            &[("STAFFROOM_BIND", "everywhere")],
            "STAFFROOM_BIND = \"everywhere\": expected an IP address and port",
        ),
        (
            &["serve"],
            &[("STAFFROOM_DOMIAN", "x.org")],
            "STAFFROOM_DOMIAN is not a setting",
        ),
        (
            &["migrate", "status"],
            &[("DATABASE_URL", "mysql://db/x")],
            "DATABASE_URL = \"mysql://db/x\"",
        ),
        (
            &["--config", "missing.toml", "serve"],
            &[],
            "cannot read missing.toml",
        ),
    ];
    for (args, env, message) in cases {
        let output = staffroom(dir.path(), args, env);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[test]
fn an_unreachable_database_exits_1_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = staffroom(
        dir.path(),
        &["serve"],
        &[(
            "DATABASE_URL",
            "postgres://staffroom:secret@127.0.0.1:1/staffroom",
        )],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("staffroom: cannot open the database at postgres://staffroom:***@"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
}

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let help = staffroom(dir.path(), &["--help"], &[]);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "admin"] {
        assert!(text.contains(command), "{text}");
    }
    let version = staffroom(dir.path(), &["--version"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("staffroom {}", env!("CARGO_PKG_VERSION"))
    );
}

#[cfg(unix)]
#[test]
fn serve_creates_its_database_answers_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = Command::new(BINARY)
        .args(["serve", "--demo"])
        .current_dir(dir.path())
        .env_clear()
        .env("STAFFROOM_BIND", &bind)
        .env("STAFFROOM_DOMAIN", &bind)
        .env("STAFFROOM_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let started = Instant::now();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.contains("Staffroom is running at") {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve ended early: {printed}"
        );
        printed.push_str(&line);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
    }
    assert!(
        printed.contains("amara") && printed.contains("password "),
        "{printed}"
    );
    assert!(
        dir.path().join("data/staffroom.db").is_file(),
        "the SQLite file is under ./data"
    );
    let mode = std::fs::read(dir.path().join("data/staffroom.db")).unwrap();
    assert_eq!(mode[18..20], [2, 2], "the database is in WAL mode");

    let livez = std::net::TcpStream::connect(&bind).map(|mut stream| {
        use std::io::{Read, Write};
        stream
            .write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    });
    assert!(livez.unwrap().starts_with("HTTP/1.1 200"));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_with_timeout(&mut child, Duration::from_secs(30));
    let mut logs = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut logs).unwrap();
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(
        logs.contains("\"message\":\"Staffroom stopped\""),
        "JSON logs end with the stop: {logs}"
    );
    assert!(
        logs.lines().all(|l| l.starts_with('{')),
        "every log line is JSON: {logs}"
    );
}

fn wait_with_timeout(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            panic!("the server did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
