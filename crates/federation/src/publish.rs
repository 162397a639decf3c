//! Telling other servers what happened here: a local post created, edited or deleted
//! goes to the inboxes of its author's followers, through the delivery queue.

use serde_json::{Value, json};
use staffroom_domain::account::Account;
use staffroom_domain::follow;
use staffroom_domain::post::{Post, Visibility};

use crate::context::FederationData;
use crate::error::Error;
use crate::objects::note::{create_activity, local_note};
use crate::protocol::context;
use crate::send;

/// Where a post of `author` goes: its followers' inboxes, unless it is direct (then
/// only the people it mentions, once mentions are parsed).
async fn audience_inboxes(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<Vec<String>, Error> {
    Ok(match post.visibility {
        Visibility::Public | Visibility::Unlisted | Visibility::Private => {
            follow::follower_inboxes(&data.db, author.id).await?
        }
        Visibility::Direct => Vec::new(),
    })
}

/// `Create(Note)` for the new local `post`.
pub async fn post_created(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<(), Error> {
    let inboxes = audience_inboxes(data, author, post).await?;
    let mut activity = create_activity(&data.urls, author, post);
    with_context(&mut activity);
    send::deliver(data, author, activity, inboxes).await
}

/// `Update(Note)` for the edited local `post`.
pub async fn post_updated(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<(), Error> {
    let inboxes = audience_inboxes(data, author, post).await?;
    let note = local_note(&data.urls, author, post, false);
    let activity = json!({
        "@context": context(),
        "id": send::new_activity_id(&data.urls),
        "type": "Update",
        "actor": note.attributed_to,
        "to": note.to,
        "cc": note.cc,
        "object": note,
    });
    send::deliver(data, author, activity, inboxes).await
}

/// `Delete` with a `Tombstone` for the local `post`, which is gone.
pub async fn post_deleted(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<(), Error> {
    let inboxes = audience_inboxes(data, author, post).await?;
    let note = local_note(&data.urls, author, post, false);
    let activity = json!({
        "@context": context(),
        "id": format!("{}#delete", note.id),
        "type": "Delete",
        "actor": note.attributed_to,
        "to": note.to,
        "cc": note.cc,
        "object": {"id": note.id, "type": "Tombstone"},
    });
    send::deliver(data, author, activity, inboxes).await
}

fn with_context(activity: &mut Value) {
    if let Value::Object(map) = activity {
        map.insert("@context".into(), context());
    }
}
