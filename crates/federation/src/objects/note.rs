//! Local posts as `Note` documents.

use staffroom_domain::account::Account;
use staffroom_domain::post::{Post, Visibility};

use crate::LocalUrls;
use crate::objects::actor::actor_id;
use crate::protocol::note::{Note, Source};
use crate::protocol::{PUBLIC, context};

/// Who a post is addressed to (`to`, `cc`) for its visibility.
pub fn audience(visibility: Visibility, followers: &str) -> (Vec<String>, Vec<String>) {
    match visibility {
        Visibility::Public => (vec![PUBLIC.to_owned()], vec![followers.to_owned()]),
        Visibility::Unlisted => (vec![followers.to_owned()], vec![PUBLIC.to_owned()]),
        Visibility::Private => (vec![followers.to_owned()], Vec::new()),
        // Mentions join the audience when mentions are parsed.
        Visibility::Direct => (Vec::new(), Vec::new()),
    }
}

/// The `Note` of `post` by the local `author`; `with_context` for a document served
/// on its own, without for one embedded in an activity.
pub fn local_note(urls: &LocalUrls, author: &Account, post: &Post, with_context: bool) -> Note {
    let actor = actor_id(urls, author);
    let (to, cc) = audience(post.visibility, &format!("{actor}/followers"));
    let content_map = post.language.as_ref().map(|language| {
        let mut map = serde_json::Map::new();
        map.insert(language.clone(), post.content.clone().into());
        map
    });
    Note {
        context: with_context.then(context),
        id: urls.post(&author.username, post.id),
        kind: "Note".into(),
        attributed_to: actor,
        content: post.content.clone(),
        source: post.source.as_ref().map(|text| Source {
            content: text.clone(),
            media_type: "text/plain".into(),
        }),
        summary: (!post.spoiler_text.is_empty()).then(|| post.spoiler_text.clone()),
        sensitive: post.sensitive,
        in_reply_to: None,
        published: crate::timestamp(post.created_at),
        updated: post.edited_at.map(crate::timestamp),
        url: urls.post_page(&author.username, post.id),
        to,
        cc,
        tag: Vec::new(),
        attachment: Vec::new(),
        content_map,
    }
}

/// The `Create` activity that published the local `post` (without `@context`).
pub fn create_activity(urls: &LocalUrls, author: &Account, post: &Post) -> serde_json::Value {
    let note = local_note(urls, author, post, false);
    serde_json::json!({
        "id": format!("{}/activity", note.id),
        "type": "Create",
        "actor": note.attributed_to,
        "published": note.published,
        "to": note.to,
        "cc": note.cc,
        "object": note,
    })
}
