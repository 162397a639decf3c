//! Telling other servers what happened here: a local post created, edited or deleted
//! goes to the inboxes of its author's followers and of the people it mentions,
//! through the delivery queue.

use chrono::Utc;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::graph::follow;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::posts::write;
use staffroom_domain::posts::{
    post::{self, Post, Visibility},
    write::{NewPost, Revision},
};
use staffroom_domain::visibility::post::Viewer;
use staffroom_domain::visibility::post::{federates, find_visible};
use staffroom_domain::{database, posts::compose};

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::{self, Event};
use crate::groups;
use crate::hashtag_feeds;
use crate::objects::note::{NoteExtras, extras, note_of};
use crate::protocol::activities::add_or_remove::{Add, Remove};
use crate::protocol::activities::create::Create;
use crate::protocol::activities::delete::Delete;
use crate::protocol::activities::update::Update;
use crate::protocol::actor::Actor;
use crate::protocol::note::Note;
use crate::relationships;
use crate::send;

/// Where a post goes: its author's followers (unless it is direct) and the remote
/// accounts it mentions; nowhere for a local-only post.
async fn audience_inboxes(
    data: &FederationData,
    author: &Account,
    post: &Post,
    extras: &NoteExtras,
) -> Result<Vec<String>, Error> {
    if !federates(post) {
        return Ok(Vec::new());
    }
    let mut inboxes = match post.visibility {
        Visibility::Public | Visibility::Unlisted | Visibility::Private => {
            follow::follower_inboxes(&data.db, author.id).await?
        }
        Visibility::Direct => Vec::new(),
    };
    // Instances that hashtag feeds relayed a public post to hear of its edits
    // and its deletion too.
    inboxes.extend(hashtag_feeds::relayed_inboxes(data, post).await?);
    inboxes.extend(extras.mentioned.iter().filter_map(|account| {
        account
            .remote
            .as_ref()
            .map(|r| r.delivery_inbox().to_owned())
    }));
    // A reply reaches the server of the post it answers, as Mastodon's do: a
    // comment on an article elsewhere arrives without naming its author.
    if post.visibility != Visibility::Direct
        && let Some(parent_id) = post.in_reply_to_id
        && let Some(parent) = post::get_for_federation(&data.db, parent_id).await?
        && !parent.local
    {
        let parent_author =
            staffroom_domain::accounts::account::get(&data.db, parent.account_id).await?;
        if let Some(remote) = &parent_author.remote {
            inboxes.push(remote.delivery_inbox().to_owned());
        }
    }
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The note of `post` and where it goes.
async fn prepare(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<(Note, Vec<String>), Error> {
    let extras = extras(&data.db, &data.urls, post).await?;
    let inboxes = audience_inboxes(data, author, post, &extras).await?;
    Ok((note_of(&data.urls, author, post, &extras), inboxes))
}

/// What a local author writes, before its mentions are found.
#[derive(Debug, Clone)]
pub struct Draft {
    pub text: String,
    pub visibility: Visibility,
    pub spoiler_text: String,
    /// Whether its media are hidden until shown.
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<i64>,
    /// The author's uploads to attach, in order.
    pub media_ids: Vec<i64>,
    /// A poll to ask.
    pub poll: Option<staffroom_domain::posts::poll::NewPoll>,
    /// An event to organise (`text` is then its description).
    pub event: Option<staffroom_domain::posts::event::NewEvent>,
    /// An article to publish (`text` is then empty; `media_ids` holds its cover).
    pub article: Option<staffroom_domain::posts::article::NewArticle>,
    /// Whether it stays inside this instance.
    pub local_only: bool,
}

/// The accounts `text` mentions, local or (by WebFinger) remote, each once.
async fn mentioned_in(data: &Data, text: &str) -> Result<Vec<Account>, Error> {
    let mut mentioned: Vec<Account> = Vec::new();
    for mention in compose::parse(text)
        .mentions
        .into_iter()
        .take(post::MAX_MENTIONS)
    {
        if let Some(found) = relationships::resolve_mention(data, &mention).await?
            && !mentioned.iter().any(|m| m.id == found.id)
        {
            mentioned.push(found);
        }
    }
    Ok(mentioned)
}

/// Writes a local post: its mentions are found (remote ones by WebFinger), the post
/// is stored with its media in one transaction, and its `Create` is queued for its
/// audience.
pub async fn create_post(data: &Data, author: &Account, draft: Draft) -> Result<Post, Error> {
    let mentioned = mentioned_in(data, &draft.text).await?;
    let addressed = mentioned.clone();
    let new = NewPost {
        text: draft.text,
        visibility: draft.visibility,
        spoiler_text: draft.spoiler_text,
        sensitive: draft.sensitive,
        language: draft.language,
        in_reply_to_id: draft.in_reply_to_id,
        mentioned,
        media_ids: draft.media_ids,
        poll: draft.poll,
        event: draft.event,
        article: draft.article,
        local_only: draft.local_only,
    };
    let mark = events::mark(Utc::now());
    let transaction = database::begin_write(&data.db)
        .await
        .map_err(staffroom_domain::Error::from)?;
    let created = write::create_local(&transaction, author, new, &data.urls).await?;
    transaction
        .commit()
        .await
        .map_err(staffroom_domain::Error::from)?;
    groups::keep_for_closed_groups(data.app_data(), &created, &addressed).await?;
    // Listeners hear of it once it is committed.
    data.events.publish(Event::PostCreated(created.id));
    data.events
        .notified(
            &data.db,
            mark,
            author.id,
            Some(created.id),
            &[Kind::Mention, Kind::Status],
        )
        .await;
    post_created(data.app_data(), author, &created).await?;
    hashtag_feeds::relay(data.app_data(), &created, None).await?;
    groups::share(data.app_data(), &created, &addressed).await?;
    Ok(created)
}

/// Edits the local post `id` of `author` and queues its `Update`.
pub async fn edit_post(
    data: &Data,
    author: &Account,
    id: i64,
    revision: Revision,
) -> Result<Post, Error> {
    let mentioned = mentioned_in(data, &revision.text).await?;
    let mark = events::mark(Utc::now());
    let edited = write::edit_local(&data.db, author, id, revision, &mentioned, &data.urls).await?;
    data.events.publish(Event::PostUpdated(edited.id));
    data.events
        .notified(&data.db, mark, author.id, Some(edited.id), &[Kind::Update])
        .await;
    post_updated(data.app_data(), author, &edited).await?;
    groups::pass_on_edit(data.app_data(), &edited).await?;
    Ok(edited)
}

/// Changes the local article `id` of `author` to `new` and queues its `Update`.
pub async fn edit_article(
    data: &Data,
    author: &Account,
    id: i64,
    new: &staffroom_domain::posts::article::NewArticle,
) -> Result<Post, Error> {
    let mark = events::mark(Utc::now());
    let transaction = database::begin_write(&data.db)
        .await
        .map_err(staffroom_domain::Error::from)?;
    let edited =
        staffroom_domain::posts::article::edit_local(&transaction, author, id, new, &data.urls)
            .await?;
    transaction
        .commit()
        .await
        .map_err(staffroom_domain::Error::from)?;
    data.events.publish(Event::PostUpdated(edited.id));
    data.events
        .notified(&data.db, mark, author.id, Some(edited.id), &[Kind::Update])
        .await;
    post_updated(data.app_data(), author, &edited).await?;
    Ok(edited)
}

/// Changes the local event `id` of `author` to `new` and queues its `Update`
/// (an `Event` with the new times and place) for its audience.
pub async fn edit_event(
    data: &Data,
    author: &Account,
    id: i64,
    new: &staffroom_domain::posts::event::NewEvent,
) -> Result<Post, Error> {
    let mark = events::mark(Utc::now());
    let transaction = database::begin_write(&data.db)
        .await
        .map_err(staffroom_domain::Error::from)?;
    let edited =
        staffroom_domain::posts::event::edit_local(&transaction, author, id, new, &data.urls)
            .await?;
    transaction
        .commit()
        .await
        .map_err(staffroom_domain::Error::from)?;
    data.events.publish(Event::PostUpdated(edited.id));
    data.events
        .notified(&data.db, mark, author.id, Some(edited.id), &[Kind::Update])
        .await;
    post_updated(data.app_data(), author, &edited).await?;
    Ok(edited)
}

/// Deletes the local post `id` of `author` and queues its `Delete`.
pub async fn delete_post(data: &FederationData, author: &Account, id: i64) -> Result<Post, Error> {
    // The note is built while the post still exists (it names its mentions and tags).
    let visible = find_visible(&data.db, id, Viewer::Account(author.id)).await?;
    if visible.account_id != author.id || !visible.local {
        return Err(Error::Domain(staffroom_domain::Error::NotFound("post")));
    }
    let (note, inboxes) = prepare(data, author, &visible).await?;
    let relayed = hashtag_feeds::relayed_to(data, &visible).await?;
    let shared = groups::shared_by_groups(data, &visible).await?;
    let removed = events::removal(&data.db, &visible).await;
    let deleted = write::delete_local(&data.db, author, id).await?;
    if let Some(removed) = removed {
        data.events.post_deleted(removed);
    }
    send::deliver(data, author, &Delete::new(&note)?, inboxes).await?;
    hashtag_feeds::withdraw(data, &visible, &note.id, relayed).await?;
    groups::withdraw(data, &visible, shared).await?;
    Ok(deleted)
}

/// `Create(Note)` for the new local `post`.
pub async fn post_created(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<(), Error> {
    let (note, inboxes) = prepare(data, author, post).await?;
    send::deliver(data, author, &Create::new(note)?, inboxes).await
}

/// `Update(Note)` for the edited local `post`.
pub async fn post_updated(
    data: &FederationData,
    author: &Account,
    post: &Post,
) -> Result<(), Error> {
    let (note, inboxes) = prepare(data, author, post).await?;
    let id = send::new_activity_id(&data.urls);
    send::deliver(data, author, &Update::of_note(&id, note)?, inboxes).await
}

/// The local `account` pinned (`pinned`) or unpinned its `post`: followers'
/// servers hear it as an `Add` to (or `Remove` from) its featured collection.
/// Nothing is sent for a post only followers see, nor for a local-only one.
pub async fn pinned(
    data: &FederationData,
    account: &Account,
    post: &Post,
    pinned: bool,
) -> Result<(), Error> {
    if !matches!(post.visibility, Visibility::Public | Visibility::Unlisted) || !federates(post) {
        return Ok(());
    }
    if pinned {
        Add::send(data, account, post).await
    } else {
        Remove::send(data, account, post).await
    }
}

/// `Update` of the local `account`'s actor document `actor` (its profile changed),
/// for its followers' servers.
pub async fn actor_updated(
    data: &FederationData,
    account: &Account,
    actor: Actor,
) -> Result<(), Error> {
    let inboxes = follow::follower_inboxes(&data.db, account.id).await?;
    let id = send::new_activity_id(&data.urls);
    send::deliver(data, account, &Update::of_actor(&id, actor)?, inboxes).await
}
