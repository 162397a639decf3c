//! Posts: what people write, who may see it, and how it is stored.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use crate::account::Account;
use crate::entities::posts;
use crate::{Error, Result, id, user};

/// The most characters a post may have (what the instance advertises to apps).
pub const MAX_POST_CHARS: usize = 5_000;
/// The most characters a content warning may have.
pub const MAX_SPOILER_CHARS: usize = 500;

/// Who may see a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Anyone, and it is listed in public timelines.
    Public,
    /// Anyone, but it is left out of public timelines.
    Unlisted,
    /// The author's followers only.
    Private,
    /// The people it mentions only.
    Direct,
}

impl Visibility {
    pub fn name(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Unlisted => "unlisted",
            Self::Private => "private",
            Self::Direct => "direct",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "public" => Some(Self::Public),
            "unlisted" => Some(Self::Unlisted),
            "private" => Some(Self::Private),
            "direct" => Some(Self::Direct),
            _ => None,
        }
    }
}

/// A post as the rest of Staffroom sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: i64,
    pub account_id: i64,
    pub uri: Option<String>,
    pub local: bool,
    pub visibility: Visibility,
    /// The post's body as sanitised HTML.
    pub content: String,
    /// What the author typed, for local posts.
    pub source: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<posts::Model> for Post {
    fn from(row: posts::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            uri: row.uri,
            local: row.local,
            visibility: Visibility::from_name(&row.visibility).unwrap_or(Visibility::Direct),
            content: row.content,
            source: row.source,
            spoiler_text: row.spoiler_text,
            sensitive: row.sensitive,
            language: row.language,
            in_reply_to_id: row.in_reply_to_id,
            created_at: row.created_at,
            edited_at: row.edited_at,
        }
    }
}

/// What a local author writes.
#[derive(Debug, Clone)]
pub struct NewPost {
    /// Plain text; paragraphs are separated by blank lines.
    pub text: String,
    pub visibility: Visibility,
    pub spoiler_text: String,
    pub language: Option<String>,
}

/// Stores a new post by the local account `author`.
pub async fn create_local(
    db: &impl ConnectionTrait,
    author: &Account,
    new: NewPost,
) -> Result<Post> {
    if !author.is_local() {
        return Err(Error::Forbidden("only local accounts post here".to_owned()));
    }
    let text = new.text.trim();
    if text.is_empty() {
        return Err(Error::invalid("status", "must not be empty"));
    }
    if text.chars().count() > MAX_POST_CHARS {
        return Err(Error::invalid(
            "status",
            format!("is too long: use at most {MAX_POST_CHARS} characters"),
        ));
    }
    if new.spoiler_text.chars().count() > MAX_SPOILER_CHARS {
        return Err(Error::invalid(
            "spoiler_text",
            format!("is too long: use at most {MAX_SPOILER_CHARS} characters"),
        ));
    }
    let now = Utc::now();
    let row = posts::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(author.id),
        kind: Set("note".to_owned()),
        uri: Set(None),
        local: Set(true),
        visibility: Set(new.visibility.name().to_owned()),
        content: Set(plain_text_to_html(text)),
        source: Set(Some(text.to_owned())),
        sensitive: Set(!new.spoiler_text.is_empty()),
        spoiler_text: Set(new.spoiler_text),
        language: Set(new.language),
        in_reply_to_id: Set(None),
        created_at: Set(now),
        edited_at: Set(None),
    }
    .insert(db)
    .await?;
    user::touch(db, author.id, now).await?;
    Ok(row.into())
}

/// How many posts were written on this instance.
pub async fn count_local(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(posts::Entity::find()
        .filter(posts::Column::Local.eq(true))
        .count(db)
        .await?)
}

/// Plain text as HTML: special characters escaped, blank lines between paragraphs,
/// single line breaks kept.
fn plain_text_to_html(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| format!("<p>{}</p>", escape_html(paragraph).replace('\n', "<br>")))
        .collect()
}

fn escape_html(text: &str) -> String {
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
    fn visibilities_round_trip_by_name() {
        for v in [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
            Visibility::Direct,
        ] {
            assert_eq!(Visibility::from_name(v.name()), Some(v));
        }
    }
}
