//! Articles: long-form posts with a title, a summary, a body written in Markdown
//! (kept for editing, rendered to cleaned HTML) and an optional cover picture
//! (one of the author's uploads, attached to the post). An article is a post of
//! kind `article`: who sees it is the post's visibility, and replies to it are
//! its comments. In apps it shows as a status with its title, summary and a link
//! to its page, as Mastodon shows an `Article` from elsewhere.
//!
//! The author of an article of this instance may hide a comment: it is then
//! left out, for everyone but its own author and the article's author, by
//! [`crate::visibility::comments`].

use std::collections::HashMap;

use chrono::Utc;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::compose::Links;
use super::post::Post;
use super::thread::MAX_ANCESTORS;
use crate::accounts::account::Account;
use crate::entities::{article_comment_hides, articles, posts};
use crate::html::{clean_article, escape};
use crate::visibility::timeline;
use crate::{Error, Result, media};

/// The most characters of a title.
pub const MAX_TITLE_CHARS: usize = 200;
/// The most characters of a summary.
pub const MAX_SUMMARY_CHARS: usize = 500;
/// The most characters of a body, in Markdown.
pub const MAX_BODY_CHARS: usize = 100_000;
/// The most characters kept of another server's article body (HTML).
const MAX_REMOTE_BODY_CHARS: usize = 400_000;

/// An article as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub post_id: i64,
    pub title: String,
    pub summary: String,
    /// The Markdown its author wrote (this instance's articles only).
    pub markdown: Option<String>,
    /// Its body: cleaned HTML.
    pub body_html: String,
    /// Its cover, one of the post's media (this instance's articles).
    pub cover_media_id: Option<i64>,
    /// Its cover's address, for another server's article.
    pub cover_url: Option<String>,
}

impl From<articles::Model> for Article {
    fn from(row: articles::Model) -> Self {
        Self {
            post_id: row.post_id,
            title: row.title,
            summary: row.summary,
            markdown: row.markdown,
            body_html: row.body_html,
            cover_media_id: row.cover_media_id,
            cover_url: row.cover_url,
        }
    }
}

/// An article as its author writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewArticle {
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    /// One of the author's uploads, not yet used by a post.
    pub cover_media_id: Option<i64>,
}

/// Refuses an article without a title or body, or with a field over its limit.
pub fn check(new: &NewArticle) -> Result<()> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Error::invalid("title", "must not be empty"));
    }
    for (field, value, max) in [
        ("title", title, MAX_TITLE_CHARS),
        ("summary", new.summary.trim(), MAX_SUMMARY_CHARS),
        ("body", new.body.as_str(), MAX_BODY_CHARS),
    ] {
        if value.chars().count() > max {
            return Err(Error::invalid(
                field,
                format!("is too long: use at most {max} characters"),
            ));
        }
    }
    if new.body.trim().is_empty() {
        return Err(Error::invalid("body", "must not be empty"));
    }
    Ok(())
}

/// `markdown` as cleaned HTML: headings, lists, links, quotes, code and rules;
/// raw HTML is shown as text, links go only to the web or mail, and pictures
/// only to this instance's media (`media_prefix`, such as
/// `https://host/media/`; a path `/media/...` is read on this instance), any
/// other picture showing as its description.
pub fn render(markdown: &str, media_prefix: &str) -> String {
    let origin = media_prefix
        .strip_suffix("/media/")
        .unwrap_or(media_prefix)
        .to_owned();
    let safe_target = |url: &str| {
        let lower = url.trim().to_ascii_lowercase();
        ["https://", "http://", "mailto:", "#"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
    };
    let mut skipped_images = 0usize;
    let mut events = Vec::new();
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_target(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: "".into(),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let absolute = if dest_url.starts_with("/media/") {
                    format!("{origin}{dest_url}")
                } else {
                    dest_url.to_string()
                };
                if absolute.starts_with(media_prefix) && !absolute.contains("..") {
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: absolute.into(),
                        title,
                        id,
                    })
                } else {
                    skipped_images += 1;
                    continue;
                }
            }
            Event::End(TagEnd::Image) if skipped_images > 0 => {
                skipped_images -= 1;
                continue;
            }
            other => other,
        };
        events.push(event);
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    clean_article(&out, Some(media_prefix))
}

/// How an article shows as a status in apps, as Mastodon shows an `Article`:
/// its title in bold, its summary, and a link to its page.
pub fn status_html(title: &str, summary: &str, page: &str) -> String {
    let summary = summary.trim();
    let summary = if summary.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", escape(summary))
    };
    let page = escape(page);
    format!(
        "<p><strong>{}</strong></p>{summary}<p><a href=\"{page}\">{page}</a></p>",
        escape(title.trim())
    )
}

/// The article `new` of the new local post `post_id` by `author`, rendered.
pub(crate) fn prepare(post_id: i64, new: &NewArticle, links: &(dyn Links + Sync)) -> Article {
    Article {
        post_id,
        title: new.title.trim().to_owned(),
        summary: new.summary.trim().to_owned(),
        markdown: Some(new.body.clone()),
        body_html: render(&new.body, &links.media_prefix()),
        cover_media_id: new.cover_media_id,
        cover_url: None,
    }
}

fn row_of(article: &Article) -> articles::ActiveModel {
    articles::ActiveModel {
        post_id: Set(article.post_id),
        title: Set(article.title.clone()),
        summary: Set(article.summary.clone()),
        markdown: Set(article.markdown.clone()),
        body_html: Set(article.body_html.clone()),
        cover_media_id: Set(article.cover_media_id),
        cover_url: Set(article.cover_url.clone()),
    }
}

/// Stores `article`, made by [`prepare`], for its new local post.
pub(crate) async fn create(db: &impl ConnectionTrait, article: &Article) -> Result<()> {
    row_of(article).insert(db).await?;
    Ok(())
}

/// Another server's article as its `Article` (or `Page`) says, already read by
/// the federation layer (its body cleaned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteArticle {
    pub title: String,
    pub summary: String,
    /// Cleaned HTML.
    pub body_html: String,
    pub cover_url: Option<String>,
}

impl RemoteArticle {
    /// As an [`Article`] of post `post_id`, cut to what is kept.
    pub fn to_article(&self, post_id: i64) -> Article {
        Article {
            post_id,
            title: self.title.trim().chars().take(MAX_TITLE_CHARS).collect(),
            summary: self
                .summary
                .trim()
                .chars()
                .take(MAX_SUMMARY_CHARS)
                .collect(),
            markdown: None,
            body_html: self.body_html.chars().take(MAX_REMOTE_BODY_CHARS).collect(),
            cover_media_id: None,
            cover_url: self
                .cover_url
                .clone()
                .filter(|url| url.starts_with("https://") || url.starts_with("http://")),
        }
    }
}

/// Stores (or refreshes) the article of the remote post `post_id`.
pub(crate) async fn upsert_remote(
    db: &impl ConnectionTrait,
    post_id: i64,
    remote: &RemoteArticle,
) -> Result<()> {
    let row = row_of(&remote.to_article(post_id));
    if articles::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .is_some()
    {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// The article of post `post_id`, if it is one.
pub async fn get(db: &impl ConnectionTrait, post_id: i64) -> Result<Option<Article>> {
    Ok(articles::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .map(Article::from))
}

/// The articles of the posts `ids` that are articles, by post id.
pub async fn of_posts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Article>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(articles::Entity::find()
        .filter(articles::Column::PostId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.post_id, Article::from(row)))
        .collect())
}

/// The articles of `author_id` that `viewer` may see, the newest first, from
/// `offset`, at most `limit`.
pub async fn by_author(
    db: &impl ConnectionTrait,
    author_id: i64,
    viewer: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<Vec<(Post, Article)>> {
    let Some(query) = timeline::by_author(db, author_id, viewer).await? else {
        return Ok(Vec::new());
    };
    let found: Vec<Post> = query
        .filter(posts::Column::Kind.eq("article"))
        .filter(posts::Column::ReblogOfId.is_null())
        .order_by_desc(posts::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Post::from)
        .collect();
    let ids: Vec<i64> = found.iter().map(|p| p.id).collect();
    let mut articles = of_posts(db, &ids).await?;
    Ok(found
        .into_iter()
        .filter_map(|post| articles.remove(&post.id).map(|a| (post, a)))
        .collect())
}

/// Changes the local article `id` of `author` to `new` (its visibility stays;
/// a new cover, one of the author's unused uploads, is attached); the post as
/// it now is.
pub async fn edit_local(
    db: &impl ConnectionTrait,
    author: &Account,
    id: i64,
    new: &NewArticle,
    links: &(dyn Links + Sync),
) -> Result<Post> {
    crate::accounts::moving::ensure_active(author)?;
    let existing = posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author.id && row.local)
        .ok_or(Error::NotFound("article"))?;
    let before = get(db, id).await?.ok_or(Error::NotFound("article"))?;
    check(new)?;
    let mut article = prepare(id, new, links);
    article.cover_media_id = match new.cover_media_id {
        Some(cover) if Some(cover) != before.cover_media_id => {
            media::attach(db, author.id, id, &[cover]).await?;
            Some(cover)
        }
        _ => before.cover_media_id,
    };
    row_of(&article).update(db).await?;
    let page = links.article(&author.username, id);
    let mut row: posts::ActiveModel = existing.into();
    row.content = Set(status_html(&article.title, &article.summary, &page));
    row.source = Set(article.markdown.clone());
    row.edited_at = Set(Some(Utc::now()));
    Ok(Post::from(row.update(db).await?))
}

/// The article whose thread `comment_id` is in: the nearest post above it that
/// is an article.
async fn article_above(db: &impl ConnectionTrait, comment_id: i64) -> Result<Option<i64>> {
    let mut parent = posts::Entity::find_by_id(comment_id)
        .one(db)
        .await?
        .and_then(|row| row.in_reply_to_id);
    let mut hops = 0;
    while let Some(id) = parent {
        if hops >= MAX_ANCESTORS {
            break;
        }
        hops += 1;
        if articles::Entity::find_by_id(id).one(db).await?.is_some() {
            return Ok(Some(id));
        }
        parent = posts::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|row| row.in_reply_to_id);
    }
    Ok(None)
}

/// The author of the local article `article_id` hides the comment `comment_id`
/// (a reply in its thread, from anywhere): it is no longer shown to others.
pub async fn hide_comment(
    db: &impl ConnectionTrait,
    author: &Account,
    article_id: i64,
    comment_id: i64,
) -> Result<()> {
    let article = posts::Entity::find_by_id(article_id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author.id && row.local && row.kind == "article")
        .ok_or(Error::NotFound("article"))?;
    if article_above(db, comment_id).await? != Some(article.id) {
        return Err(Error::NotFound("comment"));
    }
    if article_comment_hides::Entity::find_by_id(comment_id)
        .one(db)
        .await?
        .is_none()
    {
        article_comment_hides::ActiveModel {
            comment_id: Set(comment_id),
            article_id: Set(article.id),
            hidden_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The author of the local article `article_id` shows the comment `comment_id`
/// again.
pub async fn unhide_comment(
    db: &impl ConnectionTrait,
    author: &Account,
    article_id: i64,
    comment_id: i64,
) -> Result<()> {
    posts::Entity::find_by_id(article_id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author.id && row.local)
        .ok_or(Error::NotFound("article"))?;
    article_comment_hides::Entity::delete_many()
        .filter(article_comment_hides::Column::CommentId.eq(comment_id))
        .filter(article_comment_hides::Column::ArticleId.eq(article_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The comments hidden in the thread of the article `article_id`.
pub async fn hidden_comments(db: &impl ConnectionTrait, article_id: i64) -> Result<Vec<i64>> {
    Ok(article_comment_hides::Entity::find()
        .filter(article_comment_hides::Column::ArticleId.eq(article_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.comment_id)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEDIA: &str = "https://x.org/media/";

    #[test]
    fn markdown_becomes_clean_html() {
        let html = render(
            "# Residential\n\nA *good* week.\n\n- one\n- two\n\n> quoted\n\n`code` [link](https://a.example) [bad](javascript:alert(1))\n\n<script>alert(1)</script>",
            MEDIA,
        );
        assert!(html.contains("<h1>Residential</h1>"), "{html}");
        assert!(html.contains("<em>good</em>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<code>code</code>"), "{html}");
        assert!(html.contains("href=\"https://a.example\""), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn only_this_instances_media_is_shown_in_the_text() {
        let html = render(
            "![ours](/media/a.png) ![also](https://x.org/media/b.png) ![theirs](https://evil.example/t.png)",
            MEDIA,
        );
        assert!(html.contains("src=\"https://x.org/media/a.png\""), "{html}");
        assert!(html.contains("src=\"https://x.org/media/b.png\""), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(html.contains("theirs"), "{html}");
    }

    #[test]
    fn limits_are_checked() {
        let ok = NewArticle {
            title: "T".into(),
            summary: "S".into(),
            body: "B".into(),
            cover_media_id: None,
        };
        assert!(check(&ok).is_ok());
        for bad in [
            NewArticle {
                title: "x".repeat(MAX_TITLE_CHARS + 1),
                ..ok.clone()
            },
            NewArticle {
                summary: "x".repeat(MAX_SUMMARY_CHARS + 1),
                ..ok.clone()
            },
            NewArticle {
                body: "x".repeat(MAX_BODY_CHARS + 1),
                ..ok.clone()
            },
            NewArticle {
                title: " ".into(),
                ..ok.clone()
            },
        ] {
            assert!(check(&bad).is_err());
        }
    }

    #[test]
    fn the_status_names_the_title_summary_and_page() {
        assert_eq!(
            status_html("A <b>", "Why", "https://x.org/@a/articles/1"),
            "<p><strong>A &lt;b&gt;</strong></p><p>Why</p><p><a href=\"https://x.org/@a/articles/1\">https://x.org/@a/articles/1</a></p>"
        );
    }
}
