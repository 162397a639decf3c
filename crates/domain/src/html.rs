//! HTML made from what people type: escaped text in paragraphs.

/// Plain text as HTML: special characters escaped, blank lines between paragraphs,
/// single line breaks kept.
pub fn plain_text_to_html(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| format!("<p>{}</p>", escape(paragraph).replace('\n', "<br>")))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_becomes_escaped_paragraphs() {
        assert_eq!(
            plain_text_to_html("Hello <b>staff</b> & pupils\nline two\n\n\nSecond 'para'"),
            "<p>Hello &lt;b&gt;staff&lt;/b&gt; &amp; pupils<br>line two</p><p>Second &#39;para&#39;</p>"
        );
    }

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
