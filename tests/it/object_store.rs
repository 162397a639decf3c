//! Media in an S3-compatible bucket (`media_store = "s3"`), against a real
//! S3-compatible server each test starts: `moto_server` (PyPI's `moto[server]`).
//! Uploads land in the bucket and nowhere on the local disk, `/media/` serves
//! them whole and in ranges with their media types, deleting an upload or the
//! upkeep after a post's deletion removes its objects, archives are built into the bucket and downloaded from
//! it, and two processes with data directories of their own serve the same
//! files from one bucket.
//!
//! Without `moto_server` (on `PATH`, or named by `STAFFROOM_TEST_MOTO_SERVER`)
//! the tests say so and pass, unless `STAFFROOM_TEST_REQUIRE_S3=1` says they
//! must run: then they fail.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::json;
use staffroom_domain::media;
use staffroom_tests::browser::Browser;
use staffroom_tests::{TestInstance, eventually};

use crate::export::PASSWORD;
use crate::media::{png, upload};

/// The variable naming the `moto_server` program, when it is not on `PATH`.
const SERVER_VARIABLE: &str = "STAFFROOM_TEST_MOTO_SERVER";
/// The variable that makes a missing `moto_server` a failure.
const REQUIRE_VARIABLE: &str = "STAFFROOM_TEST_REQUIRE_S3";

/// moto refuses to hand objects to anonymous requests, but does not check
/// signatures: the test's own reads carry this one.
const SOME_SIGNATURE: &str = "AWS4-HMAC-SHA256 Credential=staffroom/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

/// A `moto_server` on a loopback port, stopped when dropped, with one bucket.
struct Moto {
    child: Child,
    endpoint: String,
    bucket: String,
    http: reqwest::Client,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    /// Starts the server and makes a bucket, or `None` (after saying why) when
    /// `moto_server` is not installed and the tests need not run.
    async fn start(test: &str) -> Option<Self> {
        let Some(program) = program() else {
            let required = std::env::var(REQUIRE_VARIABLE).is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{REQUIRE_VARIABLE}=1 but moto_server is not installed (pip install 'moto[server]'; or name it in {SERVER_VARIABLE})"
            );
            eprintln!(
                "skipped {test}: moto_server is not installed (pip install 'moto[server]'); set {REQUIRE_VARIABLE}=1 to make this a failure"
            );
            return None;
        };
        // This client may be the process's first: it speaks TLS as the server does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let moto = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: format!("staffroom-{port}"),
            http: reqwest::Client::new(),
        };
        eventually("moto_server answers", || async {
            moto.http.get(&moto.endpoint).send().await.is_ok()
        })
        .await;
        let made = moto
            .http
            .put(format!("{}/{}", moto.endpoint, moto.bucket))
            .send()
            .await
            .unwrap();
        assert!(made.status().is_success(), "{:?}", made.text().await);
        Some(moto)
    }

    /// The settings of an instance that keeps its media in the bucket.
    fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("STAFFROOM_MEDIA_STORE", "s3".into()),
            ("STAFFROOM_S3_BUCKET", self.bucket.clone()),
            ("STAFFROOM_S3_ENDPOINT", self.endpoint.clone()),
            ("STAFFROOM_S3_PATH_STYLE", "true".into()),
            ("STAFFROOM_S3_ACCESS_KEY_ID", "staffroom".into()),
            ("STAFFROOM_S3_SECRET_ACCESS_KEY", "staffroom-secret".into()),
            ("STAFFROOM_S3_PREFIX", "school/media".into()),
        ]
    }

    /// The object `key` of the bucket, read with a plain GET: its status, media
    /// type and bytes.
    async fn object(&self, key: &str) -> (u16, String, Vec<u8>) {
        let response = self
            .http
            .get(format!("{}/{}/{key}", self.endpoint, self.bucket))
            .header("authorization", SOME_SIGNATURE)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            status,
            content_type,
            response.bytes().await.unwrap().to_vec(),
        )
    }

    /// The keys of the bucket, from its listing.
    async fn keys(&self) -> Vec<String> {
        let listing = self
            .http
            .get(format!("{}/{}?list-type=2", self.endpoint, self.bucket))
            .header("authorization", SOME_SIGNATURE)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        listing
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</Key>").map(|(key, _)| key.to_owned()))
            .collect()
    }
}

/// The `moto_server` program: named by the variable, or found on `PATH`.
fn program() -> Option<PathBuf> {
    if let Ok(named) = std::env::var(SERVER_VARIABLE) {
        return Some(PathBuf::from(named)).filter(|path| path.is_file());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("moto_server"))
        .find(|path| path.is_file())
}

async fn instance(moto: &Moto) -> TestInstance {
    let settings = moto.settings();
    let mut pairs: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("STAFFROOM_PASSWORD_GRANT", "true"));
    TestInstance::start_with(&pairs).await
}

/// The file name of a media URL (`.../media/NAME`).
fn file_of(url: &serde_json::Value) -> String {
    let url = url.as_str().unwrap();
    url.rsplit_once("/media/").unwrap().1.to_owned()
}

fn media_folder(instance: &TestInstance) -> PathBuf {
    Path::new(&instance.env["STAFFROOM_DATA_DIR"]).join("media")
}

#[tokio::test]
async fn uploads_go_to_the_bucket_and_are_served_whole_and_in_ranges() {
    let Some(moto) =
        Moto::start("uploads_go_to_the_bucket_and_are_served_whole_and_in_ranges").await
    else {
        return;
    };
    let instance = instance(&moto).await;
    let alice = instance.user("alice").await;
    let token = alice.token.clone().unwrap();
    let medium = upload(&instance, &token, png(300, 200)).await;
    let file = file_of(&medium["url"]);
    let preview = file_of(&medium["preview_url"]);

    // In the bucket, under the prefix, with its media type; not on the disk.
    let (status, content_type, stored) = moto.object(&format!("school/media/{file}")).await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "image/png");
    assert!(image::load_from_memory(&stored).is_ok());
    assert!(
        moto.keys()
            .await
            .contains(&format!("school/media/{preview}"))
    );
    assert!(!media_folder(&instance).join(&file).exists());

    // Served whole...
    let url = format!("{}/media/{file}", instance.base);
    let whole = instance.http.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "image/png");
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().to_vec(), stored);
    // ...in ranges...
    let len = stored.len();
    for (range, expected, content_range) in [
        ("bytes=0-99", &stored[..100], format!("bytes 0-99/{len}")),
        (
            "bytes=-10",
            &stored[len - 10..],
            format!("bytes {}-{}/{len}", len - 10, len - 1),
        ),
        (
            "bytes=100-",
            &stored[100..],
            format!("bytes 100-{}/{len}", len - 1),
        ),
    ] {
        let part = instance
            .http
            .get(&url)
            .header("range", range)
            .send()
            .await
            .unwrap();
        assert_eq!(part.status(), 206, "{range}");
        assert_eq!(part.headers()["content-range"], content_range.as_str());
        assert_eq!(part.headers()["content-type"], "image/png");
        assert_eq!(part.bytes().await.unwrap().to_vec(), expected, "{range}");
    }
    let outside = instance
        .http
        .get(&url)
        .header("range", format!("bytes={len}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 416);
    assert_eq!(
        outside.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );
    // ...and a name the bucket does not hold is not found.
    let missing = instance
        .http
        .get(format!(
            "{}/media/0123456789abcdef0123456789abcdef.png",
            instance.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    // Deleting the upload removes its objects.
    alice
        .delete(&format!("/api/v1/media/{}", medium["id"].as_str().unwrap()))
        .await
        .expect(200);
    assert_eq!(moto.object(&format!("school/media/{file}")).await.0, 404);
    assert!(!moto.keys().await.iter().any(|key| key.ends_with(&preview)));
    assert_eq!(instance.http.get(&url).send().await.unwrap().status(), 404);

    // A deleted post's media wait a day for a redraft, as on Mastodon; then
    // the upkeep removes them from the bucket.
    let medium = upload(&instance, &token, png(40, 30)).await;
    let file = file_of(&medium["url"]);
    let post = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Sports day", "media_ids": [medium["id"]]}),
        )
        .await
        .expect(200)
        .body;
    alice
        .delete(&format!(
            "/api/v1/statuses/{}",
            post["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    assert_eq!(moto.object(&format!("school/media/{file}")).await.0, 200);
    let store = staffroom::config::load(None, &instance.env).unwrap().media;
    let tomorrow = chrono::Utc::now() + chrono::TimeDelta::days(2);
    let removed = media::remove_stale_unattached(instance.running().db(), &store, tomorrow)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(moto.object(&format!("school/media/{file}")).await.0, 404);
    instance.shut_down().await;
}

#[tokio::test]
async fn two_processes_with_one_bucket_serve_the_same_files() {
    let Some(moto) = Moto::start("two_processes_with_one_bucket_serve_the_same_files").await else {
        return;
    };
    let first = instance(&moto).await;
    // The second process has a data directory of its own, as on another machine.
    let elsewhere = tempfile::tempdir().unwrap();
    let second = first
        .second_process_with(&[("STAFFROOM_DATA_DIR", elsewhere.path().to_str().unwrap())])
        .await;
    let second_base = format!("http://{}", second.env["STAFFROOM_BIND"]);
    let alice = first.user("alice").await;
    let token = alice.token.clone().unwrap();

    // Uploaded through the first, served by both.
    let medium = upload(&first, &token, png(64, 48)).await;
    let file = file_of(&medium["url"]);
    let from_first = first
        .http
        .get(format!("{}/media/{file}", first.base))
        .send()
        .await
        .unwrap();
    assert_eq!(from_first.status(), 200);
    let from_first = from_first.bytes().await.unwrap();
    let from_second = second
        .http
        .get(format!("{second_base}/media/{file}"))
        .header("range", "bytes=0-15")
        .send()
        .await
        .unwrap();
    assert_eq!(from_second.status(), 206);
    assert_eq!(from_second.headers()["content-type"], "image/png");
    assert_eq!(from_second.bytes().await.unwrap(), from_first.slice(..16));
    assert!(!media_folder(&second).exists());

    // Deleted through the second, gone from both.
    let second_api = staffroom_tests::api::ApiClient::new(&second_base, Some(token));
    second_api
        .delete(&format!("/api/v1/media/{}", medium["id"].as_str().unwrap()))
        .await
        .expect(200);
    for base in [&first.base, &second_base] {
        let gone = first
            .http
            .get(format!("{base}/media/{file}"))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404, "{base}");
    }
    second.shut_down().await;
    first.shut_down().await;
}

#[tokio::test]
async fn an_archive_is_built_into_the_bucket_and_downloaded_from_it() {
    let Some(moto) =
        Moto::start("an_archive_is_built_into_the_bucket_and_downloaded_from_it").await
    else {
        return;
    };
    let instance = instance(&moto).await;
    let alice = instance.user("alice").await;
    let medium = upload(&instance, alice.token.as_deref().unwrap(), png(20, 10)).await;
    let file = file_of(&medium["url"]);
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Our new library", "media_ids": [medium["id"]]}),
        )
        .await
        .expect(200);

    let browser = Browser::signed_in(&instance.base, "alice", PASSWORD).await;
    let page = browser.get("/settings/export").await;
    let asked = browser
        .post(
            "/settings/export/archive",
            &[("authenticity_token".into(), page.csrf())],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    eventually("the archive is built", || async {
        browser
            .get("/settings/export")
            .await
            .body
            .contains("Download your archive")
    })
    .await;
    let archives: Vec<String> = moto
        .keys()
        .await
        .into_iter()
        .filter(|key| key.starts_with("school/media/archives/"))
        .collect();
    assert_eq!(archives.len(), 1, "{archives:?}");
    // Kept private: `/media/` never serves it.
    let name = archives[0].rsplit_once('/').unwrap().1;
    let private = instance
        .http
        .get(format!("{}/media/{name}", instance.base))
        .send()
        .await
        .unwrap();
    assert_eq!(private.status(), 404);

    let (status, content_type, bytes) = browser.get_bytes("/settings/export/archive.zip").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/zip");
    assert_eq!(bytes, moto.object(&archives[0]).await.2);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut copied = Vec::new();
    std::io::Read::read_to_end(
        &mut archive
            .by_name(&format!("media_attachments/{file}"))
            .unwrap(),
        &mut copied,
    )
    .unwrap();
    assert_eq!(copied, moto.object(&format!("school/media/{file}")).await.2);
    // Nothing is left in the scratch folder it was built in.
    let scratch = Path::new(&instance.env["STAFFROOM_DATA_DIR"]).join("scratch");
    assert_eq!(
        std::fs::read_dir(scratch).map(Iterator::count).unwrap_or(0),
        0
    );
    instance.shut_down().await;
}
