//! A person's archive: everything of theirs in one `.zip` file, asked for at
//! `/settings/export`, built in the background and downloaded by its owner alone.
//! A request is a row that waits until a builder claims it (for a lease, so that
//! a builder that stops leaves it to the next, after a restart too); the finished
//! file is kept in the media store's private folder for [`KEPT_DAYS`], and a new
//! one may be asked for every [`EVERY_DAYS`], as on Mastodon. This module holds
//! the rows and what goes in; `federation::archive` writes the file.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::export::{LocalNames, post_uris};
use crate::entities::{
    account_archives, accounts, bookmarks, favourites, media_attachments, posts,
};
use crate::posts::post::Post;
use crate::{Error, Result, id};

/// Days between two requests of one account.
pub const EVERY_DAYS: i64 = 7;
/// Days a finished archive is kept.
pub const KEPT_DAYS: i64 = 7;
/// How long a builder holds a request before another may take it over.
const LEASE_MINUTES: i64 = 30;

/// One request of an archive, and its file once built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    pub id: i64,
    pub account_id: i64,
    /// The file's name in the media store's private folder, once built.
    pub file: Option<String>,
    /// The file's size in bytes, once built.
    pub size: Option<u64>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Archive {
    /// When the file goes, if it is built.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.finished_at.map(|at| at + Duration::days(KEPT_DAYS))
    }

    /// When the account may ask for another.
    pub fn next_request_at(&self) -> DateTime<Utc> {
        self.created_at + Duration::days(EVERY_DAYS)
    }
}

impl From<account_archives::Model> for Archive {
    fn from(row: account_archives::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            file: row.file,
            size: row.size.and_then(|size| u64::try_from(size).ok()),
            created_at: row.created_at,
            finished_at: row.finished_at,
        }
    }
}

/// The latest archive `account_id` asked for, built or not.
pub async fn latest(db: &impl ConnectionTrait, account_id: i64) -> Result<Option<Archive>> {
    Ok(account_archives::Entity::find()
        .filter(account_archives::Column::AccountId.eq(account_id))
        .order_by_desc(account_archives::Column::Id)
        .one(db)
        .await?
        .map(Archive::from))
}

/// `account_id` asks for an archive; refused (`Conflict`) within [`EVERY_DAYS`] of
/// the last request.
pub async fn request(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Archive> {
    if let Some(last) = latest(db, account_id).await?
        && last.next_request_at() > now
    {
        return Err(Error::Conflict(format!(
            "an archive can be asked for once every {EVERY_DAYS} days; the next from {}",
            last.next_request_at().format("%-d %B %Y, %H:%M UTC")
        )));
    }
    let row = account_archives::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        file: Set(None),
        size: Set(None),
        created_at: Set(now),
        claimed_until: Set(None),
        finished_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(row.into())
}

/// Takes the oldest request waiting to be built, for `LEASE_MINUTES`; `None`
/// when none waits (or another builder took it first).
pub async fn claim(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Option<Archive>> {
    let free = Condition::any()
        .add(account_archives::Column::ClaimedUntil.is_null())
        .add(account_archives::Column::ClaimedUntil.lt(now));
    let Some(waiting) = account_archives::Entity::find()
        .filter(account_archives::Column::FinishedAt.is_null())
        .filter(free.clone())
        .order_by_asc(account_archives::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let taken = account_archives::Entity::update_many()
        .col_expr(
            account_archives::Column::ClaimedUntil,
            Expr::value(now + Duration::minutes(LEASE_MINUTES)),
        )
        .filter(account_archives::Column::Id.eq(waiting.id))
        .filter(free)
        .exec(db)
        .await?;
    Ok((taken.rows_affected == 1).then(|| waiting.into()))
}

/// The request `id` is built as `file` of `size` bytes: the files to remove from
/// the store, those of the account's earlier archives (whose rows go), or `file`
/// itself when the request is gone (its account deleted meanwhile).
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    file: &str,
    size: u64,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let Some(row) = account_archives::Entity::find_by_id(id).one(db).await? else {
        return Ok(vec![file.to_owned()]);
    };
    account_archives::Entity::update_many()
        .col_expr(account_archives::Column::File, Expr::value(file))
        .col_expr(
            account_archives::Column::Size,
            Expr::value(i64::try_from(size).unwrap_or(i64::MAX)),
        )
        .col_expr(account_archives::Column::FinishedAt, Expr::value(now))
        .filter(account_archives::Column::Id.eq(id))
        .exec(db)
        .await?;
    let earlier = account_archives::Entity::find()
        .filter(account_archives::Column::AccountId.eq(row.account_id))
        .filter(account_archives::Column::Id.lt(id))
        .filter(account_archives::Column::FinishedAt.is_not_null());
    take_files(db, earlier).await
}

/// Removes the rows of archives finished more than [`KEPT_DAYS`] before `now`:
/// their files, to remove from the store.
pub async fn expire(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<String>> {
    let old = account_archives::Entity::find()
        .filter(account_archives::Column::FinishedAt.lt(now - Duration::days(KEPT_DAYS)));
    take_files(db, old).await
}

/// The files of the archives of `account_id`, for its deletion.
pub(crate) async fn files_of(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<String>> {
    Ok(account_archives::Entity::find()
        .filter(account_archives::Column::AccountId.eq(account_id))
        .select_only()
        .column(account_archives::Column::File)
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// Deletes the rows `query` finds: their files.
async fn take_files(
    db: &impl ConnectionTrait,
    query: sea_orm::Select<account_archives::Entity>,
) -> Result<Vec<String>> {
    let rows = query.all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    account_archives::Entity::delete_many()
        .filter(account_archives::Column::Id.is_in(rows.iter().map(|row| row.id)))
        .exec(db)
        .await?;
    Ok(rows.into_iter().filter_map(|row| row.file).collect())
}

/// Up to `limit` of `account_id`'s own posts and boosts, newest first, older
/// than `before` if given: the archive's outbox (a `Create` of each post, an
/// `Announce` of each boost), read a page at a time.
pub async fn posts_page(
    db: &impl ConnectionTrait,
    account_id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<Post>> {
    let mut query = posts::Entity::find().filter(posts::Column::AccountId.eq(account_id));
    if let Some(before) = before {
        query = query.filter(posts::Column::Id.lt(before));
    }
    Ok(query
        .order_by_desc(posts::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Post::from)
        .collect())
}

/// The ActivityPub ids of the posts `account_id` favourited (`liked`) or
/// bookmarked, oldest first.
pub async fn marked_posts(
    db: &impl ConnectionTrait,
    account_id: i64,
    liked: bool,
    names: &impl LocalNames,
) -> Result<Vec<String>> {
    let ids: Vec<i64> = if liked {
        favourites::Entity::find()
            .filter(favourites::Column::AccountId.eq(account_id))
            .order_by_asc(favourites::Column::Id)
            .select_only()
            .column(favourites::Column::PostId)
            .into_tuple()
            .all(db)
            .await?
    } else {
        bookmarks::Entity::find()
            .filter(bookmarks::Column::AccountId.eq(account_id))
            .order_by_asc(bookmarks::Column::Id)
            .select_only()
            .column(bookmarks::Column::PostId)
            .into_tuple()
            .all(db)
            .await?
    };
    let uris = post_uris(db, ids.clone(), names).await?;
    Ok(ids.iter().filter_map(|id| uris.get(id).cloned()).collect())
}

/// The media store's names of `account_id`'s files: its uploads (and their
/// thumbnails), then its avatar and header.
pub async fn media_files(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<String>> {
    let mut files: Vec<String> = media_attachments::Entity::find()
        .filter(media_attachments::Column::AccountId.eq(account_id))
        .order_by_asc(media_attachments::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .flat_map(|media| [media.file, media.thumbnail_file])
        .flatten()
        .collect();
    if let Some(row) = accounts::Entity::find_by_id(account_id).one(db).await? {
        files.extend(row.avatar_file.into_iter().chain(row.header_file));
    }
    Ok(files)
}
