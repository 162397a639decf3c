//! `GET /@{username}/podcast.rss`: a person's podcast, an RSS 2.0 feed with the
//! iTunes tags podcast apps read. Each public post of theirs that carries sound is
//! an episode, its sound file the enclosure; nothing else they post is in it.
//! `GET /groups/{handle}/podcast.rss`: an open group's, made the same way of
//! the public posts with sound it passed on.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use staffroom_domain::accounts::account::{self, Account, AccountKind};
use staffroom_domain::html::escape;
use staffroom_domain::posts::calendar::text_of_html;
use staffroom_domain::posts::podcast::{self, Episode};
use staffroom_federation::LocalUrls;

use crate::AppState;
use crate::entities::account::picture_urls;
use crate::error::PageError;

/// The most characters of an episode's title taken from its text.
const MAX_TITLE_CHARS: usize = 100;

/// The feed's address for the local account `username`.
pub fn feed_path(username: &str) -> String {
    format!("/@{username}/podcast.rss")
}

/// The feed's address for the local group `handle`.
pub fn group_feed_path(handle: &str) -> String {
    format!("/groups/{handle}/podcast.rss")
}

/// `GET /@{username}/podcast.rss`
pub async fn feed(State(state): State<AppState>, Path(username): Path<String>) -> Response {
    async {
        let person = account::find_local(state.db(), &username)
            .await?
            .filter(|a| !a.suspended)
            .ok_or_else(PageError::not_found)?;
        let episodes = podcast::episodes(state.db(), person.id).await?;
        let channel = Channel {
            owner: &person,
            link: state.urls().profile(&person.username),
            self_path: feed_path(&person.username),
            about: format!("Posts with sound by {}", person.shown_name()),
        };
        let page_of = |episode: &Episode| state.urls().post_page(&person.username, episode.post.id);
        Ok::<_, PageError>(answer(rss(state.urls(), &channel, &episodes, page_of)))
    }
    .await
    .unwrap_or_else(|error| error.page(&state))
}

/// `GET /groups/{handle}/podcast.rss`
pub async fn group_feed(State(state): State<AppState>, Path(handle): Path<String>) -> Response {
    async {
        let group = account::find_local(state.db(), &handle)
            .await?
            .filter(|a| !a.suspended && a.kind == AccountKind::Group)
            .ok_or_else(PageError::not_found)?;
        let episodes = podcast::group_episodes(state.db(), &group).await?;
        let mut authors = std::collections::HashMap::new();
        for episode in &episodes {
            let id = episode.post.account_id;
            if let std::collections::hash_map::Entry::Vacant(slot) = authors.entry(id) {
                slot.insert(account::get(state.db(), id).await?.username);
            }
        }
        let channel = Channel {
            owner: &group,
            link: state
                .urls()
                .absolute(&format!("/groups/{}", group.username)),
            self_path: group_feed_path(&group.username),
            about: format!("Posts with sound in {}", group.shown_name()),
        };
        let page_of = |episode: &Episode| {
            let author = authors
                .get(&episode.post.account_id)
                .map_or("", String::as_str);
            state.urls().post_page(author, episode.post.id)
        };
        Ok::<_, PageError>(answer(rss(state.urls(), &channel, &episodes, page_of)))
    }
    .await
    .unwrap_or_else(|error| error.page(&state))
}

fn answer(feed: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        feed,
    )
        .into_response()
}

/// Who a feed is of, and where it is.
struct Channel<'a> {
    /// The person or group: its name, picture and about text.
    owner: &'a Account,
    /// Its page.
    link: String,
    /// The feed's own path.
    self_path: String,
    /// What the feed says of itself when the owner's about text is empty.
    about: String,
}

/// The title of an episode: its content warning, else its first line of text,
/// else its date.
fn title_of(episode: &Episode) -> String {
    let post = &episode.post;
    let warning = post.spoiler_text.trim();
    if !warning.is_empty() {
        return warning.to_owned();
    }
    let text = text_of_html(&post.content);
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        Some(line) if line.chars().count() > MAX_TITLE_CHARS => {
            let cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
            format!("{}…", cut.trim_end())
        }
        Some(line) => line.to_owned(),
        None => post.created_at.format("%-d %B %Y").to_string(),
    }
}

/// `seconds` as `H:MM:SS`.
fn clock(seconds: f64) -> String {
    let total = seconds.round() as u64;
    format!("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

/// The feed of `channel` with `episodes`, each linking to `page_of` it.
fn rss(
    urls: &LocalUrls,
    channel: &Channel<'_>,
    episodes: &[Episode],
    page_of: impl Fn(&Episode) -> String,
) -> String {
    let person = channel.owner;
    let name = escape(person.shown_name());
    let profile = escape(&channel.link);
    let self_url = escape(&urls.absolute(&channel.self_path));
    let avatar = escape(&picture_urls(urls, person).0);
    let about = text_of_html(&person.note);
    let about = if about.trim().is_empty() {
        channel.about.clone()
    } else {
        about.trim().to_owned()
    };
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n",
    );
    out.push_str(&format!(
        "<title>{name}</title>\n<link>{profile}</link>\n\
         <atom:link href=\"{self_url}\" rel=\"self\" type=\"application/rss+xml\"/>\n\
         <description>{}</description>\n<itunes:author>{name}</itunes:author>\n\
         <itunes:summary>{0}</itunes:summary>\n<itunes:explicit>false</itunes:explicit>\n\
         <itunes:image href=\"{avatar}\"/>\n\
         <image><url>{avatar}</url><title>{name}</title><link>{profile}</link></image>\n",
        escape(&about)
    ));
    if let Some(latest) = episodes.first() {
        out.push_str(&format!(
            "<lastBuildDate>{}</lastBuildDate>\n",
            latest.post.created_at.to_rfc2822()
        ));
    }
    for episode in episodes {
        let Some(file) = &episode.sound.file else {
            continue;
        };
        let page = escape(&page_of(episode));
        out.push_str("<item>\n");
        out.push_str(&format!(
            "<title>{}</title>\n<link>{page}</link>\n<guid isPermaLink=\"true\">{page}</guid>\n\
             <pubDate>{}</pubDate>\n<description>{}</description>\n\
             <enclosure url=\"{}\" length=\"{}\" type=\"{}\"/>\n",
            escape(&title_of(episode)),
            episode.post.created_at.to_rfc2822(),
            escape(&episode.post.content),
            escape(&urls.media(file)),
            episode.sound.bytes.unwrap_or(0),
            escape(&episode.sound.content_type),
        ));
        if let Some(duration) = episode.sound.duration {
            out.push_str(&format!(
                "<itunes:duration>{}</itunes:duration>\n",
                clock(duration)
            ));
        }
        if let Some(description) = &episode.sound.description {
            out.push_str(&format!(
                "<itunes:summary>{}</itunes:summary>\n",
                escape(description)
            ));
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_as_a_clock() {
        assert_eq!(clock(0.4), "0:00:00");
        assert_eq!(clock(83.5), "0:01:24");
        assert_eq!(clock(3723.0), "1:02:03");
    }
}
