//! Sound, video and documents: uploads told by their content, read for their
//! length, limited per kind; shown in the API and the pages, federated both ways,
//! and sound made into a podcast feed. The files are made here: silent MP3 frames,
//! an Ogg Opus stream, a FLAC header, an MP4 movie header, a PDF.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use staffroom_tests::peer::Peer;
use staffroom_tests::{TestInstance, eventually};

use crate::media::png;

const PASSWORD: &str = "correct horse battery";

/// `frames` silent MPEG-1 Layer III frames, mono, 44.1 kHz, 128 kbit/s (1152
/// samples each): a constant-bit-rate MP3 whose length comes from its size.
fn mp3(frames: usize) -> Vec<u8> {
    // 144 × 128000 / 44100 bytes a frame, without padding.
    let mut frame = vec![0u8; 417];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0xC0]);
    frame.repeat(frames)
}

/// The CRC of an Ogg page (polynomial 0x04C11DB7, not reflected).
fn ogg_crc(bytes: &[u8]) -> u32 {
    let mut crc = 0u32;
    for byte in bytes {
        crc ^= u32::from(*byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// An Ogg page holding `packets` (each shorter than 255 bytes), its granule
/// position `granule` (the samples played by the end of its last packet).
fn ogg_page(flags: u8, granule: u64, sequence: u32, packets: &[&[u8]]) -> Vec<u8> {
    let mut page = b"OggS\0".to_vec();
    page.push(flags);
    page.extend_from_slice(&granule.to_le_bytes());
    page.extend_from_slice(&0x5354_4146u32.to_le_bytes());
    page.extend_from_slice(&sequence.to_le_bytes());
    page.extend_from_slice(&[0; 4]);
    page.push(u8::try_from(packets.len()).unwrap());
    for packet in packets {
        page.push(u8::try_from(packet.len()).unwrap());
    }
    for packet in packets {
        page.extend_from_slice(packet);
    }
    let crc = ogg_crc(&page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
    page
}

/// An Ogg Opus stream of one second (48,000 samples after the pre-skip).
fn ogg_opus() -> Vec<u8> {
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&312u16.to_le_bytes()); // pre-skip
    head.extend_from_slice(&48_000u32.to_le_bytes());
    head.extend_from_slice(&0i16.to_le_bytes());
    head.push(0); // channel mapping family
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&4u32.to_le_bytes());
    tags.extend_from_slice(b"test");
    tags.extend_from_slice(&0u32.to_le_bytes());
    // One 20 ms CELT frame per packet (TOC byte 0xF8), its content silence.
    let frame: &[u8] = &[0xF8, 0xFF, 0xFE];
    let mut out = ogg_page(0x02, 0, 0, &[&head]);
    out.extend(ogg_page(0, 0, 1, &[&tags]));
    out.extend(ogg_page(0, 312 + 25 * 960, 2, &[frame; 25]));
    out.extend(ogg_page(0x04, 312 + 50 * 960, 3, &[frame; 25]));
    out
}

/// FLAC's CRC-8 (polynomial 0x07) and CRC-16 (0x8005), neither reflected.
fn flac_crc(bytes: &[u8], width: u32, polynomial: u32) -> u32 {
    let top = 1u32 << (width - 1);
    let mask = (1u32 << width) - 1;
    let mut crc = 0u32;
    for byte in bytes {
        crc ^= u32::from(*byte) << (width - 8);
        for _ in 0..8 {
            crc = if crc & top != 0 {
                ((crc << 1) ^ polynomial) & mask
            } else {
                (crc << 1) & mask
            };
        }
    }
    crc
}

/// A FLAC stream of 22 silent blocks of 4096 samples at 44.1 kHz, mono, 16 bits
/// (90,112 samples: 2.043 seconds), each block one constant subframe.
fn flac() -> Vec<u8> {
    const BLOCKS: u64 = 22;
    let mut out = b"fLaC".to_vec();
    out.extend_from_slice(&[0x80, 0, 0, 34]);
    out.extend_from_slice(&4096u16.to_be_bytes());
    out.extend_from_slice(&4096u16.to_be_bytes());
    out.extend_from_slice(&[0; 6]);
    // 20 bits of sample rate, 3 of channels − 1, 5 of bits − 1, 36 of samples.
    let packed: u64 = (44_100u64 << 44) | (15u64 << 36) | (BLOCKS * 4096);
    out.extend_from_slice(&packed.to_be_bytes());
    out.extend_from_slice(&[0; 16]);
    for number in 0..BLOCKS {
        // Sync, 4096-sample blocks at 44.1 kHz, mono, 16 bits, the frame number.
        let mut frame = vec![0xFF, 0xF8, 0xC9, 0x08, u8::try_from(number).unwrap()];
        frame.push(u8::try_from(flac_crc(&frame, 8, 0x07)).unwrap());
        // A constant subframe of value 0.
        frame.extend_from_slice(&[0x00, 0x00, 0x00]);
        let crc = u16::try_from(flac_crc(&frame, 16, 0x8005)).unwrap();
        frame.extend_from_slice(&crc.to_be_bytes());
        out.extend(frame);
    }
    out
}

fn mp4_box(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
    let mut out = u32::try_from(content.len() + 8)
        .unwrap()
        .to_be_bytes()
        .to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(content);
    out
}

/// An MP4 file's boxes for a 3-second 320 × 240 video track (no frames).
fn mp4() -> Vec<u8> {
    let mut mvhd = vec![0u8; 12];
    mvhd.extend_from_slice(&600u32.to_be_bytes());
    mvhd.extend_from_slice(&1800u32.to_be_bytes());
    mvhd.resize(100, 0);
    let mut tkhd = vec![0u8; 76];
    tkhd.extend_from_slice(&(320u32 << 16).to_be_bytes());
    tkhd.extend_from_slice(&(240u32 << 16).to_be_bytes());
    let mut hdlr = vec![0u8; 8];
    hdlr.extend_from_slice(b"vide");
    hdlr.resize(24, 0);
    let trak = [
        mp4_box(b"tkhd", &tkhd),
        mp4_box(b"mdia", &mp4_box(b"hdlr", &hdlr)),
    ]
    .concat();
    let moov = [mp4_box(b"mvhd", &mvhd), mp4_box(b"trak", &trak)].concat();
    [
        mp4_box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41"),
        mp4_box(b"moov", &moov),
        mp4_box(b"mdat", &[0; 16]),
    ]
    .concat()
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
      2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n\
      trailer << /Root 1 0 R >>\n%%EOF\n"
        .to_vec()
}

/// Uploads `bytes` named `name` (with the client's claimed `claimed` type) and the
/// text `fields`, and a `thumbnail` when given.
async fn send(
    instance: &TestInstance,
    token: &str,
    bytes: Vec<u8>,
    name: &str,
    claimed: &str,
    fields: &[(&str, &str)],
    thumbnail: Option<Vec<u8>>,
) -> (u16, Value) {
    let part = Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(claimed)
        .unwrap();
    let mut form = Form::new().part("file", part);
    if let Some(picture) = thumbnail {
        form = form.part("thumbnail", Part::bytes(picture).file_name("cover.png"));
    }
    for (key, value) in fields {
        form = form.text((*key).to_owned(), (*value).to_owned());
    }
    let response = instance
        .http
        .post(format!("{}/api/v2/media", instance.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn post_status(instance: &TestInstance, token: &str, body: Value) -> Value {
    let response = instance
        .http
        .post(format!("{}/api/v1/statuses", instance.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn page(instance: &TestInstance, path: &str) -> (u16, String, String) {
    let response = instance
        .http
        .get(format!("{}{path}", instance.base))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

fn seconds(medium: &Value) -> f64 {
    medium["meta"]["original"]["duration"]
        .as_f64()
        .unwrap_or_else(|| panic!("no duration: {medium}"))
}

fn error_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {body}"))
}

#[tokio::test]
async fn sound_video_and_documents_are_told_by_their_content_and_read() {
    let instance = TestInstance::start_with(&[
        ("STAFFROOM_PASSWORD_GRANT", "true"),
        ("STAFFROOM_MEDIA_AUDIO_MAX_BYTES", "20000"),
    ])
    .await;
    let alice = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;

    // An MP3 named and claimed as something else is still an MP3.
    let (status, sound) = send(
        &instance,
        &alice,
        mp3(40),
        "notes.txt",
        "text/plain",
        &[("description", "A minute of silence, shortened")],
        None,
    )
    .await;
    assert_eq!(status, 200, "{sound}");
    assert_eq!(sound["type"], "audio");
    let length = seconds(&sound);
    assert!((length - 40.0 * 1152.0 / 44100.0).abs() < 0.05, "{sound}");
    let bitrate = sound["meta"]["original"]["bitrate"].as_u64().unwrap();
    assert!((120_000..=136_000).contains(&bitrate), "{sound}");
    assert_eq!(sound["preview_url"], Value::Null);
    assert_eq!(sound["description"], "A minute of silence, shortened");
    let url = sound["url"].as_str().unwrap();
    assert!(url.ends_with(".mp3"), "{url}");
    let served = instance.http.get(url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "audio/mpeg");
    assert_eq!(served.bytes().await.unwrap().len(), mp3(40).len());

    // Ogg Opus and FLAC, the FLAC with a cover picture as its preview.
    let (status, opus) = send(
        &instance,
        &alice,
        ogg_opus(),
        "a.opus",
        "audio/ogg",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200, "{opus}");
    assert_eq!(opus["type"], "audio");
    assert!((seconds(&opus) - 1.0).abs() < 0.05, "{opus}");
    let (status, lossless) = send(
        &instance,
        &alice,
        flac(),
        "a.flac",
        "audio/flac",
        &[],
        Some(png(64, 64)),
    )
    .await;
    assert_eq!(status, 200, "{lossless}");
    assert_eq!(lossless["type"], "audio");
    assert!(
        (seconds(&lossless) - 90_112.0 / 44_100.0).abs() < 0.001,
        "{lossless}"
    );
    let cover = lossless["preview_url"].as_str().unwrap();
    assert_ne!(cover, lossless["url"].as_str().unwrap());
    assert!(lossless["blurhash"].is_string(), "{lossless}");
    assert_eq!(instance.http.get(cover).send().await.unwrap().status(), 200);

    // Video passes through with its length and size; a PDF is `unknown`.
    let (status, video) = send(&instance, &alice, mp4(), "clip.mp4", "video/mp4", &[], None).await;
    assert_eq!(status, 200, "{video}");
    assert_eq!(video["type"], "video");
    assert_eq!(video["meta"]["original"]["width"], 320);
    assert_eq!(video["meta"]["original"]["height"], 240);
    assert!((seconds(&video) - 3.0).abs() < 0.001, "{video}");
    let (status, document) = send(
        &instance,
        &alice,
        pdf(),
        "minutes.pdf",
        "application/pdf",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200, "{document}");
    assert_eq!(document["type"], "unknown");
    let served = instance
        .http
        .get(document["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "application/pdf");

    // Anything else is refused, whatever it is called; so is a file that only
    // starts like sound.
    let (status, refused) = send(
        &instance,
        &alice,
        b"<html><script>alert(1)</script></html>".to_vec(),
        "song.mp3",
        "audio/mpeg",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        error_of(&refused).contains("not a supported file"),
        "{refused}"
    );
    let mut broken = b"fLaC".to_vec();
    broken.extend_from_slice(&[0x80, 0, 0, 2, 1, 2]);
    let (status, refused) =
        send(&instance, &alice, broken, "a.flac", "audio/flac", &[], None).await;
    assert_eq!(status, 422, "{refused}");
    assert!(error_of(&refused).contains("cannot be read"), "{refused}");

    // Each kind has its own limit: this instance takes sound up to 20,000 bytes.
    let (status, refused) = send(
        &instance,
        &alice,
        mp3(60),
        "long.mp3",
        "audio/mpeg",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert!(error_of(&refused).contains("too large"), "{refused}");
    let (status, picture) = send(
        &instance,
        &alice,
        png(200, 200),
        "p.png",
        "image/png",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200, "{picture}");
    assert_eq!(picture["type"], "image");

    let (_, v2) = instance.get_json("/api/v2/instance").await;
    let media = &v2["configuration"]["media_attachments"];
    let types = media["supported_mime_types"].as_array().unwrap();
    for wanted in [
        "audio/mpeg",
        "audio/ogg",
        "audio/flac",
        "video/mp4",
        "video/webm",
    ] {
        assert!(types.iter().any(|t| t == wanted), "{wanted}: {media}");
    }
    assert_eq!(media["video_size_limit"], 99 * 1024 * 1024);
    instance.shut_down().await;
}

#[tokio::test]
async fn sound_posts_play_in_pages_and_make_a_podcast_of_public_ones() {
    let instance = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    let alice = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let upload = |bytes: Vec<u8>, name: &'static str, description: &'static str| {
        let instance = &instance;
        let alice = &alice;
        async move {
            let (status, medium) = send(
                instance,
                alice,
                bytes,
                name,
                "application/octet-stream",
                &[("description", description)],
                None,
            )
            .await;
            assert_eq!(status, 200, "{medium}");
            medium
        }
    };

    let episode = upload(mp3(40), "e1.mp3", "Episode one, read aloud").await;
    let posted = post_status(
        &instance,
        &alice,
        json!({"status": "Episode one: timetabling\nWe talk about timetables.", "media_ids": [episode["id"]]}),
    )
    .await;
    assert_eq!(posted["media_attachments"][0]["type"], "audio");
    assert!(seconds(&posted["media_attachments"][0]) > 1.0);
    let hidden = upload(mp3(20), "secret.mp3", "For followers").await;
    post_status(
        &instance,
        &alice,
        json!({"status": "Followers only episode", "visibility": "private", "media_ids": [hidden["id"]]}),
    )
    .await;
    let video = upload(mp4(), "v.mp4", "Assembly").await;
    let document = upload(pdf(), "m.pdf", "Minutes of the meeting").await;
    let other = post_status(
        &instance,
        &alice,
        json!({"status": "Assembly and minutes", "media_ids": [video["id"], document["id"]]}),
    )
    .await;

    // The pages play sound and video and link the document.
    let id = posted["id"].as_str().unwrap();
    let (status, _, html) = page(&instance, &format!("/@alice/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<audio controls"), "{html}");
    assert!(html.contains(episode["url"].as_str().unwrap()), "{html}");
    let (_, _, html) = page(
        &instance,
        &format!("/@alice/{}", other["id"].as_str().unwrap()),
    )
    .await;
    assert!(html.contains("<video controls"), "{html}");
    assert!(
        html.contains(&format!(
            "<a href=\"{}\">Minutes of the meeting</a>",
            document["url"].as_str().unwrap()
        )),
        "{html}"
    );

    // The profile names the podcast; the feed has the public episode only.
    let (_, _, profile) = page(&instance, "/@alice").await;
    assert!(
        profile.contains(
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Podcast of alice\" href=\"/@alice/podcast.rss\">"
        ),
        "{profile}"
    );
    let (status, content_type, feed) = page(&instance, "/@alice/podcast.rss").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/rss+xml; charset=utf-8");
    assert!(
        feed.contains("xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\""),
        "{feed}"
    );
    assert_eq!(feed.matches("<item>").count(), 1, "{feed}");
    assert!(
        feed.contains("<title>Episode one: timetabling</title>"),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            "<enclosure url=\"{}\" length=\"{}\" type=\"audio/mpeg\"/>",
            episode["url"].as_str().unwrap(),
            mp3(40).len()
        )),
        "{feed}"
    );
    assert!(
        feed.contains("<itunes:duration>0:00:01</itunes:duration>"),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            "<guid isPermaLink=\"true\">{}/@alice/{id}</guid>",
            instance.base
        )),
        "{feed}"
    );
    assert!(feed.contains("<pubDate>"), "{feed}");
    assert!(feed.contains("<itunes:image href=\""), "{feed}");
    assert!(
        !feed.contains("secret") && !feed.contains("Followers only"),
        "{feed}"
    );
    assert_eq!(page(&instance, "/@nobody/podcast.rss").await.0, 404);
    instance.shut_down().await;
}

#[tokio::test]
async fn sound_crosses_to_another_instance_as_audio_with_its_length() {
    let a = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    let b = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    a.create_user("alice", &[]).await;
    let bob = b.sign_up_and_in("bob", PASSWORD, "read write").await;
    a.follow_as("alice", &format!("{}/users/bob", b.base)).await;
    eventually("bob accepts alice", || async {
        let (_, following) = a.get_json("/users/alice/following").await;
        following["totalItems"] == 1
    })
    .await;

    let (status, medium) = send(
        &b,
        &bob,
        ogg_opus(),
        "talk.ogg",
        "audio/ogg",
        &[("description", "The head's talk")],
        None,
    )
    .await;
    assert_eq!(status, 200, "{medium}");
    let posted = post_status(
        &b,
        &bob,
        json!({"status": "This week's talk", "media_ids": [medium["id"]]}),
    )
    .await;
    let uri = posted["uri"].as_str().unwrap().to_owned();
    let note = b.get_activity(&uri).await;
    let attachment = &note["attachment"][0];
    assert_eq!(attachment["type"], "Audio", "{note}");
    assert_eq!(attachment["mediaType"], "audio/ogg");
    assert_eq!(attachment["url"], medium["url"]);
    assert_eq!(attachment["name"], "The head's talk");
    assert!(
        attachment["duration"].as_str().unwrap().starts_with("PT1"),
        "{note}"
    );

    let seen_on_a = || async {
        let id = a.remote_posts().await.into_iter().find(|p| p.1 == uri)?.0;
        let (_, status) = a.get_json(&format!("/api/v1/statuses/{id}")).await;
        (!status["media_attachments"].as_array()?.is_empty()).then_some(status)
    };
    eventually("the post and its sound reach A", || async {
        seen_on_a().await.is_some()
    })
    .await;
    let status = seen_on_a().await.unwrap();
    let remote = &status["media_attachments"][0];
    assert_eq!(remote["type"], "audio", "{status}");
    assert_eq!(remote["remote_url"], medium["url"]);
    assert_eq!(remote["description"], "The head's talk");
    assert!(
        (seconds(remote) - seconds(&medium)).abs() < 0.01,
        "{status}"
    );
    b.shut_down().await;
    a.shut_down().await;
}

#[tokio::test]
async fn remote_sound_and_video_are_shown_playable() {
    let instance = TestInstance::start().await;
    instance.create_user("alice", &[]).await;
    let peer = Peer::start().await;
    let alice = format!("{}/users/alice", instance.base);
    let id = format!("{}/notes/episode", peer.base);
    let note = json!({
        "id": id,
        "type": "Note",
        "attributedTo": peer.actor_id,
        "content": "<p>New episode and the recording, @alice</p>",
        "published": "2026-11-20T10:00:00Z",
        "to": "https://www.w3.org/ns/activitystreams#Public",
        "tag": [{"type": "Mention", "href": alice, "name": "@alice"}],
        "attachment": [
            // As Funkwhale and Castopod give sound: several links, one of them the file.
            {"type": "Audio", "name": "Episode 12", "duration": "PT12M30S", "url": [
                {"type": "Link", "mediaType": "text/html", "href": format!("{}/episodes/12", peer.base)},
                {"type": "Link", "mediaType": "audio/mpeg", "href": format!("{}/files/12.mp3", peer.base)}
            ]},
            // As PeerTube gives video.
            {"type": "Video", "url": [
                {"type": "Link", "mediaType": "text/html", "href": format!("{}/w/abc", peer.base)},
                {"type": "Link", "mediaType": "video/mp4", "href": format!("{}/static/abc-720.mp4", peer.base)}
            ]},
            // As Mastodon gives a document.
            {"type": "Document", "mediaType": "application/pdf", "url": format!("{}/files/notes.pdf", peer.base)}
        ]
    });
    let create = peer.activity("Create", note);
    assert_eq!(
        peer.send(&format!("{}/inbox", instance.base), &create)
            .await,
        202
    );
    let stored = instance.remote_posts().await;
    let post_id = stored.iter().find(|p| p.1 == id).expect("stored").0;
    let (_, status) = instance
        .get_json(&format!("/api/v1/statuses/{post_id}"))
        .await;
    let media = status["media_attachments"].as_array().unwrap();
    assert_eq!(media.len(), 3, "{status}");
    assert_eq!(media[0]["type"], "audio");
    assert_eq!(media[0]["url"], format!("{}/files/12.mp3", peer.base));
    assert_eq!(media[0]["meta"]["original"]["duration"], 750.0);
    assert_eq!(media[0]["description"], "Episode 12");
    assert_eq!(media[1]["type"], "video");
    assert_eq!(
        media[1]["remote_url"],
        format!("{}/static/abc-720.mp4", peer.base)
    );
    assert_eq!(media[2]["type"], "unknown");

    let (_, _, html) = page(
        &instance,
        &format!(
            "/@{}/{post_id}",
            status["account"]["acct"].as_str().unwrap()
        ),
    )
    .await;
    assert!(
        html.contains(&format!(
            "<audio controls preload=\"none\" src=\"{}/files/12.mp3\"",
            peer.base
        )),
        "{html}"
    );
    assert!(html.contains("<video controls"), "{html}");
    instance.shut_down().await;
}

#[tokio::test]
async fn sound_is_served_a_piece_at_a_time_for_seeking() {
    let instance = TestInstance::start_with(&[("STAFFROOM_PASSWORD_GRANT", "true")]).await;
    let alice = instance
        .sign_up_and_in("alice", PASSWORD, "read write")
        .await;
    let bytes = mp3(40);
    let len = bytes.len();
    let (status, sound) = send(
        &instance,
        &alice,
        bytes.clone(),
        "a.mp3",
        "audio/mpeg",
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200, "{sound}");
    let url = sound["url"].as_str().unwrap().to_owned();
    let get = |range: Option<String>| {
        let mut request = instance.http.get(&url);
        if let Some(range) = range {
            request = request.header("range", range);
        }
        async move { request.send().await.unwrap() }
    };

    let whole = get(None).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["accept-ranges"], "bytes");
    assert_eq!(whole.bytes().await.unwrap().to_vec(), bytes);

    for (range, start, end) in [
        ("bytes=0-99".to_owned(), 0, 99),
        (format!("bytes={}-", len - 10), len - 10, len - 1),
        ("bytes=-20".to_owned(), len - 20, len - 1),
        (format!("bytes=100-{}", len + 500), 100, len - 1),
    ] {
        let part = get(Some(range.clone())).await;
        assert_eq!(part.status(), 206, "{range}");
        assert_eq!(
            part.headers()["content-range"],
            format!("bytes {start}-{end}/{len}").as_str(),
            "{range}"
        );
        assert_eq!(part.headers()["content-type"], "audio/mpeg");
        assert_eq!(part.headers()["accept-ranges"], "bytes");
        assert_eq!(
            part.headers()["content-length"],
            (end - start + 1).to_string().as_str()
        );
        assert_eq!(
            part.bytes().await.unwrap().to_vec(),
            bytes[start..=end].to_vec(),
            "{range}"
        );
    }

    let beyond = get(Some(format!("bytes={len}-"))).await;
    assert_eq!(beyond.status(), 416);
    assert_eq!(
        beyond.headers()["content-range"],
        format!("bytes */{len}").as_str()
    );
    // Several ranges at once, or a range not understood, get the whole file.
    let several = get(Some("bytes=0-1,5-6".to_owned())).await;
    assert_eq!(several.status(), 200);
    assert_eq!(several.bytes().await.unwrap().len(), len);
    let missing = instance
        .http
        .get(format!(
            "{}/media/{}",
            instance.base,
            "0".repeat(32) + ".mp3"
        ))
        .header("range", "bytes=0-1")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn an_open_group_has_a_podcast_of_the_sound_posts_it_passed_on() {
    let instance = TestInstance::start_for_apps().await;
    let alice = instance.user("alice").await;
    let group = crate::groups::make_group(&alice, "podcasters", "open").await;
    let group_id = group["account"]["id"].as_str().unwrap().to_owned();
    let bob_token = instance
        .sign_up_and_in("bob", PASSWORD, "read write follow")
        .await;
    let bob = staffroom_tests::api::ApiClient::new(&instance.base, Some(bob_token.clone()));
    bob.post(&format!("/api/v1/accounts/{group_id}/follow"), json!({}))
        .await
        .expect(200);
    let (status, sound) = send(
        &instance,
        &bob_token,
        mp3(40),
        "e1.mp3",
        "audio/mpeg",
        &[("description", "Episode one, read aloud")],
        None,
    )
    .await;
    assert_eq!(status, 200, "{sound}");
    let shared = post_status(
        &instance,
        &bob_token,
        json!({"status": "@podcasters Episode one: timetabling", "media_ids": [sound["id"]]}),
    )
    .await;
    // Sound bob posts outside the group is not in its feed, nor text alone.
    let (_, elsewhere) = send(
        &instance,
        &bob_token,
        mp3(20),
        "e2.mp3",
        "audio/mpeg",
        &[],
        None,
    )
    .await;
    post_status(
        &instance,
        &bob_token,
        json!({"status": "Not for the group", "media_ids": [elsewhere["id"]]}),
    )
    .await;
    bob.status("@podcasters Text only").await;

    let (status, kind, feed) = page(&instance, "/groups/podcasters/podcast.rss").await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/rss+xml; charset=utf-8");
    assert!(feed.contains("<title>podcasters leaders</title>"), "{feed}");
    assert!(feed.contains("/groups/podcasters/podcast.rss"), "{feed}");
    assert_eq!(feed.matches("<item>").count(), 1, "{feed}");
    assert!(feed.contains("Episode one: timetabling"), "{feed}");
    assert!(!feed.contains("Not for the group"), "{feed}");
    let page_url = format!("{}/@bob/{}", instance.base, shared["id"].as_str().unwrap());
    assert!(feed.contains(&format!("<link>{page_url}</link>")), "{feed}");
    assert!(feed.contains("<enclosure url=\""), "{feed}");
    assert!(feed.contains("type=\"audio/mpeg\""), "{feed}");

    // A closed group's feed is empty; a person is no group.
    crate::groups::make_group(&alice, "closedcast", "closed").await;
    let (status, _, closed) = page(&instance, "/groups/closedcast/podcast.rss").await;
    assert_eq!(status, 200);
    assert_eq!(closed.matches("<item>").count(), 0);
    let (status, _, _) = page(&instance, "/groups/bob/podcast.rss").await;
    assert_eq!(status, 404);
}
