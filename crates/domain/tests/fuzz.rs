//! Property-based fuzzing of what the domain makes HTML of and the files it reads:
//! Markdown of challenge descriptions, typed text of posts, profile notes and
//! fields, and the CSV files of an import. Whatever is typed or uploaded, nothing
//! panics, the HTML made of it runs nothing, and what has a writer reads back.
//!
//! `PROPTEST_CASES` sets the number of cases per property (256 by default here);
//! docs/fuzzing.md says how to fuzz for longer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use staffroom_domain::accounts::account::field_html;
use staffroom_domain::accounts::import::{self, Kind};
use staffroom_domain::communities::challenge::render_markdown;
use staffroom_domain::html::{escape, paragraphs, text_of_paragraphs};
use staffroom_domain::posts::article;
use staffroom_domain::posts::compose::{self, Links};

#[path = "shared/fuzz_config.rs"]
mod fuzz_config;
use fuzz_config::config;

/// Pieces hostile markup is built of.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_owned()),
        Just("<style>*{}</style>".to_owned()),
        Just("<iframe src=x></iframe>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_owned()),
        Just("<a href=\"data:text/html,<script>x</script>\">x</a>".to_owned()),
        Just("[x](javascript:alert(1))".to_owned()),
        Just("[x](JaVaScRiPt:alert(1))".to_owned()),
        Just("[x]( javascript:alert(1) )".to_owned()),
        Just("[x](data:text/html;base64,PHNjcmlwdD4=)".to_owned()),
        Just("![i](javascript:alert(1))".to_owned()),
        Just("<javascript:alert(1)>".to_owned()),
        Just("[r]: javascript:alert(1)\n\n[x][r]".to_owned()),
        Just("&lt;script&gt;".to_owned()),
        Just("&#60;script&#62;".to_owned()),
        Just("<p onclick=\"x()\" style=\"color:red\">".to_owned()),
        Just("<svg onload=alert(1)>".to_owned()),
        Just("`<script>`".to_owned()),
        Just("```\n<script>\n```".to_owned()),
        Just("> <script>".to_owned()),
        Just("#tag".to_owned()),
        Just("@alice@example.org".to_owned()),
        Just("https://example.org/a?b=<c>".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        "\\PC{0,12}",
        "[<>&\"'=:/ a-z]{0,12}",
    ]
}

/// Text mixing hostile pieces with anything at all.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        3 => prop::collection::vec(hostile_piece(), 0..12).prop_map(|p| p.concat()),
    ]
}

/// Fails when `html` holds markup that could run: a script, style, frame, an
/// event handler attribute, a `style` attribute or a `javascript:`/`data:` URL.
fn assert_harmless(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or_default();
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            !["script", "style", "iframe", "object", "embed", "svg", "img"]
                .contains(&name.as_str()),
            "<{name}> in {html}"
        );
        for attribute in inside.split_whitespace().skip(1) {
            assert!(!attribute.starts_with("on"), "{attribute} in {html}");
            assert!(!attribute.starts_with("style"), "{attribute} in {html}");
            if let Some(value) = attribute
                .strip_prefix("href=")
                .or_else(|| attribute.strip_prefix("src="))
            {
                let value = value.trim_matches('"').trim();
                assert!(
                    !value.starts_with("javascript:")
                        && !value.starts_with("data:")
                        && !value.starts_with("vbscript:"),
                    "{attribute} in {html}"
                );
            }
        }
    }
}

struct TestLinks;

impl Links for TestLinks {
    fn tag(&self, name: &str) -> String {
        format!("https://x.example/tags/{name}")
    }
    fn profile(&self, account: &staffroom_domain::accounts::account::Account) -> String {
        format!("https://x.example/@{}", account.username)
    }
    fn local_domain(&self) -> &str {
        "x.example"
    }
    fn event(&self, post_id: i64) -> String {
        format!("https://x.example/events/{post_id}")
    }
    fn article(&self, username: &str, post_id: i64) -> String {
        format!("https://x.example/@{username}/articles/{post_id}")
    }
    fn media_prefix(&self) -> String {
        "https://x.example/media/".to_owned()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn markdown_of_challenges_runs_nothing(markdown in hostile_text()) {
        let html = render_markdown(&markdown);
        assert_harmless(&html);
        // Markdown can nest, but the HTML stays within a bound of what was typed.
        prop_assert!(html.len() <= 16 * markdown.len() + 64, "{} bytes from {}", html.len(), markdown.len());
    }

    #[test]
    fn markdown_of_articles_runs_nothing_and_shows_only_our_pictures(markdown in hostile_text()) {
        let html = article::render(&markdown, "https://x.example/media/");
        assert_harmless(&html);
        for (at, _) in html.match_indices("<img") {
            let tag = &html[at..html[at..].find('>').map_or(html.len(), |end| at + end)];
            prop_assert!(
                !tag.contains("src=") || tag.contains("src=\"https://x.example/media/"),
                "{tag}"
            );
        }
        prop_assert_eq!(staffroom_domain::html::clean_article(&html, Some("https://x.example/media/")), html.clone());
    }

    #[test]
    fn typed_posts_are_escaped_and_linked_harmlessly(text in hostile_text()) {
        let parsed = compose::parse(&text);
        prop_assert!(parsed.hashtags.len() <= text.len());
        let html = compose::render(&text, &[], &TestLinks);
        assert_harmless(&html);
        prop_assert!(!html.contains("<script"));
    }

    #[test]
    fn profile_notes_read_back_as_typed(text in hostile_text()) {
        let html = paragraphs(&text);
        assert_harmless(&html);
        // The HTML made of the text read back makes the same HTML again.
        prop_assert_eq!(paragraphs(&text_of_paragraphs(&html)), html.clone());
        prop_assert!(!escape(&text).contains('<'));
    }

    #[test]
    fn profile_fields_link_only_web_addresses(value in hostile_text()) {
        assert_harmless(&field_html(&value));
    }

    #[test]
    fn csv_imports_of_any_bytes_are_read_or_refused(
        kind in prop::sample::select(Kind::ALL.to_vec()),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        if let Ok(rows) = import::parse(kind, &bytes) {
            prop_assert!(!rows.is_empty() && rows.len() <= import::MAX_ROWS);
        }
    }

    #[test]
    fn csv_imports_of_csv_like_text_are_read_or_refused(
        kind in prop::sample::select(Kind::ALL.to_vec()),
        lines in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("Account address".to_owned()),
                    Just("Show boosts".to_owned()),
                    Just("Notify on new posts".to_owned()),
                    Just("Languages".to_owned()),
                    Just("Hide notifications".to_owned()),
                    Just("true".to_owned()),
                    Just("false".to_owned()),
                    Just("\"a,b\"".to_owned()),
                    Just("\"".to_owned()),
                    Just("\u{feff}Account address".to_owned()),
                    "[a-z]{1,8}@[a-z]{1,8}\\.example",
                    "https://[a-z]{1,8}\\.example/@[a-z]{1,5}/[0-9]{1,5}",
                    "\\PC{0,10}",
                ],
                0..5,
            ).prop_map(|cells| cells.join(",")),
            0..30,
        ),
    ) {
        let file = lines.join("\n");
        if let Ok(rows) = import::parse(kind, file.as_bytes()) {
            prop_assert!(!rows.is_empty() && rows.len() <= import::MAX_ROWS);
            for row in rows {
                prop_assert!(!row.address.is_empty());
            }
        }
    }

    #[test]
    fn an_exported_list_of_accounts_imports_as_it_was_written(
        accounts in prop::collection::btree_set(("[a-z][a-z0-9_]{0,10}", "[a-z]{1,10}\\.[a-z]{2,5}"), 1..40),
        notify in any::<bool>(),
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer
            .write_record(["Account address", "Show boosts", "Notify on new posts", "Languages"])
            .unwrap();
        let addresses: Vec<String> = accounts.iter().map(|(u, d)| format!("{u}@{d}")).collect();
        for address in &addresses {
            writer
                .write_record([address.as_str(), "true", if notify { "true" } else { "false" }, ""])
                .unwrap();
        }
        let bytes = writer.into_inner().unwrap();
        let rows = import::parse(Kind::Following, &bytes).unwrap();
        let read: Vec<String> = rows.iter().map(|r| r.address.clone()).collect();
        prop_assert_eq!(read, addresses);
        prop_assert!(rows.iter().all(|r| r.notify == notify));
    }
}

/// Real tiny files of every kind uploads and remote copies read: the seeds that
/// the media properties mutate.
mod media_seeds {
    use std::io::Cursor;

    use image::{DynamicImage, ImageBuffer, ImageFormat, Rgba};

    fn picture(format: ImageFormat) -> Vec<u8> {
        let image = DynamicImage::ImageRgba8(ImageBuffer::from_fn(6, 4, |x, y| {
            Rgba([(x * 40) as u8, (y * 60) as u8, 90, 255])
        }));
        let image = if format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(image.to_rgb8())
        } else {
            image
        };
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        out.into_inner()
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

    /// The boxes of a 3-second 320 × 240 video (no frames).
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

    /// Forty silent MPEG-1 Layer III frames.
    fn mp3() -> Vec<u8> {
        let mut frame = vec![0u8; 417];
        frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0xC0]);
        frame.repeat(40)
    }

    /// A FLAC stream header (STREAMINFO: 44.1 kHz, mono, 16 bits, 90,112 samples).
    fn flac() -> Vec<u8> {
        let mut out = b"fLaC".to_vec();
        out.extend_from_slice(&[0x80, 0, 0, 34]);
        let mut info = vec![0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0];
        let samples: u64 = 90_112;
        let packed: u64 = (44_100 << 44) | (15 << 36) | samples;
        info.extend_from_slice(&packed.to_be_bytes());
        info.extend_from_slice(&[0; 16]);
        out.extend_from_slice(&info);
        out
    }

    fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }

    fn webm() -> Vec<u8> {
        // An EBML header naming the webm document type, and an empty segment.
        let mut out = vec![0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x82, 0x84];
        out.extend_from_slice(b"webm");
        out.extend_from_slice(&[0x18, 0x53, 0x80, 0x67, 0x80]);
        out
    }

    pub fn all() -> Vec<Vec<u8>> {
        vec![
            picture(ImageFormat::Png),
            picture(ImageFormat::Jpeg),
            picture(ImageFormat::Gif),
            picture(ImageFormat::WebP),
            mp4(),
            mp3(),
            flac(),
            pdf(),
            webm(),
        ]
    }
}

/// One change to a file: a byte set, a bit flipped, a cut, bytes put in, a
/// length field made huge.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Huge(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        any::<usize>().prop_map(Mutation::Huge),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for change in mutations {
        if bytes.is_empty() {
            break;
        }
        let len = bytes.len();
        match change {
            Mutation::Set(at, b) => bytes[at % len] = *b,
            Mutation::Flip(at, bit) => bytes[at % len] ^= 1 << bit,
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Insert(at, more) => {
                let at = at % len;
                bytes.splice(at..at, more.iter().copied());
            }
            Mutation::Huge(at) => {
                let at = at % len;
                for b in bytes.iter_mut().skip(at).take(4) {
                    *b = 0xFF;
                }
            }
        }
    }
    bytes
}

/// A real tiny media file with a few mutations.
fn mutated_media() -> impl Strategy<Value = Vec<u8>> {
    let seeds = media_seeds::all();
    (0..seeds.len(), prop::collection::vec(mutation(), 0..6))
        .prop_map(move |(seed, mutations)| mutate(seeds[seed].clone(), &mutations))
}

proptest! {
    #![proptest_config(config())]

    /// Sniffing, the MP4 box reader, the sound probes and the image decoders
    /// take any mutation of a real file without panicking, within bounded time,
    /// and say what they found or refuse it.
    #[test]
    fn mutated_media_files_are_read_or_refused_quickly(bytes in mutated_media()) {
        let started = std::time::Instant::now();
        let sniffed = staffroom_domain::media::sniff(&bytes);
        let examined = staffroom_domain::media::examine(
            &bytes,
            staffroom_domain::media::MediaLimits::default(),
        );
        if let Ok((kind, content_type)) = &examined {
            prop_assert!(sniffed.is_some());
            prop_assert_eq!(*kind, staffroom_domain::media::MediaKind::of_content_type(content_type));
        }
        prop_assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    /// Any bytes at all: sniffed and examined without a panic.
    #[test]
    fn any_bytes_are_read_or_refused_as_media(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = staffroom_domain::media::sniff(&bytes);
        let _ = staffroom_domain::media::examine(
            &bytes,
            staffroom_domain::media::MediaLimits::default(),
        );
    }
}

/// The seeds are what they claim: the whole upload path reads the pictures,
/// the video, the MP3 and the PDF; the FLAC and WebM headers (no frames) are at
/// least told by their first bytes.
#[test]
fn the_media_seeds_are_read_as_what_they_are() {
    let seeds = media_seeds::all();
    let wanted = [
        ("image/png", true),
        ("image/jpeg", true),
        ("image/gif", true),
        ("image/webp", true),
        ("video/mp4", true),
        ("audio/mpeg", true),
        ("audio/flac", false),
        ("application/pdf", true),
        ("video/webm", false),
    ];
    for (seed, (wanted, whole)) in seeds.iter().zip(wanted) {
        if whole {
            let examined = staffroom_domain::media::examine(
                seed,
                staffroom_domain::media::MediaLimits::default(),
            )
            .map(|(_, content_type)| content_type)
            .map_err(|e| e.to_string());
            assert_eq!(examined, Ok(wanted.to_owned()), "{wanted}");
        } else {
            let sniffed = staffroom_domain::media::sniff(seed).map(|s| s.content_type);
            assert_eq!(sniffed, Some(wanted), "{wanted}");
        }
    }
}
