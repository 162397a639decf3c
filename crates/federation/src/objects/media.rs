//! Media attachments both ways: a local medium becomes a `Document` (images and
//! documents, as Mastodon sends them), an `Audio` or a `Video` in a note's
//! `attachment`, with its `duration` when known; the `attachment` of a remote post
//! is read leniently (one object or many, `url` as a string, a link or a list of
//! links, as PeerTube and Funkwhale give several files) into remote media that keep
//! their URL.

use serde_json::{Value, json};
use staffroom_domain::media::{
    Focus, MAX_PER_REMOTE_POST, MediaAttachment, MediaKind, RemoteAttachment, Size, iso_duration,
    parse_iso_duration,
};
use url::Url;

use crate::LocalUrls;
use crate::protocol::values::first_href;

/// The object types read as media; links and profile fields are not.
const MEDIA_TYPES: &[&str] = &["Document", "Image", "Video", "Audio"];

/// The `attachment` entry of `medium`: a `Document`, `Audio` or `Video` with its
/// media type, alt text (`name`), blurhash, size, focal point and duration.
pub fn document(urls: &LocalUrls, medium: &MediaAttachment) -> Option<Value> {
    // A remote medium is named by its original, even when a copy is kept here.
    let url = match (&medium.file, &medium.remote_url) {
        (_, Some(remote)) => remote.clone(),
        (Some(file), None) => urls.media(file),
        (None, None) => return None,
    };
    let kind = match medium.kind {
        MediaKind::Audio => "Audio",
        MediaKind::Video => "Video",
        _ => "Document",
    };
    let mut entry = json!({
        "type": kind,
        "mediaType": medium.content_type,
        "url": url,
        "name": medium.description,
        "blurhash": medium.blurhash,
        "focalPoint": [medium.focus.x, medium.focus.y],
    });
    if let (Some(size), Value::Object(map)) = (medium.original_size, &mut entry) {
        map.insert("width".into(), size.width.into());
        map.insert("height".into(), size.height.into());
    }
    if let (Some(duration), Value::Object(map)) = (medium.duration, &mut entry) {
        map.insert("duration".into(), iso_duration(duration).into());
    }
    Some(entry)
}

/// The media of a remote post's `attachment` list, at most
/// [`MAX_PER_REMOTE_POST`]; entries without a usable http(s) URL are skipped.
pub fn read_attachments(attachment: &[Value]) -> Vec<RemoteAttachment> {
    attachment
        .iter()
        .filter_map(read_one)
        .take(MAX_PER_REMOTE_POST)
        .collect()
}

fn read_one(value: &Value) -> Option<RemoteAttachment> {
    let kind = value.get("type").and_then(Value::as_str)?;
    if !MEDIA_TYPES.contains(&kind) {
        return None;
    }
    let (href, link_type) = media_link(value.get("url")?)?;
    let url = Url::parse(&href).ok()?;
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let content_type = value
        .get("mediaType")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(link_type)
        .map(|t| t.to_ascii_lowercase())
        .or_else(|| guess_content_type(&url, kind))
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let dimension = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let size = match (dimension("width"), dimension("height")) {
        (Some(width), Some(height)) => Some(Size { width, height }),
        _ => None,
    };
    let focus = value
        .get("focalPoint")
        .and_then(Value::as_array)
        .and_then(|point| match point.as_slice() {
            [x, y] => Focus::new(x.as_f64()?, y.as_f64()?).ok(),
            _ => None,
        })
        .unwrap_or_default();
    Some(RemoteAttachment {
        url: url.to_string(),
        content_type,
        description: value.get("name").and_then(Value::as_str).map(|name| {
            name.chars()
                .filter(|c| !c.is_control() || *c == '\n')
                .collect()
        }),
        blurhash: value
            .get("blurhash")
            .and_then(Value::as_str)
            .filter(|b| b.chars().all(|c| c.is_ascii_graphic()))
            .map(str::to_owned),
        size,
        focus,
        duration: value
            .get("duration")
            .and_then(Value::as_str)
            .and_then(parse_iso_duration),
        kind_hint: match kind {
            "Audio" => MediaKind::Audio,
            "Video" => MediaKind::Video,
            _ => MediaKind::Unknown,
        },
    })
}

/// The address of the file in a `url` value, with the media type its link gives:
/// from a list of links (PeerTube, Funkwhale), the first sound or video file, else
/// the first link.
fn media_link(url: &Value) -> Option<(String, Option<String>)> {
    if let Value::Array(links) = url {
        let playable = links.iter().find_map(|link| {
            let media_type = link.get("mediaType").and_then(Value::as_str)?;
            let href = link.get("href").and_then(Value::as_str)?;
            (media_type.starts_with("audio/") || media_type.starts_with("video/"))
                .then(|| (href.to_owned(), Some(media_type.to_owned())))
        });
        if playable.is_some() {
            return playable;
        }
    }
    Some((first_href(url)?, None))
}

/// A media type from the URL's extension, or a generic image type for an `Image`.
fn guess_content_type(url: &Url, kind: &str) -> Option<String> {
    let extension = url
        .path()
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    let known = match extension.as_deref() {
        Some("jpg" | "jpeg") => Some("image/jpeg"),
        Some("png") => Some("image/png"),
        Some("gif") => Some("image/gif"),
        Some("webp") => Some("image/webp"),
        Some("avif") => Some("image/avif"),
        Some("mp4") => Some("video/mp4"),
        Some("mp3") => Some("audio/mpeg"),
        Some("m4a") => Some("audio/mp4"),
        Some("ogg" | "oga" | "opus") => Some("audio/ogg"),
        Some("flac") => Some("audio/flac"),
        Some("webm") => Some("video/webm"),
        Some("pdf") => Some("application/pdf"),
        _ => None,
    };
    known
        .or_else(|| (kind == "Image").then_some("image/*"))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mastodon_document_is_read_with_its_alt_text_and_size() {
        let read = read_attachments(&[json!({
            "type": "Document",
            "mediaType": "image/jpeg",
            "url": "https://files.example/original/c8d9.jpg",
            "name": "Two dragons beside a pot of gold",
            "blurhash": "USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc",
            "focalPoint": [0.5, -0.25],
            "width": 1500,
            "height": 1095
        })]);
        assert_eq!(
            read,
            vec![RemoteAttachment {
                url: "https://files.example/original/c8d9.jpg".into(),
                content_type: "image/jpeg".into(),
                description: Some("Two dragons beside a pot of gold".into()),
                blurhash: Some("USQv:h-W-qI-^,W;RPs=^-R%NZxbo#sDobSc".into()),
                size: Some(Size {
                    width: 1500,
                    height: 1095
                }),
                focus: Focus { x: 0.5, y: -0.25 },
                duration: None,
                kind_hint: MediaKind::Unknown,
            }]
        );
    }

    #[test]
    fn links_bad_urls_and_extra_media_are_left_out() {
        let mut list = vec![
            json!({"type": "Link", "href": "https://example.com/article", "mediaType": "text/html"}),
            json!({"type": "Image", "url": "javascript:alert(1)"}),
            json!({"type": "PropertyValue", "name": "a", "value": "b"}),
            json!({"type": "Image", "url": [{"type": "Link", "href": "https://pics.example/a.png"}]}),
        ];
        for n in 0..40 {
            list.push(json!({"type": "Image", "url": format!("https://pics.example/{n}")}));
        }
        let read = read_attachments(&list);
        assert_eq!(read.len(), MAX_PER_REMOTE_POST);
        assert_eq!(read[0].url, "https://pics.example/a.png");
        assert_eq!(read[0].content_type, "image/png");
        assert_eq!(read[1].content_type, "image/*");
        assert_eq!(read[0].focus, Focus::default());
    }

    #[test]
    fn sound_and_video_are_read_from_mastodon_funkwhale_and_peertube_shapes() {
        let read = read_attachments(&[
            json!({"type": "Audio", "mediaType": "audio/mpeg", "url": "https://a.example/ep1.mp3",
                   "name": "Episode one", "duration": "PT83.5S"}),
            json!({"type": "Audio", "url": [
                {"type": "Link", "mediaType": "text/html", "href": "https://b.example/library/tracks/1"},
                {"type": "Link", "mediaType": "audio/ogg", "href": "https://b.example/api/v1/listen/1"}
            ], "duration": "PT3M"}),
            json!({"type": "Video", "url": [
                {"type": "Link", "mediaType": "text/html", "href": "https://c.example/w/abc"},
                {"type": "Link", "mediaType": "video/mp4", "href": "https://c.example/static/abc-720.mp4",
                 "width": 1280, "height": 720}
            ]}),
        ]);
        assert_eq!(read.len(), 3);
        assert_eq!(read[0].content_type, "audio/mpeg");
        assert_eq!(read[0].duration, Some(83.5));
        assert_eq!(read[1].url, "https://b.example/api/v1/listen/1");
        assert_eq!(read[1].content_type, "audio/ogg");
        assert_eq!(read[1].duration, Some(180.0));
        assert_eq!(read[2].url, "https://c.example/static/abc-720.mp4");
        assert_eq!(read[2].kind_hint, MediaKind::Video);
    }
}
