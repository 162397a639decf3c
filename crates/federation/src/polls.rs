//! Polls between servers. A vote cast here on a local poll changes its counts,
//! and the poll's `Question` goes again to where the post went, as an `Update`,
//! after each vote (no batching: a vote is rare enough, and the counts others
//! show stay right). A vote cast here on another server's poll goes to that
//! poll's author alone, as Mastodon sends it: one `Create` of a `Note` per option
//! chosen, whose `name` is the option and whose `inReplyTo` is the question; it is
//! never stored or shown as a post. Such notes from other servers are votes on our
//! polls, counted once per person and option. When a poll ends, the people
//! concerned are told, and a local poll's `Question` goes out once more, closed.

use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::database;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::poll::{self, Cast};
use staffroom_domain::posts::post::Post;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::{self, Event};
use crate::objects::actor::actor_id;
use crate::objects::follows::any_actor_id;
use crate::protocol::activities::create::Create;
use crate::protocol::note::{Note, RemoteNoteObject};
use crate::protocol::values::id_of;
use crate::publish;
use crate::send;

/// The local account `voter` votes for the options `choices` (from 0) in the poll
/// of post `post_id` (see [`poll::vote`] for what is refused); the vote is then
/// told where it must be.
pub async fn vote(
    data: &Data,
    voter: &Account,
    post_id: i64,
    choices: &[i64],
) -> Result<Cast, Error> {
    let transaction = database::begin_write(&data.db)
        .await
        .map_err(staffroom_domain::Error::from)?;
    let cast = poll::vote(&transaction, voter, post_id, choices, Utc::now()).await?;
    transaction
        .commit()
        .await
        .map_err(staffroom_domain::Error::from)?;
    if cast.post.local {
        counts_changed(data.app_data(), &cast.post).await?;
    } else {
        send_vote(data.app_data(), voter, &cast).await?;
    }
    data.events.publish(Event::PostUpdated(cast.post.id));
    Ok(cast)
}

/// The notes of `voter`'s vote `cast` on another server's poll, each to its author.
async fn send_vote(data: &FederationData, voter: &Account, cast: &Cast) -> Result<(), Error> {
    let Some(question) = cast.post.uri.clone() else {
        return Ok(());
    };
    let author = account::get(&data.db, cast.post.account_id).await?;
    let actor = actor_id(&data.urls, voter);
    let author_id = any_actor_id(&data.urls, &author);
    let now = crate::timestamp(Utc::now());
    for choice in &cast.choices {
        let Some(option) = cast.poll.options.get(*choice) else {
            continue;
        };
        let id = format!("{actor}#votes/{}-{choice}", cast.post.id);
        let note = Note {
            id: id.clone(),
            kind: "Note".into(),
            attributed_to: actor.clone(),
            name: Some(option.title.clone()),
            in_reply_to: Some(question.clone()),
            published: now.clone(),
            url: id,
            to: vec![author_id.clone()],
            ..Note::default()
        };
        send::deliver(data, voter, &Create::new(note)?, send::inbox_of(&author)).await?;
    }
    Ok(())
}

/// The `Update` of the local poll of `post`, whose counts or state changed, for
/// where the post went.
async fn counts_changed(data: &FederationData, post: &Post) -> Result<(), Error> {
    let author = account::get(&data.db, post.account_id).await?;
    publish::post_updated(data, &author, post).await
}

/// Whether the remote `note` from `voter` is a vote: a note with a `name`
/// answering a local post with a poll. A vote is counted (if it may be) and the
/// poll's new counts sent; true tells the caller it is no post to store.
pub async fn receive_vote(
    data: &FederationData,
    voter: &Account,
    note: &RemoteNoteObject,
) -> Result<bool, Error> {
    let Some(name) = note.name.as_deref().filter(|n| !n.trim().is_empty()) else {
        return Ok(false);
    };
    let Some(post_id) = note
        .in_reply_to
        .as_ref()
        .and_then(id_of)
        .and_then(|id| Url::parse(id).ok())
        .and_then(|url| data.urls.local_post_id(url.as_str()))
    else {
        return Ok(false);
    };
    if poll::get(&data.db, post_id).await?.is_none() {
        return Ok(false);
    }
    let counted = poll::receive_vote(
        &data.db,
        post_id,
        voter.id,
        name,
        note.id.as_str(),
        Utc::now(),
    )
    .await?;
    if counted.is_some()
        && let Some(post) =
            staffroom_domain::posts::post::get_for_federation(&data.db, post_id).await?
    {
        data.events.publish(Event::PostUpdated(post.id));
        counts_changed(data, &post).await?;
    } else {
        tracing::debug!(id = %note.id, "a vote that does not count: ignored");
    }
    Ok(true)
}

/// Ends the polls due by now: their voters (and a local poll's author) are told,
/// and each local poll's closed `Question` is sent. How many ended.
pub async fn end_due(data: &FederationData) -> Result<usize, Error> {
    let mark = events::mark(Utc::now());
    let ended = poll::end_due(&data.db, Utc::now()).await?;
    for post in &ended {
        data.events
            .notified(
                &data.db,
                mark,
                post.account_id,
                Some(post.id),
                &[Kind::Poll],
            )
            .await;
        if post.local {
            counts_changed(data, post).await?;
        }
    }
    Ok(ended.len())
}
