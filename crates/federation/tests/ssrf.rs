//! Outgoing fetches refuse what is not the public internet: names that resolve to
//! private, loopback, link-local, multicast or unique-local addresses (v4 and v6,
//! checked on the very addresses connected to), addresses written in URLs, and
//! every hop of a redirect; with a redirect limit, a body limit and a time limit.
//! A server written here on loopback answers; the resolver written here maps test
//! names to the addresses a hostile DNS server would give; loopback is lifted for
//! that one server only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use staffroom_federation::client;
use staffroom_federation::guard::{self, FetchError, GuardedResolver, Limits, Reach};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const OK_BODY: &str = "hello from the test server";

/// A tiny HTTP server on loopback: what it answers depends on the path.
async fn server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let port = addr.port();
                let redirect = |to: String| {
                    format!("HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .into_bytes()
                };
                let answer: Vec<u8> = match path.as_str() {
                    "/ok" => format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{OK_BODY}",
                        OK_BODY.len()
                    )
                    .into_bytes(),
                    "/to/private" => redirect("http://10.0.0.1/".into()),
                    "/to/metadata" => redirect("http://169.254.169.254/latest/meta-data/".into()),
                    "/to/v6-loopback" => redirect(format!("http://[::1]:{port}/ok")),
                    "/to/unique-local" => redirect("http://[fd00::1]/".into()),
                    "/to/mapped" => redirect(format!("http://[::ffff:127.0.0.1]:{}/ok", port + 1)),
                    "/to/other-loopback-port" => redirect(format!("http://127.0.0.1:{}/ok", port + 1)),
                    "/to/evil-name" => redirect(format!("http://evil.test:{port}/ok")),
                    "/to/file" => redirect("file:///etc/passwd".into()),
                    "/to/relative" => redirect("/ok".into()),
                    "/big" => {
                        let mut answer = b"HTTP/1.1 200 OK\r\ncontent-length: 102400\r\nconnection: close\r\n\r\n".to_vec();
                        answer.extend(std::iter::repeat_n(b'x', 102_400));
                        answer
                    }
                    "/big-unannounced" => {
                        // No length given: the body is cut as it is read.
                        let mut answer = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_vec();
                        answer.extend(std::iter::repeat_n(b'x', 102_400));
                        answer
                    }
                    "/slow" => {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_vec()
                    }
                    hop if hop.starts_with("/hops/") => {
                        let left: u32 = hop["/hops/".len()..].parse().unwrap_or(0);
                        if left == 0 {
                            redirect("/ok".into())
                        } else {
                            redirect(format!("/hops/{}", left - 1))
                        }
                    }
                    _ => b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
                };
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    addr
}

fn limits() -> Limits {
    Limits {
        max_bytes: 10 * 1024,
        max_redirects: 3,
        timeout: Duration::from_secs(2),
        allow_http: true,
    }
}

/// A client and reach that lift loopback for `server` only, whose resolver maps
/// the test names to hostile answers.
fn guarded(server: SocketAddr) -> (reqwest::Client, Reach) {
    let reach = Reach::with_loopback_at(vec![server]);
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    let resolver = GuardedResolver::new(reach.clone())
        .with_name("school.test", vec![ip("127.0.0.1")])
        .with_name("evil.test", vec![ip("10.0.0.1")])
        .with_name("shared.test", vec![ip("100.64.0.1")])
        .with_name("metadata.test", vec![ip("169.254.169.254")])
        .with_name("multicast.test", vec![ip("224.0.0.251")])
        .with_name("broadcast.test", vec![ip("255.255.255.255")])
        .with_name("zero.test", vec![ip("0.0.0.0")])
        .with_name("six-loopback.test", vec![ip("::1")])
        .with_name("six-link-local.test", vec![ip("fe80::1")])
        .with_name("six-unique-local.test", vec![ip("fd12:3456:789a::1")])
        .with_name("six-multicast.test", vec![ip("ff02::1")])
        .with_name("six-mapped.test", vec![ip("::ffff:10.1.2.3")])
        .with_name("six-nat64.test", vec![ip("64:ff9b::a9fe:a9fe")])
        // One good address and one bad: refused all the same.
        .with_name("mixed.test", vec![ip("127.0.0.1"), ip("192.168.1.1")]);
    let client = client::build_with("Staffroom tests", resolver).unwrap();
    (client, reach)
}

#[tokio::test]
async fn names_resolving_to_refused_addresses_are_refused() {
    let server = server().await;
    let (client, reach) = guarded(server);
    let port = server.port();
    // The resolver's answer is what is connected to: this name exists nowhere else.
    let fetched = guard::get(
        &client,
        &reach,
        &format!("http://school.test:{port}/ok"),
        limits(),
    )
    .await
    .unwrap();
    assert_eq!(fetched, OK_BODY.as_bytes());
    for name in [
        "evil.test",
        "shared.test",
        "metadata.test",
        "multicast.test",
        "broadcast.test",
        "zero.test",
        "six-loopback.test",
        "six-link-local.test",
        "six-unique-local.test",
        "six-multicast.test",
        "six-mapped.test",
        "six-nat64.test",
        "mixed.test",
    ] {
        let result = guard::get(
            &client,
            &reach,
            &format!("http://{name}:{port}/ok"),
            limits(),
        )
        .await;
        assert!(
            matches!(result, Err(FetchError::Refused(_))),
            "{name}: {result:?}"
        );
    }
}

#[tokio::test]
async fn addresses_written_in_urls_are_refused() {
    let server = server().await;
    let (client, reach) = guarded(server);
    let port = server.port();
    for url in [
        "http://10.0.0.1/".to_owned(),
        "http://172.16.5.4/".to_owned(),
        "http://192.168.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
        "http://224.0.0.1/".to_owned(),
        "http://0.0.0.0/".to_owned(),
        format!("http://[::1]:{port}/ok"),
        "http://[fe80::1]/".to_owned(),
        "http://[fc00::1]/".to_owned(),
        "http://[ff05::2]/".to_owned(),
        "http://[::ffff:169.254.169.254]/".to_owned(),
        // Loopback other than the one server lifted.
        format!("http://127.0.0.1:{}/ok", port + 1),
        format!("http://127.0.0.2:{port}/ok"),
        // Spellings of loopback.
        format!("http://2130706433:{}/", port + 1),
        format!("http://localhost:{}/ok", port + 1),
        "file:///etc/passwd".to_owned(),
    ] {
        let result = guard::get(&client, &reach, &url, limits()).await;
        assert!(
            matches!(result, Err(FetchError::Refused(_))),
            "{url}: {result:?}"
        );
    }
    // The server lifted, by its address.
    let fetched = guard::get(
        &client,
        &reach,
        &format!("http://127.0.0.1:{port}/ok"),
        limits(),
    )
    .await
    .unwrap();
    assert_eq!(fetched, OK_BODY.as_bytes());
}

#[tokio::test]
async fn every_redirect_hop_is_checked() {
    let server = server().await;
    let (client, reach) = guarded(server);
    let base = format!("http://127.0.0.1:{}", server.port());
    for path in [
        "/to/private",
        "/to/metadata",
        "/to/v6-loopback",
        "/to/unique-local",
        "/to/mapped",
        "/to/other-loopback-port",
        "/to/evil-name",
        "/to/file",
    ] {
        let result = guard::get(&client, &reach, &format!("{base}{path}"), limits()).await;
        assert!(
            matches!(result, Err(FetchError::Refused(_))),
            "{path}: {result:?}"
        );
    }
    // Allowed hops are followed.
    for path in ["/to/relative"] {
        let fetched = guard::get(&client, &reach, &format!("{base}{path}"), limits())
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(fetched, OK_BODY.as_bytes());
    }
}

#[tokio::test]
async fn the_redirect_body_and_time_limits_hold() {
    let server = server().await;
    let (client, reach) = guarded(server);
    let base = format!("http://127.0.0.1:{}", server.port());
    // /hops/2 is three redirects away from /ok: the limit; /hops/3 is one more.
    let fetched = guard::get(&client, &reach, &format!("{base}/hops/2"), limits())
        .await
        .unwrap();
    assert_eq!(fetched, OK_BODY.as_bytes());
    let result = guard::get(&client, &reach, &format!("{base}/hops/3"), limits()).await;
    assert!(
        matches!(result, Err(FetchError::TooManyRedirects)),
        "{result:?}"
    );

    for path in ["/big", "/big-unannounced"] {
        let result = guard::get(&client, &reach, &format!("{base}{path}"), limits()).await;
        assert!(
            matches!(result, Err(FetchError::TooLarge(_))),
            "{path}: {result:?}"
        );
    }
    let roomy = Limits {
        max_bytes: 200 * 1024,
        ..limits()
    };
    assert_eq!(
        guard::get(&client, &reach, &format!("{base}/big"), roomy)
            .await
            .unwrap()
            .len(),
        102_400
    );

    let quick = Limits {
        timeout: Duration::from_millis(300),
        ..limits()
    };
    let started = std::time::Instant::now();
    let result = guard::get(&client, &reach, &format!("{base}/slow"), quick).await;
    assert!(matches!(result, Err(FetchError::TimedOut)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn production_reach_refuses_loopback_altogether() {
    let server = server().await;
    let reach = Reach::public();
    let resolver = GuardedResolver::new(reach.clone())
        .with_name("school.test", vec!["127.0.0.1".parse().unwrap()]);
    let client = client::build_with("Staffroom tests", resolver).unwrap();
    for url in [
        format!("http://127.0.0.1:{}/ok", server.port()),
        format!("http://school.test:{}/ok", server.port()),
        format!("http://localhost:{}/ok", server.port()),
    ] {
        let result = guard::get(&client, &reach, &url, limits()).await;
        assert!(
            matches!(result, Err(FetchError::Refused(_))),
            "{url}: {result:?}"
        );
    }
}
