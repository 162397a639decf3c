//! Suspending a person of this instance, told to other servers. The rule is
//! the domain's (`staffroom_domain::moderation::local_suspension`); here the
//! servers that know the account get an `Update` of its actor carrying
//! `suspended: true` with an empty profile, as Mastodon sends, so that they
//! hide it (this instance marks such a remote account suspended and hides its
//! posts); lifting the suspension sends the whole actor again. Follows are
//! left as they are, so that lifting it restores everything. After the
//! retention period, [`erase_expired`] deletes the account as its owner's
//! own deletion would, with the `Delete` of the actor to every server that
//! knows it.

use chrono::{DateTime, TimeDelta, Utc};
use staffroom_domain::accounts::account::{self, Account, Picture};
use staffroom_domain::accounts::deletion;
use staffroom_domain::media::MediaStore;
use staffroom_domain::moderation::local_suspension;
use staffroom_domain::moderation::staff::{self, Staff};

use crate::context::FederationData;
use crate::error::Error;
use crate::objects::actor::local_actor;
use crate::protocol::activities::update::Update;
use crate::send;

/// `by` suspends the person `account_id` (see [`staff::suspend_person`]); the
/// servers that know them are told.
pub async fn suspend(
    data: &FederationData,
    by: Staff,
    account_id: i64,
    reason: &str,
) -> Result<Account, Error> {
    let done = staff::suspend_person(&data.db, by, account_id, reason, Utc::now()).await?;
    tell(data, &done).await?;
    Ok(done)
}

/// `by` lifts the suspension of the person `account_id` (see
/// [`staff::unsuspend_person`]); the servers that know them are told.
pub async fn unsuspend(
    data: &FederationData,
    by: Staff,
    account_id: i64,
) -> Result<Account, Error> {
    let done = staff::unsuspend_person(&data.db, by, account_id, Utc::now()).await?;
    tell(data, &done).await?;
    Ok(done)
}

/// Sends the `Update` of `account`'s actor, as it is now, to every server that
/// knows it.
async fn tell(data: &FederationData, account: &Account) -> Result<(), Error> {
    let account = account::ensure_keys(&data.db, account.clone()).await?;
    let picture = |picture: Option<&Picture>| match picture {
        Some(Picture::Stored(file)) => Some(data.urls.media(file)),
        Some(Picture::Remote(url)) => Some(url.clone()),
        None => None,
    };
    let (avatar, header) = (
        picture(account.avatar.as_ref()),
        picture(account.header.as_ref()),
    );
    let actor = local_actor(&data.urls, &account, avatar.as_deref(), header.as_deref());
    let inboxes = deletion::inboxes_to_tell(&data.db, account.id).await?;
    let id = send::new_activity_id(&data.urls);
    send::deliver(data, &account, &Update::of_actor(&id, actor)?, inboxes).await
}

/// Deletes the people of this instance suspended for longer than `retention`
/// at `now`, each as their own deletion would (the `Delete` of their actor
/// queued for every server that knows them, their files removed from
/// `store`); how many were deleted.
pub async fn erase_expired(
    data: &FederationData,
    store: &MediaStore,
    now: DateTime<Utc>,
    retention: TimeDelta,
) -> Result<usize, Error> {
    let mut erased = 0;
    for account in local_suspension::due(&data.db, now, retention).await? {
        let farewell = crate::deletion::farewell(data, &account).await?;
        let leftovers =
            local_suspension::erase(&data.db, account.id, farewell, now, retention).await?;
        deletion::remove_files(store, leftovers).await;
        tracing::info!(username = %account.username, "a suspended account was deleted at the end of its suspension");
        erased += 1;
    }
    if erased > 0 {
        data.wake_delivery.notify_one();
    }
    Ok(erased)
}
