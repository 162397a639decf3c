//! Media attachments both ways: a local medium becomes a `Document` in a note's
//! `attachment`, as Mastodon sends it; the `attachment` of a remote post is read
//! leniently (one object or many, `url` as a string, a link or a list) into remote
//! media that keep their URL.

use serde_json::{Value, json};
use staffroom_domain::media::{
    Focus, MAX_PER_REMOTE_POST, MediaAttachment, RemoteAttachment, Size,
};
use url::Url;

use crate::LocalUrls;
use crate::protocol::values::first_href;

/// The object types read as media; links and profile fields are not.
const MEDIA_TYPES: &[&str] = &["Document", "Image", "Video", "Audio"];

/// The `attachment` entry of `medium`: a `Document` with its media type, alt text
/// (`name`), blurhash, size and focal point.
pub fn document(urls: &LocalUrls, medium: &MediaAttachment) -> Option<Value> {
    let url = match (&medium.file, &medium.remote_url) {
        (Some(file), _) => urls.media(file),
        (None, Some(remote)) => remote.clone(),
        (None, None) => return None,
    };
    let mut entry = json!({
        "type": "Document",
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
    let url = Url::parse(&first_href(value.get("url")?)?).ok()?;
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let content_type = value
        .get("mediaType")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
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
    })
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
}
