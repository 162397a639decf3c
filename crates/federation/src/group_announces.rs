//! What a local group sends its members when it passes something on, in the form
//! FEP-1b12 describes and Lemmy, Mbin and Friendica read: an `Announce` whose
//! object is the member's whole activity (`Create`, `Update`, `Delete`),
//! embedded, in the group (`audience`). A post that starts a thread goes as a
//! `Page` with a title (`name`), a reply as a `Note` with `inReplyTo`, as
//! Lemmy tells posts from comments.
//!
//! Servers that read an announce as a boost (Mastodon, GoToSocial, Staffroom)
//! cannot read that form, and Lemmy cannot read the boost form, so a group sends
//! both to each member's server, the boost first, as Lemmy itself does for
//! Mastodon's sake. Each reader drops the form it cannot read.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::graph::follow;
use staffroom_domain::posts::post::{Post, Visibility};

use crate::LocalUrls;
use crate::context::FederationData;
use crate::error::Error;
use crate::objects::actor::actor_id;
use crate::objects::note;
use crate::protocol::PUBLIC;
use crate::protocol::activities::announce::Announce;
use crate::protocol::note::Note;
use crate::send;

/// The longest title Lemmy keeps.
pub const MAX_TITLE_CHARS: usize = 200;

/// What a member did that the group passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The post was written.
    Created,
    /// The post was edited at this time.
    Edited(DateTime<Utc>),
    /// The post was deleted.
    Deleted,
}

/// `note` as the group `group` (its actor id) passes it on: in the group
/// (`audience`), and, when it starts a thread, a `Page` with a title (its own,
/// for an article or a post that came with one).
pub fn in_group(mut note: Note, group: &str) -> Note {
    note.audience = Some(group.to_owned());
    if note.in_reply_to.is_none() {
        note.kind = "Page".into();
        let own = note
            .name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| name.chars().take(MAX_TITLE_CHARS).collect::<String>());
        note.name = Some(own.unwrap_or_else(|| title_of(&note)));
    }
    note
}

/// A title for `note`: the first line of its text that says something once the
/// mentions it opens with are left out (as Lemmy and Mbin title posts from
/// servers that have no titles), else its content warning; at most
/// [`MAX_TITLE_CHARS`] characters.
pub fn title_of(note: &Note) -> String {
    let text = match &note.source {
        Some(source) => source.content.clone(),
        None => plain_text(&note.content),
    };
    let line = text
        .lines()
        .map(|line| {
            line.split_whitespace()
                .skip_while(|word| word.starts_with('@'))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|line| !line.is_empty())
        .or_else(|| note.summary.clone().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "…".to_owned());
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line;
    }
    let mut cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// The text of `html`: paragraphs and line breaks as lines, tags dropped,
/// entities read.
fn plain_text(html: &str) -> String {
    let spaced = html
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("</p>", "\n");
    let mut text = String::with_capacity(spaced.len());
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Who a group's announce is for, by the visibility of its boost: public, or
/// (a closed group, an unlisted post) its members first. `cc` is never empty:
/// Lemmy requires it.
pub fn addressing(visibility: Visibility, group: &str) -> (Vec<String>, Vec<String>) {
    let followers = format!("{group}/followers");
    match visibility {
        Visibility::Public => (vec![PUBLIC.to_owned()], vec![followers]),
        Visibility::Unlisted => (vec![followers], vec![PUBLIC.to_owned()]),
        Visibility::Private | Visibility::Direct => (vec![followers], vec![group.to_owned()]),
    }
}

/// The id of the activity `change` of `post` by its author: for a local post its
/// own (`Create` and `Update` as the author sent them); for a post from
/// elsewhere, whose activities are not kept, one under the group's announce.
fn activity_id(
    urls: &LocalUrls,
    author: &Account,
    post: &Post,
    announce: &str,
    change: Change,
) -> String {
    let local = author
        .is_local()
        .then(|| urls.post(&author.username, post.id));
    match (change, local) {
        (Change::Created, Some(post)) => format!("{post}/activity"),
        (Change::Edited(at), Some(post)) => format!("{post}/edits/{}", at.timestamp_millis()),
        (Change::Deleted, Some(post)) => format!("{post}#delete"),
        (_, None) => format!("{announce}/object"),
    }
}

/// The member's whole activity `id`, `change` of `note`, in the group `group`
/// (its actor id), to embed in the group's announce.
pub fn member_activity(group: &str, note: Note, id: &str, change: Change) -> Value {
    let note = in_group(note, group);
    let (kind, object) = match change {
        Change::Created => ("Create", serde_json::to_value(&note).unwrap_or(Value::Null)),
        Change::Edited(_) => ("Update", serde_json::to_value(&note).unwrap_or(Value::Null)),
        Change::Deleted => ("Delete", Value::String(note.id.clone())),
    };
    // Lemmy reads the mentions to notify from the activity's own `tag`.
    json!({
        "id": id,
        "type": kind,
        "actor": note.attributed_to,
        "to": note.to,
        "cc": note.cc,
        "tag": note.tag,
        "audience": group,
        "object": object,
    })
}

/// The local `group`'s announce, whose boost is `boost`, of `change` of `post`,
/// with the member's activity embedded.
pub async fn announce(
    data: &FederationData,
    group: &Account,
    boost: &Post,
    post: &Post,
    change: Change,
) -> Result<Announce<Value>, Error> {
    let author = account::get(&data.db, post.account_id).await?;
    let extras = note::extras(&data.db, &data.urls, post).await?;
    let note = note::note_of(&data.urls, &author, post, &extras);
    let group_id = actor_id(&data.urls, group);
    let base = format!("{}/activity", data.urls.post(&group.username, boost.id));
    let id = match change {
        Change::Created => format!("{base}/create"),
        Change::Edited(at) => format!("{base}/update/{}", at.timestamp_millis()),
        Change::Deleted => format!("{base}/delete"),
    };
    let activity = activity_id(&data.urls, &author, post, &id, change);
    let object = member_activity(&group_id, note, &activity, change);
    let (to, cc) = addressing(boost.visibility, &group_id);
    let mut announce = Announce::new(&id, &group_id, None, to, cc, object)?;
    announce.audience = Some(group_id);
    Ok(announce)
}

/// The local `group`, whose boost of `post` is `boost`, passes `change` on to
/// `inboxes` (its members' servers, unless given), embedded.
pub async fn send(
    data: &FederationData,
    group: &Account,
    boost: &Post,
    post: &Post,
    change: Change,
    inboxes: Option<Vec<String>>,
) -> Result<(), Error> {
    let inboxes = match inboxes {
        Some(inboxes) => inboxes,
        None => follow::follower_inboxes(&data.db, group.id).await?,
    };
    if inboxes.is_empty() {
        return Ok(());
    }
    let announce = announce(data, group, boost, post, change).await?;
    send::deliver(data, group, &announce, inboxes).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::note::{Source, sample};

    #[test]
    fn a_thread_starter_is_a_page_with_its_first_line_as_title() {
        let group = "https://a.example/users/heads";
        let mut note = sample();
        note.source = Some(Source {
            content: "@heads@a.example Budgets for 2027\n\nWhat are you cutting?".into(),
            media_type: "text/plain".into(),
        });
        let page = in_group(note, group);
        assert_eq!(page.kind, "Page");
        assert_eq!(page.name.as_deref(), Some("Budgets for 2027"));
        assert_eq!(page.audience.as_deref(), Some(group));

        let mut reply = sample();
        reply.in_reply_to = Some("https://b.example/post/1".into());
        let reply = in_group(reply, group);
        assert_eq!((reply.kind.as_str(), reply.name), ("Note", None));
    }

    #[test]
    fn titles_come_from_the_html_when_there_is_no_source_and_are_cut_short() {
        let mut note = sample();
        note.content = "<p><span class=\"h-card\"><a href=\"x\">@<span>heads</span></a></span></p><p>Fish &amp; chips<br>second</p>".into();
        assert_eq!(title_of(&note), "Fish & chips");
        note.content = format!("<p>{}</p>", "word ".repeat(100));
        let title = title_of(&note);
        assert_eq!(title.chars().count(), MAX_TITLE_CHARS);
        assert!(title.ends_with('…'));
        note.content = "<p>@heads</p>".into();
        note.summary = Some("Staffing".into());
        assert_eq!(title_of(&note), "Staffing");
    }
}
