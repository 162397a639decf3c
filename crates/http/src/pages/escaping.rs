//! How the templates escape what they show (the escaper `askama.toml` names): as
//! everything else in Staffroom escapes HTML, with [`staffroom_domain::html::escape`].

use std::fmt;

use staffroom_domain::html::escape;

/// Escapes `&`, `<`, `>`, `"` and `'` as named (or, for `'`, numbered) entities, so
/// that a value is safe in text and in a double- or single-quoted attribute.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        dest.write_str(&escape(text))
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;

    #[derive(Template)]
    #[template(source = "<p title=\"{{ text }}\">{{ text }}</p>", ext = "html")]
    struct Paragraph<'a> {
        text: &'a str,
    }

    #[test]
    fn templates_escape_values_as_the_domain_does() {
        let text = "<script>alert('x')</script> & \"y\"";
        let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;";
        assert_eq!(
            Paragraph { text }.render().unwrap(),
            format!("<p title=\"{escaped}\">{escaped}</p>")
        );
    }
}
