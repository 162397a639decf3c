//! Actors: `Person` for people, `Organization` for trusts and schools,
//! `Application` for the instance actor, `Service` for hashtag feeds, `Group`
//! for groups.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An actor document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub preferred_username: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub inbox: String,
    /// Left out where there is none to read (the instance actor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<String>,
    pub endpoints: Endpoints,
    pub public_key: PublicKey,
    pub manually_approves_followers: bool,
    pub discoverable: bool,
    pub indexable: bool,
    pub published: String,
    /// The avatar and the header, left out when the account has none (as
    /// Mastodon does: other servers would keep a placeholder as a picture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Profile fields as `PropertyValue`s.
    pub attachment: Vec<Value>,
    pub tag: Vec<Value>,
    /// Structured directory values in the `staffroom:` namespace (empty for an
    /// account the directory does not describe).
    #[serde(flatten)]
    pub extension: serde_json::Map<String, Value>,
    /// A group's moderators collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    /// Whether only a group's moderators may post to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting_restricted_to_mods: Option<bool>,
    /// A person's pinned posts (Mastodon's `featured` collection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<String>,
    /// The other accounts of the same person (those it moves from): a new
    /// account must name the old one here before the old one moves to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_known_as: Vec<String>,
    /// The account this one moved to, once it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub shared_inbox: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: String,
    pub public_key_pem: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(rename = "type")]
    pub kind: String,
    pub media_type: String,
    pub url: String,
}

/// An actor document as other servers send it: only what Staffroom needs is
/// required, the rest may be missing or shaped differently.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteActorObject {
    pub id: url::Url,
    #[serde(rename = "type")]
    pub kind: String,
    pub preferred_username: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    pub inbox: url::Url,
    #[serde(default)]
    pub outbox: Option<url::Url>,
    #[serde(default)]
    pub followers: Option<url::Url>,
    #[serde(default)]
    pub following: Option<url::Url>,
    #[serde(default)]
    pub endpoints: Option<RemoteEndpointsObject>,
    pub public_key: RemotePublicKey,
    #[serde(default)]
    pub manually_approves_followers: Option<bool>,
    #[serde(default)]
    pub discoverable: Option<bool>,
    /// A string, a `Link` object, or an array of them.
    #[serde(default)]
    pub url: Option<Value>,
    /// Profile fields (`PropertyValue`s) among other attachments; one or many.
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub attachment: Vec<Value>,
    /// The avatar: an `Image` (its `url` a string or a `Link`), a URL, or an
    /// array of them.
    #[serde(default)]
    pub icon: Option<Value>,
    /// The header, shaped as `icon`.
    #[serde(default)]
    pub image: Option<Value>,
    /// The other ids of the same person (the accounts they moved from).
    #[serde(default, deserialize_with = "super::values::one_or_many")]
    pub also_known_as: Vec<Value>,
    /// Everything else the document says, among it Staffroom's `staffroom:` values.
    #[serde(flatten)]
    pub extension: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteEndpointsObject {
    #[serde(default)]
    pub shared_inbox: Option<url::Url>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemotePublicKey {
    pub id: String,
    pub owner: url::Url,
    pub public_key_pem: String,
}

/// A profile field as a `PropertyValue`.
pub fn property_value(name: &str, value: &str) -> Value {
    serde_json::json!({"type": "PropertyValue", "name": name, "value": value})
}

impl RemoteActorObject {
    /// The (name, value HTML) of each `PropertyValue` attachment, as sent.
    pub fn property_values(&self) -> Vec<(String, String)> {
        self.attachment
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) == Some("PropertyValue"))
            .filter_map(|a| {
                let name = a.get("name")?.as_str()?;
                let value = a.get("value")?.as_str()?;
                Some((name.to_owned(), value.to_owned()))
            })
            .collect()
    }

    /// The profile page URL, whichever shape `url` has.
    pub fn page_url(&self) -> Option<String> {
        self.url.as_ref().and_then(super::values::first_href)
    }

    /// Where the avatar is served, if the document says.
    pub fn avatar_url(&self) -> Option<String> {
        self.icon.as_ref().and_then(picture_url)
    }

    /// Where the header is served, if the document says.
    pub fn header_url(&self) -> Option<String> {
        self.image.as_ref().and_then(picture_url)
    }
}

/// The URL of a picture: a string, an `Image` whose `url` is a string, a `Link`
/// or several, or the first of an array of those.
fn picture_url(value: &Value) -> Option<String> {
    match value {
        Value::String(url) => Some(url.clone()),
        Value::Object(map) => map.get("url").and_then(super::values::first_href),
        Value::Array(items) => items.iter().find_map(picture_url),
        _ => None,
    }
}
