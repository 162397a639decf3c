//! Remote media through this instance's own cache. When a remote post or account
//! is stored, a copy of each attachment, avatar and header is queued in a
//! persistent queue (it survives restarts; workers in any process share it). The
//! federation layer fetches each one through its guarded client, and hands the
//! bytes here: they are checked and cleaned exactly as an upload is (type from the
//! content, size limits, images re-encoded without their metadata, a thumbnail and
//! a blurhash made), kept in the [`MediaStore`], and shown from this instance's
//! own URLs from then on. Until a copy exists, or when it cannot be made, readers
//! get a link to the original. Copies older than the instance's
//! `remote_media_max_age_days` are [`prune`]d, and the link is back.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{MediaLimits, MediaStore, Upload, prepare, to_i32};
use crate::accounts::picture::Which;
use crate::entities::{accounts, media_attachments, remote_media_fetches};
use crate::{Error, Result, id};

/// How many times a copy is tried before the link to the original is kept.
pub const MAX_ATTEMPTS: i32 = 3;
/// How long a worker holds a claimed fetch; another takes it over after this.
const LEASE: TimeDelta = TimeDelta::minutes(2);
/// The first retry waits this long; each further one four times as long.
const FIRST_RETRY: TimeDelta = TimeDelta::minutes(1);
/// How long copies are kept unless the instance says otherwise, in days.
pub const DEFAULT_MAX_AGE_DAYS: u32 = 30;

/// What a copy is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A remote post's attachment (by the attachment's id).
    Attachment,
    /// A remote account's avatar (by the account's id).
    Avatar,
    /// A remote account's header (by the account's id).
    Header,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Self::Attachment => "attachment",
            Self::Avatar => "avatar",
            Self::Header => "header",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "attachment" => Some(Self::Attachment),
            "avatar" => Some(Self::Avatar),
            "header" => Some(Self::Header),
            _ => None,
        }
    }

    fn picture(self) -> Option<Which> {
        match self {
            Self::Attachment => None,
            Self::Avatar => Some(Which::Avatar),
            Self::Header => Some(Which::Header),
        }
    }
}

/// A copy a worker holds: fetch `url` and hand the bytes to [`store`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetch {
    pub id: i64,
    pub target: Target,
    pub target_id: i64,
    /// Where the original is, as the database says now.
    pub url: Option<String>,
    /// Failed attempts so far.
    pub attempts: i32,
}

/// Queues a copy of `target` `target_id` (nothing happens if one is queued).
pub async fn queue(
    db: &impl ConnectionTrait,
    target: Target,
    target_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    remote_media_fetches::Entity::insert(remote_media_fetches::ActiveModel {
        id: Set(id::new_id(now)),
        target: Set(target.name().to_owned()),
        target_id: Set(target_id),
        attempts: Set(0),
        due_at: Set(now),
        claimed_until: Set(None),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            remote_media_fetches::Column::Target,
            remote_media_fetches::Column::TargetId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Claims up to `limit` due copies for a worker until the lease runs out.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Fetch>> {
    let due = remote_media_fetches::Entity::find()
        .filter(remote_media_fetches::Column::DueAt.lte(now))
        .filter(
            Condition::any()
                .add(remote_media_fetches::Column::ClaimedUntil.is_null())
                .add(remote_media_fetches::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(remote_media_fetches::Column::DueAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for row in due {
        // Taken only if no other worker took it meanwhile.
        let taken = remote_media_fetches::Entity::update_many()
            .col_expr(
                remote_media_fetches::Column::ClaimedUntil,
                Expr::value(now + LEASE),
            )
            .filter(remote_media_fetches::Column::Id.eq(row.id))
            .filter(
                Condition::any()
                    .add(remote_media_fetches::Column::ClaimedUntil.is_null())
                    .add(remote_media_fetches::Column::ClaimedUntil.lt(now)),
            )
            .exec(db)
            .await?;
        if taken.rows_affected != 1 {
            continue;
        }
        let Some(target) = Target::from_name(&row.target) else {
            finish(db, row.id).await?;
            continue;
        };
        let url = source_url(db, target, row.target_id).await?;
        claimed.push(Fetch {
            id: row.id,
            target,
            target_id: row.target_id,
            url,
            attempts: row.attempts,
        });
    }
    Ok(claimed)
}

/// Where the original of `target` `target_id` is now; `None` when it has none (or
/// is gone).
async fn source_url(
    db: &impl ConnectionTrait,
    target: Target,
    target_id: i64,
) -> Result<Option<String>> {
    Ok(match target {
        Target::Attachment => media_attachments::Entity::find_by_id(target_id)
            .one(db)
            .await?
            .filter(|row| row.post_id.is_some())
            .and_then(|row| row.remote_url),
        Target::Avatar | Target::Header => accounts::Entity::find_by_id(target_id)
            .one(db)
            .await?
            .filter(|row| row.domain.is_some())
            .and_then(|row| match target {
                Target::Avatar => row.avatar_remote_url,
                _ => row.header_remote_url,
            }),
    })
}

/// The copy `id` is done with (made, or given up).
pub async fn finish(db: &impl ConnectionTrait, id: i64) -> Result<()> {
    remote_media_fetches::Entity::delete_by_id(id)
        .exec(db)
        .await?;
    Ok(())
}

/// The copy `fetch` failed: it is tried again later, or given up after
/// [`MAX_ATTEMPTS`] (an avatar or header then drops its old copy too, which
/// showed a picture the account no longer has). Whether it will be tried again.
pub async fn failed(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    fetch: &Fetch,
    now: DateTime<Utc>,
) -> Result<bool> {
    let attempts = fetch.attempts + 1;
    if attempts >= MAX_ATTEMPTS {
        if let Some(which) = fetch.target.picture() {
            drop_picture(db, store, fetch.target_id, which).await?;
        }
        finish(db, fetch.id).await?;
        return Ok(false);
    }
    let wait = FIRST_RETRY * 4_i32.pow(u32::try_from(fetch.attempts).unwrap_or(0).min(6));
    remote_media_fetches::ActiveModel {
        id: Set(fetch.id),
        attempts: Set(attempts),
        due_at: Set(now + wait),
        claimed_until: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(true)
}

/// Forgets the copy of `account_id`'s `which`, and removes its file.
async fn drop_picture(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    account_id: i64,
    which: Which,
) -> Result<()> {
    let Some(row) = accounts::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(());
    };
    if row.domain.is_none() {
        return Ok(());
    }
    let (file, cached) = match which {
        Which::Avatar => (row.avatar_file, row.avatar_cached_at),
        Which::Header => (row.header_file, row.header_cached_at),
    };
    if cached.is_none() && file.is_none() {
        return Ok(());
    }
    let mut update = accounts::ActiveModel {
        id: Set(account_id),
        ..Default::default()
    };
    match which {
        Which::Avatar => {
            update.avatar_file = Set(None);
            update.avatar_cached_at = Set(None);
        }
        Which::Header => {
            update.header_file = Set(None);
            update.header_cached_at = Set(None);
        }
    }
    update.update(db).await?;
    if let Some(file) = file {
        store.remove(&file).await?;
    }
    Ok(())
}

/// Keeps the fetched `bytes` as the copy of `fetch` (made from `url`, which must
/// still be the original's address): checked and cleaned as an upload of
/// `limits`. Slow work runs off the async threads.
pub async fn store(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    fetch: &Fetch,
    url: &str,
    bytes: Vec<u8>,
    limits: MediaLimits,
    now: DateTime<Utc>,
) -> Result<()> {
    match fetch.target.picture() {
        None => store_attachment(db, store, fetch.target_id, url, bytes, limits, now).await,
        Some(which) => store_picture(db, store, fetch.target_id, which, url, bytes, now).await,
    }
}

async fn store_attachment(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    id: i64,
    url: &str,
    bytes: Vec<u8>,
    limits: MediaLimits,
    now: DateTime<Utc>,
) -> Result<()> {
    let upload = Upload {
        bytes,
        ..Default::default()
    };
    let prepared = tokio::task::spawn_blocking(move || prepare(upload, limits))
        .await
        .map_err(|e| Error::Internal(format!("media processing stopped: {e}")))??;
    let file = MediaStore::new_name(prepared.extension);
    store.put(&file, &prepared.original).await?;
    let thumbnail_file = match &prepared.thumbnail {
        Some(thumbnail) => {
            let name = MediaStore::new_name(thumbnail.format.extension());
            if let Err(e) = store.put(&name, &thumbnail.bytes).await {
                let _ = store.remove(&file).await;
                return Err(e);
            }
            Some(name)
        }
        None => None,
    };
    let new_files: Vec<String> = std::iter::once(file.clone())
        .chain(thumbnail_file.clone())
        .collect();
    let before = media_attachments::Entity::find_by_id(id).one(db).await?;
    let current = before
        .as_ref()
        .filter(|row| row.post_id.is_some() && row.remote_url.as_deref() == Some(url));
    let Some(current) = current else {
        // The post changed or went while the copy was made.
        for name in &new_files {
            store.remove(name).await?;
        }
        return Ok(());
    };
    let mut update = media_attachments::ActiveModel {
        id: Set(id),
        file: Set(Some(file)),
        thumbnail_file: Set(thumbnail_file),
        size: Set(Some(
            i64::try_from(prepared.original.len()).unwrap_or(i64::MAX),
        )),
        thumbnail_width: Set(prepared.thumbnail.as_ref().map(|t| to_i32(t.width))),
        thumbnail_height: Set(prepared.thumbnail.as_ref().map(|t| to_i32(t.height))),
        cached_at: Set(Some(now)),
        ..Default::default()
    };
    if let Some(size) = prepared.original_size {
        update.width = Set(Some(to_i32(size.width)));
        update.height = Set(Some(to_i32(size.height)));
    }
    if let Some(blurhash) = prepared.blurhash {
        update.blurhash = Set(Some(blurhash));
    }
    if let Some(duration) = prepared.duration {
        update.duration = Set(Some(duration));
    }
    // What is stored is what the content is, whatever the other server said.
    update.kind = Set(prepared.kind.name().to_owned());
    update.content_type = Set(prepared.content_type);
    let old_files: Vec<String> = [current.file.clone(), current.thumbnail_file.clone()]
        .into_iter()
        .flatten()
        .collect();
    if let Err(e) = update.update(db).await {
        for name in &new_files {
            let _ = store.remove(name).await;
        }
        return Err(e.into());
    }
    for name in old_files {
        store.remove(&name).await?;
    }
    Ok(())
}

async fn store_picture(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    account_id: i64,
    which: Which,
    url: &str,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<()> {
    let picture = crate::accounts::picture::prepare(which, bytes).await?;
    let Some(row) = accounts::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(());
    };
    let (remote, old) = match which {
        Which::Avatar => (row.avatar_remote_url, row.avatar_file),
        Which::Header => (row.header_remote_url, row.header_file),
    };
    if row.domain.is_none() || remote.as_deref() != Some(url) {
        return Ok(());
    }
    let name = MediaStore::new_name(picture.format.extension());
    store.put(&name, &picture.bytes).await?;
    let mut update = accounts::ActiveModel {
        id: Set(account_id),
        ..Default::default()
    };
    match which {
        Which::Avatar => {
            update.avatar_file = Set(Some(name.clone()));
            update.avatar_cached_at = Set(Some(now));
        }
        Which::Header => {
            update.header_file = Set(Some(name.clone()));
            update.header_cached_at = Set(Some(now));
        }
    }
    if let Err(e) = update.update(db).await {
        let _ = store.remove(&name).await;
        return Err(e.into());
    }
    if let Some(old) = old {
        store.remove(&old).await?;
    }
    Ok(())
}

/// Queues the copies a remote account needs after it was stored: its avatar and
/// header when their address changed (`before` is the row as it was), or when it
/// has none yet. A picture whose address is gone drops its copy through the
/// queue too.
pub(crate) async fn queue_pictures(
    db: &impl ConnectionTrait,
    before: Option<&accounts::Model>,
    after: &accounts::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    if after.domain.is_none() {
        return Ok(());
    }
    let pairs = [
        (
            Target::Avatar,
            before.and_then(|b| b.avatar_remote_url.as_deref()),
            after.avatar_remote_url.as_deref(),
            after.avatar_file.is_some(),
        ),
        (
            Target::Header,
            before.and_then(|b| b.header_remote_url.as_deref()),
            after.header_remote_url.as_deref(),
            after.header_file.is_some(),
        ),
    ];
    for (target, old_url, new_url, has_copy) in pairs {
        let changed = old_url != new_url;
        if (changed && (new_url.is_some() || has_copy)) || (new_url.is_some() && !has_copy) {
            queue(db, target, after.id, now).await?;
        }
    }
    Ok(())
}

/// Removes the copies of remote media made before `now - max_age`, with their
/// files: those attachments, avatars and headers link to their originals again.
/// How many copies went.
pub async fn prune(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    now: DateTime<Utc>,
    max_age: TimeDelta,
) -> Result<u64> {
    let cutoff = now - max_age;
    let mut removed = 0;
    let old_media = media_attachments::Entity::find()
        .filter(media_attachments::Column::CachedAt.lt(cutoff))
        .filter(media_attachments::Column::RemoteUrl.is_not_null())
        .all(db)
        .await?;
    for row in old_media {
        // The row first: a file without a row is only wasted space, a row without
        // its file a broken picture.
        let result = media_attachments::Entity::update_many()
            .col_expr(media_attachments::Column::File, Expr::value(None::<String>))
            .col_expr(
                media_attachments::Column::ThumbnailFile,
                Expr::value(None::<String>),
            )
            .col_expr(media_attachments::Column::Size, Expr::value(None::<i64>))
            .col_expr(
                media_attachments::Column::ThumbnailWidth,
                Expr::value(None::<i32>),
            )
            .col_expr(
                media_attachments::Column::ThumbnailHeight,
                Expr::value(None::<i32>),
            )
            .col_expr(
                media_attachments::Column::CachedAt,
                Expr::value(None::<DateTime<Utc>>),
            )
            .filter(media_attachments::Column::Id.eq(row.id))
            .filter(media_attachments::Column::CachedAt.eq(row.cached_at))
            .exec(db)
            .await?;
        if result.rows_affected == 0 {
            continue;
        }
        for file in [&row.file, &row.thumbnail_file].into_iter().flatten() {
            store.remove(file).await?;
        }
        removed += 1;
    }
    for which in [Which::Avatar, Which::Header] {
        let column = match which {
            Which::Avatar => accounts::Column::AvatarCachedAt,
            Which::Header => accounts::Column::HeaderCachedAt,
        };
        let old = accounts::Entity::find()
            .filter(column.lt(cutoff))
            .filter(accounts::Column::Domain.is_not_null())
            .all(db)
            .await?;
        for row in old {
            drop_picture(db, store, row.id, which).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// How many copies wait in the queue.
pub async fn waiting(db: &impl ConnectionTrait) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(remote_media_fetches::Entity::find().count(db).await?)
}

/// Gives `fetch` up at once (the original cannot be had, or is not media this
/// instance shows): an attachment keeps its link to the original, an avatar or
/// header loses an older copy.
pub async fn give_up(db: &impl ConnectionTrait, store: &MediaStore, fetch: &Fetch) -> Result<()> {
    if let Some(which) = fetch.target.picture() {
        drop_picture(db, store, fetch.target_id, which).await?;
    }
    finish(db, fetch.id).await
}
