//! Taking part in events between servers, as Mobilizon does it. A person here
//! who goes to another server's event sends its organiser a `Join`, and goes once
//! an `Accept` of it comes back (a `Reject` declines them); not going any more
//! sends a `Leave`. A `Join` from elsewhere to an event here is answered with an
//! `Accept` when its sender goes, later when they were pending approval or on the
//! waiting list, or with a `Reject` when they are declined or cannot go. The day
//! before an event, those here who go to it are reminded.

use chrono::Utc;
use serde::Serialize;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::database;
use staffroom_domain::notifications::notification::Kind;
use staffroom_domain::notifications::recipients;
use staffroom_domain::posts::event::{self, Answer, Change, Participation, Status};
use staffroom_domain::posts::post::Post;
use url::Url;

use crate::context::{Data, FederationData};
use crate::error::Error;
use crate::events::{self, Event};
use crate::objects::actor::actor_id;
use crate::objects::follows::any_actor_id;
use crate::protocol::activities::accept_or_reject::AcceptOrReject;
use crate::protocol::activities::join_or_leave::{Join, JoinOrLeave, Leave};
use crate::send;

impl<K: Default + Serialize> JoinOrLeave<K, String> {
    /// `actor` joins (or leaves) the event `object`, organised by `organiser`;
    /// `id` is the activity's own.
    pub fn new(id: &str, actor: &str, object: &str, organiser: &str) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: K::default(),
            actor: activitypub_federation::fetch::object_id::ObjectId::parse(actor)?,
            to: vec![organiser.to_owned()],
            object: object.to_owned(),
        })
    }
}

impl<K: Default + Serialize> AcceptOrReject<K, Join<String>> {
    /// The organiser `actor` accepts (or declines) the `Join` `join_id` of
    /// `participant` to the event `event`; `id` is the answer's own.
    pub fn of_join(
        id: &str,
        actor: &str,
        participant: &str,
        join_id: &str,
        event: &str,
    ) -> Result<Self, Error> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: K::default(),
            actor: activitypub_federation::fetch::object_id::ObjectId::parse(actor)?,
            to: vec![participant.to_owned()],
            object: JoinOrLeave {
                to: Vec::new(),
                ..Join::new(join_id, participant, event, actor)?
            },
        })
    }
}

type Accept = AcceptOrReject<activitypub_federation::kinds::activity::AcceptType, Join<String>>;
type Reject = AcceptOrReject<activitypub_federation::kinds::activity::RejectType, Join<String>>;

/// The ActivityPub id of `post`, organised by `organiser`.
fn event_id(data: &FederationData, organiser: &Account, post: &Post) -> String {
    post.uri
        .clone()
        .unwrap_or_else(|| data.urls.post(&organiser.username, post.id))
}

/// Tells the server of the remote `participant` in the local event `post` of
/// `organiser` where they now stand: accepted when going, declined when
/// rejected; nothing for anyone else.
async fn answer_remote(
    data: &FederationData,
    organiser: &Account,
    post: &Post,
    participant: &Account,
    status: Status,
    join_uri: Option<&str>,
) -> Result<(), Error> {
    let (Some(participant_id), Some(join_uri)) = (&participant.uri, join_uri) else {
        return Ok(());
    };
    if participant.is_local() {
        return Ok(());
    }
    let id = send::new_activity_id(&data.urls);
    let actor = actor_id(&data.urls, organiser);
    let object = event_id(data, organiser, post);
    let inboxes = send::inbox_of(participant);
    match status {
        Status::Going => {
            let accept = Accept::of_join(&id, &actor, participant_id, join_uri, &object)?;
            send::deliver(data, organiser, &accept, inboxes).await
        }
        Status::Rejected => {
            let reject = Reject::of_join(&id, &actor, participant_id, join_uri, &object)?;
            send::deliver(data, organiser, &reject, inboxes).await
        }
        _ => Ok(()),
    }
}

/// Those moved up from the waiting list of the local event `post`: remote ones
/// are accepted by their servers.
async fn promoted(
    data: &FederationData,
    post: &Post,
    moved: &[Participation],
) -> Result<(), Error> {
    if moved.is_empty() {
        return Ok(());
    }
    let organiser = account::get(&data.db, post.account_id).await?;
    for one in moved {
        let participant = account::get(&data.db, one.account_id).await?;
        answer_remote(
            data,
            &organiser,
            post,
            &participant,
            one.status,
            one.uri.as_deref(),
        )
        .await?;
    }
    Ok(())
}

/// The local account `who` answers the event of post `post_id` (see
/// [`event::respond`] for what is refused); for another server's event, asking
/// to go sends a `Join`, and no longer going sends a `Leave`.
pub async fn respond(
    data: &Data,
    who: &Account,
    post_id: i64,
    answer: Answer,
) -> Result<Change, Error> {
    if !who.is_local() {
        return Err(Error::Refused("only local accounts answer here".into()));
    }
    let join_id = send::new_activity_id(&data.urls);
    let transaction = database::begin_write(&data.db)
        .await
        .map_err(staffroom_domain::Error::from)?;
    let change = event::respond(&transaction, who, post_id, answer, &join_id, Utc::now()).await?;
    transaction
        .commit()
        .await
        .map_err(staffroom_domain::Error::from)?;
    let was_going = change.before.is_some_and(Status::wants_to_go);
    if change.post.local {
        promoted(data.app_data(), &change.post, &change.promoted).await?;
    } else {
        let organiser = account::get(&data.db, change.post.account_id).await?;
        let object = event_id(data.app_data(), &organiser, &change.post);
        let organiser_id = any_actor_id(&data.urls, &organiser);
        let actor = actor_id(&data.urls, who);
        if change.after == Status::Pending && !was_going {
            let join = Join::new(&join_id, &actor, &object, &organiser_id)?;
            send::deliver(data.app_data(), who, &join, send::inbox_of(&organiser)).await?;
        } else if was_going && !change.after.wants_to_go() {
            let id = send::new_activity_id(&data.urls);
            let leave = Leave::new(&id, &actor, &object, &organiser_id)?;
            send::deliver(data.app_data(), who, &leave, send::inbox_of(&organiser)).await?;
        }
    }
    data.events.publish(Event::PostUpdated(change.post.id));
    Ok(change)
}

/// The organiser `organiser` approves (or declines) the request of `account_id`
/// to go to the event of post `post_id`; a participant elsewhere hears of it.
pub async fn decide(
    data: &Data,
    organiser: &Account,
    post_id: i64,
    account_id: i64,
    approve: bool,
) -> Result<Change, Error> {
    let change = event::decide(
        &data.db,
        organiser,
        post_id,
        account_id,
        approve,
        Utc::now(),
    )
    .await?;
    let participant = account::get(&data.db, account_id).await?;
    answer_remote(
        data.app_data(),
        organiser,
        &change.post,
        &participant,
        change.after,
        change.uri.as_deref(),
    )
    .await?;
    data.events.publish(Event::PostUpdated(change.post.id));
    Ok(change)
}

/// A `Join` (`join_id`) from `actor` elsewhere to the event `object`: taken when
/// the event is one of ours, and answered. One that cannot be taken (an event
/// that ended, is booked elsewhere, or that they may not see) is declined.
pub async fn receive_join(
    data: &FederationData,
    actor: &Account,
    join_id: &str,
    object: &str,
) -> Result<(), Error> {
    let Some(post_id) = data.urls.local_post_id(object) else {
        tracing::debug!(%object, "a join of something not here: ignored");
        return Ok(());
    };
    let Some(post) = staffroom_domain::posts::post::get_for_federation(&data.db, post_id).await?
    else {
        return Ok(());
    };
    let organiser = account::get(&data.db, post.account_id).await?;
    match event::receive_join(&data.db, post_id, actor.id, join_id, Utc::now()).await {
        Ok(change) => {
            data.events.publish(Event::PostUpdated(post_id));
            answer_remote(
                data,
                &organiser,
                &change.post,
                actor,
                change.after,
                Some(join_id),
            )
            .await
        }
        Err(
            staffroom_domain::Error::Invalid { .. }
            | staffroom_domain::Error::Forbidden(_)
            | staffroom_domain::Error::NotFound(_),
        ) => {
            answer_remote(
                data,
                &organiser,
                &post,
                actor,
                Status::Rejected,
                Some(join_id),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A `Leave` from `actor` elsewhere of the event `object`, when it is ours.
pub async fn receive_leave(
    data: &FederationData,
    actor: &Account,
    object: &str,
) -> Result<(), Error> {
    let Some(post_id) = data.urls.local_post_id(object) else {
        return Ok(());
    };
    let Some(post) = staffroom_domain::posts::post::get_for_federation(&data.db, post_id).await?
    else {
        return Ok(());
    };
    if event::get(&data.db, post_id).await?.is_none() {
        return Ok(());
    }
    let moved = event::receive_leave(&data.db, post_id, actor.id, Utc::now()).await?;
    promoted(data, &post, &moved).await?;
    data.events.publish(Event::PostUpdated(post_id));
    Ok(())
}

/// An `Accept` (or `Reject`) from `from` of the `Join` `join_id` of a person
/// here. Whether it answered one.
pub async fn answered(
    data: &FederationData,
    from: &Account,
    join_id: &str,
    accepted: bool,
) -> Result<bool, Error> {
    match event::answered(&data.db, join_id, from.id, accepted, Utc::now()).await? {
        Some(found) => {
            data.events.publish(Event::PostUpdated(found.post_id));
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Reminds those here going to the events that start within a day; how many
/// events were reminded of.
pub async fn remind_due(data: &FederationData) -> Result<usize, Error> {
    let now = Utc::now();
    let mark = events::mark(now);
    let due = event::remind_due(&data.db, now).await?;
    for (found, organiser_id, going) in &due {
        for account_id in going {
            recipients::tell(
                &data.db,
                *account_id,
                *organiser_id,
                Kind::EventReminder,
                Some(found.post_id),
                now,
            )
            .await?;
        }
        data.events
            .notified(
                &data.db,
                mark,
                *organiser_id,
                Some(found.post_id),
                &[Kind::EventReminder],
            )
            .await;
    }
    Ok(due.len())
}
