//! Profile pictures: an avatar and a header uploaded from an app in a multipart
//! form, checked and cut to size, served and shown in the account and the actor
//! document; removed again; and seen from another instance.

use std::io::Cursor;

use image::{DynamicImage, ImageBuffer, ImageFormat, Rgba};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use staffroom_tests::api::ApiClient;
use staffroom_tests::{TestInstance, eventually};

/// A `width` × `height` PNG with some transparency.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = DynamicImage::ImageRgba8(ImageBuffer::from_fn(width, height, |x, y| {
        Rgba([
            (x % 256) as u8,
            (y % 256) as u8,
            90,
            if x < 5 { 0 } else { 255 },
        ])
    }));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// `PATCH update_credentials` as a multipart form with `parts` (name, file
/// bytes) and `fields`.
async fn update(
    instance: &TestInstance,
    client: &ApiClient,
    parts: Vec<(&str, Vec<u8>)>,
    fields: &[(&str, &str)],
) -> (u16, Value) {
    let mut form = Form::new();
    for (name, bytes) in parts {
        form = form.part(name.to_owned(), Part::bytes(bytes).file_name("picture.png"));
    }
    for (key, value) in fields {
        form = form.text((*key).to_owned(), (*value).to_owned());
    }
    let response = instance
        .http
        .patch(format!(
            "{}/api/v1/accounts/update_credentials",
            instance.base
        ))
        .bearer_auth(client.token.as_deref().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The actor document of the local `username`, as another server fetches it.
async fn actor(instance: &TestInstance, username: &str) -> Value {
    instance
        .http
        .get(format!("{}/users/{username}", instance.base))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The size of the image at `url`, and its content type.
async fn fetched(instance: &TestInstance, url: &str) -> ((u32, u32), String) {
    let response = instance.http.get(url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200, "{url}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = response.bytes().await.unwrap();
    let image = image::load_from_memory(&bytes).unwrap();
    ((image.width(), image.height()), content_type)
}

#[tokio::test]
async fn an_avatar_and_a_header_are_uploaded_cut_to_size_shown_and_removed() {
    let a = TestInstance::start_for_apps().await;
    let b = TestInstance::start_for_apps().await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let before = alice
        .get("/api/v1/accounts/verify_credentials")
        .await
        .expect(200)
        .body;
    let default_avatar = before["avatar"].as_str().unwrap().to_owned();

    // Not an image, or too many pixels: refused, naming the picture, and nothing
    // changes (the display name sent with it included).
    for (bytes, wanted) in [
        (
            b"not an image at all".to_vec(),
            "avatar is not a supported image",
        ),
        (png(8000, 5000), "avatar has too many pixels"),
    ] {
        let (status, body) = update(
            &a,
            &alice,
            vec![("avatar", bytes)],
            &[("display_name", "Alice A.")],
        )
        .await;
        assert_eq!(status, 422, "{status} {body}");
        assert!(
            body["error"].as_str().unwrap().contains(wanted),
            "{wanted}: {body}"
        );
    }
    let unchanged = alice.get("/api/v1/accounts/verify_credentials").await.body;
    assert_eq!(unchanged["display_name"], before["display_name"]);
    assert_eq!(unchanged["avatar"], default_avatar.as_str());
    // Other servers are sent no placeholder to keep as a picture.
    let document = actor(&a, "alice").await;
    assert!(
        document.get("icon").is_none() && document.get("image").is_none(),
        "{document}"
    );

    // Both at once, with a field: cut to 400 × 400 and 1500 × 500.
    let (status, body) = update(
        &a,
        &alice,
        vec![("avatar", png(900, 600)), ("header", png(3000, 900))],
        &[("display_name", "Alice A.")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["display_name"], "Alice A.");
    let avatar = body["avatar"].as_str().unwrap().to_owned();
    let header = body["header"].as_str().unwrap().to_owned();
    assert_ne!(avatar, default_avatar);
    assert_eq!(body["avatar_static"], avatar.as_str());
    assert_eq!(fetched(&a, &avatar).await, ((400, 400), "image/png".into()));
    assert_eq!(fetched(&a, &header).await.0, (1500, 500));
    let document = actor(&a, "alice").await;
    assert_eq!(document["icon"]["url"], avatar.as_str(), "{document}");
    assert_eq!(document["image"]["url"], header.as_str(), "{document}");
    // The account others see, and the actor document, show them.
    let alice_id = body["id"].as_str().unwrap().to_owned();
    let shown = a
        .anonymous()
        .get(&format!("/api/v1/accounts/{alice_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(shown["avatar"], avatar.as_str());
    let actor = a
        .get_activity(&format!("http://{}/users/alice", a.domain()))
        .await;
    assert_eq!(actor["icon"]["url"], avatar.as_str());
    assert_eq!(actor["icon"]["mediaType"], "image/png");
    assert_eq!(actor["image"]["url"], header.as_str());

    // Another instance shows its own copies of the pictures the actor document
    // names: first links to the originals, then files of its own, cut the same.
    let search = format!(
        "/api/v2/search?q=alice@{}&resolve=true&type=accounts",
        a.domain()
    );
    let found = bob.get(&search).await.expect(200);
    let b_media = format!("http://{}/media/", b.domain());
    let seen_avatar = found.body["accounts"][0]["avatar"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        seen_avatar == avatar || seen_avatar.starts_with(&b_media),
        "{seen_avatar}"
    );
    eventually("B copies alice's pictures", || async {
        let seen = bob.get(&search).await.body;
        let own = |key: &str| {
            seen["accounts"][0][key]
                .as_str()
                .is_some_and(|u| u.starts_with(&b_media))
        };
        own("avatar") && own("avatar_static") && own("header")
    })
    .await;
    let found = bob.get(&search).await.expect(200);
    let copied_avatar = found.body["accounts"][0]["avatar"]
        .as_str()
        .unwrap()
        .to_owned();
    let copied_header = found.body["accounts"][0]["header"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(fetched(&b, &copied_avatar).await.0, (400, 400));
    assert_eq!(fetched(&b, &copied_header).await.0, (1500, 500));

    // A new avatar replaces the old one, whose file is gone.
    let (status, body) = update(&a, &alice, vec![("avatar", png(50, 50))], &[]).await;
    assert_eq!(status, 200, "{body}");
    let second = body["avatar"].as_str().unwrap().to_owned();
    assert_ne!(second, avatar);
    assert_eq!(fetched(&a, &second).await.0, (400, 400));
    assert_eq!(
        a.http.get(&avatar).send().await.unwrap().status().as_u16(),
        404
    );

    // Removed: the default again, here and (once told) on the other instance.
    let bob_follows = found.body["accounts"][0]["id"].as_str().unwrap().to_owned();
    bob.post(&format!("/api/v1/accounts/{bob_follows}/follow"), json!({}))
        .await
        .expect(200);
    eventually("alice has a follower on B", || async {
        alice.get("/api/v1/accounts/verify_credentials").await.body["followers_count"] == 1
    })
    .await;
    let removed = alice
        .delete("/api/v1/profile/avatar")
        .await
        .expect(200)
        .body;
    assert_eq!(removed["avatar"], default_avatar.as_str());
    assert_eq!(removed["header"], header.as_str());
    assert_eq!(
        a.http.get(&second).send().await.unwrap().status().as_u16(),
        404
    );
    eventually("B hears the avatar is gone", || async {
        let seen = bob
            .get(&format!("/api/v1/accounts/{bob_follows}"))
            .await
            .body;
        seen["avatar"] != second.as_str()
            && seen["avatar"] != copied_avatar.as_str()
            && !seen["avatar"]
                .as_str()
                .unwrap_or_default()
                .starts_with(&b_media)
            && seen["header"] == copied_header.as_str()
    })
    .await;
    // The copy of the old avatar went with it.
    assert_eq!(
        b.http
            .get(&copied_avatar)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        404
    );
}
