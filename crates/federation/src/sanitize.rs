//! HTML from other servers is cleaned before it is stored: only the tags and
//! attributes Mastodon keeps survive (and, in an article's body, headings),
//! and links get safe `rel` values. Plain-text
//! fields (names) are stored as they come and escaped wherever they are shown.

/// `html` from another server, safe to store and show (the domain's cleaner,
/// [`staffroom_domain::html::clean`]).
pub fn html(html: &str) -> String {
    staffroom_domain::html::clean(html)
}

/// The body of another server's article (`Article`, `Page`), safe to store and
/// show: headings, quotes, lists and code are kept besides what [`html`] keeps;
/// images are dropped, as this instance never loads another server's pictures
/// into its pages.
pub fn article(html: &str) -> String {
    staffroom_domain::html::clean_article(html, None)
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
