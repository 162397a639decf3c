//! A small SMTP server for tests: it listens on a loopback port, speaks enough SMTP
//! for a mail client (EHLO or HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps
//! every message it receives, and stops when dropped.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One message as received: the envelope and the data, with quoted-printable
/// soft breaks and escapes undone so that links read whole.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The first link in the message that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .data
            .find(prefix)
            .unwrap_or_else(|| panic!("no link {prefix} in {}", self.data));
        self.data[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
            .collect()
    }

    /// The `Subject` header.
    pub fn subject(&self) -> String {
        self.data
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap_or_default()
            .to_owned()
    }
}

/// A running SMTP server.
#[derive(Debug)]
pub struct SmtpServer {
    pub port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SmtpServer {
    /// Starts a server on a free loopback port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(converse(stream, kept.clone()));
            }
        });
        Self {
            port,
            messages,
            task,
        }
    }

    /// The instance settings that send mail through this server.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("STAFFROOM_SMTP_HOST", "127.0.0.1".into()),
            ("STAFFROOM_SMTP_PORT", self.port.to_string()),
            ("STAFFROOM_SMTP_TLS", "none".into()),
            ("STAFFROOM_SMTP_FROM", "staffroom@staff.test".into()),
        ]
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().unwrap().clone()
    }

    /// The messages received for `to`.
    pub fn messages_to(&self, to: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|r| r == to))
            .collect()
    }

    /// Waits (up to 20 seconds) for message number `n` (from 1) to `to`.
    pub async fn wait_for(&self, to: &str, n: usize) -> Received {
        for _ in 0..200 {
            if let Some(message) = self.messages_to(to).get(n - 1) {
                return message.clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no message {n} to {to}; received: {:?}", self.messages());
    }
}

/// `<address>` of a `MAIL FROM:` or `RCPT TO:` line.
fn address(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line.rfind('>').unwrap_or(line.len());
    line[start..end].to_owned()
}

/// Undoes quoted-printable: soft line breaks and `=XX` escapes.
fn unquote(data: &str) -> String {
    let joined = data.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn converse(stream: TcpStream, messages: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut reply = async |text: &str| write.write_all(format!("{text}\r\n").as_bytes()).await;
    if reply("220 smtp.test ESMTP ready").await.is_err() {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
        let answer = match verb.as_str() {
            "EHLO" => "250-smtp.test\r\n250-8BITMIME\r\n250 SMTPUTF8",
            "HELO" => "250 smtp.test",
            "MAIL" => {
                from = address(&line);
                to.clear();
                "250 OK"
            }
            "RCPT" => {
                to.push(address(&line));
                "250 OK"
            }
            "DATA" => {
                if reply("354 End data with <CR><LF>.<CR><LF>").await.is_err() {
                    return;
                }
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push_str("\r\n");
                }
                messages.lock().unwrap().push(Received {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data: unquote(&data),
                });
                "250 OK: queued"
            }
            "RSET" => {
                from.clear();
                to.clear();
                "250 OK"
            }
            "NOOP" => "250 OK",
            "QUIT" => {
                let _ = reply("221 Bye").await;
                return;
            }
            _ => "502 Command not implemented",
        };
        if reply(answer).await.is_err() {
            return;
        }
    }
}
