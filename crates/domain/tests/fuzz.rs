//! Property-based fuzzing of what the domain makes HTML of and the files it reads:
//! Markdown of challenge descriptions, typed text of posts, profile notes and
//! fields, and the CSV files of an import. Whatever is typed or uploaded, nothing
//! panics, the HTML made of it runs nothing, and what has a writer reads back.
//!
//! `PROPTEST_CASES` sets the number of cases per property (256 by default here);
//! docs/fuzzing.md says how to fuzz for longer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use proptest::test_runner::Config;
use staffroom_domain::accounts::account::field_html;
use staffroom_domain::accounts::import::{self, Kind};
use staffroom_domain::communities::challenge::render_markdown;
use staffroom_domain::html::{escape, paragraphs, text_of_paragraphs};
use staffroom_domain::posts::article;
use staffroom_domain::posts::compose::{self, Links};

/// The case count: `PROPTEST_CASES` when set, else 256.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

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
