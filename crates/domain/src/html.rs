//! Escaping what people type before it goes into HTML, plain text as HTML
//! paragraphs, and the cleaner every HTML from elsewhere (and every rendered
//! article) goes through before it is stored.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The tags a post's HTML may have: those Mastodon keeps.
const POST_TAGS: &[&str] = &[
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
];

/// What an article's body may have besides [`POST_TAGS`].
const ARTICLE_TAGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6", "hr", "s"];

fn builder(tags: &[&'static str]) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags.iter().copied().collect())
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
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(POST_TAGS));

/// How many times cleaned HTML is cleaned again, at most, until it reads as it
/// was written.
const MAX_PASSES: usize = 4;

/// Cleans `html` with `cleaner`, then cleans the result again until nothing
/// changes. Removing an element can leave a tree that reads differently once
/// written out: `<p><object></p>` parses as a paragraph holding an object holding
/// an empty paragraph, which without the object is a paragraph inside a
/// paragraph, and a browser reads `<p><p></p></p>` as three. So what is stored is
/// what every reader sees, and cleaning it again changes nothing.
fn clean_until_stable(cleaner: &ammonia::Builder<'_>, html: &str) -> String {
    let mut clean = cleaner.clean(html).to_string();
    for _ in 0..MAX_PASSES {
        let again = cleaner.clean(&clean).to_string();
        if again == clean {
            break;
        }
        clean = again;
    }
    clean
}

/// `html` (from another server) safe to store and show as a post: only the tags
/// and attributes Mastodon keeps survive, and links get safe `rel` values.
pub fn clean(html: &str) -> String {
    clean_until_stable(&CLEANER, html)
}

/// `html` safe to store and show as an article's body: what [`clean`] keeps,
/// headings and rules, and images whose address starts with `images_from` (this
/// instance's media); with `None`, no images.
pub fn clean_article(html: &str, images_from: Option<&str>) -> String {
    let mut tags: Vec<&'static str> = POST_TAGS.to_vec();
    tags.extend_from_slice(ARTICLE_TAGS);
    let mut builder = builder(&tags);
    if let Some(prefix) = images_from {
        let prefix = prefix.to_owned();
        builder
            .add_tags(["img"])
            .add_tag_attributes("img", ["src", "alt", "title"])
            .attribute_filter(move |element, attribute, value| {
                if element == "img" && attribute == "src" && !value.starts_with(&prefix) {
                    None
                } else {
                    Some(value.into())
                }
            });
    }
    clean_until_stable(&builder, html)
}

/// `text` with HTML's special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Plain `text` as HTML paragraphs (blank lines between them, line breaks kept),
/// escaped, nothing linked: for profile notes.
pub fn paragraphs(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| format!("<p>{}</p>", escape(paragraph).replace('\n', "<br>")))
        .collect()
}

/// The plain text that [`paragraphs`] made `html` from, for editing it again.
pub fn text_of_paragraphs(html: &str) -> String {
    html.strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        .unwrap_or(html)
        .split("</p><p>")
        .map(|paragraph| unescape(&paragraph.replace("<br>", "\n")))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The text of `html` with its tags left out and its blanks run together, cut
/// to at most `max` characters (an ellipsis ends a cut text): a summary for an
/// article from elsewhere that has none.
pub fn excerpt(html: &str, max: usize) -> String {
    let mut text = String::with_capacity(html.len().min(max * 4));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = unescape(&text.replace("&nbsp;", " "));
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= max {
        return joined;
    }
    let mut cut: String = joined.chars().take(max.saturating_sub(1)).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

/// `text` with the escapes of [`escape`] undone.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_the_text_cut_between_words() {
        assert_eq!(
            excerpt("<p>One &amp; two</p><p>three</p>", 100),
            "One & two three"
        );
        assert_eq!(excerpt("<p>alpha beta gamma</p>", 12), "alpha beta…");
    }

    #[test]
    fn paragraphs_read_back_as_the_text_they_were_made_from() {
        let text =
            "Head of <Year 6> & maths.\nSecond line\n\nSecond paragraph: \"quoted\" it's &amp;";
        assert_eq!(text_of_paragraphs(&paragraphs(text)), text);
        assert_eq!(text_of_paragraphs(""), "");
    }

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
