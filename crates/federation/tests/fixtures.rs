//! Real ActivityPub samples from a dozen servers (Mastodon, Pleroma, Lemmy,
//! Friendica, PeerTube, Mobilizon ...): each actor or post is read into what Staffroom
//! would store, or refused with a reason, and no markup that could run survives.
//!
//! The samples live outside the project; `STAFFROOM_FIXTURES` names their folder
//! (`.ci/run` sets it). Without it this suite says so and checks nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use staffroom_domain::posts::event::JoinMode;
use staffroom_domain::posts::post::Visibility;
use staffroom_federation::activities::InboxActivity;
use staffroom_federation::groups::announced_post_id;
use staffroom_federation::objects::media::read_attachments;
use staffroom_federation::objects::post::{
    read_article, read_event, read_note, read_poll, visibility,
};
use staffroom_federation::protocol::actor::RemoteActorObject;
use staffroom_federation::protocol::note::RemoteNoteObject;
use staffroom_federation::sanitize;

const ACTOR_TYPES: &[&str] = &["Person", "Group", "Organization", "Application", "Service"];

fn samples() -> Option<Vec<PathBuf>> {
    let root = std::env::var_os("STAFFROOM_FIXTURES")?;
    let mut files = Vec::new();
    collect(Path::new(&root), &mut files);
    files.sort();
    Some(files)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

/// The sample whose path ends with `suffix`, read.
fn sample(files: &[PathBuf], suffix: &str) -> Value {
    let path = files
        .iter()
        .find(|p| p.ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} is missing"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Markup that must never survive cleaning.
fn assert_harmless(html: &str, sample: &Path) {
    let lower = html.to_ascii_lowercase();
    for danger in [
        "<script",
        "<style",
        "<iframe",
        "<img",
        "javascript:",
        " on",
        "style=",
    ] {
        let found = match danger {
            // An attribute like onclick= (a word starting "on" inside a tag).
            " on" => lower.split('<').skip(1).any(|tag| {
                let tag = tag.split('>').next().unwrap_or_default();
                tag.split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on"))
            }),
            _ => lower.contains(danger),
        };
        assert!(!found, "{}: {danger} survived in {html}", sample.display());
    }
}

/// What one sample became.
enum Outcome {
    Actor,
    Post(Visibility),
    Refused(String),
    NotHandled(String),
}

fn check(sample: &Path, json: &Value) -> Outcome {
    let kind = json
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("(no type)");
    if ACTOR_TYPES.contains(&kind) {
        return match serde_json::from_value::<RemoteActorObject>(json.clone()) {
            Ok(actor) => {
                let summary = sanitize::html(actor.summary.as_deref().unwrap_or_default());
                assert_harmless(&summary, sample);
                assert!(
                    actor.public_key.public_key_pem.contains("PUBLIC KEY"),
                    "{}",
                    sample.display()
                );
                Outcome::Actor
            }
            Err(e) => Outcome::Refused(format!("actor: {e}")),
        };
    }
    // An activity carrying a post is checked through its object.
    let object = match (kind, json.get("object")) {
        ("Create" | "Update", Some(object)) if object.is_object() => object,
        _ => json,
    };
    let object_kind = object
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("(no type)");
    if ACTOR_TYPES.contains(&object_kind) {
        return check(sample, object);
    }
    match serde_json::from_value::<RemoteNoteObject>(object.clone()) {
        Ok(note) => match read_note(&note) {
            Ok(content) => {
                assert_harmless(&content.content, sample);
                assert!(
                    !content.spoiler_text.contains('<')
                        || !content.spoiler_text.contains("<script"),
                    "{}",
                    sample.display()
                );
                Outcome::Post(visibility(&note, None))
            }
            Err(e) => Outcome::Refused(e.to_string()),
        },
        Err(_) => Outcome::NotHandled(format!("{kind}({object_kind})")),
    }
}

#[test]
fn every_sample_is_stored_cleanly_or_refused_with_a_reason() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    assert!(
        files.len() > 50,
        "expected the full sample set, found {}",
        files.len()
    );
    let (mut actors, mut posts, mut refused, mut other) = (0, 0, 0, 0);
    let mut visibilities = std::collections::BTreeMap::new();
    for sample in &files {
        let text = std::fs::read_to_string(sample).unwrap();
        let json: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", sample.display()));
        match check(sample, &json) {
            Outcome::Actor => actors += 1,
            Outcome::Post(visibility) => {
                posts += 1;
                *visibilities.entry(visibility.name()).or_insert(0) += 1;
            }
            Outcome::Refused(reason) => {
                refused += 1;
                eprintln!("refused {}: {reason}", sample.display());
            }
            Outcome::NotHandled(kind) => {
                other += 1;
                eprintln!("not a post or actor {}: {kind}", sample.display());
            }
        }
    }
    eprintln!(
        "{actors} actors, {posts} posts {visibilities:?}, {refused} refused, {other} other activities"
    );
    assert!(
        visibilities.get("public").is_some_and(|n| *n > 10),
        "{visibilities:?}"
    );
    assert!(
        visibilities.contains_key("direct"),
        "private messages read as direct: {visibilities:?}"
    );
    assert!(actors >= 20, "{actors} actors read");
    assert!(posts >= 30, "{posts} posts read");
}

#[test]
fn known_samples_read_as_their_servers_meant() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    let find = |suffix: &str| sample(&files, suffix);
    // Mastodon: a public reply with a mention, in English.
    let create = find("mastodon/activities/create_note.json");
    let note: RemoteNoteObject = serde_json::from_value(create["object"].clone()).unwrap();
    let content = read_note(&note).unwrap();
    assert_eq!(
        content.author.as_str(),
        "https://mastodon.madrid/users/felix"
    );
    assert_eq!(
        content.in_reply_to.as_ref().map(url::Url::as_str),
        Some("https://mamot.fr/users/retiolus/statuses/107224244380204526")
    );
    assert_eq!(content.language.as_deref(), Some("en"));
    assert!(content.content.contains("thinkpad"));
    assert_eq!(
        visibility(&note, Some("https://mastodon.madrid/users/felix/followers")),
        Visibility::Unlisted
    );
    // A single tag object and a bare `to` string (Kroeg).
    let kroeg = find("pleroma-test-fixtures/kroeg-array-less-hashtag.json");
    let note: RemoteNoteObject = serde_json::from_value(kroeg["object"].clone()).unwrap();
    assert_eq!(note.tag.len(), 1);
    assert_eq!(
        read_note(&note).unwrap().author.as_str(),
        "https://puckipedia.com/"
    );
    assert_eq!(visibility(&note, None), Visibility::Public);
    // A sensitive post keeps its content warning.
    let nsfw = find("pleroma-test-fixtures/mastodon-post-activity-nsfw.json");
    let note: RemoteNoteObject = serde_json::from_value(nsfw["object"].clone()).unwrap();
    let content = read_note(&note).unwrap();
    assert!(content.sensitive);
    // A Plume article carries its title into the post.
    let article = find("pleroma-test-fixtures/baptiste.gelex.xyz-article.json");
    let object = if article["type"] == "Create" {
        article["object"].clone()
    } else {
        article
    };
    let note: RemoteNoteObject = serde_json::from_value(object).unwrap();
    assert!(read_note(&note).unwrap().content.starts_with("<p><strong>"));
}

#[test]
fn a_misskey_poll_is_read_with_its_options_and_counts() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    let question = sample(
        &files,
        "pleroma-test-fixtures/misskey_poll_no_end_date.json",
    );
    let note: RemoteNoteObject = serde_json::from_value(question).unwrap();
    let content = read_note(&note).unwrap();
    assert_eq!(content.kind, "question");
    assert!(content.content.contains("How are your notifications now?"));
    let poll = read_poll(&note).expect("a Question with options is a poll");
    assert_eq!(
        poll.options,
        vec![("Working".to_owned(), 0), ("Broken af".to_owned(), 1)]
    );
    assert!(!poll.multiple);
    assert_eq!(poll.expires_at, None, "`endTime: null` never ends");
    assert_eq!(poll.voters_count, None);
}

#[test]
fn mobilizon_events_are_read_with_their_time_place_and_join_mode() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    let note: RemoteNoteObject =
        serde_json::from_value(sample(&files, "mobilizon/objects/event.json")).unwrap();
    let content = read_note(&note).unwrap();
    assert_eq!(content.kind, "event");
    assert_harmless(&content.content, Path::new("mobilizon/objects/event.json"));
    let event = read_event(&note).expect("an Event with a start is an event");
    assert_eq!(event.timezone.as_deref(), Some("Europe/London"));
    assert_eq!(event.starts_at.to_rfc3339(), "2022-12-11T19:00:00+00:00");
    assert_eq!(
        event.ends_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2022-12-11T21:00:00+00:00")
    );
    assert_eq!(event.place_name.as_deref(), Some("The Kenn Centre"));
    assert_eq!(
        event.address.as_deref(),
        Some("Devon Expressway, Teignbridge, EX6 7TW, England, United Kingdom")
    );
    assert_eq!(event.join_mode, JoinMode::Free);
    assert_eq!(event.capacity, None, "0 is no limit");
    assert_eq!(event.participant_count, 0);
    assert!(event.description.contains("£6 each."));
    assert_harmless(
        &event.description,
        Path::new("mobilizon/objects/event.json"),
    );
    // Shown in apps as a status: the title, when (in its zone), where, its page.
    let shown = event.to_event(1).status_html(note.id.as_str());
    assert!(shown.contains("When: Sun 11 December 2022, 19:00–21:00 (Europe/London)"));
    assert!(shown.contains("Where: The Kenn Centre, Devon Expressway"));

    let note: RemoteNoteObject = serde_json::from_value(sample(
        &files,
        "pleroma-test-fixtures/mobilizon.org-event.json",
    ))
    .unwrap();
    let event = read_event(&note).unwrap();
    assert_eq!(event.title, "Mobilizon Launching Party");
    assert_eq!(event.timezone, None);
    assert_eq!(
        event.place_name.as_deref(),
        Some("Cour du Château des Ducs de Bretagne")
    );
    assert_eq!(
        event.address.as_deref(),
        Some("Nantes, Pays de la Loire, France"),
        "a blank street is left out"
    );
    let kept = event.to_event(1);
    assert_eq!(
        kept.timezone, "UTC",
        "an event without a zone is shown in UTC"
    );
    assert_eq!(kept.when(), "Wed 18 December 2019, 13:00–14:00 (UTC)");
    // Other samples are no events.
    let note: RemoteNoteObject = serde_json::from_value(sample(
        &files,
        "pleroma-test-fixtures/misskey_poll_no_end_date.json",
    ))
    .unwrap();
    assert!(read_event(&note).is_none());
}

#[test]
fn attachments_of_real_samples_are_read_with_their_alt_text() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    let read = |suffix: &str| {
        let path = files
            .iter()
            .find(|p| p.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} is missing"));
        let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let note: RemoteNoteObject = serde_json::from_value(json).unwrap();
        read_attachments(&note.attachment)
    };
    // Mastodon: a JPEG with its alt text, blurhash, size and focal point.
    let mastodon = read("mastodon/objects/note_2.json");
    assert_eq!(mastodon.len(), 1);
    assert_eq!(mastodon[0].content_type, "image/jpeg");
    assert!(
        mastodon[0]
            .description
            .as_deref()
            .is_some_and(|d| d.contains("Katie and Konqi"))
    );
    assert!(mastodon[0].blurhash.is_some());
    assert_eq!(
        mastodon[0].size.map(|s| (s.width, s.height)),
        Some((1500, 1095))
    );
    // Lemmy: an image beside a link, which is not a medium.
    let lemmy = read("lemmy/objects/page_image_and_link.json");
    assert_eq!(lemmy.len(), 1);
    assert_eq!(
        lemmy[0].url,
        "https://enterprise.lemmy.ml/pictrs/image/eOtYb9iEiB.png"
    );
    assert_eq!(lemmy[0].content_type, "image/png");
}

#[test]
fn group_samples_read_as_groups_with_their_posts_and_announces() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    let find = |suffix: &str| sample(&files, suffix);
    // Lemmy communities, NodeBB categories and Lotide communities are `Group`s that
    // are followed as people are.
    for (sample, username, inbox) in [
        (
            "lemmy/objects/group.json",
            "tenforward",
            "https://enterprise.lemmy.ml/c/tenforward/inbox",
        ),
        (
            "nodebb/objects/group.json",
            "general",
            "https://bb.devnull.land/category/2/inbox",
        ),
        (
            "lotide/objects/group.json",
            "Iotide",
            "https://narwhal.city/communities/12/inbox",
        ),
    ] {
        let json = find(sample);
        let Ok(actor) = serde_json::from_value::<RemoteActorObject>(json.clone()) else {
            // Lotide serves no key in its sample: such a group cannot sign, and
            // is refused.
            assert!(json.get("publicKey").is_none(), "{sample}");
            continue;
        };
        assert_eq!(actor.kind, "Group", "{sample}");
        assert_eq!(actor.preferred_username, username, "{sample}");
        assert_eq!(actor.inbox.as_str(), inbox, "{sample}");
    }
    let lemmy = find("lemmy/objects/group.json");
    assert_eq!(lemmy["postingRestrictedToMods"], false);
    let moderators = find("lemmy/collections/group_moderators.json");
    assert_eq!(moderators["id"], lemmy["attributedTo"]);

    // A post in a group names it in `audience` (Lemmy, NodeBB) or `to` and a
    // mention (Friendica, Lemmy), which is how a group here learns it is meant.
    let page: RemoteNoteObject = serde_json::from_value(find("lemmy/objects/page.json")).unwrap();
    let community = Value::from("https://enterprise.lemmy.ml/c/tenforward");
    assert_eq!(page.audience, vec![community.clone()]);
    assert!(page.to.contains(&community));
    assert_eq!(visibility(&page, None), Visibility::Public);
    let nodebb: RemoteNoteObject =
        serde_json::from_value(find("nodebb/objects/page.json")).unwrap();
    assert_eq!(
        nodebb.audience,
        vec![Value::from("https://bb.devnull.land/category/2")]
    );
    assert!(read_note(&nodebb).is_ok());
    let friendica: RemoteNoteObject =
        serde_json::from_value(find("friendica/objects/page_1.json")).unwrap();
    assert_eq!(
        friendica.to,
        vec![Value::from("https://ds9.lemmy.ml/c/testcom")]
    );
    assert!(
        friendica
            .tag
            .iter()
            .any(|t| t["type"] == "Mention" && t["href"] == "https://ds9.lemmy.ml/c/testcom")
    );
    // A Mastodon post to a Lemmy community (as Friendica's samples keep it).
    let create = find("friendica/activities/create_page_1.json");
    assert!(create["cc"].as_array().unwrap().contains(&Value::from(
        "https://lemmy.qa.urbanwildlife.biz/c/lemmy_community"
    )));

    // Lemmy announces what members do, whole: the post inside a `Create` is what
    // is shared; announced votes and removals share no post.
    let announce = find("lemmy/activities/community/announce_create_page.json");
    assert_eq!(
        announced_post_id(&announce["object"]),
        Some("http://enterprise.lemmy.ml/post/7")
    );
    let outbox = find("lemmy/collections/group_outbox.json");
    for item in outbox["orderedItems"].as_array().unwrap() {
        assert_eq!(item["type"], "Announce");
        let shared = announced_post_id(&item["object"]).unwrap();
        assert!(shared.starts_with("https://ds9.lemmy.ml/post/"), "{shared}");
    }
    let like = json!({"type": "Like", "object": "https://ds9.lemmy.ml/post/1"});
    assert_eq!(announced_post_id(&like), None);
    // Mastodon announces a post by its id.
    let boost = find("pleroma-test-fixtures/mastodon-announce.json");
    assert_eq!(
        announced_post_id(&boost["object"]),
        boost["object"].as_str()
    );
    // Mbin accepts a follow of a magazine with the `Follow` embedded.
    let accept = find("mbin/activities/accept.json");
    assert_eq!(accept["object"]["type"], "Follow");
    assert_eq!(accept["object"]["object"], accept["actor"]);
}

/// The type an activity was read as.
fn read_as(activity: &InboxActivity) -> &'static str {
    match activity {
        InboxActivity::Follow(_) => "Follow",
        InboxActivity::Accept(_) => "Accept",
        InboxActivity::Reject(_) => "Reject",
        InboxActivity::Undo(_) => "Undo",
        InboxActivity::Create(_) => "Create",
        InboxActivity::Update(_) => "Update",
        InboxActivity::Delete(_) => "Delete",
        InboxActivity::Like(_) => "Like",
        InboxActivity::Announce(_) => "Announce",
        InboxActivity::Block(_) => "Block",
        InboxActivity::Flag(_) => "Flag",
        InboxActivity::Move(_) => "Move",
        InboxActivity::Join(_) => "Join",
        InboxActivity::Leave(_) => "Leave",
        InboxActivity::Other(_) => "Other",
    }
}

/// The activities sent and parsed by the same types must still read what other
/// servers send: every sample activity of a type the inbox handles is read as
/// that type (the rest as one it ignores), whatever shape its addressing and
/// objects have.
#[test]
fn every_sample_activity_is_read_as_its_own_type() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    const HANDLED: &[&str] = &[
        "Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete", "Like", "Announce",
        "Block", "Flag", "Move",
    ];
    let mut read = 0;
    for sample in &files {
        let json: Value = serde_json::from_str(&std::fs::read_to_string(sample).unwrap()).unwrap();
        // Only activities from an actor named by its id can be checked and applied.
        if !json.get("actor").is_some_and(Value::is_string) {
            continue;
        }
        let kind = json["type"].as_str().unwrap_or_default();
        let activity: InboxActivity = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{}: {e}", sample.display()));
        let expected = if HANDLED.contains(&kind) {
            kind
        } else {
            "Other"
        };
        assert_eq!(read_as(&activity), expected, "{}", sample.display());
        read += 1;
    }
    assert!(read >= 70, "{read} activities read");
}

/// The members of `theirs` (a sample) that `ours` lacks, or has in another JSON
/// shape (a string for an array, say), at `path`.
fn missing_like(theirs: &Value, ours: &Value, path: &str, skip: &[&str]) -> Vec<String> {
    let mut missing = Vec::new();
    let Some(members) = theirs.as_object() else {
        return missing;
    };
    for (key, value) in members {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let here = format!("{path}.{key}");
        match ours.get(key) {
            None => missing.push(here),
            Some(mine) if value.is_object() && mine.is_object() => {
                missing.extend(missing_like(value, mine, &here, skip));
            }
            Some(mine)
                if std::mem::discriminant(value) != std::mem::discriminant(mine)
                    && !(value.is_object() && mine.is_string()) =>
            {
                missing.push(format!("{here} (shaped {mine})"));
            }
            Some(_) => {}
        }
    }
    missing
}

/// What a group here sends its members, beside what Lemmy sends a community's:
/// each member Lemmy's samples have (bar Lemmy's own extensions) is there, in
/// the same shape (arrays stay arrays).
#[test]
fn what_a_group_sends_is_shaped_as_lemmys_samples() {
    use staffroom_domain::posts::post::Visibility;
    use staffroom_federation::group_announces::{Change, addressing, member_activity};
    use staffroom_federation::protocol::note::Note;

    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    let group = "https://a.example/users/finance";
    let note = |extra: Value| -> Note {
        let mut note = json!({
            "id": "https://a.example/users/ann/statuses/5",
            "type": "Note",
            "attributedTo": "https://a.example/users/ann",
            "content": "<p>Budgets for 2027</p><p>What are you cutting?</p>",
            "summary": null,
            "sensitive": false,
            "inReplyTo": null,
            "published": "2026-01-02T03:04:05Z",
            "url": "https://a.example/@ann/5",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": ["https://a.example/users/ann/followers", group],
            "tag": [],
            "attachment": [],
        });
        for (key, value) in extra.as_object().unwrap() {
            note[key] = value.clone();
        }
        serde_json::from_value(note).unwrap()
    };
    let announce = |object: Value| {
        let (to, cc) = addressing(Visibility::Public, group);
        json!({
            "id": format!("{group}/statuses/6/activity/create"),
            "type": "Announce",
            "actor": group,
            "to": to,
            "cc": cc,
            "audience": group,
            "object": object,
        })
    };
    // Lemmy's extensions to a post, which other servers neither send nor need.
    let lemmy_only = [
        "@context",
        "mediaType",
        "commentsEnabled",
        "stickied",
        "distinguished",
        "source",
        "language",
        "context",
    ];

    let create = member_activity(
        group,
        note(json!({})),
        "https://a.example/c/1",
        Change::Created,
    );
    let ours = announce(create.clone());
    let theirs = sample(
        &files,
        "lemmy/activities/community/announce_create_page.json",
    );
    assert_eq!(
        missing_like(&theirs, &ours, "", &lemmy_only),
        Vec::<String>::new()
    );
    assert_eq!(ours["object"]["object"]["type"], "Page");
    assert_eq!(ours["object"]["object"]["name"], "Budgets for 2027");
    assert_eq!(ours["object"]["audience"], group);
    let theirs = sample(&files, "lemmy/activities/create_or_update/create_page.json");
    assert_eq!(
        missing_like(&theirs, &create, "", &lemmy_only),
        Vec::<String>::new()
    );

    let edited = note(json!({"updated": "2026-01-03T00:00:00Z"}));
    let at = chrono::DateTime::from_timestamp(1_767_398_400, 0).unwrap();
    let update = member_activity(group, edited, "https://a.example/u/1", Change::Edited(at));
    let theirs = sample(&files, "lemmy/activities/create_or_update/update_page.json");
    assert_eq!(
        missing_like(&theirs, &update, "", &lemmy_only),
        Vec::<String>::new()
    );

    let reply = note(json!({"inReplyTo": "https://b.example/post/1"}));
    let comment = member_activity(group, reply, "https://a.example/c/2", Change::Created);
    let theirs = sample(
        &files,
        "lemmy/activities/create_or_update/create_comment.json",
    );
    assert_eq!(
        missing_like(&theirs, &comment, "", &lemmy_only),
        Vec::<String>::new()
    );
    assert_eq!(comment["object"]["type"], "Note");
    assert!(comment["object"].get("name").is_none());

    let delete = member_activity(
        group,
        note(json!({})),
        "https://a.example/d/1",
        Change::Deleted,
    );
    let theirs = sample(&files, "lemmy/activities/deletion/delete_page.json");
    assert_eq!(
        missing_like(&theirs, &delete, "", &lemmy_only),
        Vec::<String>::new()
    );
    assert_eq!(delete["object"], "https://a.example/users/ann/statuses/5");
}

#[test]
fn articles_and_pages_of_other_servers_are_read_with_their_title_summary_and_body() {
    let Some(files) = samples() else {
        eprintln!("STAFFROOM_FIXTURES is not set: the interop samples were not checked");
        return;
    };
    // (sample, title, a word of its text, whether it has a cover)
    for (suffix, title, word, cover) in [
        (
            "pleroma-test-fixtures/baptiste.gelex.xyz-article.json",
            "This Month in Plume: June 2018",
            "Plume",
            false,
        ),
        (
            "wordpress/objects/page.json",
            "An Epic 3D-Printed Fan Expansion for Last Light",
            "spaceship",
            true,
        ),
        ("lemmy/objects/page.json", "Post title", "", true),
        (
            "nodebb/objects/page.json",
            "Welcome to your NodeBB!",
            "NodeBB",
            false,
        ),
        (
            "friendica/objects/page_1.json",
            "ISS astronauts perform final spacewalk of Expedition 66",
            "",
            false,
        ),
        ("gnusocial/objects/page.json", "hello, world.", "", false),
        (
            "lotide/objects/page.json",
            "What's Dylan Grillin'? (reupload)",
            "",
            false,
        ),
    ] {
        let json = sample(&files, suffix);
        let object: RemoteNoteObject = serde_json::from_value(json).unwrap();
        read_note(&object).unwrap_or_else(|e| panic!("{suffix}: {e}"));
        let article = read_article(&object).unwrap_or_else(|| panic!("{suffix} is no article"));
        assert_eq!(article.title, title, "{suffix}");
        assert_harmless(&article.body_html, Path::new(suffix));
        assert!(
            !article.summary.contains('<'),
            "{suffix}: {}",
            article.summary
        );
        assert!(
            article.summary.chars().count() <= staffroom_domain::posts::article::MAX_SUMMARY_CHARS,
            "{suffix}"
        );
        let text = format!("{} {}", article.summary, article.body_html).to_lowercase();
        assert!(text.contains(&word.to_lowercase()), "{suffix}: {text}");
        assert_eq!(article.cover_url.is_some(), cover, "{suffix}");
    }
    // A note is no article, even with a name (Discourse), nor is a Mastodon note.
    for suffix in ["discourse/objects/page.json", "mastodon/objects/page.json"] {
        let object: RemoteNoteObject = serde_json::from_value(sample(&files, suffix)).unwrap();
        assert!(read_article(&object).is_none(), "{suffix}");
    }
}
