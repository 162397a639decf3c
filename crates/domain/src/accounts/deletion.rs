//! Deleting a local account, by its owner or by an administrator: the one place
//! that says what goes. Everything of the account goes (its posts and the boosts
//! of them, media files and profile pictures, follows both ways, favourites,
//! bookmarks, lists, notifications, browser sessions, app tokens and
//! authorisations, preferences, two-factor secrets, its place in the directory,
//! its reports, its archives), by the database's cascades from the `accounts` row;
//! mails still queued for the person are dropped. A tombstone
//! row then takes its place with the same id and username and nothing else, so
//! that the name is never given again and the actor answers `410 Gone`; it keeps
//! the key pair until the `Delete` queued for other servers has been delivered
//! (the delivery queue signs at send time), and the hourly upkeep then forgets
//! the private key ([`forget_spent_keys`]).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, TransactionSession, TransactionTrait,
};

use crate::access::{two_factor, user};
use crate::accounts::account::AccountKind;
use crate::database::begin_write;
use crate::delivery::mail;
use crate::delivery::queue::{self, NewActivity};
use crate::entities::{
    accounts, deliveries, favourites, follows, mentions, outgoing_activities, posts, users,
};
use crate::media::MediaStore;
use crate::{Error, Result};

/// What tells other servers that the account is gone: the activity (signed by
/// the account itself) and the inboxes it goes to.
#[derive(Debug, Clone)]
pub struct Farewell {
    pub activity: NewActivity,
    pub inboxes: Vec<String>,
}

/// What a person gives to delete their own account.
#[derive(Debug, Clone, Copy)]
pub struct Confirmation<'a> {
    pub password: &'a str,
    /// Their username, typed again.
    pub username: &'a str,
    /// The current code of their authenticator app (or a recovery code), when
    /// two-factor sign-in is on.
    pub code: Option<&'a str>,
}

/// A deleted account's files, for removal from the media store once the
/// deletion is committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use = "the files are removed with `remove_files` after the commit"]
pub struct Leftovers {
    pub files: Vec<String>,
    /// Its archives, in the store's private folder.
    pub archives: Vec<String>,
}

/// The inboxes of the other servers that know `account_id` and can be found
/// cheaply: those of its followers and of the accounts it follows (or asked to
/// follow), of the authors of posts it favourited, boosted or answered, and of
/// the accounts its posts mention. Shared inboxes where there are, each once.
pub async fn inboxes_to_tell(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<String>> {
    let its_posts = column_where(
        posts::Entity,
        posts::Column::Id,
        posts::Column::AccountId,
        account_id,
    );
    let favourited = column_where(
        favourites::Entity,
        favourites::Column::PostId,
        favourites::Column::AccountId,
        account_id,
    );
    let shared_or_answered = Condition::any()
        .add(posts::Column::Id.in_subquery(column_where(
            posts::Entity,
            posts::Column::ReblogOfId,
            posts::Column::AccountId,
            account_id,
        )))
        .add(posts::Column::Id.in_subquery(column_where(
            posts::Entity,
            posts::Column::InReplyToId,
            posts::Column::AccountId,
            account_id,
        )));
    let authors_of = |which: Condition| {
        Query::select()
            .column(posts::Column::AccountId)
            .from(posts::Entity)
            .cond_where(which)
            .to_owned()
    };
    let known = Condition::any()
        .add(accounts::Column::Id.in_subquery(column_where(
            follows::Entity,
            follows::Column::FollowerId,
            follows::Column::TargetId,
            account_id,
        )))
        .add(accounts::Column::Id.in_subquery(column_where(
            follows::Entity,
            follows::Column::TargetId,
            follows::Column::FollowerId,
            account_id,
        )))
        .add(accounts::Column::Id.in_subquery(authors_of(
            Condition::all().add(posts::Column::Id.in_subquery(favourited)),
        )))
        .add(accounts::Column::Id.in_subquery(authors_of(shared_or_answered)))
        .add(
            accounts::Column::Id.in_subquery(
                Query::select()
                    .column(mentions::Column::AccountId)
                    .from(mentions::Entity)
                    .and_where(mentions::Column::PostId.in_subquery(its_posts))
                    .to_owned(),
            ),
        );
    let rows: Vec<(String, Option<String>)> = accounts::Entity::find()
        .filter(accounts::Column::Domain.is_not_null())
        .filter(accounts::Column::InboxUrl.is_not_null())
        .filter(known)
        .select_only()
        .column(accounts::Column::InboxUrl)
        .column(accounts::Column::SharedInboxUrl)
        .into_tuple::<(Option<String>, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(inbox, shared)| inbox.map(|inbox| (inbox, shared)))
        .collect();
    let mut inboxes: Vec<String> = rows
        .into_iter()
        .map(|(inbox, shared)| shared.unwrap_or(inbox))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// `SELECT wanted FROM entity WHERE owner = account_id AND wanted IS NOT NULL`,
/// as a subquery.
fn column_where<E: EntityTrait>(
    entity: E,
    wanted: E::Column,
    owner: E::Column,
    account_id: i64,
) -> SelectStatement {
    Query::select()
        .column(wanted)
        .from(entity)
        .and_where(owner.eq(account_id))
        .and_where(wanted.is_not_null())
        .to_owned()
}

/// The person `account_id` deletes their own account, confirming with their
/// password, their username typed again and, when two-factor sign-in is on,
/// a current code. `Invalid` naming the field (`username`, `password`, `code`)
/// when one is wrong; nothing changes then. `farewell` is queued in the same
/// transaction; the account's files are removed from `store` afterwards.
pub async fn delete_own(
    db: &(impl ConnectionTrait + TransactionTrait),
    store: &MediaStore,
    account_id: i64,
    confirmation: Confirmation<'_>,
    farewell: Option<Farewell>,
    now: DateTime<Utc>,
) -> Result<()> {
    let me = user::get(db, account_id).await?;
    if !confirmation
        .username
        .trim()
        .trim_start_matches('@')
        .eq_ignore_ascii_case(&me.account.username)
    {
        return Err(Error::invalid("username", "is not your username"));
    }
    if !user::verify_password(db, &me, confirmation.password).await? {
        return Err(Error::invalid("password", "is not right"));
    }
    let code = confirmation.code.map(str::trim).unwrap_or_default();
    if me.two_factor && code.is_empty() {
        return Err(Error::invalid(
            "code",
            "is needed: two-factor sign-in is on for this account",
        ));
    }
    let txn = begin_write(db).await?;
    if me.two_factor {
        two_factor::verify(&txn, account_id, code, now)
            .await
            .map_err(|_| Error::invalid("code", "is not right"))?;
    }
    let leftovers = erase(&txn, account_id, farewell, now).await?;
    txn.commit().await?;
    remove_files(store, leftovers).await;
    Ok(())
}

/// Deletes the local person `account_id` (see the module's description), in
/// `db`'s transaction, and queues `farewell`. The caller checks who may do it,
/// commits, then removes the [`Leftovers`] with [`remove_files`]. `NotFound`
/// when there is no such person here (or it is deleted already).
pub(crate) async fn erase(
    db: &(impl ConnectionTrait + TransactionTrait),
    account_id: i64,
    farewell: Option<Farewell>,
    now: DateTime<Utc>,
) -> Result<Leftovers> {
    let row = accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .filter(|row| row.domain.is_none() && row.deleted_at.is_none())
        .filter(|row| AccountKind::parse(&row.kind) == AccountKind::Person)
        .ok_or(Error::NotFound("account"))?;
    if let Some(farewell) = &farewell
        && farewell.activity.actor_id != account_id
    {
        return Err(Error::Forbidden(
            "an account's farewell is signed by the account".into(),
        ));
    }
    let files = super::archive::media_files(db, account_id).await?;
    let archives = super::archive::files_of(db, account_id).await?;
    // Mails still queued for the person would reach an address the instance no
    // longer has a reason to keep.
    if let Some(person) = users::Entity::find_by_id(account_id).one(db).await? {
        mail::forget_mails_to(db, &person.email).await?;
    }
    // Boosts point at what they share without a foreign key: others' boosts of
    // the account's posts go with the posts.
    posts::Entity::delete_many()
        .filter(posts::Column::ReblogOfId.in_subquery(column_where(
            posts::Entity,
            posts::Column::Id,
            posts::Column::AccountId,
            account_id,
        )))
        .filter(posts::Column::AccountId.ne(account_id))
        .exec(db)
        .await?;
    // The row goes, and every row that refers to it by cascade; the tombstone
    // that replaces it keeps only the name and the keys.
    accounts::Entity::delete_by_id(account_id).exec(db).await?;
    accounts::ActiveModel {
        id: Set(row.id),
        kind: Set(row.kind),
        username: Set(row.username),
        domain: Set(None),
        acct: Set(row.acct),
        display_name: Set(String::new()),
        note: Set(String::new()),
        locked: Set(true),
        bot: Set(false),
        discoverable: Set(false),
        uri: Set(None),
        public_key_pem: Set(row.public_key_pem),
        private_key_pem: Set(row.private_key_pem),
        created_at: Set(row.created_at),
        updated_at: Set(now),
        fields: Set("[]".to_owned()),
        deleted_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if let Some(farewell) = farewell
        && !farewell.inboxes.is_empty()
    {
        queue::enqueue(db, farewell.activity, &farewell.inboxes, now).await?;
    }
    Ok(Leftovers { files, archives })
}

/// Removes a deleted account's files from `store`. A file that cannot be
/// removed is logged and left: its rows are gone, so nothing serves it.
pub async fn remove_files(store: &MediaStore, leftovers: Leftovers) {
    for file in leftovers.files {
        if let Err(e) = store.remove(&file).await {
            tracing::warn!(error = %e, file, "a deleted account's file could not be removed");
        }
    }
    for file in leftovers.archives {
        if let Err(e) = store.remove_private(&file).await {
            tracing::warn!(error = %e, file, "a deleted account's archive could not be removed");
        }
    }
}

/// Forgets the private keys of deleted accounts whose queued activities have
/// all been delivered or given up; how many were forgotten.
pub async fn forget_spent_keys(db: &impl ConnectionTrait) -> Result<u64> {
    let holding: Vec<i64> = accounts::Entity::find()
        .filter(accounts::Column::DeletedAt.is_not_null())
        .filter(accounts::Column::PrivateKeyPem.is_not_null())
        .select_only()
        .column(accounts::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut forgotten = 0;
    for account_id in holding {
        let pending = deliveries::Entity::find()
            .filter(deliveries::Column::FailedAt.is_null())
            .filter(deliveries::Column::ActivityId.in_subquery(column_where(
                outgoing_activities::Entity,
                outgoing_activities::Column::Id,
                outgoing_activities::Column::ActorId,
                account_id,
            )))
            .count(db)
            .await?;
        if pending > 0 {
            continue;
        }
        let updated = accounts::Entity::update_many()
            .col_expr(
                accounts::Column::PrivateKeyPem,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .filter(accounts::Column::Id.eq(account_id))
            .filter(accounts::Column::DeletedAt.is_not_null())
            .exec(db)
            .await?;
        forgotten += updated.rows_affected;
    }
    Ok(forgotten)
}
