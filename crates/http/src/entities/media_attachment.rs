//! The Mastodon `MediaAttachment` entity.

use serde::Serialize;
use staffroom_domain::media::{self, MediaAttachment as Medium};
use staffroom_federation::LocalUrls;

/// A medium as Mastodon apps read it.
#[derive(Debug, Clone, Serialize)]
pub struct MediaAttachment {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub url: String,
    /// The thumbnail; the image itself for a remote image; `null` for sound, video
    /// and documents without a picture.
    pub preview_url: Option<String>,
    /// Where a remote medium lives; `null` for local ones.
    pub remote_url: Option<String>,
    pub preview_remote_url: Option<String>,
    pub text_url: Option<String>,
    pub meta: Meta,
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

/// Sizes, duration and focus.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<Original>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small: Option<Dimensions>,
    pub focus: Focus,
}

/// The original: its size (images and video), duration and bit rate (sound and
/// video).
#[derive(Debug, Clone, Serialize)]
pub struct Original {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    /// Seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Bits per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<u64>,
}

/// The size of one version of a medium.
#[derive(Debug, Clone, Serialize)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
    /// `WIDTHxHEIGHT`.
    pub size: String,
    pub aspect: f64,
}

/// The point that stays in view when the image is cropped.
#[derive(Debug, Clone, Serialize)]
pub struct Focus {
    pub x: f64,
    pub y: f64,
}

fn dimensions(size: Option<media::Size>) -> Option<Dimensions> {
    let size = size?;
    Some(Dimensions {
        width: size.width,
        height: size.height,
        size: format!("{}x{}", size.width, size.height),
        aspect: if size.height == 0 {
            0.0
        } else {
            f64::from(size.width) / f64::from(size.height)
        },
    })
}

impl MediaAttachment {
    /// The entity of `medium`; local files are served from this instance, remote
    /// media from their own servers.
    pub fn new(urls: &LocalUrls, medium: &Medium) -> Self {
        let remote = medium.remote_url.clone();
        let url = medium
            .file
            .as_deref()
            .map(|file| urls.media(file))
            .or_else(|| remote.clone())
            .unwrap_or_default();
        let preview_url = medium
            .thumbnail_file
            .as_deref()
            .map(|file| urls.media(file))
            .or_else(|| (medium.kind == media::MediaKind::Image).then(|| url.clone()));
        let original = Original {
            dimensions: dimensions(medium.original_size),
            duration: medium.duration,
            bitrate: medium.bitrate(),
        };
        let has_original = original.dimensions.is_some() || original.duration.is_some();
        Self {
            id: medium.id.to_string(),
            kind: medium.kind.api_name(),
            url,
            preview_url,
            remote_url: remote,
            preview_remote_url: None,
            text_url: None,
            meta: Meta {
                original: has_original.then_some(original),
                small: dimensions(medium.thumbnail_size),
                focus: Focus {
                    x: medium.focus.x,
                    y: medium.focus.y,
                },
            },
            description: medium.description.clone(),
            blurhash: medium.blurhash.clone(),
        }
    }
}
