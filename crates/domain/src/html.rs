//! Escaping what people type before it goes into HTML, and plain text as HTML
//! paragraphs.

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
