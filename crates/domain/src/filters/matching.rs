//! Applying a reader's filters to posts: their active filters for one context are
//! loaded once per request ([`ActiveFilters::load`], one query when they have none,
//! three otherwise), then each post is checked in memory, with no query per post.
//! A keyword matches the post's text and content warning, ignoring case; a
//! whole-word keyword only where it does not run on into letters or digits.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::filter::{self, Action, Context, Filter};
use crate::Result;
use crate::posts::post::Post;

/// One filter a post matched, and what in it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterMatch {
    pub filter: Filter,
    /// The filter's keywords found in the post, as the filter spells them.
    pub keyword_matches: Vec<String>,
    /// The ids of the filter's post entries naming this post.
    pub status_matches: Vec<i64>,
}

/// A reader's filters in force in one context.
#[derive(Debug, Clone, Default)]
pub struct ActiveFilters {
    filters: Vec<(Filter, Vec<String>)>,
}

impl ActiveFilters {
    /// None at all: for a reader who is not signed in.
    pub fn none() -> Self {
        Self::default()
    }

    /// The filters of `account_id` that apply in `context` at `now`.
    pub async fn load(
        db: &impl ConnectionTrait,
        account_id: i64,
        context: Context,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let filters = filter::list(db, account_id)
            .await?
            .into_iter()
            .filter(|f| f.is_active(now) && f.contexts.contains(&context))
            .map(|f| {
                let lowered = f
                    .keywords
                    .iter()
                    .map(|k| k.keyword.to_lowercase())
                    .collect();
                (f, lowered)
            })
            .collect();
        Ok(Self { filters })
    }

    /// Whether there are none to apply.
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// The filters `post` matches (for a boost, pass the boosted post).
    pub fn check(&self, post: &Post) -> Vec<FilterMatch> {
        if self.filters.is_empty() {
            return Vec::new();
        }
        let text = searchable_text(post);
        let mut found = Vec::new();
        for (filter, lowered) in &self.filters {
            let keyword_matches: Vec<String> = filter
                .keywords
                .iter()
                .zip(lowered)
                .filter(|(keyword, low)| contains(&text, low, keyword.whole_word))
                .map(|(keyword, _)| keyword.keyword.clone())
                .collect();
            let status_matches: Vec<i64> = filter
                .statuses
                .iter()
                .filter(|s| s.post_id == post.id)
                .map(|s| s.id)
                .collect();
            if !keyword_matches.is_empty() || !status_matches.is_empty() {
                found.push(FilterMatch {
                    filter: filter.clone(),
                    keyword_matches,
                    status_matches,
                });
            }
        }
        found
    }
}

/// Whether any of `matches` hides its post.
pub fn hides(matches: &[FilterMatch]) -> bool {
    matches.iter().any(|m| m.filter.action == Action::Hide)
}

/// The post's content warning and text, without markup, in lower case.
fn searchable_text(post: &Post) -> String {
    let mut text = String::with_capacity(post.content.len() + post.spoiler_text.len() + 1);
    text.push_str(&post.spoiler_text);
    text.push('\n');
    text.push_str(&without_tags(&post.content));
    text.to_lowercase()
}

/// `html` as text: tags become spaces, the common entities their characters.
fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `text` holds `keyword` (both in lower case), as a whole word if asked:
/// a keyword starting (ending) with a letter or digit must not follow (be
/// followed by) one.
fn contains(text: &str, keyword: &str, whole_word: bool) -> bool {
    if keyword.is_empty() {
        return false;
    }
    if !whole_word {
        return text.contains(keyword);
    }
    let starts_word = keyword.chars().next().is_some_and(is_word);
    let ends_word = keyword.chars().next_back().is_some_and(is_word);
    text.match_indices(keyword).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + keyword.len()..].chars().next();
        let runs_on_before = starts_word && before.is_some_and(is_word);
        let runs_on_after = ends_word && after.is_some_and(is_word);
        !runs_on_before && !runs_on_after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_do_not_match_inside_longer_words() {
        assert!(contains("ofsted visit today", "ofsted", true));
        assert!(contains("the ofsted, again", "ofsted", true));
        assert!(!contains("ofstedwatch", "ofsted", true));
        assert!(contains("ofstedwatch", "ofsted", false));
        assert!(contains("#ofsted!", "#ofsted", true));
        assert!(!contains("anything", "", false));
    }

    #[test]
    fn markup_is_not_searched() {
        assert_eq!(
            without_tags("<p>Budget <a href=\"x\">cuts</a> &amp; more</p>"),
            " Budget  cuts  & more "
        );
    }
}
