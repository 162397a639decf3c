//! What people type, read: hashtags (`#AmbitionFeed`) and mentions (`@name`,
//! `@name@server`) found in the text, and the text turned into HTML with links.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::accounts::account::Account;
use crate::html::escape;

/// The longest hashtag kept.
pub const MAX_TAG_CHARS: usize = 100;

/// A mention as typed: `@name` (this instance) or `@name@server`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRef {
    pub username: String,
    pub domain: Option<String>,
}

/// One piece of typed text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    /// The tag as typed (without `#`).
    Hashtag(&'a str),
    Mention(&'a str, MentionRef),
}

/// The hashtags and mentions a text holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Normalised (lower case), each once, in order of appearance.
    pub hashtags: Vec<String>,
    /// Each once, in order of appearance.
    pub mentions: Vec<MentionRef>,
}

/// A tag as stored and compared: Unicode-normalised (NFKC, so a letter typed as a
/// base and a combining accent is the same letter typed at once, and full-width
/// letters are plain ones) and lower case, so `#AmbitionFeed` is `#ambitionfeed`.
pub fn normalize_tag(tag: &str) -> String {
    let lowered: String = tag
        .trim_start_matches('#')
        .nfkc()
        .collect::<String>()
        .to_lowercase();
    lowered.nfc().collect()
}

/// Whether `name` (already normalised) is a hashtag Staffroom keeps: letters,
/// digits and underscores, not too long.
pub fn is_hashtag(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= MAX_TAG_CHARS && name.chars().all(is_tag_char)
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_combining_mark(c)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':'
}

/// Splits `text` into plain runs, hashtags and mentions.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let bytes_at = |i: usize| text[i..].chars().next();
    while let Some(c) = bytes_at(i) {
        let after_boundary = text[..i]
            .chars()
            .next_back()
            .is_none_or(|p| !is_tag_char(p) && p != '@' && p != '/');
        if (c == '#' || c == '@') && after_boundary {
            let start = i + 1;
            let found = if c == '#' {
                let len: usize = text[start..]
                    .chars()
                    .take_while(|c| is_tag_char(*c))
                    .map(char::len_utf8)
                    .sum();
                let tag = &text[start..start + len];
                (len > 0 && len <= MAX_TAG_CHARS * 4 && !tag.chars().all(|c| c.is_ascii_digit()))
                    .then(|| (start + len, Piece::Hashtag(tag)))
            } else {
                let name_len: usize = text[start..]
                    .chars()
                    .take_while(|c| is_name_char(*c))
                    .map(char::len_utf8)
                    .sum();
                let name = text[start..start + name_len].trim_end_matches(['.', '-']);
                let mut end = start + name.len();
                let mut domain = None;
                if !name.is_empty() && text[end..].starts_with('@') {
                    let domain_len: usize = text[end + 1..]
                        .chars()
                        .take_while(|c| is_domain_char(*c))
                        .map(char::len_utf8)
                        .sum();
                    let candidate =
                        text[end + 1..end + 1 + domain_len].trim_end_matches(['.', '-', ':']);
                    if candidate.contains('.')
                        || candidate.contains(':')
                        || candidate == "localhost"
                    {
                        domain = Some(candidate.to_ascii_lowercase());
                        end = end + 1 + candidate.len();
                    }
                }
                (!name.is_empty()).then(|| {
                    let mention = MentionRef {
                        username: name.to_owned(),
                        domain,
                    };
                    (end, Piece::Mention(&text[i..end], mention))
                })
            };
            if let Some((end, piece)) = found {
                if plain_start < i {
                    out.push(Piece::Text(&text[plain_start..i]));
                }
                out.push(piece);
                i = end;
                plain_start = end;
                continue;
            }
        }
        i += c.len_utf8();
    }
    if plain_start < text.len() {
        out.push(Piece::Text(&text[plain_start..]));
    }
    out
}

/// The hashtags and mentions in `text`.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for piece in pieces(text) {
        match piece {
            Piece::Hashtag(tag) => {
                let tag = normalize_tag(tag);
                if !parsed.hashtags.contains(&tag) {
                    parsed.hashtags.push(tag);
                }
            }
            Piece::Mention(_, mention) => {
                if !parsed.mentions.contains(&mention) {
                    parsed.mentions.push(mention);
                }
            }
            Piece::Text(_) => {}
        }
    }
    parsed
}

/// Where links in rendered posts point: the federation layer knows URL shapes.
pub trait Links {
    /// The page of a hashtag.
    fn tag(&self, name: &str) -> String;
    /// The profile page of an account.
    fn profile(&self, account: &Account) -> String;
    /// This instance's domain, which a mention of a local account may name
    /// (`@alice@this.host`).
    fn local_domain(&self) -> &str;
    /// The page of the event of the local post `post_id`.
    fn event(&self, post_id: i64) -> String;
    /// The page of the article of the local post `post_id` by `username`.
    fn article(&self, username: &str, post_id: i64) -> String;
    /// Where this instance's media files are served, ending with `/media/`:
    /// the only pictures an article's text may show.
    fn media_prefix(&self) -> String;
}

/// Whether the typed mention names `account` (`local_domain` is this instance's).
fn names(mention: &MentionRef, account: &Account, local_domain: &str) -> bool {
    mention.username.eq_ignore_ascii_case(&account.username)
        && match (&mention.domain, &account.domain) {
            (None, None) => true,
            (Some(typed), None) => typed.eq_ignore_ascii_case(local_domain),
            (Some(typed), Some(domain)) => typed.eq_ignore_ascii_case(domain),
            _ => false,
        }
}

/// `text` as HTML: escaped, in paragraphs, hashtags linked, and the mentions that
/// name one of `mentioned` linked to their profile (others stay plain text).
pub fn render(text: &str, mentioned: &[Account], links: &dyn Links) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| {
            let mut html = String::new();
            for piece in pieces(paragraph) {
                match piece {
                    Piece::Text(plain) => html.push_str(&escape(plain).replace('\n', "<br>")),
                    Piece::Hashtag(tag) => html.push_str(&format!(
                        "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
                        escape(&links.tag(&normalize_tag(tag))),
                        escape(tag)
                    )),
                    Piece::Mention(typed, mention) => match mentioned.iter().find(|a| names(&mention, a, links.local_domain())) {
                        Some(account) => html.push_str(&format!(
                            "<span class=\"h-card\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                            escape(&links.profile(account)),
                            escape(&account.username)
                        )),
                        None => html.push_str(&escape(typed)),
                    },
                }
            }
            format!("<p>{html}</p>")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_are_found_and_normalised_once() {
        let parsed =
            parse("Join #AmbitionFeed and #ambitionfeed, #ümläütß, #2026 not, a#b not, (#ok)");
        assert_eq!(parsed.hashtags, vec!["ambitionfeed", "ümläütß", "ok"]);
    }

    #[test]
    fn tags_typed_with_combining_accents_or_wide_letters_are_the_same_tag() {
        // "u" followed by a combining diaeresis, and full-width "Ａｍｂｉｔｉｏｎ".
        let parsed = parse("#U\u{308}mla\u{308}u\u{308}tß #\u{ff21}mbition");
        assert_eq!(parsed.hashtags, vec!["ümläütß", "ambition"]);
        assert_eq!(normalize_tag("#ÜMLÄÜTß"), "ümläütß");
    }

    #[test]
    fn mentions_local_and_remote_are_found() {
        let parsed = parse(
            "Hi @alice, @Bob@Staff.Example.org and @carol@localhost:8080. mail@example.org is no mention",
        );
        assert_eq!(
            parsed.mentions,
            vec![
                MentionRef {
                    username: "alice".into(),
                    domain: None
                },
                MentionRef {
                    username: "Bob".into(),
                    domain: Some("staff.example.org".into())
                },
                MentionRef {
                    username: "carol".into(),
                    domain: Some("localhost:8080".into())
                },
            ]
        );
    }

    struct TestLinks;

    impl Links for TestLinks {
        fn tag(&self, name: &str) -> String {
            format!("https://x.org/tags/{name}")
        }
        fn profile(&self, account: &Account) -> String {
            format!("https://x.org/@{}", account.username)
        }
        fn local_domain(&self) -> &str {
            "x.org"
        }
        fn event(&self, post_id: i64) -> String {
            format!("https://x.org/events/{post_id}")
        }
        fn article(&self, username: &str, post_id: i64) -> String {
            format!("https://x.org/@{username}/articles/{post_id}")
        }
        fn media_prefix(&self) -> String {
            "https://x.org/media/".to_owned()
        }
    }

    #[test]
    fn rendering_links_tags_and_known_mentions_and_escapes_the_rest() {
        let now = chrono::Utc::now();
        let alice = Account {
            id: 1,
            kind: crate::accounts::account::AccountKind::Person,
            username: "alice".into(),
            domain: None,
            display_name: String::new(),
            note: String::new(),
            locked: false,
            bot: false,
            discoverable: true,
            uri: None,
            public_key_pem: String::new(),
            created_at: now,
            updated_at: now,
            remote: None,
            fields: Vec::new(),
            avatar: None,
            header: None,
            moved_to_id: None,
            silenced: false,
            suspended: false,
        };
        let html = render(
            "Hi @alice & @nobody <3 #Ambition",
            std::slice::from_ref(&alice),
            &TestLinks,
        );
        assert_eq!(
            html,
            "<p>Hi <span class=\"h-card\"><a href=\"https://x.org/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> &amp; @nobody &lt;3 <a href=\"https://x.org/tags/ambition\" class=\"mention hashtag\" rel=\"tag\">#<span>Ambition</span></a></p>"
        );
        // Named with this instance's domain, as Mastodon links it too; another
        // domain's alice is someone else.
        let html = render("@alice@X.org and @alice@y.org", &[alice], &TestLinks);
        assert_eq!(
            html,
            "<p><span class=\"h-card\"><a href=\"https://x.org/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> and @alice@y.org</p>"
        );
    }
}
