//! Where media files live: a folder of the instance's data directory, or a bucket
//! of an S3-compatible object store that several machines share, with names
//! nobody can guess. Every file goes in and out through [`MediaStore`]: nothing
//! else knows which of the two holds the files, or assumes a path on disk.

use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload, WriteMultipart,
};
use rand::RngCore;
use rand::rngs::OsRng;

use crate::{Error, Result};

/// The folder of private files (archives) inside the media folder, and the
/// prefix of their keys in a bucket.
const PRIVATE_FOLDER: &str = "archives";
/// Pieces a file is read in, and sent to the object store in.
const PIECE: usize = 64 * 1024;
/// Parts of a large private file sent to the object store (S3 takes at least
/// 5 MiB a part, but the last).
const UPLOAD_PART: usize = 8 * 1024 * 1024;
/// Stored media files never change: caches may keep them for a year.
const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// Where an S3-compatible object store keeps the media files.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    /// The bucket's name.
    pub bucket: String,
    /// The store's address (`https://s3.example.org`); `None`: Amazon S3 in
    /// `region`.
    pub endpoint: Option<String>,
    /// The region the bucket is in (`us-east-1` for most other stores).
    pub region: String,
    /// The access key's id and secret; `None`: the credentials of the machine
    /// (an instance role) are asked for.
    pub credentials: Option<(String, String)>,
    /// The bucket is addressed as `ENDPOINT/BUCKET` (most self-hosted stores)
    /// rather than as `BUCKET.ENDPOINT-HOST`.
    pub path_style: bool,
    /// Keys begin with this folder (`staffroom/`), or `""`: at the bucket's root.
    pub prefix: String,
}

/// The secret stays out of logs and error messages.
impl std::fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field(
                "access_key_id",
                &self.credentials.as_ref().map(|(id, _)| id),
            )
            .field("path_style", &self.path_style)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// The files of media attachments, pictures and archives.
#[derive(Debug, Clone)]
pub struct MediaStore {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    /// One folder of the local file system.
    Local { dir: PathBuf },
    /// A bucket of an object store; `scratch` is where archives are built
    /// before they are sent.
    Object {
        store: Arc<dyn ObjectStore>,
        prefix: String,
        scratch: PathBuf,
    },
}

/// The store's client is not shown: it holds the secret key.
impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Local { dir } => f.debug_struct("Local").field("dir", dir).finish(),
            Self::Object {
                store,
                prefix,
                scratch,
            } => f
                .debug_struct("Object")
                .field("store", &store.to_string())
                .field("prefix", prefix)
                .field("scratch", scratch)
                .finish(),
        }
    }
}

/// A stored file read a piece at a time.
pub struct Pieces {
    /// Its size in bytes.
    pub len: u64,
    /// Its bytes, in order.
    pub stream: BoxStream<'static, Result<Bytes>>,
}

impl std::fmt::Debug for Pieces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pieces").field("len", &self.len).finish()
    }
}

/// A private file being written: a file on the local disk until
/// [`MediaStore::keep_private`] keeps it under its name, or removed when dropped.
#[derive(Debug)]
pub struct PrivateDraft {
    file: tempfile::NamedTempFile,
}

impl PrivateDraft {
    /// A handle to write the draft with (it shares the draft's position).
    pub fn file(&self) -> Result<std::fs::File> {
        self.file
            .as_file()
            .try_clone()
            .map_err(|e| io_error("open an archive", &e))
    }
}

impl MediaStore {
    /// A store that keeps its files in `dir` (created when the first file arrives).
    pub fn local(dir: impl Into<PathBuf>) -> Self {
        Self {
            backend: Backend::Local { dir: dir.into() },
        }
    }

    /// A store that keeps its files in the bucket `settings` name; archives are
    /// built in `scratch` (a folder of the local disk) before they are sent.
    /// Nothing is asked of the store yet: a wrong setting shows at the first file.
    pub fn s3(settings: &S3Settings, scratch: impl Into<PathBuf>) -> Result<Self> {
        // The HTTP client speaks TLS with the same provider as federation's.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region);
        if let Some((id, secret)) = &settings.credentials {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        if let Some(endpoint) = &settings.endpoint {
            let endpoint = endpoint.trim_end_matches('/');
            builder = builder.with_allow_http(endpoint.starts_with("http://"));
            builder = if settings.path_style {
                builder.with_endpoint(endpoint)
            } else {
                // Virtual-hosted style: the bucket is a host of its own.
                builder
                    .with_endpoint(bucket_host(endpoint, &settings.bucket)?)
                    .with_virtual_hosted_style_request(true)
            };
        } else {
            builder = builder.with_virtual_hosted_style_request(!settings.path_style);
        }
        let store = builder
            .build()
            .map_err(|e| Error::Internal(format!("cannot set up the object store: {e}")))?;
        let prefix = settings.prefix.trim_matches('/');
        Ok(Self {
            backend: Backend::Object {
                store: Arc::new(store),
                prefix: if prefix.is_empty() {
                    String::new()
                } else {
                    format!("{prefix}/")
                },
                scratch: scratch.into(),
            },
        })
    }

    /// Where the files are, for messages: a folder or a bucket.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Local { dir } => format!("the folder {}", dir.display()),
            Backend::Object { store, prefix, .. } => format!("{store} under '{prefix}'"),
        }
    }

    /// A new name for a file of the kind `extension`: 128 random bits in hex.
    pub fn new_name(extension: &str) -> String {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("{hex}.{extension}")
    }

    /// Whether `name` is one this store hands out: letters and digits, one dot, a
    /// known extension. Nothing else is ever looked up, so no path can escape the
    /// folder.
    pub fn is_valid_name(name: &str) -> bool {
        let Some((stem, extension)) = name.split_once('.') else {
            return false;
        };
        !stem.is_empty()
            && stem.len() <= 64
            && stem.bytes().all(|b| b.is_ascii_hexdigit())
            && content_type_of(name).is_some()
            && !extension.contains('.')
    }

    /// Whether `name` is a private file's (an archive: hex, then `.zip`).
    fn is_valid_private_name(name: &str) -> bool {
        name.strip_suffix(".zip").is_some_and(|stem| {
            !stem.is_empty() && stem.len() <= 64 && stem.bytes().all(|b| b.is_ascii_hexdigit())
        })
    }

    /// Where the media file `name` is, or not found for a name not handed out.
    fn place_of(&self, name: &str) -> Result<Place> {
        if !Self::is_valid_name(name) {
            return Err(Error::NotFound("media file"));
        }
        Ok(match &self.backend {
            Backend::Local { dir } => Place::File(dir.join(name)),
            Backend::Object { prefix, .. } => {
                Place::Key(ObjectPath::from(format!("{prefix}{name}")))
            }
        })
    }

    /// Where the private file `name` is, in the `archives/` folder or prefix,
    /// which `/media/` never serves.
    fn private_place_of(&self, name: &str) -> Result<Place> {
        if !Self::is_valid_private_name(name) {
            return Err(Error::NotFound("archive"));
        }
        Ok(match &self.backend {
            Backend::Local { dir } => Place::File(dir.join(PRIVATE_FOLDER).join(name)),
            Backend::Object { prefix, .. } => {
                Place::Key(ObjectPath::from(format!("{prefix}{PRIVATE_FOLDER}/{name}")))
            }
        })
    }

    /// The object store, for a place that is a key.
    fn object_store(&self) -> Result<&Arc<dyn ObjectStore>> {
        match &self.backend {
            Backend::Object { store, .. } => Ok(store),
            Backend::Local { .. } => Err(Error::Internal(
                "a key of an object store on the local disk".into(),
            )),
        }
    }

    /// Stores `bytes` as `name`; in a bucket, with its media type, so that a
    /// proxy or CDN reading the bucket answers as `/media/` does.
    pub async fn put(&self, name: &str, bytes: &[u8]) -> Result<()> {
        match self.place_of(name)? {
            Place::File(path) => {
                if let Some(folder) = path.parent() {
                    tokio::fs::create_dir_all(folder)
                        .await
                        .map_err(|e| io_error("create the media folder", &e))?;
                }
                tokio::fs::write(&path, bytes)
                    .await
                    .map_err(|e| io_error("write a media file", &e))
            }
            Place::Key(key) => {
                let mut attributes = Attributes::new();
                if let Some(content_type) = content_type_of(name) {
                    attributes.insert(Attribute::ContentType, content_type.into());
                }
                attributes.insert(Attribute::CacheControl, CACHE_FOREVER.into());
                let options = PutOptions {
                    attributes,
                    ..PutOptions::default()
                };
                self.object_store()?
                    .put_opts(&key, PutPayload::from(bytes.to_vec()), options)
                    .await
                    .map(|_| ())
                    .map_err(|e| object_error("write a media file", &e))
            }
        }
    }

    /// The file `name`, or `None` when there is none (or the name is not one of ours).
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Ok(place) = self.place_of(name) else {
            return Ok(None);
        };
        match place {
            Place::File(path) => match tokio::fs::read(&path).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
                Err(e) => Err(io_error("read a media file", &e)),
            },
            Place::Key(key) => {
                let found = self.object_store()?.get(&key).await;
                match found {
                    Ok(found) => found
                        .bytes()
                        .await
                        .map(|bytes| Some(Vec::from(bytes)))
                        .map_err(|e| object_error("read a media file", &e)),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(object_error("read a media file", &e)),
                }
            }
        }
    }

    /// The size in bytes of the file `name`, or `None` when there is none (or
    /// the name is not one of ours).
    pub async fn size_of(&self, name: &str) -> Result<Option<u64>> {
        let Ok(place) = self.place_of(name) else {
            return Ok(None);
        };
        self.size_at(&place, "read a media file").await
    }

    async fn size_at(&self, place: &Place, doing: &str) -> Result<Option<u64>> {
        match place {
            Place::File(path) => match tokio::fs::metadata(path).await {
                Ok(found) if found.is_file() => Ok(Some(found.len())),
                Ok(_) => Ok(None),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
                Err(e) => Err(io_error(doing, &e)),
            },
            Place::Key(key) => match self.object_store()?.head(key).await {
                Ok(meta) => Ok(Some(meta.size)),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(object_error(doing, &e)),
            },
        }
    }

    /// `len` bytes of the file `name` from byte `start` (fewer when the file
    /// ends first), read without the rest: a player seeking in a long sound or
    /// video asks for a piece at a time. `None` when there is no such file.
    pub async fn read_part(&self, name: &str, start: u64, len: u64) -> Result<Option<Vec<u8>>> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let Ok(place) = self.place_of(name) else {
            return Ok(None);
        };
        match place {
            Place::File(path) => {
                let mut file = match tokio::fs::File::open(&path).await {
                    Ok(file) => file,
                    Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(io_error("read a media file", &e)),
                };
                file.seek(std::io::SeekFrom::Start(start))
                    .await
                    .map_err(|e| io_error("read a media file", &e))?;
                let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).min(1 << 24));
                file.take(len)
                    .read_to_end(&mut bytes)
                    .await
                    .map_err(|e| io_error("read a media file", &e))?;
                Ok(Some(bytes))
            }
            Place::Key(_) if len == 0 => Ok(self.size_of(name).await?.map(|_| Vec::new())),
            Place::Key(key) => {
                let options = GetOptions::default()
                    .with_range(Some(GetRange::Bounded(start..start.saturating_add(len))));
                match self.object_store()?.get_opts(&key, options).await {
                    Ok(found) => found
                        .bytes()
                        .await
                        .map(|bytes| Some(Vec::from(bytes)))
                        .map_err(|e| object_error("read a media file", &e)),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(object_error("read a media file", &e)),
                }
            }
        }
    }

    /// Removes the file `name`; a file already gone is not an error.
    pub async fn remove(&self, name: &str) -> Result<()> {
        let place = self.place_of(name)?;
        self.remove_at(&place, "remove a media file").await
    }

    async fn remove_at(&self, place: &Place, doing: &str) -> Result<()> {
        match place {
            Place::File(path) => match tokio::fs::remove_file(path).await {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
                Err(e) => Err(io_error(doing, &e)),
            },
            Place::Key(key) => match self.object_store()?.delete(key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(object_error(doing, &e)),
            },
        }
    }

    /// A private file to write, kept under its name by [`Self::keep_private`]:
    /// built on the local disk (beside the archives, or in the scratch folder
    /// when they are in a bucket), since a `.zip` is written out of order.
    pub async fn draft_private(&self) -> Result<PrivateDraft> {
        let folder = match &self.backend {
            Backend::Local { dir } => dir.join(PRIVATE_FOLDER),
            Backend::Object { scratch, .. } => scratch.clone(),
        };
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(|e| io_error("create the archives folder", &e))?;
        let file = tempfile::Builder::new()
            .prefix(".draft-")
            .tempfile_in(&folder)
            .map_err(|e| io_error("create an archive", &e))?;
        Ok(PrivateDraft { file })
    }

    /// Keeps `draft` as the private file `name` (an archive: hex, then `.zip`):
    /// its size in bytes.
    pub async fn keep_private(&self, draft: PrivateDraft, name: &str) -> Result<u64> {
        let size = draft
            .file
            .as_file()
            .metadata()
            .map_err(|e| io_error("measure an archive", &e))?
            .len();
        match self.private_place_of(name)? {
            Place::File(path) => {
                draft
                    .file
                    .persist(&path)
                    .map_err(|e| io_error("keep an archive", &e.error))?;
            }
            Place::Key(key) => {
                use tokio::io::AsyncReadExt;
                let upload = self
                    .object_store()?
                    .put_multipart(&key)
                    .await
                    .map_err(|e| object_error("send an archive", &e))?;
                let mut parts = WriteMultipart::new_with_chunk_size(upload, UPLOAD_PART);
                let mut file = tokio::fs::File::open(draft.file.path())
                    .await
                    .map_err(|e| io_error("read an archive", &e))?;
                let mut buffer = vec![0u8; PIECE];
                loop {
                    let read = file
                        .read(&mut buffer)
                        .await
                        .map_err(|e| io_error("read an archive", &e))?;
                    if read == 0 {
                        break;
                    }
                    parts
                        .wait_for_capacity(2)
                        .await
                        .map_err(|e| object_error("send an archive", &e))?;
                    parts.write(&buffer[..read]);
                }
                parts
                    .finish()
                    .await
                    .map_err(|e| object_error("send an archive", &e))?;
            }
        }
        Ok(size)
    }

    /// The private file `name`, a piece at a time; `None` when there is none.
    pub async fn read_private(&self, name: &str) -> Result<Option<Pieces>> {
        let Ok(place) = self.private_place_of(name) else {
            return Ok(None);
        };
        self.pieces_at(place, "read an archive").await
    }

    /// The media file `name`, a piece at a time (for copying it elsewhere
    /// without holding it whole); `None` when there is none.
    pub async fn read_pieces(&self, name: &str) -> Result<Option<Pieces>> {
        let Ok(place) = self.place_of(name) else {
            return Ok(None);
        };
        self.pieces_at(place, "read a media file").await
    }

    async fn pieces_at(&self, place: Place, doing: &'static str) -> Result<Option<Pieces>> {
        match place {
            Place::File(path) => {
                let file = match tokio::fs::File::open(&path).await {
                    Ok(file) => file,
                    Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(io_error(doing, &e)),
                };
                let len = file
                    .metadata()
                    .await
                    .map_err(|e| io_error(doing, &e))?
                    .len();
                let stream = stream::unfold(file, move |mut file| async move {
                    use tokio::io::AsyncReadExt;
                    let mut buffer = vec![0u8; PIECE];
                    match file.read(&mut buffer).await {
                        Ok(0) => None,
                        Ok(read) => {
                            buffer.truncate(read);
                            Some((Ok(Bytes::from(buffer)), file))
                        }
                        Err(e) => Some((Err(io_error(doing, &e)), file)),
                    }
                })
                .boxed();
                Ok(Some(Pieces { len, stream }))
            }
            Place::Key(key) => match self.object_store()?.get(&key).await {
                Ok(found) => Ok(Some(Pieces {
                    len: found.meta.size,
                    stream: found
                        .into_stream()
                        .map_err(move |e| object_error(doing, &e))
                        .boxed(),
                })),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(object_error(doing, &e)),
            },
        }
    }

    /// Removes the private file `name`; a file already gone is not an error.
    pub async fn remove_private(&self, name: &str) -> Result<()> {
        let place = self.private_place_of(name)?;
        self.remove_at(&place, "remove an archive").await
    }
}

/// A file's place: a path on the local disk, or a key in a bucket.
enum Place {
    File(PathBuf),
    Key(ObjectPath),
}

/// `endpoint` with `bucket.` before its host: the bucket's own address.
fn bucket_host(endpoint: &str, bucket: &str) -> Result<String> {
    let mut url = url::Url::parse(endpoint)
        .map_err(|e| Error::Internal(format!("the object store's address {endpoint}: {e}")))?;
    let host = url.host_str().ok_or_else(|| {
        Error::Internal(format!("the object store's address {endpoint} has no host"))
    })?;
    let host = format!("{bucket}.{host}");
    url.set_host(Some(&host))
        .map_err(|e| Error::Internal(format!("the object store's address {endpoint}: {e}")))?;
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn io_error(doing: &str, cause: &std::io::Error) -> Error {
    Error::Internal(format!("cannot {doing}: {cause}"))
}

fn object_error(doing: &str, cause: &object_store::Error) -> Error {
    Error::Internal(format!("cannot {doing} in the object store: {cause}"))
}

/// The media type of a stored file, from its name's extension.
pub fn content_type_of(name: &str) -> Option<&'static str> {
    match name.rsplit_once('.')?.1 {
        "jpg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "mp3" => Some("audio/mpeg"),
        "aac" => Some("audio/aac"),
        "m4a" => Some("audio/mp4"),
        "ogg" => Some("audio/ogg"),
        "flac" => Some("audio/flac"),
        "mp4" => Some("video/mp4"),
        "webm" => Some("video/webm"),
        "pdf" => Some("application/pdf"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_names_are_valid_and_differ() {
        let a = MediaStore::new_name("png");
        let b = MediaStore::new_name("png");
        assert_ne!(a, b);
        assert_eq!(a.len(), 32 + 4);
        assert!(MediaStore::is_valid_name(&a), "{a}");
    }

    #[test]
    fn names_that_could_leave_the_folder_are_refused() {
        for name in [
            "../staffroom.db",
            "..%2fstaffroom.db",
            "/etc/passwd",
            "abc/def.png",
            "staffroom.db",
            ".png",
            "abc.png.png",
            "abc.exe",
            "ab\\c.png",
            "",
        ] {
            assert!(!MediaStore::is_valid_name(name), "{name}");
        }
    }

    #[tokio::test]
    async fn files_go_in_come_out_and_go_away() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::local(dir.path().join("media"));
        let name = MediaStore::new_name("jpg");
        store.put(&name, b"bytes").await.unwrap();
        assert_eq!(
            store.read(&name).await.unwrap().as_deref(),
            Some(&b"bytes"[..])
        );
        store.remove(&name).await.unwrap();
        assert_eq!(store.read(&name).await.unwrap(), None);
        store.remove(&name).await.unwrap();
        assert_eq!(store.read("../media").await.unwrap(), None);
    }

    #[tokio::test]
    async fn archives_are_drafted_kept_read_in_pieces_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::local(dir.path().join("media"));
        let draft = store.draft_private().await.unwrap();
        std::io::Write::write_all(&mut draft.file().unwrap(), b"PK archive").unwrap();
        let name = MediaStore::new_name("zip");
        assert_eq!(store.keep_private(draft, &name).await.unwrap(), 10);
        // Beside the media, in a folder `/media/` never serves.
        assert!(dir.path().join("media/archives").join(&name).is_file());
        assert_eq!(store.read(&name).await.unwrap(), None);
        let pieces = store.read_private(&name).await.unwrap().unwrap();
        assert_eq!(pieces.len, 10);
        let read: Vec<Bytes> = pieces.stream.try_collect().await.unwrap();
        assert_eq!(read.concat(), b"PK archive");
        store.remove_private(&name).await.unwrap();
        assert!(store.read_private(&name).await.unwrap().is_none());
        assert!(
            store
                .read_private("../staffroom.db")
                .await
                .unwrap()
                .is_none()
        );
        // No draft is left behind.
        let left = std::fs::read_dir(dir.path().join("media/archives")).unwrap();
        assert_eq!(left.count(), 0);
    }

    #[test]
    fn a_bucket_has_a_host_of_its_own_unless_addressed_by_path() {
        assert_eq!(
            bucket_host("https://s3.example.org", "media").unwrap(),
            "https://media.s3.example.org"
        );
        assert_eq!(
            bucket_host("http://store.example.org:9000", "media").unwrap(),
            "http://media.store.example.org:9000"
        );
    }
}
