//! Property-based fuzzing of everything another server sends that Staffroom reads:
//! activities, posts and actors (arbitrary JSON, and the real samples of
//! `STAFFROOM_FIXTURES` mutated), the HTML inside them through the sanitiser,
//! signature headers and WebFinger resources and answers. Whatever comes in,
//! nothing panics, what is kept runs no script, cleaning is idempotent and what
//! is read and written again reads the same.
//!
//! `PROPTEST_CASES` sets the number of cases per property (256 by default here);
//! docs/fuzzing.md says how to fuzz for longer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue};
use proptest::prelude::*;
use serde_json::{Map, Value};
use staffroom_federation::activities::InboxActivity;
use staffroom_federation::inbox::sending_server;
use staffroom_federation::objects::media::read_attachments;
use staffroom_federation::objects::post::{read_event, read_note, read_poll, visibility};
use staffroom_federation::protocol::actor::RemoteActorObject;
use staffroom_federation::protocol::note::RemoteNoteObject;
use staffroom_federation::sanitize;
use staffroom_federation::signed_fetch::key_owner;
use staffroom_federation::urls::LocalUrls;
use staffroom_federation::webfinger::{Webfinger, parse_resource};

#[path = "../../domain/tests/shared/fuzz_config.rs"]
mod fuzz_config;
use fuzz_config::config;

// ---- what is generated ----

/// Names that ActivityPub documents use, so that generated objects often take the
/// shapes the parsers look for.
const KEYS: &[&str] = &[
    "@context",
    "id",
    "type",
    "actor",
    "object",
    "target",
    "to",
    "cc",
    "bto",
    "audience",
    "content",
    "contentMap",
    "summary",
    "name",
    "attributedTo",
    "inReplyTo",
    "published",
    "updated",
    "url",
    "href",
    "mediaType",
    "tag",
    "attachment",
    "sensitive",
    "oneOf",
    "anyOf",
    "endTime",
    "closed",
    "votersCount",
    "replies",
    "totalItems",
    "startTime",
    "location",
    "address",
    "timezone",
    "joinMode",
    "maximumAttendeeCapacity",
    "participantCount",
    "preferredUsername",
    "inbox",
    "outbox",
    "followers",
    "following",
    "featured",
    "endpoints",
    "sharedInbox",
    "publicKey",
    "publicKeyPem",
    "owner",
    "icon",
    "image",
    "width",
    "height",
    "blurhash",
    "focalPoint",
    "source",
    "quoteUrl",
    "movedTo",
    "alsoKnownAs",
];

const TYPES: &[&str] = &[
    "Note",
    "Article",
    "Page",
    "Question",
    "Event",
    "Video",
    "Image",
    "Document",
    "Create",
    "Update",
    "Delete",
    "Follow",
    "Accept",
    "Reject",
    "Undo",
    "Announce",
    "Like",
    "Block",
    "Flag",
    "Move",
    "Add",
    "Remove",
    "Join",
    "Leave",
    "Person",
    "Group",
    "Service",
    "Tombstone",
    "Mention",
    "Hashtag",
    "Emoji",
    "PropertyValue",
    "Collection",
    "OrderedCollection",
    "Place",
];

/// Hostile and ordinary strings: URLs, types, dates, markup, anything.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(TYPES).prop_map(str::to_owned),
        2 => "https?://[a-z]{1,6}\\.example(:[0-9]{1,5})?(/[a-z0-9#@_.-]{0,12}){0,3}",
        1 => Just("https://www.w3.org/ns/activitystreams#Public".to_owned()),
        1 => Just("as:Public".to_owned()),
        1 => "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][0-2][0-9]:[0-5][0-9])",
        2 => hostile_html(),
        1 => "-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]{0,64}\n-----END PUBLIC KEY-----",
        2 => any::<String>(),
    ]
}

/// Any JSON value, nested a few levels, with ActivityPub's names as keys.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 96, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
                        1 => any::<String>(),
                    ],
                    inner
                ),
                0..10
            )
            .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// An element with any of the tags, attributes and URLs that must not survive,
/// around `inner`.
fn element(inner: String) -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "p",
        "a",
        "span",
        "script",
        "style",
        "iframe",
        "img",
        "svg",
        "math",
        "object",
        "embed",
        "form",
        "textarea",
        "noscript",
        "template",
        "title",
        "xmp",
        "plaintext",
        "table",
        "select",
        "option",
        "pre",
        "code",
        "b",
        "i",
        "u",
        "blockquote",
        "ul",
        "li",
        "SCRIPT",
        "ScRiPt",
    ]);
    let attribute = prop_oneof![
        Just("onclick=\"alert(1)\"".to_owned()),
        Just("onerror=alert(1)".to_owned()),
        Just("ONLOAD='x()'".to_owned()),
        Just("style=\"background:url(javascript:x)\"".to_owned()),
        Just("href=\"javascript:alert(1)\"".to_owned()),
        Just("href=\" JaVaScRiPt:alert(1)\"".to_owned()),
        Just("href=\"java&#x09;script:alert(1)\"".to_owned()),
        Just("href=\"&#106;avascript:alert(1)\"".to_owned()),
        Just("href=\"data:text/html;base64,PHNjcmlwdD4=\"".to_owned()),
        Just("href=\"vbscript:x\"".to_owned()),
        Just("href=\"https://example.org/?a=1&b=2\"".to_owned()),
        Just("src=\"x\"".to_owned()),
        Just("class=\"mention hashtag evil\"".to_owned()),
        Just("class=\"invisible\"".to_owned()),
        Just("rel=\"me\"".to_owned()),
        Just("xlink:href=\"javascript:x\"".to_owned()),
        Just("formaction=\"javascript:x\"".to_owned()),
        "[a-z]{1,6}=\"[^\"]{0,8}\"",
    ];
    (
        tag,
        prop::collection::vec(attribute, 0..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(move |(tag, attributes, closed, self_closing)| {
            let attributes = attributes.join(" ");
            if self_closing {
                format!("<{tag} {attributes}/>{inner}")
            } else if closed {
                format!("<{tag} {attributes}>{inner}</{tag}>")
            } else {
                format!("<{tag} {attributes}>{inner}")
            }
        })
}

/// HTML as a hostile server might write it: nested elements, entities, comments,
/// broken markup, and text.
fn hostile_html() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(String::new()),
        Just("alert(1)".to_owned()),
        Just("&lt;script&gt;".to_owned()),
        Just("&#60;script&#62;".to_owned()),
        Just("&amp;&quot;&#39;&nbsp;&#x1F600;&bogus;".to_owned()),
        Just("<!-- <script> -->".to_owned()),
        Just("<![CDATA[<script>]]>".to_owned()),
        Just("</p></a></script>".to_owned()),
        Just("<".to_owned()),
        Just("javascript:alert(1)".to_owned()),
        "[a-zA-Z0-9 <>&;#\"'=/:]{0,16}",
        "\\PC{0,8}",
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_flat_map(element),
            prop::collection::vec(inner, 1..4).prop_map(|parts| parts.concat()),
        ]
    })
}

// ---- the samples ----

/// The samples of `STAFFROOM_FIXTURES`, read; empty when it is not set.
static SAMPLES: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let Some(root) = std::env::var_os("STAFFROOM_FIXTURES") else {
        eprintln!("STAFFROOM_FIXTURES is not set: the samples were not mutated");
        return Vec::new();
    };
    let mut files = Vec::new();
    collect(Path::new(&root), &mut files);
    files.sort();
    files
        .iter()
        .filter_map(|path| serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok())
        .collect()
});

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

/// A change to a sample at the place `path` leads to.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(Value),
    Remove,
    WrapInArray,
    Duplicate,
    SetType(String),
}

fn mutation() -> impl Strategy<Value = (Vec<usize>, Mutation)> {
    (
        prop::collection::vec(any::<usize>(), 0..5),
        prop_oneof![
            4 => json().prop_map(Mutation::Replace),
            2 => Just(Mutation::Remove),
            1 => Just(Mutation::WrapInArray),
            1 => Just(Mutation::Duplicate),
            2 => prop::sample::select(TYPES).prop_map(|t| Mutation::SetType(t.to_owned())),
        ],
    )
}

/// `value` with `mutation` applied at the place `path` leads to (each step picks a
/// member or item by its position, modulo their number).
fn mutate(value: &mut Value, path: &[usize], mutation: &Mutation) {
    if let Some((step, rest)) = path.split_first() {
        match value {
            Value::Object(members) if !members.is_empty() => {
                let key = members.keys().nth(step % members.len()).cloned().unwrap();
                if rest.is_empty() && matches!(mutation, Mutation::Remove) {
                    members.remove(&key);
                    return;
                }
                return mutate(members.get_mut(&key).unwrap(), rest, mutation);
            }
            Value::Array(items) if !items.is_empty() => {
                let at = step % items.len();
                if rest.is_empty() && matches!(mutation, Mutation::Remove) {
                    items.remove(at);
                    return;
                }
                return mutate(&mut items[at], rest, mutation);
            }
            _ => {}
        }
    }
    match mutation {
        Mutation::Replace(new) => *value = new.clone(),
        Mutation::Remove => *value = Value::Null,
        Mutation::WrapInArray => *value = Value::Array(vec![value.take()]),
        Mutation::Duplicate => *value = Value::Array(vec![value.clone(), value.clone()]),
        Mutation::SetType(kind) => {
            if let Value::Object(members) = value {
                members.insert("type".into(), Value::String(kind.clone()));
            }
        }
    }
}

// ---- what must hold ----

/// Fails when `html` holds markup that could run or restyle the page: a script,
/// style, frame or embedded object, an event handler or `style` attribute, or a
/// `javascript:`, `data:` or `vbscript:` link.
fn assert_harmless(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or_default();
        let name: String = inside
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            ![
                "script", "style", "iframe", "object", "embed", "svg", "math", "img", "form",
                "template", "noscript"
            ]
            .contains(&name.as_str()),
            "<{name}> survived in {html}"
        );
        for attribute in inside.split_whitespace().skip(1) {
            assert!(!attribute.starts_with("on"), "{attribute} in {html}");
            assert!(!attribute.starts_with("style"), "{attribute} in {html}");
            if let Some(value) = attribute
                .strip_prefix("href=")
                .or_else(|| attribute.strip_prefix("src="))
            {
                let value: String = value
                    .trim_matches('"')
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                    .collect();
                assert!(
                    !value.starts_with("javascript:")
                        && !value.starts_with("data:")
                        && !value.starts_with("vbscript:")
                        && !value.starts_with("&#"),
                    "{attribute} in {html}"
                );
            }
        }
    }
}

/// Cleaning is harmless, idempotent, and bounded by what came in.
fn check_clean(dirty: &str) {
    let clean = sanitize::html(dirty);
    assert_harmless(&clean);
    assert_eq!(sanitize::html(&clean), clean, "cleaning again changed it");
    // Entities and `rel` values may lengthen it, never by more than this.
    assert!(
        clean.len() <= 8 * dirty.len() + 64,
        "{} bytes cleaned from {}",
        clean.len(),
        dirty.len()
    );
}

/// What the inbox does with a document: read as an activity, a post (also as the
/// object of a `Create` or `Update`), an actor; what it keeps is clean, and what
/// was read writes back into the same reading.
fn check_document(json: &Value) {
    let _ = serde_json::from_value::<InboxActivity>(json.clone());
    let bytes = serde_json::to_vec(json).unwrap();
    let _ = serde_json::from_slice::<InboxActivity>(&bytes);
    check_post(json);
    check_actor(json);
    if let Some(object) = json.get("object") {
        check_post(object);
        check_actor(object);
    }
}

fn check_post(json: &Value) {
    let Ok(note) = serde_json::from_value::<RemoteNoteObject>(json.clone()) else {
        return;
    };
    // Written out and read again, the post reads the same.
    let written = serde_json::to_value(&note).unwrap();
    let again: RemoteNoteObject = serde_json::from_value(written.clone())
        .unwrap_or_else(|e| panic!("a post read once cannot be read again ({e}): {written}"));
    assert_eq!(serde_json::to_value(&again).unwrap(), written);
    let size = serde_json::to_string(json).unwrap().len();
    if let Ok(content) = read_note(&note) {
        assert_harmless(&content.content);
        assert!(content.content.len() <= 8 * size + 64);
        assert!(
            !content
                .spoiler_text
                .to_ascii_lowercase()
                .contains("<script")
        );
    }
    if let Some(poll) = read_poll(&note) {
        assert!(poll.options.len() <= size);
    }
    if let Some(event) = read_event(&note) {
        assert_harmless(&event.description);
    }
    let attachments = read_attachments(&note.attachment);
    assert!(attachments.len() <= note.attachment.len());
    let _ = visibility(&note, Some("https://a.example/followers"));
}

fn check_actor(json: &Value) {
    let Ok(actor) = serde_json::from_value::<RemoteActorObject>(json.clone()) else {
        return;
    };
    let written = serde_json::to_value(&actor).unwrap();
    let again: RemoteActorObject = serde_json::from_value(written.clone())
        .unwrap_or_else(|e| panic!("an actor read once cannot be read again ({e}): {written}"));
    assert_eq!(serde_json::to_value(&again).unwrap(), written);
    check_clean(actor.summary.as_deref().unwrap_or_default());
    for (name, value) in actor.property_values() {
        let _ = name;
        check_clean(&value);
    }
    let _ = (actor.page_url(), actor.avatar_url(), actor.header_url());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_json_document_is_read_or_refused(json in json()) {
        check_document(&json);
    }

    #[test]
    fn any_bytes_posted_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<InboxActivity>(&bytes);
        if let Ok(json) = serde_json::from_slice::<Value>(&bytes) {
            check_document(&json);
        }
    }

    #[test]
    fn mutated_samples_are_read_or_refused(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        if SAMPLES.is_empty() {
            return Ok(());
        }
        let mut json = SAMPLES[pick.index(SAMPLES.len())].clone();
        for (path, mutation) in &mutations {
            mutate(&mut json, path, mutation);
        }
        check_document(&json);
    }

    #[test]
    fn samples_with_bytes_flipped_are_read_or_refused(
        pick in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        if SAMPLES.is_empty() {
            return Ok(());
        }
        let mut bytes = serde_json::to_vec(&SAMPLES[pick.index(SAMPLES.len())]).unwrap();
        for (at, byte) in flips {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        let _ = serde_json::from_slice::<InboxActivity>(&bytes);
        if let Ok(json) = serde_json::from_slice::<Value>(&bytes) {
            check_document(&json);
        }
    }

    #[test]
    fn hostile_html_is_cleaned_harmlessly_and_once(html in hostile_html()) {
        check_clean(&html);
    }

    #[test]
    fn any_text_is_cleaned_harmlessly_and_once(text in any::<String>()) {
        check_clean(&text);
    }

    #[test]
    fn signature_headers_name_a_server_or_none(
        key_id in prop_oneof![
            "https?://[a-zA-Z0-9.-]{0,12}(:[0-9]{0,6})?/[a-z/#-]{0,16}",
            any::<String>(),
        ],
        rest in "[ -~]{0,40}",
        quoted in any::<bool>(),
    ) {
        let header = if quoted {
            format!("keyId=\"{key_id}\",{rest}")
        } else {
            format!("{rest},keyId={key_id}")
        };
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&header) {
            headers.insert("signature", value);
        }
        if let Some(server) = sending_server(&headers) {
            prop_assert!(!server.is_empty() && server.len() <= header.len());
            prop_assert_eq!(server.to_ascii_lowercase(), server.clone());
        }
        let _ = key_owner(&key_id);
        // The signature header as the signed-fetch check reads it.
        let mut map = std::collections::BTreeMap::new();
        map.insert("signature".to_owned(), header.clone());
        map.insert("date".to_owned(), rest.clone());
        map.insert("host".to_owned(), "x.example".to_owned());
        let _ = http_signature_normalization::Config::new()
            .begin_verify("GET", "/users/a", map)
            .map(|unverified| unverified.key_id().len());
    }

    #[test]
    fn webfinger_resources_are_read_or_refused(resource in prop_oneof![
        "(acct:)?@?[a-zA-Z0-9_.@-]{0,12}@?[a-z.:0-9]{0,12}",
        "https?://x\\.example(:[0-9]{1,5})?/(users|@|tags)/?[a-zA-Z0-9_%]{0,12}",
        any::<String>(),
    ]) {
        let urls = LocalUrls::new("x.example", true).unwrap();
        let _ = parse_resource(&resource, &urls);
    }

    #[test]
    fn webfinger_answers_read_and_written_read_the_same(json in json()) {
        if let Ok(answer) = serde_json::from_value::<Webfinger>(json) {
            let written = serde_json::to_value(&answer).unwrap();
            let again: Webfinger = serde_json::from_value(written).unwrap();
            prop_assert_eq!(again, answer);
        }
    }
}
