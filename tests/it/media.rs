//! Media attachments: uploading images from an app, the files served, descriptions,
//! who may see and use an upload, the limits, posts with media, upkeep of unused
//! uploads, and media crossing to another instance with their alt text.

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use staffroom_domain::media::{self, MediaStore};
use staffroom_tests::{TestInstance, eventually};

const PASSWORD: &str = "correct horse battery";

async fn instance() -> TestInstance {
    TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await
}

/// A photo-like image (noise) of `width` × `height` in `format`.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let mut state = 0x1234_5678_u32;
    let image = DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [r, g, b, _] = state.to_le_bytes();
        Rgb([r, g, b])
    }));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    picture(width, height, ImageFormat::Png)
}

/// Uploads `bytes` as `name` to `path` with the extra text `fields`.
pub(crate) async fn upload_to(
    instance: &TestInstance,
    path: &str,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    for (key, value) in fields {
        form = form.text((*key).to_owned(), (*value).to_owned());
    }
    let response = instance
        .http
        .post(format!("{}{path}", instance.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

pub(crate) async fn upload(instance: &TestInstance, token: &str, bytes: Vec<u8>) -> Value {
    let (status, medium) =
        upload_to(instance, "/api/v2/media", token, bytes, "photo.png", &[]).await;
    assert_eq!(status, 200, "{medium}");
    medium
}

async fn post_status(instance: &TestInstance, token: &str, body: Value) -> (u16, Value) {
    let response = instance
        .http
        .post(format!("{}/api/v1/statuses", instance.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn get_with(instance: &TestInstance, path: &str, token: &str) -> (u16, Value) {
    let response = instance
        .http
        .get(format!("{}{path}", instance.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn put_description(
    instance: &TestInstance,
    token: &str,
    id: &str,
    description: &str,
) -> (u16, Value) {
    let response = instance
        .http
        .put(format!("{}/api/v1/media/{id}", instance.base))
        .bearer_auth(token)
        .form(&[("description", description)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

#[tokio::test]
async fn an_uploaded_image_is_processed_served_and_described() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let (status, medium) = upload_to(
        &instance,
        "/api/v2/media",
        &token,
        png(1000, 800),
        "attendance.png",
        &[
            ("description", "A chart of attendance by term"),
            ("focus", "0.5,-0.25"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{medium}");
    assert!(medium["id"].is_string(), "{medium}");
    assert_eq!(medium["type"], "image");
    assert_eq!(medium["remote_url"], Value::Null);
    assert_eq!(medium["description"], "A chart of attendance by term");
    assert!(!text(&medium["blurhash"]).is_empty());
    assert_eq!(
        medium["meta"]["original"],
        json!({"width": 1000, "height": 800, "size": "1000x800", "aspect": 1.25})
    );
    assert_eq!(medium["meta"]["small"]["width"], 640);
    assert_eq!(medium["meta"]["small"]["height"], 512);
    assert_eq!(medium["meta"]["focus"], json!({"x": 0.5, "y": -0.25}));
    let url = text(&medium["url"]);
    let preview_url = text(&medium["preview_url"]);
    assert!(
        url.starts_with(&format!("{}/media/", instance.base)),
        "{url}"
    );
    assert_ne!(url, preview_url);

    let original = instance.http.get(url).send().await.unwrap();
    assert_eq!(original.status(), 200);
    assert_eq!(original.headers()["content-type"], "image/png");
    assert_eq!(original.headers()["x-content-type-options"], "nosniff");
    assert!(
        original.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age="),
    );
    let original = original.bytes().await.unwrap();
    let decoded = image::load_from_memory(&original).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1000, 800));
    let preview = instance
        .http
        .get(preview_url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(preview.len() < original.len());
    let decoded = image::load_from_memory(&preview).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 512));

    let id = text(&medium["id"]);
    let (status, changed) = put_description(&instance, &token, id, "Attendance, 2025-26").await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["description"], "Attendance, 2025-26");
    assert_eq!(changed["meta"]["focus"], json!({"x": 0.5, "y": -0.25}));
    let (status, shown) = get_with(&instance, &format!("/api/v1/media/{id}"), &token).await;
    assert_eq!(status, 200);
    assert_eq!(shown["description"], "Attendance, 2025-26");

    // The v1 endpoint takes uploads too, JPEGs among them.
    let (status, jpeg) = upload_to(
        &instance,
        "/api/v1/media",
        &token,
        picture(300, 200, ImageFormat::Jpeg),
        "photo.jpg",
        &[],
    )
    .await;
    assert_eq!(status, 200, "{jpeg}");
    assert_eq!(jpeg["description"], Value::Null);
    assert_eq!(jpeg["meta"]["small"]["width"], 300);
    let served = instance.http.get(text(&jpeg["url"])).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    instance.shut_down().await;
}

#[tokio::test]
async fn uploads_are_checked_and_private_to_their_owner() {
    let instance = instance().await;
    let alice = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let bob = instance.sign_up_and_in("bob", PASSWORD, "read write").await;
    let medium = upload(&instance, &alice, png(40, 30)).await;
    let id = text(&medium["id"]);

    let (status, _) = get_with(&instance, &format!("/api/v1/media/{id}"), &bob).await;
    assert_eq!(status, 404);
    let (status, _) = put_description(&instance, &bob, id, "mine now").await;
    assert_eq!(status, 404);
    let (_, unchanged) = get_with(&instance, &format!("/api/v1/media/{id}"), &alice).await;
    assert_eq!(unchanged["description"], Value::Null);

    let (status, error) = upload_to(
        &instance,
        "/api/v2/media",
        &alice,
        b"minutes of the governors' meeting".to_vec(),
        "minutes.png",
        &[],
    )
    .await;
    assert_eq!(status, 422, "{error}");
    assert!(text(&error["error"]).contains("image/jpeg"), "{error}");

    let (status, error) = upload_to(
        &instance,
        "/api/v2/media",
        &alice,
        png(10, 10),
        "a.png",
        &[("description", &"x".repeat(1_501))],
    )
    .await;
    assert_eq!(status, 422, "{error}");

    // A file that starts like a PNG but passes the image limit: refused as
    // Mastodon refuses it, with 422.
    let mut too_big = b"\x89PNG\r\n\x1a\n".to_vec();
    too_big.resize(media::MAX_FILE_BYTES + 1024, 0);
    let response = instance
        .http
        .post(format!("{}/api/v2/media", instance.base))
        .bearer_auth(&alice)
        .multipart(Form::new().part("file", Part::bytes(too_big).file_name("big.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    let response = instance
        .http
        .post(format!("{}/api/v2/media", instance.base))
        .bearer_auth(&alice)
        .multipart(Form::new().text("description", "no file"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    let reader = instance.sign_in("alice", PASSWORD, "read").await;
    let (status, _) = upload_to(&instance, "/api/v2/media", &reader, png(4, 4), "a.png", &[]).await;
    assert_eq!(status, 403);

    // Nothing but the store's own names is looked up.
    for path in [
        "/media/..%2fstaffroom.db",
        "/media/staffroom.db",
        "/media/..%2f..%2fetc%2fpasswd",
    ] {
        assert_eq!(instance.get(path).await.status(), 404, "{path}");
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn a_status_carries_up_to_four_of_its_authors_media_in_order() {
    let instance = instance().await;
    let alice = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let bob = instance.sign_up_and_in("bob", PASSWORD, "read write").await;
    let (_, configuration) = instance.get_json("/api/v2/instance").await;
    assert_eq!(
        configuration["configuration"]["statuses"]["max_media_attachments"],
        4
    );
    let mut ids = Vec::new();
    for n in 0..5 {
        let description = if n == 0 { "Our new library" } else { "" };
        let (status, medium) = upload_to(
            &instance,
            "/api/v2/media",
            &alice,
            png(20, 20),
            "a.png",
            &[("description", description)],
        )
        .await;
        assert_eq!(status, 200, "{medium}");
        ids.push(text(&medium["id"]).to_owned());
    }

    let (status, error) = post_status(
        &instance,
        &alice,
        json!({"status": "Five pictures", "media_ids": ids}),
    )
    .await;
    assert_eq!(status, 422, "{error}");
    let (_, timeline) = instance.get_json("/api/v1/timelines/public").await;
    assert_eq!(timeline, json!([]), "nothing was posted");

    let (status, error) = post_status(
        &instance,
        &bob,
        json!({"status": "Not my picture", "media_ids": [ids[0]]}),
    )
    .await;
    assert_eq!(status, 422, "{error}");

    // A form with Rails-style repeated keys, and no text: the pictures say it all.
    let response = instance
        .http
        .post(format!("{}/api/v1/statuses", instance.base))
        .bearer_auth(&alice)
        .form(&[
            ("status", ""),
            ("media_ids[]", ids[1].as_str()),
            ("media_ids[]", ids[0].as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let posted: Value = response.json().await.unwrap();
    let (status, shown) = get_with(
        &instance,
        &format!("/api/v1/statuses/{}", text(&posted["id"])),
        &bob,
    )
    .await;
    assert_eq!(status, 200);
    for status in [&posted, &shown] {
        let attached: Vec<&str> = status["media_attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| text(&m["id"]))
            .collect();
        assert_eq!(attached, vec![ids[1].as_str(), ids[0].as_str()], "{status}");
        assert_eq!(status["media_attachments"][0]["type"], "image");
    }
    // The post's page shows the pictures with their alt text.
    let page = instance
        .http
        .get(text(&posted["url"]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let library = &posted["media_attachments"][1];
    assert_eq!(library["description"], "Our new library");
    assert!(
        page.contains(&format!(
            "<img src=\"{}\" alt=\"Our new library\"",
            text(&library["preview_url"])
        )),
        "{page}"
    );

    let (status, error) = post_status(
        &instance,
        &alice,
        json!({"status": "Again", "media_ids": [ids[0]]}),
    )
    .await;
    assert_eq!(
        status, 422,
        "an attached medium is not taken twice: {error}"
    );
    let (status, _) = put_description(&instance, &alice, &ids[0], "too late").await;
    assert_eq!(status, 404, "a posted medium changes with its post");

    // Delete and redraft: the deleted status hands its pictures back.
    let response = instance
        .http
        .delete(format!(
            "{}/api/v1/statuses/{}",
            instance.base,
            text(&posted["id"])
        ))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let deleted: Value = response.json().await.unwrap();
    assert_eq!(deleted["media_attachments"].as_array().unwrap().len(), 2);
    let (status, redrafted) = post_status(
        &instance,
        &alice,
        json!({"status": "Redrafted", "media_ids": [ids[0], ids[1]]}),
    )
    .await;
    assert_eq!(status, 200, "{redrafted}");
    assert_eq!(redrafted["media_attachments"][0]["id"], ids[0].as_str());
    instance.shut_down().await;
}

#[tokio::test]
async fn an_account_has_only_so_many_uploads_waiting_for_a_post() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let mut first = None;
    for _ in 0..media::MAX_UNATTACHED {
        let medium = upload(&instance, &token, png(4, 4)).await;
        first.get_or_insert(medium);
    }
    let (status, error) =
        upload_to(&instance, "/api/v2/media", &token, png(4, 4), "a.png", &[]).await;
    assert_eq!(status, 422, "{error}");
    // Posting one frees a place.
    let (status, _) = post_status(
        &instance,
        &token,
        json!({"status": "", "media_ids": [first.unwrap()["id"]]}),
    )
    .await;
    assert_eq!(status, 200);
    upload(&instance, &token, png(4, 4)).await;
    instance.shut_down().await;
}

#[tokio::test]
async fn uploads_no_post_took_within_a_day_are_removed_with_their_files() {
    let instance = instance().await;
    let token = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let unused = upload(&instance, &token, png(16, 16)).await;
    let used = upload(&instance, &token, png(16, 16)).await;
    let (status, _) = post_status(
        &instance,
        &token,
        json!({"status": "With a picture", "media_ids": [used["id"]]}),
    )
    .await;
    assert_eq!(status, 200);

    let store =
        MediaStore::local(std::path::Path::new(&instance.env["STAFFROOM_DATA_DIR"]).join("media"));
    let db = instance.running().db();
    let now = chrono::Utc::now();
    assert_eq!(
        media::remove_stale_unattached(db, &store, now)
            .await
            .unwrap(),
        0,
        "a fresh upload stays"
    );
    let later = now + media::UNATTACHED_LIFETIME + chrono::TimeDelta::minutes(1);
    assert_eq!(
        media::remove_stale_unattached(db, &store, later)
            .await
            .unwrap(),
        1
    );
    for url in [&unused["url"], &unused["preview_url"]] {
        assert_eq!(
            instance.http.get(text(url)).send().await.unwrap().status(),
            404
        );
    }
    let (status, _) = get_with(
        &instance,
        &format!("/api/v1/media/{}", text(&unused["id"])),
        &token,
    )
    .await;
    assert_eq!(status, 404);
    for url in [&used["url"], &used["preview_url"]] {
        assert_eq!(
            instance.http.get(text(url)).send().await.unwrap().status(),
            200
        );
    }
    instance.shut_down().await;
}

#[tokio::test]
async fn an_attachment_crosses_to_another_instance_with_its_alt_text() {
    let a = instance().await;
    let b = instance().await;
    a.create_user("alice", &[]).await;
    let bob = b.sign_up_and_in("bob", PASSWORD, "read write").await;
    let bob_uri = format!("{}/users/bob", b.base);
    a.follow_as("alice", &bob_uri).await;
    eventually("bob accepts alice", || async {
        let (_, following) = a.get_json("/users/alice/following").await;
        following["totalItems"] == 1
    })
    .await;

    let (status, medium) = upload_to(
        &b,
        "/api/v2/media",
        &bob,
        png(900, 600),
        "visit.png",
        &[
            ("description", "Pupils at the science fair"),
            ("focus", "0.25,0.5"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{medium}");
    let (status, posted) = post_status(
        &b,
        &bob,
        json!({"status": "Our science fair", "media_ids": [medium["id"]]}),
    )
    .await;
    assert_eq!(status, 200, "{posted}");

    let note = b.get_activity(text(&posted["uri"])).await;
    let document = &note["attachment"][0];
    assert_eq!(document["type"], "Document", "{note}");
    assert_eq!(document["mediaType"], "image/png");
    assert_eq!(document["url"], medium["url"]);
    assert_eq!(document["name"], "Pupils at the science fair");
    assert_eq!(document["blurhash"], medium["blurhash"]);
    assert_eq!(
        (&document["width"], &document["height"]),
        (&json!(900), &json!(600))
    );
    assert_eq!(document["focalPoint"], json!([0.25, 0.5]));

    let seen_on_a = || async {
        let uri = text(&posted["uri"]);
        let id = a.remote_posts().await.into_iter().find(|p| p.1 == uri)?.0;
        let (_, status) = a.get_json(&format!("/api/v1/statuses/{id}")).await;
        (!status["media_attachments"].as_array()?.is_empty()).then_some(status)
    };
    eventually("the post and its picture reach A", || async {
        seen_on_a().await.is_some()
    })
    .await;
    let status = seen_on_a().await.unwrap();
    let remote = &status["media_attachments"][0];
    assert_eq!(remote["type"], "image", "{status}");
    assert_eq!(remote["remote_url"], medium["url"]);
    assert_eq!(remote["description"], "Pupils at the science fair");
    assert_eq!(remote["meta"]["original"]["width"], 900);
    assert_eq!(remote["meta"]["focus"], json!({"x": 0.25, "y": 0.5}));

    // A keeps its own copy, and shows that: readers of A never reach B.
    let a_media = format!("http://{}/media/", a.domain());
    eventually("A copies the picture", || async {
        let status = seen_on_a().await.unwrap();
        let medium = &status["media_attachments"][0];
        text(&medium["url"]).starts_with(&a_media)
            && text(&medium["preview_url"]).starts_with(&a_media)
    })
    .await;
    let status = seen_on_a().await.unwrap();
    let copy = &status["media_attachments"][0];
    assert_eq!(copy["remote_url"], medium["url"], "{status}");
    assert_eq!(copy["meta"]["original"]["width"], 900);
    assert_eq!(copy["meta"]["small"]["width"], 640);
    assert!(copy["blurhash"].as_str().is_some_and(|b| !b.is_empty()));
    let served = a.http.get(text(&copy["url"])).send().await.unwrap();
    assert_eq!(served.status(), 200);
    let bytes = served.bytes().await.unwrap();
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), (900, 600));
    // Its page shows the copy too, and names no file of B.
    let account = text(&status["account"]["acct"]).to_owned();
    let html = a
        .get(&format!("/@{account}/{}", text(&status["id"])))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(text(&copy["url"])), "{html}");
    assert!(!html.contains(text(&medium["url"])), "{html}");

    // Pruned after its age: the file goes, and the original is linked again.
    let copy_id: i64 = text(&copy["id"]).parse().unwrap();
    a.set_time(
        "media_attachments",
        "cached_at",
        "id",
        copy_id,
        chrono::Utc::now() - chrono::TimeDelta::days(31),
    )
    .await;
    let pruned = a.cli(&["admin", "media", "prune"], "").await;
    assert!(pruned.stdout.contains("Removed 1 "), "{pruned:?}");
    assert_eq!(
        a.http
            .get(text(&copy["url"]))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let status = seen_on_a().await.unwrap();
    let fallback = &status["media_attachments"][0];
    assert_eq!(fallback["url"], medium["url"], "{status}");
    assert_eq!(fallback["remote_url"], medium["url"]);
    b.shut_down().await;
    a.shut_down().await;
}

#[tokio::test]
async fn an_upload_no_post_uses_may_be_deleted_by_its_owner_only() {
    let instance = instance().await;
    let alice = instance.user("alice").await;
    let bob = instance.user("bob").await;
    let alice_token = alice.token.clone().unwrap();
    let unused = upload(&instance, &alice_token, png(8, 8)).await;
    let unused_id = text(&unused["id"]).to_owned();
    let file = text(&unused["url"]).to_owned();
    assert_eq!(instance.http.get(&file).send().await.unwrap().status(), 200);

    // Someone else's, or none: 404.
    let path = format!("/api/v1/media/{unused_id}");
    assert_eq!(bob.delete(&path).await.status, 404);
    assert_eq!(alice.delete("/api/v1/media/123").await.status, 404);
    assert_eq!(alice.delete("/api/v1/media/x").await.status, 404);

    let deleted = alice.delete(&path).await.expect(200);
    assert_eq!(deleted.body, json!({}));
    assert_eq!(alice.get(&path).await.status, 404);
    assert_eq!(instance.http.get(&file).send().await.unwrap().status(), 404);
    assert_eq!(alice.delete(&path).await.status, 404);

    // Once a post uses it: 422, and it stays.
    let used = upload(&instance, &alice_token, png(8, 8)).await;
    alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Our new library", "media_ids": [used["id"]]}),
        )
        .await
        .expect(200);
    let refused = alice
        .delete(&format!("/api/v1/media/{}", text(&used["id"])))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body["error"].is_string());
    let file = text(&used["url"]);
    assert_eq!(instance.http.get(file).send().await.unwrap().status(), 200);
}
