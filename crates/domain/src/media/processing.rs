//! Turning an uploaded file into what is stored and shown: it must decode as one of
//! the accepted image formats within the size limits; JPEG and PNG originals are
//! re-encoded (which drops their metadata, such as where a photo was taken) and
//! WebP originals lose their metadata chunks; a thumbnail and a blurhash are made.
//!
//! This is CPU work: callers run it on a blocking thread.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::{Error, Result};

/// The largest image accepted by default (and always for profile pictures), in bytes.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// The most pixels an image may have (7680 × 4320): larger ones could exhaust memory
/// when decoded, however small the file.
pub const MAX_PIXELS: u64 = 33_177_600;
/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 640;
/// The media types accepted for upload.
pub const ACCEPTED_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/gif", "image/webp"];

/// The most memory a decoder may take.
const MAX_DECODER_BYTES: u64 = 512 * 1024 * 1024;
/// How good re-encoded JPEG originals and thumbnails are (of 100).
const JPEG_QUALITY: u8 = 85;
/// Blurhash components across and down (as Mastodon makes them).
const BLURHASH_COMPONENTS: (u32, u32) = (4, 4);
/// The side of the small copy a blurhash is computed from.
const BLURHASH_SOURCE_SIDE: u32 = 32;

/// One of the image formats accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl Format {
    /// The extension its files get.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Webp => "webp",
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    fn of(format: ImageFormat) -> Option<Self> {
        match format {
            ImageFormat::Jpeg => Some(Self::Jpeg),
            ImageFormat::Png => Some(Self::Png),
            ImageFormat::Gif => Some(Self::Gif),
            ImageFormat::WebP => Some(Self::Webp),
            _ => None,
        }
    }
}

/// An encoded image with its format and size in pixels.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// What an upload becomes.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The original, without its metadata.
    pub original: Encoded,
    /// At most [`THUMBNAIL_SIDE`] pixels on its longer side.
    pub thumbnail: Encoded,
    pub blurhash: String,
}

fn unsupported() -> Error {
    Error::invalid(
        "file",
        format!(
            "is not a supported image: use one of {}",
            ACCEPTED_TYPES.join(", ")
        ),
    )
}

fn internal(e: image::ImageError) -> Error {
    Error::Internal(format!("cannot encode an image: {e}"))
}

/// Decodes the uploaded `bytes` within the limits, turned upright: the image,
/// its format and its stored size.
fn decode(bytes: &[u8], max_bytes: usize) -> Result<(DynamicImage, Format, u32, u32)> {
    if bytes.len() > max_bytes {
        return Err(Error::invalid(
            "file",
            format!("is too large: at most {max_bytes} bytes"),
        ));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unsupported())?;
    let format = reader
        .format()
        .and_then(Format::of)
        .ok_or_else(unsupported)?;
    let mut decoder = reader.into_decoder().map_err(|_| unsupported())?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Error::invalid(
            "file",
            format!("has too many pixels: at most {MAX_PIXELS}"),
        ));
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODER_BYTES);
    decoder.set_limits(limits).map_err(|_| unsupported())?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| unsupported())?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok((image, format, width, height))
}

/// A profile picture (an avatar or a header) from the uploaded `bytes`: scaled
/// and cropped to fill `width` × `height`, written afresh (no metadata; a GIF
/// keeps its first frame), PNG when it has transparency, JPEG otherwise.
pub fn profile_image(bytes: &[u8], width: u32, height: u32) -> Result<Encoded> {
    let (image, _, _, _) = decode(bytes, MAX_FILE_BYTES)?;
    let filled = image.resize_to_fill(width, height, image::imageops::FilterType::Lanczos3);
    if filled.color().has_alpha() {
        encode_png(&filled)
    } else {
        encode_jpeg(&filled)
    }
}

/// Checks, cleans and measures the uploaded `bytes`, and makes its thumbnail and
/// blurhash.
pub fn process(bytes: &[u8], max_bytes: usize) -> Result<Processed> {
    let (image, format, width, height) = decode(bytes, max_bytes)?;
    let original = match format {
        // Re-encoding writes the pixels alone: EXIF, XMP and comments stay behind.
        Format::Jpeg => encode_jpeg(&image)?,
        Format::Png => encode_png(&image)?,
        // GIFs keep their animation; they carry no EXIF.
        Format::Gif => Encoded {
            bytes: bytes.to_vec(),
            format,
            width,
            height,
        },
        Format::Webp => Encoded {
            bytes: strip_webp_metadata(bytes).ok_or_else(unsupported)?,
            format,
            width,
            height,
        },
    };
    let small = if image.width() > THUMBNAIL_SIDE || image.height() > THUMBNAIL_SIDE {
        image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    } else {
        image.clone()
    };
    let thumbnail = if small.color().has_alpha() {
        encode_png(&small)?
    } else {
        encode_jpeg(&small)?
    };
    Ok(Processed {
        original,
        thumbnail,
        blurhash: blurhash_of(&small)?,
    })
}

fn encode_jpeg(image: &DynamicImage) -> Result<Encoded> {
    let rgb = image.to_rgb8();
    let mut bytes = Vec::new();
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
        .map_err(internal)?;
    Ok(Encoded {
        bytes,
        format: Format::Jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

fn encode_png(image: &DynamicImage) -> Result<Encoded> {
    let mut bytes = Vec::new();
    image
        .write_with_encoder(PngEncoder::new(&mut bytes))
        .map_err(internal)?;
    Ok(Encoded {
        bytes,
        format: Format::Png,
        width: image.width(),
        height: image.height(),
    })
}

fn blurhash_of(image: &DynamicImage) -> Result<String> {
    let tiny = image
        .thumbnail(BLURHASH_SOURCE_SIDE, BLURHASH_SOURCE_SIDE)
        .to_rgba8();
    blurhash::encode(
        BLURHASH_COMPONENTS.0,
        BLURHASH_COMPONENTS.1,
        tiny.width(),
        tiny.height(),
        tiny.as_raw(),
    )
    .map_err(|e| Error::Internal(format!("cannot make a blurhash: {e}")))
}

/// `bytes` (a WebP file) without its `EXIF` and `XMP ` chunks, with the extended
/// header's flags for them cleared; `None` if it is not a well-formed RIFF file.
fn strip_webp_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[0..12]);
    let mut rest = &bytes[12..];
    while !rest.is_empty() {
        let header = rest.get(0..8)?;
        let fourcc = &header[0..4];
        let size = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
        let padded = size.checked_add(size % 2)?;
        let end = 8usize.checked_add(padded)?.min(rest.len());
        let payload_end = 8usize.checked_add(size)?;
        if payload_end > rest.len() {
            return None;
        }
        let chunk = &rest[..end];
        match fourcc {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut chunk = chunk.to_vec();
                if let Some(flags) = chunk.get_mut(8) {
                    *flags &= !(EXIF_FLAG | XMP_FLAG);
                }
                out.extend_from_slice(&chunk);
            }
            _ => out.extend_from_slice(chunk),
        }
        rest = &rest[end..];
    }
    let riff_size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn gradient(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }))
    }

    /// A photo-like image: noise, which compresses badly, as photos do.
    fn noise(width: u32, height: u32) -> DynamicImage {
        let mut state = 0x2545_F491_u32;
        DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |_, _| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let [r, g, b, _] = state.to_le_bytes();
            Rgb([r, g, b])
        }))
    }

    fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image.write_to(&mut bytes, format).unwrap();
        bytes.into_inner()
    }

    /// A JPEG with an APP1 EXIF segment (naming GPS coordinates) right after its
    /// start-of-image marker, as cameras and phones write it.
    fn jpeg_with_exif(image: &DynamicImage) -> Vec<u8> {
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0".to_vec();
        exif.extend_from_slice(b"GPSLatitude 51.5072 N GPSLongitude 0.1276 W");
        jpeg_with_app1(image, &exif)
    }

    /// A JPEG with `exif` as its APP1 segment.
    fn jpeg_with_app1(image: &DynamicImage, exif: &[u8]) -> Vec<u8> {
        let plain = encoded(image, ImageFormat::Jpeg);
        let length = u16::try_from(exif.len() + 2).unwrap();
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(exif);
        out.extend_from_slice(&plain[2..]);
        out
    }

    /// The sizes of the original and of the thumbnail.
    fn sizes(processed: &Processed) -> ((u32, u32), (u32, u32)) {
        (
            (processed.original.width, processed.original.height),
            (processed.thumbnail.width, processed.thumbnail.height),
        )
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_png_is_measured_and_gets_a_smaller_thumbnail_and_a_blurhash() {
        let processed = process(
            &encoded(&noise(1000, 800), ImageFormat::Png),
            MAX_FILE_BYTES,
        )
        .unwrap();
        assert_eq!(processed.original.format, Format::Png);
        assert_eq!(sizes(&processed), ((1000, 800), (640, 512)));
        assert!(processed.thumbnail.bytes.len() < processed.original.bytes.len());
        let decoded = image::load_from_memory(&processed.thumbnail.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (640, 512));
        assert!(processed.blurhash.len() >= 6, "{}", processed.blurhash);
    }

    #[test]
    fn a_small_image_keeps_its_size_in_the_thumbnail() {
        let processed = process(
            &encoded(&gradient(20, 10), ImageFormat::Png),
            MAX_FILE_BYTES,
        )
        .unwrap();
        assert_eq!(sizes(&processed), ((20, 10), (20, 10)));
    }

    #[test]
    fn exif_of_a_jpeg_does_not_survive() {
        let upload = jpeg_with_exif(&gradient(64, 48));
        assert!(contains(&upload, b"GPSLatitude"));
        assert!(
            image::load_from_memory(&upload).is_ok(),
            "the sample decodes"
        );
        let processed = process(&upload, MAX_FILE_BYTES).unwrap();
        assert_eq!(processed.original.format, Format::Jpeg);
        for file in [&processed.original.bytes, &processed.thumbnail.bytes] {
            assert!(!contains(file, b"GPSLatitude"));
            assert!(!contains(file, b"Exif\0\0"));
        }
        assert_eq!(sizes(&processed).0, (64, 48));
    }

    #[test]
    fn a_photo_taken_sideways_is_turned_upright() {
        // One IFD entry: Orientation (0x0112), a SHORT, 6 = turn 90° clockwise.
        let exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0";
        let processed = process(&jpeg_with_app1(&gradient(64, 48), exif), MAX_FILE_BYTES).unwrap();
        assert_eq!(sizes(&processed), ((48, 64), (48, 64)));
    }

    #[test]
    fn transparent_images_keep_transparency_in_the_thumbnail() {
        let image = DynamicImage::ImageRgba8(ImageBuffer::from_pixel(8, 8, Rgba([0, 0, 0, 0])));
        let processed = process(&encoded(&image, ImageFormat::Png), MAX_FILE_BYTES).unwrap();
        assert_eq!(processed.thumbnail.format, Format::Png);
    }

    #[test]
    fn what_is_not_an_accepted_image_is_refused() {
        // A bitmap header: a real image format, but not one accepted.
        let bmp = b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0".to_vec();
        for upload in [
            &b"hello, this is text"[..],
            &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2][..],
            &bmp,
        ] {
            match process(upload, MAX_FILE_BYTES) {
                Err(Error::Invalid {
                    field: "file",
                    reason,
                }) => {
                    assert!(reason.contains("image/jpeg"), "{reason}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn an_image_with_too_many_pixels_is_refused_before_decoding() {
        // A PNG header claiming 10,000 × 10,000 pixels: tiny file, huge image.
        let mut png = Vec::new();
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&10_000u32.to_be_bytes());
        ihdr.extend_from_slice(&10_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // The start of the pixel data: the decoder reads up to here before it can
        // tell the size.
        let idat = b"IDAT\x78\x9c".to_vec();
        png.extend_from_slice(&2u32.to_be_bytes());
        png.extend_from_slice(&idat);
        png.extend_from_slice(&crc32(&idat).to_be_bytes());
        match process(&png, MAX_FILE_BYTES) {
            Err(Error::Invalid { reason, .. }) => assert!(reason.contains("pixels"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn webp_metadata_chunks_are_dropped() {
        let plain = encoded(&gradient(16, 16), ImageFormat::WebP);
        // Rebuild it as an extended WebP with an EXIF chunk.
        let image_chunks = &plain[12..];
        let mut body = b"WEBP".to_vec();
        body.extend_from_slice(b"VP8X");
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0x08, 0, 0, 0, 15, 0, 0, 15, 0, 0]);
        body.extend_from_slice(image_chunks);
        let exif = b"GPSLatitude 51.5 N";
        body.extend_from_slice(b"EXIF");
        body.extend_from_slice(&u32::try_from(exif.len()).unwrap().to_le_bytes());
        body.extend_from_slice(exif);
        let mut upload = b"RIFF".to_vec();
        upload.extend_from_slice(&u32::try_from(body.len()).unwrap().to_le_bytes());
        upload.extend_from_slice(&body);
        let processed = process(&upload, MAX_FILE_BYTES).unwrap();
        assert_eq!(processed.original.format, Format::Webp);
        assert!(!contains(&processed.original.bytes, b"GPSLatitude"));
        assert!(image::load_from_memory(&processed.original.bytes).is_ok());
    }
}
