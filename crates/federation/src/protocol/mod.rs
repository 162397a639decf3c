//! ActivityStreams wire types as Staffroom sends them. Arrays stay arrays (`to`, `cc`,
//! `tag`, `attachment`), as Mastodon sends them and as Lemmy requires.

pub mod activities;
pub mod actor;
pub mod collection;
pub mod note;
pub mod values;

use activitypub_federation::protocol::context::WithContext;
use serde_json::{Value, json};

/// The media type of ActivityPub documents.
pub const CONTENT_TYPE: &str = "application/activity+json; charset=utf-8";
/// The special collection that addresses everyone.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The `@context` of every document: ActivityStreams, security (for keys) and the
/// extensions Mastodon-compatible servers read.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
            "movedTo": {"@id": "as:movedTo", "@type": "@id"},
            "sensitive": "as:sensitive",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "suspended": "toot:suspended",
            "votersCount": "toot:votersCount",
            "schema": "http://schema.org#",
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
        }
    ])
}

/// `document` (an activity sent, a collection or a note served) with the
/// [`context`] every document carries: the one place an `@context` is set, so that
/// embedded objects carry none of their own.
pub fn with_context<T>(document: T) -> WithContext<T> {
    WithContext::new(document, context())
}

/// Whether an `Accept` header asks for ActivityPub JSON rather than a page.
pub fn wants_activity_json(accept: &str) -> bool {
    accept.split(',').any(|part| {
        let media = part.trim().to_ascii_lowercase();
        media.starts_with("application/activity+json")
            || (media.starts_with("application/ld+json")
                && (media.contains("https://www.w3.org/ns/activitystreams")
                    || !media.contains("profile")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_json_is_told_from_html() {
        assert!(wants_activity_json("application/activity+json"));
        assert!(wants_activity_json(
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""
        ));
        assert!(wants_activity_json(
            "text/html;q=0.5, application/activity+json"
        ));
        assert!(wants_activity_json("application/ld+json"));
        assert!(!wants_activity_json(
            "text/html,application/xhtml+xml,*/*;q=0.8"
        ));
        assert!(!wants_activity_json("application/json"));
        assert!(!wants_activity_json(
            "application/ld+json; profile=\"http://example.org/other\""
        ));
        assert!(!wants_activity_json(""));
    }
}
