//! Where media files live: a folder of the instance's data directory, with names
//! nobody can guess. Every file goes in and out through [`MediaStore`], so that an
//! object store can later take the folder's place without its callers changing.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rand::RngCore;
use rand::rngs::OsRng;

use crate::{Error, Result};

/// The folder of private files (archives) inside the media folder.
const PRIVATE_FOLDER: &str = "archives";

/// The files of media attachments, kept in one folder of the local file system.
#[derive(Debug, Clone)]
pub struct MediaStore {
    dir: PathBuf,
}

impl MediaStore {
    /// A store that keeps its files in `dir` (created when the first file arrives).
    pub fn local(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder the files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
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

    fn path_of(&self, name: &str) -> Result<PathBuf> {
        if Self::is_valid_name(name) {
            Ok(self.dir.join(name))
        } else {
            Err(Error::NotFound("media file"))
        }
    }

    /// Where the file `name` is on disk, for reading it a piece at a time.
    pub fn file_path(&self, name: &str) -> Result<PathBuf> {
        self.path_of(name)
    }

    /// Where the private file `name` (an archive: hex, then `.zip`) is, in the
    /// folder's `archives/` folder, which `/media/` never serves; the folder is
    /// created.
    pub async fn private_path(&self, name: &str) -> Result<PathBuf> {
        let valid = name.strip_suffix(".zip").is_some_and(|stem| {
            !stem.is_empty() && stem.len() <= 64 && stem.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !valid {
            return Err(Error::NotFound("archive"));
        }
        let folder = self.dir.join(PRIVATE_FOLDER);
        tokio::fs::create_dir_all(&folder)
            .await
            .map_err(|e| io_error("create the archives folder", &e))?;
        Ok(folder.join(name))
    }

    /// Removes the private file `name`; a file already gone is not an error.
    pub async fn remove_private(&self, name: &str) -> Result<()> {
        let path = self.private_path(name).await?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("remove an archive", &e)),
        }
    }

    /// Stores `bytes` as `name`.
    pub async fn put(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path_of(name)?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| io_error("create the media folder", &e))?;
        tokio::fs::write(&path, bytes)
            .await
            .map_err(|e| io_error("write a media file", &e))
    }

    /// The file `name`, or `None` when there is none (or the name is not one of ours).
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Ok(path) = self.path_of(name) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read a media file", &e)),
        }
    }

    /// The size in bytes of the file `name`, or `None` when there is none (or
    /// the name is not one of ours).
    pub async fn size_of(&self, name: &str) -> Result<Option<u64>> {
        let Ok(path) = self.path_of(name) else {
            return Ok(None);
        };
        match tokio::fs::metadata(&path).await {
            Ok(found) if found.is_file() => Ok(Some(found.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("read a media file", &e)),
        }
    }

    /// `len` bytes of the file `name` from byte `start` (fewer when the file
    /// ends first), read without the rest: a player seeking in a long sound or
    /// video asks for a piece at a time. `None` when there is no such file.
    pub async fn read_part(&self, name: &str, start: u64, len: u64) -> Result<Option<Vec<u8>>> {
        use tokio::io::{AsyncReadExt, AsyncSeekExt};
        let Ok(path) = self.path_of(name) else {
            return Ok(None);
        };
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

    /// Removes the file `name`; a file already gone is not an error.
    pub async fn remove(&self, name: &str) -> Result<()> {
        let path = self.path_of(name)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("remove a media file", &e)),
        }
    }
}

fn io_error(doing: &str, cause: &std::io::Error) -> Error {
    Error::Internal(format!("cannot {doing}: {cause}"))
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
}
