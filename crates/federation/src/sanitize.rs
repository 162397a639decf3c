//! HTML from other servers is cleaned before it is stored: only the tags and
//! attributes Mastodon keeps survive, and links get safe `rel` values. Plain-text
//! fields (names) are stored as they come and escaped wherever they are shown.

use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(HashSet::from([
            "p",
            "br",
            "span",
            "a",
            "del",
            "pre",
            "code",
            "em",
            "strong",
            "b",
            "i",
            "u",
            "ul",
            "ol",
            "li",
            "blockquote",
        ]))
        // `class` is allowed through `allowed_classes` below, value by value.
        .tag_attributes([("a", HashSet::from(["href"]))].into_iter().collect())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .allowed_classes(
            [
                ("a", HashSet::from(["mention", "hashtag", "u-url"])),
                ("span", HashSet::from(["h-card", "invisible", "ellipsis"])),
            ]
            .into_iter()
            .collect(),
        );
    builder
});

/// How many times cleaned HTML is cleaned again, at most, until it reads as it
/// was written.
const MAX_PASSES: usize = 4;

/// `html` from another server, safe to store and show.
///
/// Removing an element can leave a tree that reads differently once written out:
/// `<p><object></p>` parses as a paragraph holding an object holding an empty
/// paragraph, which without the object is a paragraph inside a paragraph, and a
/// browser reads `<p><p></p></p>` as three. So the result is cleaned again until
/// nothing changes: what is stored is what every reader sees, and cleaning it
/// again changes nothing.
pub fn html(html: &str) -> String {
    let mut clean = CLEANER.clean(html).to_string();
    for _ in 0..MAX_PASSES {
        let again = CLEANER.clean(&clean).to_string();
        if again == clean {
            break;
        }
        clean = again;
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_event_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)><a href="https://example.org" class="mention evil">@a</a></p>"#;
        let clean = html(dirty);
        assert_eq!(
            clean,
            r#"<p>Hi <a rel="nofollow noopener noreferrer">x</a><a href="https://example.org" class="mention" rel="nofollow noopener noreferrer">@a</a></p>"#
        );
    }

    /// Found by fuzzing: an element that closes no paragraph left one paragraph
    /// inside another, which read as three when cleaned again.
    #[test]
    fn cleaning_what_was_cleaned_changes_nothing() {
        for dirty in [
            "<p ><object href=\" JaVaScRiPt:alert(1)\" onerror=alert(1)><![CDATA[<script>]]></p>",
            "<p><object></p><p><object></p>",
        ] {
            let clean = html(dirty);
            assert_eq!(html(&clean), clean, "{dirty}");
            assert!(!clean.contains("<p><p>"), "{clean}");
        }
    }
}
