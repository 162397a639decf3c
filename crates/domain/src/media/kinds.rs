//! Sound, video and documents: what an upload is, told from its first bytes (never
//! from its name or the type the client claims), and what can be read from it
//! without decoding it: how long sound plays (read by `symphonia`'s container
//! readers), how long an MP4 plays and how large its picture is (read here from
//! its `moov` box). Files pass through unchanged: nothing is transcoded, and no
//! preview picture is made of a video or a document.

use std::io::Cursor;

use symphonia::core::formats::FormatOptions;
use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::{MediaKind, Size};

/// What the first bytes of an upload say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    pub kind: MediaKind,
    pub content_type: &'static str,
    /// The extension its stored file gets.
    pub extension: &'static str,
}

const fn sniffed(kind: MediaKind, content_type: &'static str, extension: &'static str) -> Sniffed {
    Sniffed {
        kind,
        content_type,
        extension,
    }
}

/// The formats accepted besides images, as people know them (for error messages).
pub const OTHER_FORMATS: &str = "audio (MP3, AAC, M4A, Ogg Vorbis, Opus, FLAC), \
     video (MP4, WebM) or a PDF document";

/// The media types accepted for sound, video and documents.
pub const OTHER_ACCEPTED_TYPES: [&str; 9] = [
    "audio/mpeg",
    "audio/aac",
    "audio/mp4",
    "audio/ogg",
    "audio/flac",
    "video/mp4",
    "video/webm",
    "application/pdf",
    "audio/opus",
];

/// What `bytes` are, from their first bytes; `None` for anything not accepted.
pub fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\xFF\xD8\xFF")
        || starts(b"\x89PNG\r\n\x1a\n")
        || starts(b"GIF87a")
        || starts(b"GIF89a")
        || (starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
    {
        return Some(sniffed(MediaKind::Image, "image/*", ""));
    }
    if starts(b"ID3") {
        return Some(sniffed(MediaKind::Audio, "audio/mpeg", "mp3"));
    }
    if let [0xFF, second, ..] = bytes {
        // An MPEG audio frame: eleven set bits, then the version and the layer.
        if second & 0xE0 == 0xE0 {
            let layer = (second >> 1) & 0b11;
            if layer == 0b00 && second & 0xF0 == 0xF0 {
                return Some(sniffed(MediaKind::Audio, "audio/aac", "aac"));
            }
            if layer != 0b00 && (second >> 3) & 0b11 != 0b01 {
                return Some(sniffed(MediaKind::Audio, "audio/mpeg", "mp3"));
            }
        }
    }
    if starts(b"fLaC") {
        return Some(sniffed(MediaKind::Audio, "audio/flac", "flac"));
    }
    if starts(b"OggS") {
        // The first page holds the first packet of the first stream, which names
        // its codec.
        let head = &bytes[..bytes.len().min(128)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        if has(b"OpusHead") || has(b"\x01vorbis") || has(b"\x7FFLAC") {
            return Some(sniffed(MediaKind::Audio, "audio/ogg", "ogg"));
        }
        return None;
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        return match bytes.get(8..12)? {
            b"M4A " | b"M4B " => Some(sniffed(MediaKind::Audio, "audio/mp4", "m4a")),
            b"qt  " => None,
            _ if read_mp4(bytes).is_some_and(|mp4| !mp4.has_video) => {
                Some(sniffed(MediaKind::Audio, "audio/mp4", "m4a"))
            }
            _ => Some(sniffed(MediaKind::Video, "video/mp4", "mp4")),
        };
    }
    if starts(b"\x1A\x45\xDF\xA3") {
        let head = &bytes[..bytes.len().min(64)];
        if head.windows(4).any(|w| w == b"webm") {
            return Some(sniffed(MediaKind::Video, "video/webm", "webm"));
        }
        return None;
    }
    if starts(b"%PDF-") {
        return Some(sniffed(MediaKind::Document, "application/pdf", "pdf"));
    }
    None
}

/// What was read of a sound or video file.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Playing {
    /// How long it plays, in seconds.
    pub duration: Option<f64>,
    /// The size of its picture (video).
    pub size: Option<Size>,
}

/// Reads what can be read of the upload `bytes`, sniffed as `what`; `None` when
/// the file cannot be read as what its first bytes say (it is refused then).
/// Documents and WebM video are taken as they are, with nothing read.
pub fn read(bytes: &[u8], what: Sniffed) -> Option<Playing> {
    match what.extension {
        "mp4" | "m4a" => {
            let mp4 = read_mp4(bytes)?;
            Some(Playing {
                duration: mp4.duration,
                size: mp4.size,
            })
        }
        "mp3" | "aac" | "flac" | "ogg" => Some(Playing {
            duration: Some(audio_duration(bytes, what.extension)?),
            size: None,
        }),
        _ => Some(Playing::default()),
    }
}

/// How long the sound in `bytes` plays, from its container's headers (an MP3's
/// `Xing`/`Info` frame or its length and bit rate, a FLAC's `STREAMINFO`, an Ogg
/// stream's last granule position). Nothing is decoded.
fn audio_duration(bytes: &[u8], extension: &str) -> Option<f64> {
    let source = MediaSourceStream::new(
        Box::new(Cursor::new(bytes.to_vec())),
        MediaSourceStreamOptions::default(),
    );
    let mut hint = Hint::new();
    hint.with_extension(extension);
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            source,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .ok()?;
    let track = probed.format.default_track()?;
    let params = &track.codec_params;
    let frames = params.n_frames?;
    let seconds = match params.time_base {
        Some(base) => {
            let time = base.calc_time(frames);
            time.seconds as f64 + time.frac
        }
        None => frames as f64 / f64::from(params.sample_rate?),
    };
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

/// What the `moov` box of an MP4 file says.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Mp4 {
    duration: Option<f64>,
    size: Option<Size>,
    has_video: bool,
}

/// The boxes in `bytes`, as (type, content).
fn boxes(mut bytes: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    std::iter::from_fn(move || {
        let size = u32::from_be_bytes(bytes.get(0..4)?.try_into().ok()?);
        let kind: [u8; 4] = bytes.get(4..8)?.try_into().ok()?;
        let (header, total) = match size {
            0 => (8, bytes.len()),
            1 => {
                let large = u64::from_be_bytes(bytes.get(8..16)?.try_into().ok()?);
                (16, usize::try_from(large).ok()?)
            }
            n => (8, usize::try_from(n).ok()?),
        };
        if total < header || total > bytes.len() {
            bytes = &[];
            return None;
        }
        let content = &bytes[header..total];
        bytes = &bytes[total..];
        Some((kind, content))
    })
}

fn child<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(bytes).find(|(k, _)| k == kind).map(|(_, c)| c)
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Reads the movie header and the tracks of an MP4 file; `None` without a `moov`.
fn read_mp4(bytes: &[u8]) -> Option<Mp4> {
    let moov = child(bytes, b"moov")?;
    let mut mp4 = Mp4::default();
    if let Some(mvhd) = child(moov, b"mvhd") {
        let (scale, length) = if mvhd.first() == Some(&1) {
            (be_u32(mvhd, 20)?, be_u64(mvhd, 24)?)
        } else {
            (be_u32(mvhd, 12)?, u64::from(be_u32(mvhd, 16)?))
        };
        if scale > 0 && length != u64::MAX && length != u64::from(u32::MAX) {
            mp4.duration = Some(length as f64 / f64::from(scale));
        }
    }
    for (_, trak) in boxes(moov).filter(|(k, _)| k == b"trak") {
        let handler = child(trak, b"mdia")
            .and_then(|mdia| child(mdia, b"hdlr"))
            .and_then(|hdlr| hdlr.get(8..12));
        if handler != Some(b"vide") {
            continue;
        }
        mp4.has_video = true;
        if let Some(tkhd) = child(trak, b"tkhd").filter(|t| t.len() >= 8) {
            // The track's size in pixels, in 16.16 fixed point, ends the box.
            let width = be_u32(tkhd, tkhd.len() - 8)? >> 16;
            let height = be_u32(tkhd, tkhd.len() - 4)? >> 16;
            if width > 0 && height > 0 && mp4.size.is_none() {
                mp4.size = Some(Size { width, height });
            }
        }
    }
    Some(mp4)
}

/// `seconds` as an ActivityPub (`xsd:duration`) value, such as `PT83.5S`.
pub fn iso_duration(seconds: f64) -> String {
    let rounded = (seconds * 1000.0).round() / 1000.0;
    format!("PT{rounded}S")
}

/// Seconds from an `xsd:duration` value such as `PT1H2M3.5S` (days and longer
/// units are not used for media and are refused).
pub fn parse_iso_duration(text: &str) -> Option<f64> {
    let rest = text.trim().strip_prefix("PT")?;
    let mut seconds = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => number.push(c),
            'H' | 'M' | 'S' => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                seconds += value
                    * match c {
                        'H' => 3600.0,
                        'M' => 60.0,
                        _ => 1.0,
                    };
            }
            _ => return None,
        }
    }
    (number.is_empty() && seconds.is_finite()).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_by_their_first_bytes() {
        let kind = |bytes: &[u8]| sniff(bytes).map(|s| s.content_type);
        assert_eq!(kind(b"ID3\x04\0\0\0\0\0\0"), Some("audio/mpeg"));
        assert_eq!(kind(b"\xFF\xFB\x90\x00"), Some("audio/mpeg"));
        assert_eq!(kind(b"\xFF\xF1\x50\x80"), Some("audio/aac"));
        assert_eq!(kind(b"fLaC\0\0\0\x22"), Some("audio/flac"));
        assert_eq!(
            kind(b"OggS\0\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\x13OpusHead"),
            Some("audio/ogg")
        );
        assert_eq!(kind(b"\0\0\0\x18ftypM4A \0\0\0\0"), Some("audio/mp4"));
        assert_eq!(kind(b"\0\0\0\x18ftypisom\0\0\0\0"), Some("video/mp4"));
        assert_eq!(
            kind(b"\x1A\x45\xDF\xA3\x9F\x42\x82\x84webm"),
            Some("video/webm")
        );
        assert_eq!(kind(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n"), Some("image/*"));
        for other in [
            &b"MZ\x90\0"[..],
            b"<html>",
            b"PK\x03\x04",
            b"OggS\0theora",
            b"",
        ] {
            assert_eq!(kind(other), None, "{other:?}");
        }
    }

    #[test]
    fn durations_are_written_and_read() {
        assert_eq!(iso_duration(83.5), "PT83.5S");
        assert_eq!(iso_duration(2.0), "PT2S");
        assert_eq!(parse_iso_duration("PT83.5S"), Some(83.5));
        assert_eq!(parse_iso_duration("PT1H2M3S"), Some(3723.0));
        assert_eq!(parse_iso_duration("P1D"), None);
        assert_eq!(parse_iso_duration("PT5"), None);
    }

    #[test]
    fn an_mp4_movie_header_gives_duration_and_size() {
        fn boxed(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
            let mut out = u32::try_from(content.len() + 8)
                .unwrap()
                .to_be_bytes()
                .to_vec();
            out.extend_from_slice(kind);
            out.extend_from_slice(content);
            out
        }
        let mut mvhd = vec![0u8; 12];
        mvhd.extend_from_slice(&1000u32.to_be_bytes());
        mvhd.extend_from_slice(&2500u32.to_be_bytes());
        mvhd.resize(100, 0);
        let mut tkhd = vec![0u8; 76];
        tkhd.extend_from_slice(&(640u32 << 16).to_be_bytes());
        tkhd.extend_from_slice(&(360u32 << 16).to_be_bytes());
        let mut hdlr = vec![0u8; 8];
        hdlr.extend_from_slice(b"vide");
        hdlr.resize(24, 0);
        let trak = [
            boxed(b"tkhd", &tkhd),
            boxed(b"mdia", &boxed(b"hdlr", &hdlr)),
        ]
        .concat();
        let moov = [boxed(b"mvhd", &mvhd), boxed(b"trak", &trak)].concat();
        let file = [boxed(b"ftyp", b"isom\0\0\0\0"), boxed(b"moov", &moov)].concat();
        let what = sniff(&file).unwrap();
        assert_eq!(what.content_type, "video/mp4");
        let read = read(&file, what).unwrap();
        assert_eq!(read.duration, Some(2.5));
        assert_eq!(
            read.size,
            Some(Size {
                width: 640,
                height: 360
            })
        );
    }
}
