//! Media attachments: images, sound, video and documents people upload and attach
//! to their posts, and those of remote posts. An upload belongs to its account and stays unattached until a post
//! of that account uses it; unattached uploads older than a day may be removed.

mod kinds;
mod processing;
pub mod remote_cache;
mod store;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

pub use kinds::{
    OTHER_ACCEPTED_TYPES, OTHER_FORMATS, Sniffed, iso_duration, parse_iso_duration, sniff,
};
pub use processing::{
    ACCEPTED_TYPES, Encoded, Format, MAX_FILE_BYTES, MAX_PIXELS, THUMBNAIL_SIDE, profile_image,
};
pub use store::{MediaStore, Pieces, PrivateDraft, S3Settings, content_type_of};

use crate::accounts::account::Account;
use crate::entities::{media_attachments, scheduled_post_media};
use crate::{Error, Result, id};

/// The most media one local post may carry.
pub const MAX_PER_POST: usize = 4;
/// The most media kept of one remote post.
pub const MAX_PER_REMOTE_POST: usize = 16;
/// The most characters of a description (alt text).
pub const MAX_DESCRIPTION_CHARS: usize = 1_500;
/// The longest URL kept for a remote attachment.
pub const MAX_REMOTE_URL_CHARS: usize = 2_048;
/// The longest blurhash kept.
const MAX_BLURHASH_CHARS: usize = 128;
/// The longest media type kept.
const MAX_CONTENT_TYPE_CHARS: usize = 64;
/// The most uploads one account may have waiting for a post: enough for several
/// posts in the making, not enough to fill the disk.
pub const MAX_UNATTACHED: u64 = 20;
/// How long an upload may wait for a post before upkeep removes it.
pub const UNATTACHED_LIFETIME: TimeDelta = TimeDelta::days(1);

/// What kind of media an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    /// Sound, played in the page.
    Audio,
    /// Video, played in the page.
    Video,
    /// A document (PDF), offered as a link.
    Document,
    /// A remote attachment of a kind not shown here.
    Unknown,
}

impl MediaKind {
    /// Its name as stored.
    pub fn name(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Audio => "audio",
            Self::Video => "video",
            Self::Document => "document",
            Self::Unknown => "unknown",
        }
    }

    /// Its name in Mastodon's API, which has no documents: they are `unknown`.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Document => "unknown",
            other => other.name(),
        }
    }

    fn from_name(name: &str) -> Self {
        match name {
            "image" => Self::Image,
            "audio" => Self::Audio,
            "video" => Self::Video,
            "document" => Self::Document,
            _ => Self::Unknown,
        }
    }

    /// The kind of media whose type is `content_type`.
    pub fn of_content_type(content_type: &str) -> Self {
        if content_type.starts_with("image/") {
            Self::Image
        } else if content_type.starts_with("audio/") {
            Self::Audio
        } else if content_type.starts_with("video/") {
            Self::Video
        } else if content_type == "application/pdf" {
            Self::Document
        } else {
            Self::Unknown
        }
    }
}

/// The largest upload limit that may be set (512 MiB): uploads are held in memory
/// while they are checked.
pub const MAX_MEDIA_BYTES: usize = 512 * 1024 * 1024;

/// The largest upload of each kind, in bytes (settings of the instance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLimits {
    pub image: usize,
    pub audio: usize,
    pub video: usize,
    pub document: usize,
}

impl Default for MediaLimits {
    /// As on Mastodon: 16 MB for images, 99 MB for sound and video; 16 MB for
    /// documents.
    fn default() -> Self {
        Self {
            image: MAX_FILE_BYTES,
            audio: 99 * 1024 * 1024,
            video: 99 * 1024 * 1024,
            document: 16 * 1024 * 1024,
        }
    }
}

impl MediaLimits {
    /// The largest of the limits: no upload is read past it.
    pub fn largest(&self) -> usize {
        self.image
            .max(self.audio)
            .max(self.video)
            .max(self.document)
    }

    /// The limit for uploads of `kind`.
    pub fn of(&self, kind: MediaKind) -> usize {
        match kind {
            MediaKind::Image => self.image,
            MediaKind::Audio => self.audio,
            MediaKind::Video => self.video,
            MediaKind::Document | MediaKind::Unknown => self.document,
        }
    }
}

/// The point of an image that must stay in view when it is cropped, from -1 (left,
/// bottom) to 1 (right, top); (0, 0) is the centre.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Focus {
    pub x: f64,
    pub y: f64,
}

impl Focus {
    /// The focus at (`x`, `y`), if both lie within -1 and 1.
    pub fn new(x: f64, y: f64) -> Result<Self> {
        if (-1.0..=1.0).contains(&x) && (-1.0..=1.0).contains(&y) {
            Ok(Self { x, y })
        } else {
            Err(Error::invalid(
                "focus",
                "must be two numbers from -1.0 to 1.0",
            ))
        }
    }
}

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// A media attachment as the rest of Staffroom sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaAttachment {
    pub id: i64,
    pub account_id: i64,
    /// The post it belongs to; `None` while it waits for one.
    pub post_id: Option<i64>,
    /// Its place among the post's media, from 0.
    pub position: i32,
    pub kind: MediaKind,
    pub content_type: String,
    pub description: Option<String>,
    pub focus: Focus,
    /// The original's file in the [`MediaStore`] (local media only).
    pub file: Option<String>,
    /// The thumbnail's file in the [`MediaStore`] (local media only).
    pub thumbnail_file: Option<String>,
    /// The original's size in bytes (local media only).
    pub bytes: Option<u64>,
    pub original_size: Option<Size>,
    pub thumbnail_size: Option<Size>,
    pub blurhash: Option<String>,
    /// Where a remote attachment lives on its own server.
    pub remote_url: Option<String>,
    /// How long it plays, in seconds (sound and video, when known).
    pub duration: Option<f64>,
    pub created_at: DateTime<Utc>,
}

impl MediaAttachment {
    /// Its bit rate in bits per second, from its size and duration (local sound and
    /// video only).
    pub fn bitrate(&self) -> Option<u64> {
        let duration = self.duration.filter(|d| *d > 0.0)?;
        let bits = self.bytes? as f64 * 8.0;
        Some((bits / duration).round() as u64)
    }
}

fn size_of(width: Option<i32>, height: Option<i32>) -> Option<Size> {
    Some(Size {
        width: u32::try_from(width?).ok()?,
        height: u32::try_from(height?).ok()?,
    })
}

impl From<media_attachments::Model> for MediaAttachment {
    fn from(row: media_attachments::Model) -> Self {
        Self {
            id: row.id,
            account_id: row.account_id,
            post_id: row.post_id,
            position: row.position,
            kind: MediaKind::from_name(&row.kind),
            content_type: row.content_type,
            description: row.description,
            focus: Focus {
                x: row.focus_x,
                y: row.focus_y,
            },
            file: row.file,
            thumbnail_file: row.thumbnail_file,
            bytes: row.size.and_then(|s| u64::try_from(s).ok()),
            original_size: size_of(row.width, row.height),
            thumbnail_size: size_of(row.thumbnail_width, row.thumbnail_height),
            blurhash: row.blurhash,
            remote_url: row.remote_url,
            duration: row.duration,
            created_at: row.created_at,
        }
    }
}

/// What a local person uploads.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// The file as it arrived.
    pub bytes: Vec<u8>,
    pub description: Option<String>,
    pub focus: Option<Focus>,
    /// A picture to show for sound or video (a cover, a still); unused for images.
    pub thumbnail: Option<Vec<u8>>,
}

/// A description as stored: trimmed, `None` when empty, refused when too long.
fn checked_description(description: Option<String>) -> Result<Option<String>> {
    let Some(text) = description else {
        return Ok(None);
    };
    let text = text.trim();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::invalid(
            "description",
            format!("is too long: use at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn to_i32(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// What an upload becomes before it is stored: its files and what is known of it.
struct Prepared {
    kind: MediaKind,
    content_type: String,
    original: Vec<u8>,
    extension: &'static str,
    original_size: Option<Size>,
    thumbnail: Option<Encoded>,
    blurhash: Option<String>,
    duration: Option<f64>,
}

fn unsupported_file() -> Error {
    Error::invalid(
        "file",
        format!(
            "is not a supported file: use an image ({}), {OTHER_FORMATS}",
            ACCEPTED_TYPES.join(", ")
        ),
    )
}

/// Checks and reads `upload` (CPU work: run on a blocking thread). Its kind comes
/// from its first bytes; each kind has its limit of `limits`.
fn prepare(upload: Upload, limits: MediaLimits) -> Result<Prepared> {
    let what = sniff(&upload.bytes).ok_or_else(unsupported_file)?;
    let limit = limits.of(what.kind);
    if upload.bytes.len() > limit {
        return Err(Error::invalid(
            "file",
            format!(
                "is too large: {} uploads may have at most {limit} bytes",
                what.kind.name()
            ),
        ));
    }
    if what.kind == MediaKind::Image {
        let processed = processing::process(&upload.bytes, limit)?;
        return Ok(Prepared {
            kind: MediaKind::Image,
            content_type: processed.original.format.content_type().to_owned(),
            extension: processed.original.format.extension(),
            original_size: Some(Size {
                width: processed.original.width,
                height: processed.original.height,
            }),
            original: processed.original.bytes,
            thumbnail: Some(processed.thumbnail),
            blurhash: Some(processed.blurhash),
            duration: None,
        });
    }
    let read = kinds::read(&upload.bytes, what).ok_or_else(|| {
        Error::invalid(
            "file",
            format!("cannot be read as the {} it starts like", what.content_type),
        )
    })?;
    let (thumbnail, blurhash) = match upload.thumbnail {
        Some(picture) => {
            let processed = processing::process(&picture, limits.image).map_err(|e| match e {
                Error::Invalid { reason, .. } => Error::invalid("thumbnail", reason),
                other => other,
            })?;
            (Some(processed.thumbnail), Some(processed.blurhash))
        }
        None => (None, None),
    };
    Ok(Prepared {
        kind: what.kind,
        content_type: what.content_type.to_owned(),
        original: upload.bytes,
        extension: what.extension,
        original_size: read.size,
        thumbnail,
        blurhash,
        duration: read.duration,
    })
}

/// What the file `bytes` is, read as an upload is (its type from its content, an
/// image decoded within the limits and written afresh, sound and video measured):
/// its kind and media type, or why it is refused. Slow: CPU work, for checks and
/// tests off the async threads; [`create_local`] stores what it makes.
pub fn examine(bytes: &[u8], limits: MediaLimits) -> Result<(MediaKind, String)> {
    let prepared = prepare(
        Upload {
            bytes: bytes.to_vec(),
            ..Default::default()
        },
        limits,
    )?;
    Ok((prepared.kind, prepared.content_type))
}

/// Stores the `upload` of the local account `owner`: an image is checked, cleaned
/// of its metadata and given a thumbnail and a blurhash; sound, video and documents
/// are kept as they came, with their duration and size when they can be read, and
/// the picture sent with them as their thumbnail. Unattached until a post uses it.
pub async fn create_local(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    owner: &Account,
    upload: Upload,
    limits: MediaLimits,
) -> Result<MediaAttachment> {
    if !owner.is_local() {
        return Err(Error::Forbidden("only local accounts upload here".into()));
    }
    let mut upload = upload;
    let description = checked_description(upload.description.take())?;
    let waiting = media_attachments::Entity::find()
        .filter(media_attachments::Column::AccountId.eq(owner.id))
        .filter(media_attachments::Column::PostId.is_null())
        .count(db)
        .await?;
    if waiting >= MAX_UNATTACHED {
        return Err(Error::invalid(
            "file",
            format!("cannot be taken: {MAX_UNATTACHED} uploads already wait for a post"),
        ));
    }
    let focus = upload.focus.unwrap_or_default();
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
    let now = Utc::now();
    let row = media_attachments::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(owner.id),
        post_id: Set(None),
        position: Set(0),
        kind: Set(prepared.kind.name().to_owned()),
        content_type: Set(prepared.content_type),
        description: Set(description),
        focus_x: Set(focus.x),
        focus_y: Set(focus.y),
        file: Set(Some(file.clone())),
        thumbnail_file: Set(thumbnail_file.clone()),
        size: Set(Some(
            i64::try_from(prepared.original.len()).unwrap_or(i64::MAX),
        )),
        width: Set(prepared.original_size.map(|s| to_i32(s.width))),
        height: Set(prepared.original_size.map(|s| to_i32(s.height))),
        thumbnail_width: Set(prepared.thumbnail.as_ref().map(|t| to_i32(t.width))),
        thumbnail_height: Set(prepared.thumbnail.as_ref().map(|t| to_i32(t.height))),
        blurhash: Set(prepared.blurhash),
        remote_url: Set(None),
        duration: Set(prepared.duration),
        cached_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match row {
        Ok(row) => Ok(row.into()),
        Err(e) => {
            let _ = store.remove(&file).await;
            if let Some(thumbnail_file) = &thumbnail_file {
                let _ = store.remove(thumbnail_file).await;
            }
            Err(e.into())
        }
    }
}

/// The attachment `id` of `owner_id`; `NotFound` for anyone else's.
pub async fn find_own(
    db: &impl ConnectionTrait,
    owner_id: i64,
    id: i64,
) -> Result<MediaAttachment> {
    media_attachments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == owner_id)
        .map(MediaAttachment::from)
        .ok_or(Error::NotFound("media attachment"))
}

/// Changes the description and focus of `owner_id`'s attachment `id` while no post
/// uses it yet (a posted attachment changes with its post). An empty description
/// removes it; `None` leaves a value as it was.
pub async fn update(
    db: &impl ConnectionTrait,
    owner_id: i64,
    id: i64,
    description: Option<String>,
    focus: Option<Focus>,
) -> Result<MediaAttachment> {
    let changed = description.is_some() || focus.is_some();
    let existing = find_own(db, owner_id, id).await?;
    if existing.post_id.is_some() {
        return Err(Error::NotFound("media attachment"));
    }
    let mut row = media_attachments::ActiveModel {
        id: Set(id),
        ..Default::default()
    };
    if description.is_some() {
        row.description = Set(checked_description(description)?);
    }
    if let Some(focus) = focus {
        row.focus_x = Set(focus.x);
        row.focus_y = Set(focus.y);
    }
    if changed {
        row.update(db).await?;
    }
    find_own(db, owner_id, id).await
}

/// Deletes `owner_id`'s upload `id` with its files while no post (nor a scheduled
/// post) uses it: `NotFound` for anyone else's, `Invalid` once it is attached.
pub async fn delete_unattached(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    owner_id: i64,
    id: i64,
) -> Result<()> {
    let row = media_attachments::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == owner_id)
        .ok_or(Error::NotFound("media attachment"))?;
    let removed = media_attachments::Entity::delete_many()
        .filter(media_attachments::Column::Id.eq(id))
        .filter(media_attachments::Column::PostId.is_null())
        .filter(media_attachments::Column::Id.not_in_subquery(held_for_scheduled_posts()))
        .exec(db)
        .await?;
    if removed.rows_affected == 0 {
        return Err(Error::invalid(
            "media",
            "is attached to a post and cannot be deleted",
        ));
    }
    // The row went first: a file without a row is only wasted space.
    for file in [&row.file, &row.thumbnail_file].into_iter().flatten() {
        store.remove(file).await?;
    }
    Ok(())
}

/// Checks that `ids` may go on a new post of `owner_id`: at most
/// [`MAX_PER_POST`], each once, each the owner's and not on a post yet.
pub async fn check_attachable(db: &impl ConnectionTrait, owner_id: i64, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    if ids.len() > MAX_PER_POST {
        return Err(Error::invalid(
            "media_ids",
            format!("names too many media: at most {MAX_PER_POST}"),
        ));
    }
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != ids.len() {
        return Err(Error::invalid("media_ids", "names a medium twice"));
    }
    let found = media_attachments::Entity::find()
        .filter(media_attachments::Column::Id.is_in(unique.iter().copied()))
        .filter(media_attachments::Column::AccountId.eq(owner_id))
        .filter(media_attachments::Column::PostId.is_null())
        .filter(media_attachments::Column::Id.not_in_subquery(held_for_scheduled_posts()))
        .all(db)
        .await?;
    if found.len() != unique.len() {
        return Err(Error::invalid(
            "media_ids",
            "must name your own uploads that no post uses yet",
        ));
    }
    Ok(())
}

/// The uploads held for scheduled posts (see [`crate::posts::scheduled`]): no
/// other post takes them, and they are not removed as unused.
fn held_for_scheduled_posts() -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(scheduled_post_media::Column::MediaId)
        .from(scheduled_post_media::Entity)
        .to_owned()
}

/// Puts `owner_id`'s uploads `ids` on the post `post_id`, in that order; fails (and
/// the caller's transaction must roll back) if one is gone or taken meanwhile.
pub async fn attach(
    db: &impl ConnectionTrait,
    owner_id: i64,
    post_id: i64,
    ids: &[i64],
) -> Result<()> {
    check_attachable(db, owner_id, ids).await?;
    for (position, id) in ids.iter().enumerate() {
        let result = media_attachments::Entity::update_many()
            .col_expr(
                media_attachments::Column::PostId,
                sea_orm::sea_query::Expr::value(post_id),
            )
            .col_expr(
                media_attachments::Column::Position,
                sea_orm::sea_query::Expr::value(i32::try_from(position).unwrap_or(i32::MAX)),
            )
            .filter(media_attachments::Column::Id.eq(*id))
            .filter(media_attachments::Column::AccountId.eq(owner_id))
            .filter(media_attachments::Column::PostId.is_null())
            .exec(db)
            .await?;
        if result.rows_affected != 1 {
            return Err(Error::invalid(
                "media_ids",
                "must name your own uploads that no post uses yet",
            ));
        }
    }
    Ok(())
}

/// The media of post `post_id`, in order.
pub async fn of_post(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<MediaAttachment>> {
    Ok(media_attachments::Entity::find()
        .filter(media_attachments::Column::PostId.eq(post_id))
        .order_by_asc(media_attachments::Column::Position)
        .order_by_asc(media_attachments::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(MediaAttachment::from)
        .collect())
}

/// The media of each of `post_ids`, in order, by post id (posts without media left
/// out).
pub async fn of_posts(
    db: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<MediaAttachment>>> {
    let mut by_post: std::collections::HashMap<i64, Vec<MediaAttachment>> =
        std::collections::HashMap::new();
    if post_ids.is_empty() {
        return Ok(by_post);
    }
    let rows = media_attachments::Entity::find()
        .filter(media_attachments::Column::PostId.is_in(post_ids.iter().copied()))
        .order_by_asc(media_attachments::Column::Position)
        .order_by_asc(media_attachments::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        if let Some(post_id) = row.post_id {
            by_post
                .entry(post_id)
                .or_default()
                .push(MediaAttachment::from(row));
        }
    }
    Ok(by_post)
}

/// An attachment of a remote post, as the federation layer read it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteAttachment {
    pub url: String,
    pub content_type: String,
    pub description: Option<String>,
    pub blurhash: Option<String>,
    pub size: Option<Size>,
    pub focus: Focus,
    /// How long it plays, in seconds.
    pub duration: Option<f64>,
    /// The kind its ActivityPub type names (`Audio`, `Video`), for media types that
    /// do not tell.
    pub kind_hint: MediaKind,
}

/// Replaces the media of the remote post `post_id` by `attachments` (at most
/// [`MAX_PER_REMOTE_POST`]; over-long values are dropped or cut). An attachment
/// that stays (the same address) keeps this instance's copy of it; a copy of
/// each other one is queued (see [`remote_cache`]). Copies of attachments that
/// went are left without a post, and upkeep removes them with their files.
pub async fn replace_remote(
    db: &impl ConnectionTrait,
    author_id: i64,
    post_id: i64,
    attachments: &[RemoteAttachment],
) -> Result<()> {
    let mut copies: std::collections::HashMap<String, media_attachments::Model> =
        media_attachments::Entity::find()
            .filter(media_attachments::Column::PostId.eq(post_id))
            .filter(media_attachments::Column::File.is_not_null())
            .all(db)
            .await?
            .into_iter()
            .filter_map(|row| Some((row.remote_url.clone()?, row)))
            .collect();
    let now = Utc::now();
    let mut rows: Vec<media_attachments::ActiveModel> = Vec::new();
    let mut to_fetch = Vec::new();
    for (position, a) in attachments
        .iter()
        .filter(|a| a.url.len() <= MAX_REMOTE_URL_CHARS)
        .take(MAX_PER_REMOTE_POST)
        .enumerate()
    {
        let content_type: String = a
            .content_type
            .chars()
            .take(MAX_CONTENT_TYPE_CHARS)
            .collect();
        let new_id = id::new_id(now);
        let mut row = media_attachments::ActiveModel {
            id: Set(new_id),
            account_id: Set(author_id),
            post_id: Set(Some(post_id)),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            kind: Set(match MediaKind::of_content_type(&content_type) {
                MediaKind::Unknown => a.kind_hint,
                known => known,
            }
            .name()
            .to_owned()),
            content_type: Set(content_type),
            description: Set(a
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| d.chars().take(MAX_DESCRIPTION_CHARS).collect())),
            focus_x: Set(a.focus.x.clamp(-1.0, 1.0)),
            focus_y: Set(a.focus.y.clamp(-1.0, 1.0)),
            file: Set(None),
            thumbnail_file: Set(None),
            size: Set(None),
            width: Set(a.size.map(|s| to_i32(s.width))),
            height: Set(a.size.map(|s| to_i32(s.height))),
            thumbnail_width: Set(None),
            thumbnail_height: Set(None),
            blurhash: Set(a.blurhash.clone().filter(|b| b.len() <= MAX_BLURHASH_CHARS)),
            remote_url: Set(Some(a.url.clone())),
            duration: Set(a
                .duration
                .filter(|d| d.is_finite() && (0.0..1.0e9).contains(d))),
            cached_at: Set(None),
            created_at: Set(now),
        };
        match copies.remove(&a.url) {
            Some(copy) => {
                // The copy moves to the new row; the old row goes without it.
                row.kind = Set(copy.kind);
                row.content_type = Set(copy.content_type);
                row.file = Set(copy.file);
                row.thumbnail_file = Set(copy.thumbnail_file);
                row.size = Set(copy.size);
                row.width = Set(copy.width);
                row.height = Set(copy.height);
                row.thumbnail_width = Set(copy.thumbnail_width);
                row.thumbnail_height = Set(copy.thumbnail_height);
                row.blurhash = Set(copy.blurhash);
                row.cached_at = Set(copy.cached_at);
                media_attachments::Entity::delete_by_id(copy.id)
                    .exec(db)
                    .await?;
            }
            None => to_fetch.push(new_id),
        }
        rows.push(row);
    }
    // Copies no longer used lose their post; upkeep removes them and their files.
    media_attachments::Entity::update_many()
        .col_expr(
            media_attachments::Column::PostId,
            sea_orm::sea_query::Expr::value(None::<i64>),
        )
        .filter(media_attachments::Column::PostId.eq(post_id))
        .filter(media_attachments::Column::File.is_not_null())
        .exec(db)
        .await?;
    media_attachments::Entity::delete_many()
        .filter(media_attachments::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    if !rows.is_empty() {
        media_attachments::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    for id in to_fetch {
        remote_cache::queue(db, remote_cache::Target::Attachment, id, now).await?;
    }
    Ok(())
}

/// Removes uploads that no post took within [`UNATTACHED_LIFETIME`] of `now`, with
/// their files; how many went.
pub async fn remove_stale_unattached(
    db: &impl ConnectionTrait,
    store: &MediaStore,
    now: DateTime<Utc>,
) -> Result<u64> {
    let stale = media_attachments::Entity::find()
        .filter(media_attachments::Column::PostId.is_null())
        .filter(media_attachments::Column::CreatedAt.lt(now - UNATTACHED_LIFETIME))
        .filter(media_attachments::Column::Id.not_in_subquery(held_for_scheduled_posts()))
        .all(db)
        .await?;
    let mut removed = 0;
    for row in stale {
        // The row goes first: a file without a row is only wasted space, a row
        // without its file would be a broken image.
        let result = media_attachments::Entity::delete_many()
            .filter(media_attachments::Column::Id.eq(row.id))
            .filter(media_attachments::Column::PostId.is_null())
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
    Ok(removed)
}
