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

/// `html` from another server, safe to store and show.
pub fn html(html: &str) -> String {
    CLEANER.clean(html).to_string()
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
}
