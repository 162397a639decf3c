//! Posts as the ActivityPub library sees them: remote notes (and articles, pages,
//! questions with their polls, events, videos) are read leniently, cleaned, and stored; the posts they
//! answer are fetched too, as deep as the library's per-request fetch limit allows;
//! a remote post that is gone is removed.

use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::Object;
use chrono::{DateTime, Utc};
use staffroom_domain::html::escape;
use staffroom_domain::posts::article::{self, RemoteArticle};
use staffroom_domain::posts::event::{JoinMode, RemoteEvent};
use staffroom_domain::posts::poll::RemotePoll;
use staffroom_domain::posts::write;
use staffroom_domain::posts::{
    post::{self, Post, Visibility},
    write::RemotePost,
};
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::objects::media::read_attachments;
use crate::objects::person::DbActor;
use crate::protocol::PUBLIC;
use crate::protocol::note::RemoteNoteObject;
use crate::protocol::values::{first_href, id_of};
use crate::sanitize;

/// The object types stored as posts.
const POST_TYPES: &[&str] = &[
    "Note",
    "Article",
    "Page",
    "Question",
    "Event",
    "Video",
    "ChatMessage",
];
/// Types whose `name` is a title shown above the text.
const TITLED_TYPES: &[&str] = &["Article", "Page", "Event", "Video"];

/// What a remote post says, read without the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteContent {
    pub author: Url,
    pub kind: String,
    /// Cleaned HTML.
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to: Option<Url>,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

/// Reads `json` as a post: its author, cleaned content and dates.
pub fn read_note(json: &RemoteNoteObject) -> Result<NoteContent, Error> {
    if !POST_TYPES.contains(&json.kind.as_str()) {
        return Err(Error::Refused(format!("a {} is not a post", json.kind)));
    }
    let author = json
        .attributed_to
        .iter()
        .filter(|value| {
            value
                .get("type")
                .and_then(|t| t.as_str())
                .is_none_or(|t| t != "Group")
        })
        .find_map(id_of)
        .and_then(|id| Url::parse(id).ok())
        .ok_or_else(|| Error::Refused("a post without an author".into()))?;
    let (language, mapped) = match &json.content_map {
        Some(map) => map
            .iter()
            .find_map(|(language, content)| {
                content
                    .as_str()
                    .map(|c| (Some(language.clone()), Some(c.to_owned())))
            })
            .unwrap_or((None, None)),
        None => (None, None),
    };
    let titled = TITLED_TYPES.contains(&json.kind.as_str());
    let body = json
        .content
        .clone()
        .or(mapped)
        .or_else(|| titled.then(|| json.summary.clone()).flatten())
        .unwrap_or_default();
    let mut content = sanitize::html(&body);
    let title = json
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty());
    if let (true, Some(title)) = (titled, title) {
        content = format!("<p><strong>{}</strong></p>{content}", escape(title));
    }
    let spoiler_text = if titled {
        String::new()
    } else {
        json.summary
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(NoteContent {
        author,
        kind: json.kind.to_ascii_lowercase(),
        sensitive: json.sensitive.unwrap_or(false) || !spoiler_text.is_empty(),
        spoiler_text,
        content,
        language,
        in_reply_to: json
            .in_reply_to
            .as_ref()
            .and_then(id_of)
            .and_then(|id| Url::parse(id).ok()),
        url: json.url.as_ref().and_then(first_href),
        created_at: json
            .published
            .as_deref()
            .and_then(parse_time)
            .unwrap_or_else(Utc::now),
        edited_at: json.updated.as_deref().and_then(parse_time),
    })
}

/// The poll of a `Question`: its options (`oneOf` for a single choice, `anyOf` for
/// several) with their counts, its end (`endTime`, or `closed` when it was closed
/// early) and its number of voters. `None` for any other type, or a question
/// without options.
pub fn read_poll(json: &RemoteNoteObject) -> Option<RemotePoll> {
    if json.kind != "Question" {
        return None;
    }
    let (options, multiple) = if json.any_of.is_empty() {
        (&json.one_of, false)
    } else {
        (&json.any_of, true)
    };
    let options: Vec<(String, u64)> = options
        .iter()
        .filter_map(|option| {
            let name = option.get("name")?.as_str()?.trim();
            let votes = option
                .get("replies")
                .and_then(|r| r.get("totalItems"))
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0);
            (!name.is_empty()).then(|| (name.to_owned(), votes))
        })
        .collect();
    if options.is_empty() {
        return None;
    }
    let end = json
        .end_time
        .as_ref()
        .and_then(|v| v.as_str())
        .and_then(parse_time);
    let closed = match &json.closed {
        Some(serde_json::Value::String(at)) => parse_time(at),
        Some(serde_json::Value::Bool(true)) => Some(end.unwrap_or_else(Utc::now).min(Utc::now())),
        _ => None,
    };
    let expires_at = match (end, closed) {
        (Some(end), Some(closed)) => Some(end.min(closed)),
        (end, closed) => end.or(closed),
    };
    Some(RemotePoll {
        options,
        multiple,
        expires_at,
        voters_count: json
            .voters_count
            .as_ref()
            .and_then(serde_json::Value::as_u64),
    })
}

/// The event of an `Event`, as Mobilizon writes it: its `name`, its cleaned
/// `content` as its description, `startTime` and `endTime`, `timezone`, its
/// `location` (a `Place` with a `PostalAddress`, or a name), an online link (a
/// `Link` attachment named `Website`), `joinMode`, `maximumAttendeeCapacity`
/// (0 for none) and `participantCount`. `None` for any other type, or an event
/// without a start.
pub fn read_event(json: &RemoteNoteObject) -> Option<RemoteEvent> {
    if json.kind != "Event" {
        return None;
    }
    let text = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let starts_at = text(&json.start_time).as_deref().and_then(parse_time)?;
    let ends_at = text(&json.end_time).as_deref().and_then(parse_time);
    let (place_name, address) = match &json.location {
        Some(serde_json::Value::String(name)) => (Some(name.clone()), None),
        Some(place) => {
            let name = place
                .get("name")
                .and_then(|n| n.as_str())
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned);
            let address = place.get("address").and_then(|address| match address {
                serde_json::Value::String(line) => Some(line.trim().to_owned()),
                serde_json::Value::Object(parts) => {
                    let line: Vec<&str> = [
                        "streetAddress",
                        "addressLocality",
                        "postalCode",
                        "addressRegion",
                        "addressCountry",
                    ]
                    .iter()
                    .filter_map(|key| parts.get(*key).and_then(|v| v.as_str()))
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                    .collect();
                    Some(line.join(", "))
                }
                _ => None,
            });
            (name, address.filter(|a| !a.is_empty()))
        }
        None => (None, None),
    };
    let online_url = json
        .attachment
        .iter()
        .filter(|a| a.get("type").and_then(|t| t.as_str()) == Some("Link"))
        .filter(|a| a.get("name").and_then(|n| n.as_str()) == Some("Website"))
        .find_map(|a| a.get("href").and_then(|h| h.as_str()))
        .filter(|href| href.starts_with("https://") || href.starts_with("http://"))
        .map(str::to_owned);
    let number = |v: &Option<serde_json::Value>| v.as_ref().and_then(serde_json::Value::as_u64);
    let join_mode = text(&json.join_mode)
        .as_deref()
        .and_then(JoinMode::from_name)
        .unwrap_or(JoinMode::Free);
    let external_url = text(&json.external_participation_url)
        .filter(|href| href.starts_with("https://") || href.starts_with("http://"));
    let body = json.content.clone().unwrap_or_default();
    Some(RemoteEvent {
        title: json
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or("Event")
            .to_owned(),
        description: sanitize::html(&body),
        starts_at,
        ends_at,
        timezone: text(&json.timezone),
        place_name,
        address,
        online_url,
        capacity: number(&json.maximum_attendee_capacity).filter(|c| *c > 0),
        join_mode,
        external_url,
        participant_count: number(&json.participant_count).unwrap_or(0),
    })
}

/// The most characters of a summary made from an article's text when it has
/// none.
const EXCERPT_CHARS: usize = 300;

/// The article of an `Article` or a `Page` with a title (WordPress, Plume,
/// WriteFreely, Mitra, Lemmy ...): its `name`, its `summary` as text (or, when it
/// has none, the start of its text), its cleaned `content` (or `contentMap`)
/// and its cover (`image`). `None` for any other type, or one without a title.
pub fn read_article(json: &RemoteNoteObject) -> Option<RemoteArticle> {
    if json.kind != "Article" && json.kind != "Page" {
        return None;
    }
    let title = json
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())?;
    let body = json
        .content
        .clone()
        .or_else(|| {
            json.content_map
                .as_ref()
                .and_then(|map| map.values().find_map(|c| c.as_str().map(str::to_owned)))
        })
        .unwrap_or_default();
    let body_html = sanitize::article(&body);
    let summary = json
        .summary
        .as_deref()
        .map(|summary| escape_free(summary, article::MAX_SUMMARY_CHARS))
        .filter(|summary| !summary.is_empty())
        .unwrap_or_else(|| staffroom_domain::html::excerpt(&body_html, EXCERPT_CHARS));
    let cover_url = json.image.as_ref().and_then(|image| match image {
        serde_json::Value::Object(map) => map.get("url").and_then(first_href),
        other => first_href(other),
    });
    Some(RemoteArticle {
        title: title.to_owned(),
        summary,
        body_html,
        cover_url,
    })
}

/// A summary as text, whether it came as text or as HTML.
fn escape_free(summary: &str, max: usize) -> String {
    staffroom_domain::html::excerpt(summary, max)
}

fn parse_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Who a post is for, from its addressing: public (to everyone), unlisted (everyone
/// in `cc`), followers-only (the author's followers collection), or direct.
pub fn visibility(json: &RemoteNoteObject, author_followers: Option<&str>) -> Visibility {
    fn ids(list: &[serde_json::Value]) -> Vec<&str> {
        list.iter().filter_map(id_of).collect()
    }
    visibility_of_addressing(&ids(&json.to), &ids(&json.cc), author_followers)
}

/// The visibility that the ids in `to` and `cc` make (see [`visibility`]).
pub fn visibility_of_addressing(
    to: &[impl AsRef<str>],
    cc: &[impl AsRef<str>],
    author_followers: Option<&str>,
) -> Visibility {
    fn names(list: &[impl AsRef<str>], wanted: &str) -> bool {
        list.iter()
            .map(AsRef::as_ref)
            .any(|id| id == wanted || (wanted == PUBLIC && (id == "as:Public" || id == "Public")))
    }
    if names(to, PUBLIC) {
        Visibility::Public
    } else if names(cc, PUBLIC) {
        Visibility::Unlisted
    } else if author_followers.is_some_and(|followers| names(to, followers) || names(cc, followers))
    {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// A stored post with its ActivityPub id.
#[derive(Debug, Clone)]
pub struct DbPost {
    pub post: Post,
    id: Url,
}

#[async_trait::async_trait]
impl Object for DbPost {
    type DataType = FederationData;
    type Kind = RemoteNoteObject;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(id: Url, data: &Data) -> Result<Option<Self>, Self::Error> {
        let found = match data.urls.local_post_id(id.as_str()) {
            Some(local) => post::get_for_federation(&data.db, local).await?,
            None => post::find_by_uri(&data.db, id.as_str()).await?,
        };
        Ok(found.map(|post| Self { post, id }))
    }

    async fn into_json(self, _data: &Data) -> Result<Self::Kind, Self::Error> {
        Err(Error::Refused(
            "local posts are served by the HTTP layer".into(),
        ))
    }

    async fn verify(
        json: &Self::Kind,
        expected_domain: &Url,
        _data: &Data,
    ) -> Result<(), Self::Error> {
        verify_domains_match(&json.id, expected_domain)?;
        let content = read_note(json)?;
        verify_domains_match(&content.author, &json.id)?;
        Ok(())
    }

    async fn from_json(json: Self::Kind, data: &Data) -> Result<Self, Self::Error> {
        let content = read_note(&json)?;
        let author = ObjectId::<DbActor>::from(content.author.clone())
            .dereference(data)
            .await?;
        let (in_reply_to_id, in_reply_to_uri) = match &content.in_reply_to {
            Some(parent) => match ObjectId::<DbPost>::from(parent.clone())
                .dereference(data)
                .await
            {
                Ok(found) => (Some(found.post.id), None),
                Err(e) => {
                    tracing::debug!(%parent, error = %e, "the post answered cannot be fetched");
                    (None, Some(parent.to_string()))
                }
            },
            None => (None, None),
        };
        let followers = author
            .account
            .remote
            .as_ref()
            .and_then(|r| r.followers.clone());
        let hashtags = hashtags_of(&json);
        let poll = read_poll(&json);
        let event = read_event(&json);
        let remote_article = read_article(&json);
        let mut content = content;
        if let Some(found) = &remote_article {
            // Shown in apps as Mastodon shows it: the title, the summary, a link.
            let page = content.url.clone().unwrap_or_else(|| json.id.to_string());
            content.content = article::status_html(&found.title, &found.summary, &page);
        }
        if let Some(event) = &event {
            // Shown in apps as a status: the title, when, where and its page.
            let page = content.url.clone().unwrap_or_else(|| json.id.to_string());
            content.content = event.to_event(0).status_html(&page);
        }
        let mut mentioned_ids = Vec::new();
        for href in mentions_of(&json) {
            if let Some(username) = data.urls.local_username(&href)
                && let Some(local) =
                    staffroom_domain::accounts::account::find_local(&data.db, &username).await?
            {
                mentioned_ids.push(local.id);
            }
        }
        let stored = write::upsert_remote(
            &data.db,
            RemotePost {
                uri: json.id.to_string(),
                author_id: author.account.id,
                kind: content.kind,
                visibility: visibility(&json, followers.as_deref()),
                content: content.content,
                spoiler_text: content.spoiler_text,
                sensitive: content.sensitive,
                language: content.language,
                in_reply_to_id,
                in_reply_to_uri,
                url: content.url,
                created_at: content.created_at,
                edited_at: content.edited_at,
                hashtags,
                mentioned_ids,
                attachments: read_attachments(&json.attachment),
                poll,
                event,
                article: remote_article,
            },
        )
        .await?;
        Ok(Self {
            post: stored,
            id: json.id,
        })
    }
}

/// The hashtags a post carries (`tag` entries of type `Hashtag`), normalised.
pub fn hashtags_of(json: &RemoteNoteObject) -> Vec<String> {
    json.tag
        .iter()
        .filter(|tag| tag.get("type").and_then(|t| t.as_str()) == Some("Hashtag"))
        .filter_map(|tag| tag.get("name").and_then(|n| n.as_str()))
        .map(staffroom_domain::posts::compose::normalize_tag)
        .filter(|name| !name.is_empty())
        .collect()
}

/// The actor ids a post mentions (`tag` entries of type `Mention`).
pub fn mentions_of(json: &RemoteNoteObject) -> Vec<String> {
    json.tag
        .iter()
        .filter(|tag| tag.get("type").and_then(|t| t.as_str()) == Some("Mention"))
        .filter_map(id_of)
        .map(str::to_owned)
        .collect()
}

/// Removes the remote post `found` (its author deleted it, or its own server says
/// it is gone) and tells the streams.
pub async fn remove_remote(data: &FederationData, found: &Post) -> Result<(), Error> {
    let Some(uri) = found.uri.as_deref() else {
        return Ok(());
    };
    let gone = crate::events::removal(&data.db, found).await;
    if post::delete_remote(&data.db, uri, found.account_id).await?
        && let Some(gone) = gone
    {
        data.events.post_deleted(gone);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn question(extra: serde_json::Value) -> RemoteNoteObject {
        let mut json = json!({
            "id": "https://m.example/users/ann/statuses/9",
            "type": "Question",
            "attributedTo": "https://m.example/users/ann",
            "content": "<p>Which day?</p>",
        });
        for (key, value) in extra.as_object().unwrap() {
            json[key] = value.clone();
        }
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn mastodon_polls_are_read_single_or_multiple_with_their_end() {
        let single = question(json!({
            "endTime": "2030-01-02T03:04:05Z",
            "votersCount": 3,
            "oneOf": [
                {"type": "Note", "name": "Mon", "replies": {"type": "Collection", "totalItems": 2}},
                {"type": "Note", "name": "Tue", "replies": {"type": "Collection", "totalItems": 1}},
            ],
        }));
        let poll = read_poll(&single).unwrap();
        assert_eq!(poll.options, vec![("Mon".into(), 2), ("Tue".into(), 1)]);
        assert!(!poll.multiple);
        assert_eq!(poll.voters_count, Some(3));
        assert_eq!(poll.expires_at, parse_time("2030-01-02T03:04:05Z"));

        // Closed early: the earlier of the two times is its end.
        let several = question(json!({
            "endTime": "2030-01-02T03:04:05Z",
            "closed": "2026-01-01T00:00:00Z",
            "anyOf": {"type": "Note", "name": "Both"},
        }));
        let poll = read_poll(&several).unwrap();
        assert!(poll.multiple);
        assert_eq!(poll.options, vec![("Both".into(), 0)]);
        assert_eq!(poll.expires_at, parse_time("2026-01-01T00:00:00Z"));
    }

    #[test]
    fn only_a_question_with_options_has_a_poll() {
        assert_eq!(read_poll(&question(json!({}))), None);
        let mut note = question(json!({"oneOf": [{"name": "Mon"}]}));
        note.kind = "Note".into();
        assert_eq!(read_poll(&note), None);
    }
}
