//! A post as the web app shows it (`templates/partials/post.html`): made from the
//! same `Status` the client API renders, so that counts, the viewer's marks,
//! media and boosts are loaded once, in the same few queries, for pages and apps.

use chrono::{DateTime, Utc};
use staffroom_domain::accounts::account::Account as DomainAccount;
use staffroom_domain::posts::post::Post;

use crate::AppState;
use crate::entities::Account;
use crate::entities::poll::Poll;
use crate::entities::status::{Status, render_all};
use crate::error::{PageError, PageResult};

/// Who wrote (or boosted) a post.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    /// `user` here, `user@host` elsewhere.
    pub acct: String,
    /// Their page on this instance.
    pub page: String,
    pub avatar: String,
}

impl Author {
    pub fn of(account: &Account) -> Self {
        Self {
            name: if account.display_name.is_empty() {
                account.username.clone()
            } else {
                account.display_name.clone()
            },
            page: format!("/@{}", account.acct),
            acct: account.acct.clone(),
            avatar: account.avatar.clone(),
        }
    }
}

/// One medium of a post: a picture, sound, a video or a document.
#[derive(Debug, Clone)]
pub struct Picture {
    /// `image`, `audio`, `video` or `unknown` (documents and anything else: a link).
    pub kind: &'static str,
    pub url: String,
    /// The thumbnail (a cover or still for sound and video), if there is one.
    pub preview_url: Option<String>,
    pub alt: String,
    pub size: Option<(u32, u32)>,
}

/// One post, ready for a page.
#[derive(Debug, Clone)]
pub struct PostView {
    pub id: String,
    /// Its page on this instance.
    pub page: String,
    /// Its page on its own server, for a post from elsewhere.
    pub original: Option<String>,
    pub author: Author,
    /// Who boosted it, when the list shows a boost.
    pub boosted_by: Option<Author>,
    /// Sanitised HTML (see the template).
    pub content: String,
    pub spoiler_text: String,
    pub language: Option<String>,
    pub visibility: &'static str,
    /// The visibility as people read it.
    pub visibility_label: &'static str,
    /// Whether it stays inside this instance.
    pub local_only: bool,
    pub pictures: Vec<Picture>,
    pub replies: u64,
    pub boosts: u64,
    pub favourites: u64,
    pub favourited: bool,
    pub boosted: bool,
    pub bookmarked: bool,
    /// When it was written: machine form, and as people read it.
    pub published: String,
    pub published_text: String,
    pub edited: bool,
    /// The post it answers, by id.
    pub in_reply_to: Option<String>,
    /// Whether the viewer wrote it (and may edit and delete it).
    pub own: bool,
    /// Whether it may be boosted (public and unlisted posts).
    pub boostable: bool,
    pub poll: Option<PollView>,
}

/// A post's poll on a page.
#[derive(Debug, Clone)]
pub struct PollView {
    pub multiple: bool,
    pub expired: bool,
    /// When it ends (or ended), as people read it.
    pub ends: String,
    /// Whether the reader voted.
    pub voted: bool,
    /// Whether the counts may be shown.
    pub totals: bool,
    /// How many people voted, when known.
    pub voters: Option<u64>,
    pub options: Vec<PollOptionView>,
}

/// One option of a poll on a page.
#[derive(Debug, Clone)]
pub struct PollOptionView {
    /// Its number, sent by the vote form.
    pub index: usize,
    pub title: String,
    /// Its share of the votes, 0 to 100 (0 while counts are hidden).
    pub percent: u64,
    /// Whether the reader chose it.
    pub chosen: bool,
}

impl PollView {
    fn of(poll: Poll) -> Self {
        let own = poll.own_votes.clone().unwrap_or_default();
        // A share of the voters for several choices, of the votes for one.
        let whole = if poll.multiple {
            poll.voters_count.unwrap_or(poll.votes_count)
        } else {
            poll.votes_count
        };
        let totals = poll.options.iter().all(|o| o.votes_count.is_some());
        Self {
            multiple: poll.multiple,
            expired: poll.expired,
            ends: poll
                .expires_at
                .as_deref()
                .map(readable_time)
                .unwrap_or_default(),
            voted: !own.is_empty(),
            totals,
            voters: poll.voters_count,
            options: poll
                .options
                .into_iter()
                .enumerate()
                .map(|(index, option)| PollOptionView {
                    index,
                    percent: match (option.votes_count, whole) {
                        (Some(votes), whole) if whole > 0 => votes * 100 / whole,
                        _ => 0,
                    },
                    title: option.title,
                    chosen: own.contains(&index),
                })
                .collect(),
        }
    }

    /// Whether a signed-in reader may still vote.
    pub fn open(&self) -> bool {
        !self.expired && !self.voted
    }
}

/// How a visibility reads on a page.
pub fn visibility_label(name: &str) -> &'static str {
    match name {
        "public" => "Public",
        "unlisted" => "Unlisted",
        "private" => "Followers only",
        _ => "Mentioned people only",
    }
}

/// A moment as people read it on a page: `3 Dec 2026, 14:05 UTC`.
pub fn readable_time(iso: &str) -> String {
    DateTime::parse_from_rfc3339(iso)
        .map(|at| {
            at.with_timezone(&Utc)
                .format("%-d %b %Y, %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| iso.to_owned())
}

impl PostView {
    fn from_status(status: Status, viewer: Option<&DomainAccount>) -> Self {
        let (boosted_by, status) = match status.reblog {
            Some(original) => (Some(Author::of(&status.account)), *original),
            None => (None, status),
        };
        let own = viewer.is_some_and(|v| v.id.to_string() == status.account.id);
        let page = format!("/@{}/{}", status.account.acct, status.id);
        let original = status
            .url
            .clone()
            .filter(|url| !url.ends_with(&page) && status.account.acct.contains('@'));
        Self {
            page,
            original,
            author: Author::of(&status.account),
            boosted_by,
            content: status.content,
            spoiler_text: status.spoiler_text,
            language: status.language,
            visibility: status.visibility,
            visibility_label: visibility_label(status.visibility),
            local_only: status.local_only,
            pictures: status
                .media_attachments
                .into_iter()
                .map(|m| Picture {
                    kind: m.kind,
                    size: m.meta.small.as_ref().map(|s| (s.width, s.height)),
                    alt: m.description.unwrap_or_default(),
                    url: m.url,
                    preview_url: m.preview_url,
                })
                .collect(),
            replies: status.replies_count,
            boosts: status.reblogs_count,
            favourites: status.favourites_count,
            favourited: status.favourited.unwrap_or(false),
            boosted: status.reblogged.unwrap_or(false),
            bookmarked: status.bookmarked.unwrap_or(false),
            published_text: readable_time(&status.created_at),
            published: status.created_at,
            edited: status.edited_at.is_some(),
            in_reply_to: status.in_reply_to_id,
            boostable: matches!(status.visibility, "public" | "unlisted"),
            poll: status.poll.map(PollView::of),
            own,
            id: status.id,
        }
    }

    /// `post` as `viewer` sees it on a page (one they may see).
    pub async fn load_one(
        state: &AppState,
        post: Post,
        viewer: Option<&DomainAccount>,
    ) -> PageResult<Self> {
        Self::load_all(state, &[post], viewer)
            .await?
            .into_iter()
            .next()
            .ok_or_else(PageError::not_found)
    }

    /// `posts` as `viewer` sees them on a page (each already one they may see).
    pub async fn load_all(
        state: &AppState,
        posts: &[Post],
        viewer: Option<&DomainAccount>,
    ) -> PageResult<Vec<Self>> {
        let statuses = render_all(state.db(), state.urls(), posts, viewer).await?;
        Ok(statuses
            .into_iter()
            .map(|status| Self::from_status(status, viewer))
            .collect())
    }
}
