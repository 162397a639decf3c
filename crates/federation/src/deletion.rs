//! Deleting a local account, told to other servers: a `Delete` of the actor,
//! signed by the actor, queued in the same transaction as the deletion for
//! every server that knows it (its followers', followings' and other known
//! contacts' inboxes), so that it survives a restart. What goes here is the
//! domain's to say (`staffroom_domain::accounts::deletion`).

use chrono::Utc;
use staffroom_domain::access::user;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::accounts::deletion::{self, Confirmation, Farewell};
use staffroom_domain::media::MediaStore;
use staffroom_domain::moderation::staff::{self, Duty, Staff};

use crate::context::FederationData;
use crate::error::Error;
use crate::objects::actor;
use crate::protocol::activities::delete::Delete;
use crate::send;

/// The person `account` deletes their own account, confirming it (see
/// [`deletion::delete_own`]); the servers that know it are told.
pub async fn delete_own(
    data: &FederationData,
    store: &MediaStore,
    account: &Account,
    confirmation: Confirmation<'_>,
) -> Result<(), Error> {
    let farewell = farewell(data, account).await?;
    deletion::delete_own(
        &data.db,
        store,
        account.id,
        confirmation,
        farewell,
        Utc::now(),
    )
    .await?;
    data.wake_delivery.notify_one();
    Ok(())
}

/// An administrator (or the operator) deletes the local account `username`
/// (see [`staff::delete_user`]); the servers that know it are told.
pub async fn delete_by_staff(
    data: &FederationData,
    store: &MediaStore,
    by: Staff,
    username: &str,
) -> Result<(), Error> {
    staff::require(&data.db, by, Duty::Administer).await?;
    let target = user::find_by_username(&data.db, username.trim().trim_start_matches('@')).await?;
    let farewell = farewell(data, &target.account).await?;
    staff::delete_user(
        &data.db,
        store,
        by,
        &target.account.username,
        farewell,
        Utc::now(),
    )
    .await?;
    data.wake_delivery.notify_one();
    Ok(())
}

/// The `Delete` of `account`'s actor and where it goes; `None` when no other
/// server knows the account.
pub(crate) async fn farewell(
    data: &FederationData,
    account: &Account,
) -> Result<Option<Farewell>, Error> {
    let activity = Delete::of_actor(&actor::actor_id(&data.urls, account))?;
    let inboxes = deletion::inboxes_to_tell(&data.db, account.id).await?;
    Ok(send::prepare(data, account, &activity, inboxes)
        .await?
        .map(|(activity, inboxes)| Farewell { activity, inboxes }))
}
