//! Full-text search of posts: what a post's words are (its text without markup, and
//! its content warning, kept in `post_search` on every create, edit and remote
//! update; a deleted post's words go with it), what a query asks (words and the
//! operators `from:`, `has:media`, `before:`, `after:`, `during:`), and the posts
//! it finds among those the searcher may see ([`crate::visibility::timeline`]),
//! newest first.
//!
//! Words are matched whole and without regard to case, on both engines: SQLite's
//! FTS5 `unicode61` tokenizer and PostgreSQL's `simple` configuration. All words
//! must occur.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::OnConflict,
};

use super::calendar::text_of_html;
use super::post::Post;
use crate::Result;
use crate::entities::{media_attachments, post_search, posts};
use crate::page::Page;
use crate::visibility::timeline::{listed_for, seen_by, without_excluded};

/// The most words a query may hold.
pub const MAX_WORDS: usize = 20;

/// What is indexed of a post: the plain text of its `content` and its
/// `spoiler_text`.
pub fn body(content: &str, spoiler_text: &str) -> String {
    format!("{}\n{}", spoiler_text.trim(), text_of_html(content))
        .trim()
        .to_owned()
}

/// Keeps the words of post `post_id` for search (a new post, or a changed one).
pub async fn index(
    db: &impl ConnectionTrait,
    post_id: i64,
    content: &str,
    spoiler_text: &str,
) -> Result<()> {
    post_search::Entity::insert(post_search::ActiveModel {
        post_id: Set(post_id),
        body: Set(body(content, spoiler_text)),
    })
    .on_conflict(
        OnConflict::column(post_search::Column::PostId)
            .update_column(post_search::Column::Body)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// What a query asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// Words that must all occur, lower-cased: runs of letters and digits.
    pub words: Vec<String>,
    /// `from:name` or `from:name@domain` (or `from:me`): whose posts.
    pub from: Option<String>,
    /// `has:media`: only posts with attachments.
    pub has_media: bool,
    /// `before:YYYY-MM-DD`: posted before that day began (UTC).
    pub before: Option<NaiveDate>,
    /// `after:YYYY-MM-DD`: posted after that day ended (UTC).
    pub after: Option<NaiveDate>,
    /// `during:YYYY-MM-DD`: posted that day (UTC).
    pub during: Option<NaiveDate>,
}

impl Terms {
    /// Reads what someone typed. Unknown operators and dates that do not parse
    /// are searched as words.
    pub fn parse(q: &str) -> Self {
        let mut terms = Self::default();
        for token in q.split_whitespace() {
            let lower = token.to_lowercase();
            let date = |prefix: &str| {
                lower
                    .strip_prefix(prefix)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            };
            if let Some(who) = lower.strip_prefix("from:")
                && !who.trim_start_matches('@').is_empty()
            {
                terms.from = Some(who.trim_start_matches('@').to_owned());
            } else if lower == "has:media" {
                terms.has_media = true;
            } else if let Some(day) = date("before:") {
                terms.before = Some(day);
            } else if let Some(day) = date("after:") {
                terms.after = Some(day);
            } else if let Some(day) = date("during:") {
                terms.during = Some(day);
            } else {
                for word in lower.split(|c: char| !c.is_alphanumeric()) {
                    if !word.is_empty()
                        && terms.words.len() < MAX_WORDS
                        && !terms.words.iter().any(|w| w == word)
                    {
                        terms.words.push(word.to_owned());
                    }
                }
            }
        }
        terms
    }

    /// Whether the query asks anything of posts at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.from.is_none()
            && !self.has_media
            && self.before.is_none()
            && self.after.is_none()
            && self.during.is_none()
    }
}

/// A search of posts: the query's terms, with `from:` (and the API's `account_id`)
/// already turned into the author's id.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub terms: Terms,
    pub author_id: Option<i64>,
    /// How many of the first results to skip (`offset`).
    pub offset: u64,
    pub page: Page,
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The posts `search` finds that `viewer` may see (a visitor: public posts
/// only), newest first.
pub async fn find(
    db: &impl ConnectionTrait,
    search: &Search,
    viewer: Option<i64>,
) -> Result<Vec<Post>> {
    let terms = &search.terms;
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = posts::Entity::find().filter(posts::Column::ReblogOfId.is_null());
    query = match viewer {
        Some(viewer) => query.filter(seen_by(viewer)),
        None => query.filter(listed_for(None)),
    };
    query = without_excluded(db, query, viewer).await?;
    if !terms.words.is_empty() {
        query = query.filter(matching(db.get_database_backend(), &terms.words));
    }
    if let Some(author_id) = search.author_id {
        query = query.filter(posts::Column::AccountId.eq(author_id));
    }
    if terms.has_media {
        query = query.filter(
            posts::Column::Id.in_subquery(
                Query::select()
                    .column(media_attachments::Column::PostId)
                    .from(media_attachments::Entity)
                    .and_where(media_attachments::Column::PostId.is_not_null())
                    .to_owned(),
            ),
        );
    }
    if let Some(day) = terms.before {
        query = query.filter(posts::Column::CreatedAt.lt(start_of(day)));
    }
    if let Some(day) = terms.after {
        query = query.filter(posts::Column::CreatedAt.gte(start_of(day) + TimeDelta::days(1)));
    }
    if let Some(day) = terms.during {
        query = query
            .filter(posts::Column::CreatedAt.gte(start_of(day)))
            .filter(posts::Column::CreatedAt.lt(start_of(day) + TimeDelta::days(1)));
    }
    let mut rows: Vec<Post> = search
        .page
        .apply(query, posts::Column::Id)
        .offset(search.offset)
        .all(db)
        .await?
        .into_iter()
        .map(Post::from)
        .collect();
    search.page.finish(&mut rows);
    Ok(rows)
}

/// The posts holding every one of `words` (letters and digits only, so that
/// they are safe inside the engine's query syntax; still bound as a value).
fn matching(backend: DbBackend, words: &[String]) -> sea_orm::sea_query::SimpleExpr {
    match backend {
        DbBackend::Sqlite => {
            let fts_query = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" ");
            Expr::cust_with_values(
                "\"posts\".\"id\" IN (SELECT rowid FROM post_search_fts WHERE post_search_fts MATCH ?)",
                [fts_query],
            )
        }
        _ => {
            let ts_query = words.join(" & ");
            Expr::cust_with_values(
                "\"posts\".\"id\" IN (SELECT post_id FROM post_search WHERE document @@ to_tsquery('simple', $1))",
                [ts_query],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_read_and_the_rest_are_words() {
        let terms = Terms::parse(
            "Budget-plans from:@Alice@example.org has:media before:2026-01-31 after:2025-09-01 école x:y",
        );
        assert_eq!(terms.words, ["budget", "plans", "école", "x", "y"]);
        assert_eq!(terms.from.as_deref(), Some("alice@example.org"));
        assert!(terms.has_media);
        assert_eq!(terms.before, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert_eq!(terms.after, NaiveDate::from_ymd_opt(2025, 9, 1));
        assert!(Terms::parse(" '\"*  ").is_empty());
        assert_eq!(Terms::parse("before:soon").words, ["before", "soon"]);
    }

    #[test]
    fn the_body_is_text_and_warning() {
        assert_eq!(
            body(
                "<p>Hello <a href=\"https://x.example/tags/ofsted\">#<span>ofsted</span></a> &amp; you</p>",
                "CW"
            ),
            "CW\nHello #ofsted & you"
        );
    }
}
