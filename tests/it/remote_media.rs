//! Remote media through this instance's own cache, against a server written in
//! the suite: a picture is copied once, cleaned of its metadata and served from
//! here; a file that cannot be had, or is not what it says, stays a link to the
//! original; avatars are copied and cut to size; old copies are pruned.

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb};
use serde_json::{Value, json};
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

/// Where the photo was taken, as a camera writes it: it must not survive.
const SECRET: &[u8] = b"GPS 51.5007N 0.1246W Pupil: Ada Example";

/// A JPEG of `width` × `height` carrying an EXIF segment with [`SECRET`].
fn photo_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    }));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Jpeg).unwrap();
    let jpeg = out.into_inner();
    // An APP1 segment right after the start of the image: "Exif", a little-endian
    // TIFF header, and the secret as the camera's text.
    let mut payload = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    payload.extend_from_slice(SECRET);
    let length = u16::try_from(payload.len() + 2).unwrap();
    let mut with_exif = jpeg[..2].to_vec();
    with_exif.extend_from_slice(&[0xff, 0xe1]);
    with_exif.extend_from_slice(&length.to_be_bytes());
    with_exif.extend_from_slice(&payload);
    with_exif.extend_from_slice(&jpeg[2..]);
    with_exif
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, _| {
        Rgb([(x % 256) as u8, 40, 200])
    }));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

#[tokio::test]
async fn remote_pictures_are_copied_cleaned_and_served_from_here_or_linked_when_they_cannot_be() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let photo = photo_with_exif(800, 600);
    assert!(contains(&photo, SECRET));
    assert!(image::load_from_memory(&photo).is_ok());
    peer.serve_file("/files/photo.jpg", "image/jpeg", photo);
    // Says it is a picture, is not.
    peer.serve_file(
        "/files/fake.jpg",
        "image/jpeg",
        b"<script>alert(1)</script>".to_vec(),
    );
    peer.serve_file("/files/avatar.png", "image/png", png(300, 200));
    peer.describe(json!({
        "icon": {"type": "Image", "mediaType": "image/png", "url": format!("{}/files/avatar.png", peer.base)}
    }));

    let alice = format!("{}/users/alice", instance.base);
    let id = format!("{}/notes/trip", peer.base);
    let note = json!({
        "id": id,
        "type": "Note",
        "attributedTo": peer.actor_id,
        "content": "<p>The trip, @alice</p>",
        "published": "2026-11-20T10:00:00Z",
        "to": "https://www.w3.org/ns/activitystreams#Public",
        "tag": [{"type": "Mention", "href": alice, "name": "@alice"}],
        "attachment": [
            {"type": "Document", "mediaType": "image/jpeg", "url": format!("{}/files/photo.jpg", peer.base), "name": "The coach"},
            {"type": "Document", "mediaType": "image/jpeg", "url": format!("{}/files/missing.jpg", peer.base)},
            {"type": "Document", "mediaType": "image/jpeg", "url": format!("{}/files/fake.jpg", peer.base)}
        ]
    });
    let create = peer.activity("Create", note);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &create)
            .await,
        202
    );
    let post_id = instance
        .remote_posts()
        .await
        .into_iter()
        .find(|p| p.1 == id)
        .expect("stored")
        .0;
    let status = || async {
        instance
            .get_json(&format!("/api/v1/statuses/{post_id}"))
            .await
            .1
    };
    let own = format!("http://{}/media/", instance.domain());

    eventually("the picture is copied", || async {
        text(&status().await["media_attachments"][0]["url"]).starts_with(&own)
    })
    .await;
    let shown = status().await;
    let media = shown["media_attachments"].as_array().unwrap();
    let copy = &media[0];
    assert_eq!(
        copy["remote_url"],
        format!("{}/files/photo.jpg", peer.base),
        "{shown}"
    );
    assert!(text(&copy["preview_url"]).starts_with(&own), "{shown}");
    assert_eq!(copy["description"], "The coach");
    assert_eq!(copy["meta"]["original"]["width"], 800);
    assert_eq!(copy["meta"]["small"]["width"], 640);
    assert!(!text(&copy["blurhash"]).is_empty());

    // The bytes come from here, without the camera's metadata.
    let served = instance.http.get(text(&copy["url"])).send().await.unwrap();
    assert_eq!(served.status(), 200);
    let bytes = served.bytes().await.unwrap();
    assert!(!contains(&bytes, SECRET), "the EXIF text survived");
    assert!(!contains(&bytes, b"Exif\0\0"), "an EXIF segment survived");
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), (800, 600));
    let preview = instance
        .http
        .get(text(&copy["preview_url"]))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 200);
    // Readers never reach the other server: it served the file once.
    assert_eq!(peer.file_fetches("/files/photo.jpg"), 1);

    // A file that is missing, or not a picture, stays a link to the original.
    eventually("the others were tried", || async {
        peer.file_fetches("/files/fake.jpg") == 1
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let shown = status().await;
    let media = shown["media_attachments"].as_array().unwrap();
    assert_eq!(
        media[1]["url"],
        format!("{}/files/missing.jpg", peer.base),
        "{shown}"
    );
    assert_eq!(media[1]["remote_url"], media[1]["url"]);
    assert_eq!(
        media[2]["url"],
        format!("{}/files/fake.jpg", peer.base),
        "{shown}"
    );
    assert_eq!(media[2]["remote_url"], media[2]["url"]);

    // The page shows the copy.
    let acct = text(&shown["account"]["acct"]).to_owned();
    let html = instance
        .get(&format!("/@{acct}/{post_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(text(&copy["url"])), "{html}");
    assert!(!html.contains("/files/photo.jpg"), "{html}");

    // The avatar is copied and cut to size.
    let account_id = text(&shown["account"]["id"]).to_owned();
    let account = || async {
        instance
            .get_json(&format!("/api/v1/accounts/{account_id}"))
            .await
            .1
    };
    eventually("the avatar is copied", || async {
        text(&account().await["avatar"]).starts_with(&own)
    })
    .await;
    let shown_account = account().await;
    assert_eq!(shown_account["avatar_static"], shown_account["avatar"]);
    let avatar = text(&shown_account["avatar"]).to_owned();
    let fetched = instance.http.get(&avatar).send().await.unwrap();
    let picture = image::load_from_memory(&fetched.bytes().await.unwrap()).unwrap();
    assert_eq!((picture.width(), picture.height()), (400, 400));

    // Copies past their age are pruned: the files go, the originals are linked.
    let old = chrono::Utc::now() - chrono::TimeDelta::days(31);
    let copy_id: i64 = text(&copy["id"]).parse().unwrap();
    instance
        .set_time("media_attachments", "cached_at", "id", copy_id, old)
        .await;
    instance
        .set_time(
            "accounts",
            "avatar_cached_at",
            "id",
            account_id.parse().unwrap(),
            old,
        )
        .await;
    let pruned = instance.cli(&["admin", "media", "prune"], "").await;
    assert_eq!(pruned.status, 0, "{pruned:?}");
    assert!(pruned.stdout.contains("Removed 2 "), "{pruned:?}");
    assert_eq!(
        instance
            .http
            .get(text(&copy["url"]))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        instance
            .http
            .get(text(&copy["preview_url"]))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        instance.http.get(&avatar).send().await.unwrap().status(),
        404
    );
    let shown = status().await;
    assert_eq!(
        shown["media_attachments"][0]["url"],
        format!("{}/files/photo.jpg", peer.base),
        "{shown}"
    );
    assert_eq!(
        account().await["avatar"],
        format!("{}/files/avatar.png", peer.base)
    );
    instance.shut_down().await;
}
