//! `Note`: a post; `Question`: a post with a poll, whose options are notes with
//! a `name` and a count of `replies` (one of them for a single choice, any of
//! them for several, as Mastodon writes it).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A note as sent and served (its `@context` is added where it is served on its
/// own: see [`super::with_context`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributed_to: String,
    /// A title: given to a post that starts a thread in a group, as Lemmy and
    /// Mbin read a community's posts (see `groups::in_group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub content: String,
    /// The text the author typed, when they typed plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The content warning, if any.
    pub summary: Option<String>,
    pub sensitive: bool,
    pub in_reply_to: Option<String>,
    pub published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    pub url: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub tag: Vec<Value>,
    pub attachment: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_map: Option<serde_json::Map<String, Value>>,
    /// The group a post is written in, when a closed group passes it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// A single-choice poll's options (type `Question`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<QuestionOption>>,
    /// A multiple-choice poll's options (type `Question`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<QuestionOption>>,
    /// When a poll ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// When a poll ended, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
    /// How many people voted in a poll (Mastodon's `toot:votersCount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voters_count: Option<u64>,
    /// What an `Event` adds (Mobilizon's terms), flattened in.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventFields>,
    /// What an `Article` adds, flattened in.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleFields>,
}

/// The terms an `Article` adds: the type of its `content` (`text/html`) and
/// its cover as an `Image`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleFields {
    pub media_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Value>,
}

/// The terms of an `Event`, as Mobilizon writes them (`endTime` is the note's).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventFields {
    pub start_time: String,
    /// An IANA time zone name.
    pub timezone: String,
    /// A `Place`, with its `PostalAddress` when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
    pub is_online: bool,
    /// `free`, `restricted` or `external`.
    pub join_mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_participation_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum_attendee_capacity: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_attendee_capacity: Option<u64>,
    pub participant_count: u64,
    /// The organiser, as Mobilizon names them beside `attributedTo`.
    pub actor: String,
}

/// One option of a `Question`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionOption {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub replies: OptionReplies,
}

/// How many chose an option.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OptionReplies {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "totalItems")]
    pub total_items: u64,
}

impl QuestionOption {
    /// The option `name`, chosen `votes` times.
    pub fn new(name: &str, votes: u64) -> Self {
        Self {
            kind: "Note".into(),
            name: name.to_owned(),
            replies: OptionReplies {
                kind: "Collection".into(),
                total_items: votes,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: String,
}

/// A post as other servers send it (`Note`, `Article`, `Page`, `Question`, `Event`,
/// `Video` ...): lenient about shapes, strict about ids.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteNoteObject {
    pub id: url::Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub attributed_to: Vec<Value>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub content_map: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub sensitive: Option<bool>,
    #[serde(default)]
    pub in_reply_to: Option<Value>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub url: Option<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub to: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub cc: Vec<Value>,
    /// The group a post is written in (FEP-1b12).
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub audience: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub tag: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub attachment: Vec<Value>,
    /// A poll's options, for a `Question` (see [`QuestionOption`]); read leniently.
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub one_of: Vec<Value>,
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub any_of: Vec<Value>,
    #[serde(default)]
    pub end_time: Option<Value>,
    /// A date, or (some servers) `true`.
    #[serde(default)]
    pub closed: Option<Value>,
    #[serde(default)]
    pub voters_count: Option<Value>,
    /// When an `Event` starts (`endTime` is when it ends).
    #[serde(default)]
    pub start_time: Option<Value>,
    #[serde(default)]
    pub timezone: Option<Value>,
    /// An event's `Place`, or its name.
    #[serde(default)]
    pub location: Option<Value>,
    #[serde(default)]
    pub is_online: Option<Value>,
    #[serde(default)]
    pub join_mode: Option<Value>,
    #[serde(default)]
    pub external_participation_url: Option<Value>,
    #[serde(default)]
    pub maximum_attendee_capacity: Option<Value>,
    #[serde(default)]
    pub participant_count: Option<Value>,
    /// An article's cover: an `Image`, a link, or several.
    #[serde(default)]
    pub image: Option<Value>,
}

/// A public note of `https://a.example/users/ann`, for tests of what carries it.
#[cfg(test)]
pub(crate) fn sample() -> Note {
    Note {
        id: "https://a.example/users/ann/statuses/5".into(),
        kind: "Note".into(),
        attributed_to: "https://a.example/users/ann".into(),
        name: None,
        content: "<p>Hello</p>".into(),
        source: None,
        summary: None,
        sensitive: false,
        in_reply_to: None,
        published: "2026-01-02T03:04:05Z".into(),
        updated: None,
        url: "https://a.example/@ann/5".into(),
        to: vec![super::PUBLIC.into()],
        cc: vec!["https://a.example/users/ann/followers".into()],
        tag: Vec::new(),
        attachment: Vec::new(),
        content_map: None,
        audience: None,
        one_of: None,
        any_of: None,
        end_time: None,
        closed: None,
        voters_count: None,
        event: None,
        article: None,
    }
}
