//! How Lemmy 1.0 reads what a community sends its followers: its wire structs
//! (`crates/apub/activities/src/protocol/` and `crates/apub/objects/src/protocol/`
//! in Lemmy's source), with the fields it requires and the order in which it
//! tries them, so that a test can check that a Lemmy server would take what a
//! group here sends. Fields Lemmy does not require are left out; unknown fields
//! are ignored, as Lemmy ignores them.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use url::Url;

/// A string or an array of them, as `deserialize_one_or_many` reads `to` and `cc`.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Url>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Url),
        Many(Vec<Url>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// Only a missing (or null) field, as Lemmy's `Page` refuses `inReplyTo`.
fn not_present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(_) => Err(D::Error::custom("Post must not have inReplyTo property")),
    }
}

/// An id, or the object itself (`IdOrNestedObject`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum IdOrNested<T> {
    Id(Url),
    Nested(T),
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum AnnounceType {
    Announce,
}

/// `AnnounceActivity`: what a community sends. `to` and `cc` are required.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnnounceActivity {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: IdOrNested<RawAnnouncable>,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub id: Url,
}

/// `RawAnnouncableActivities`: an announced activity needs its own `id` and
/// `actor` (an announced post URL, fetched, must have them too).
#[derive(Debug, Deserialize)]
pub struct RawAnnouncable {
    pub id: Url,
    pub actor: Url,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum CreateOrUpdateType {
    Create,
    Update,
}

/// `CreateOrUpdateNoteWrapper`: tried first, it takes every `Create` or
/// `Update` of a `Note` (a comment, or else a private message).
#[derive(Debug, Deserialize)]
pub struct NoteWrapper {
    pub object: NoteWrapperObject,
    pub id: Url,
    #[serde(default)]
    pub to: Vec<Url>,
    #[serde(default)]
    pub cc: Vec<Url>,
    pub actor: Url,
}

#[derive(Debug, Deserialize)]
pub struct NoteWrapperObject {
    #[serde(rename = "type")]
    pub kind: PrivateMessageType,
}

#[derive(Debug, Deserialize)]
pub enum PrivateMessageType {
    Note,
    ChatMessage,
}

/// `CreateOrUpdatePage`: a post. `to` and `cc` are required.
#[derive(Debug, Deserialize)]
pub struct CreateOrUpdatePage {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: Page,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub id: Url,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum PageType {
    Page,
    Article,
    Note,
    Video,
    Event,
}

/// `Page`: a post, never with `inReplyTo`. Lemmy 1.0 takes a missing `name`
/// from the content's first line; the servers we tried refused posts without
/// one, so a title is required here.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    #[serde(rename = "type")]
    pub kind: PageType,
    pub id: Url,
    pub attributed_to: Url,
    #[serde(deserialize_with = "one_or_many", default)]
    pub to: Vec<Url>,
    #[serde(deserialize_with = "not_present", default)]
    pub in_reply_to: Option<Value>,
    pub name: String,
    #[serde(deserialize_with = "one_or_many", default)]
    pub cc: Vec<Url>,
    pub content: Option<String>,
    #[serde(default)]
    pub attachment: Vec<Value>,
    pub sensitive: Option<bool>,
    pub published: Option<chrono::DateTime<chrono::Utc>>,
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
    /// The community: where Lemmy looks first.
    pub audience: Option<Url>,
}

/// `CreateOrUpdateNote`: a comment. `to` and `cc` are required.
#[derive(Debug, Deserialize)]
pub struct CreateOrUpdateNote {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: Note,
    #[serde(deserialize_with = "one_or_many")]
    pub cc: Vec<Url>,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub id: Url,
}

/// `Note`: a comment, which answers a post or a comment.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    #[serde(rename = "type")]
    pub kind: PrivateMessageType,
    pub id: Url,
    pub attributed_to: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    #[serde(deserialize_with = "one_or_many", default)]
    pub cc: Vec<Url>,
    pub content: String,
    pub in_reply_to: Url,
    pub audience: Option<Url>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum VoteType {
    Like,
    Dislike,
}

/// `Vote`: a `Like` or `Dislike`, with no addressing at all.
#[derive(Debug, Deserialize)]
pub struct Vote {
    pub actor: Url,
    pub object: Url,
    #[serde(rename = "type")]
    pub kind: VoteType,
    pub id: Url,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum DeleteType {
    Delete,
}

/// `Delete`: `to` is required, `cc` may be missing.
#[derive(Debug, Deserialize)]
pub struct Delete {
    pub actor: Url,
    #[serde(deserialize_with = "one_or_many")]
    pub to: Vec<Url>,
    pub object: IdOrNested<Value>,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub id: Url,
}

/// `AnnouncableActivities`, in Lemmy's order (an untagged enum: the first
/// that parses wins); `Page` alone, "for compatibility", is refused on receipt.
#[derive(Debug)]
pub enum Announcable {
    NoteWrapper(Box<NoteWrapper>),
    CreateOrUpdatePost(Box<CreateOrUpdatePage>),
    Vote(Vote),
    Delete(Delete),
}

/// Parses `value` as `T`, saying what failed.
fn parse<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_json::from_value(value.clone()).map_err(|e| e.to_string())
}

impl Announcable {
    /// The activity as Lemmy reads it, or why it would refuse it.
    pub fn read(activity: &Value) -> Result<Self, String> {
        parse::<RawAnnouncable>(activity)?;
        if let Ok(wrapper) = parse::<NoteWrapper>(activity) {
            return Ok(Self::NoteWrapper(Box::new(wrapper)));
        }
        let post = parse::<CreateOrUpdatePage>(activity);
        if let Ok(post) = post {
            return Ok(Self::CreateOrUpdatePost(Box::new(post)));
        }
        if let Ok(vote) = parse::<Vote>(activity) {
            return Ok(Self::Vote(vote));
        }
        if let Ok(delete) = parse::<Delete>(activity) {
            return Ok(Self::Delete(delete));
        }
        Err(format!(
            "not an activity Lemmy announces (as a post: {})",
            post.err().unwrap_or_default()
        ))
    }

    /// The `Create` or `Update` of a post, or why it is not one.
    pub fn post(self) -> Result<CreateOrUpdatePage, String> {
        match self {
            Self::CreateOrUpdatePost(post) => Ok(*post),
            other => Err(format!("not a post: {other:?}")),
        }
    }

    /// The comment inside a `Create` or `Update` of a `Note`, or why it is not one.
    pub fn comment(self, activity: &Value) -> Result<CreateOrUpdateNote, String> {
        match self {
            Self::NoteWrapper(_) => parse(activity),
            other => Err(format!("not a comment: {other:?}")),
        }
    }
}

/// An announce as a Lemmy server receives it: the announce, and the activity
/// embedded in it, read as Lemmy reads both.
pub fn read_announce(announce: &Value) -> Result<(AnnounceActivity, Announcable), String> {
    let parsed: AnnounceActivity = parse(announce)?;
    let inner = match &parsed.object {
        IdOrNested::Nested(_) => Announcable::read(&announce["object"])?,
        IdOrNested::Id(id) => {
            return Err(format!(
                "{id} is fetched and must be an activity, with an actor"
            ));
        }
    };
    Ok((parsed, inner))
}

/// `GroupFollowers`: a community's followers collection, from which Lemmy
/// reads the number of subscribers.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupFollowers {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CollectionType,
    pub total_items: i32,
    pub items: Vec<()>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum CollectionType {
    Collection,
}
