//! Writing a person's archive (see `staffroom_domain::accounts::archive` for the
//! requests): a `.zip` file as Mastodon's archive is laid out — `actor.json`, the
//! account's `Create` and `Announce` activities in `outbox.json`, `likes.json`, `bookmarks.json`,
//! the CSV files of the export page and `followers.csv`, and the account's
//! uploads and pictures in `media_attachments/` — and the worker that builds the
//! requests one at a time. Posts are read a page at a time and files copied in
//! pieces, so memory stays bounded whatever the account holds.

use std::io::Write;
use std::time::Duration;

use chrono::Utc;
use futures_util::StreamExt;
use serde::Serialize;
use staffroom_domain::accounts::account::{self, Account, Picture};
use staffroom_domain::accounts::archive::{self, Archive};
use staffroom_domain::accounts::export::{self, File};
use staffroom_domain::media::MediaStore;
use tokio::sync::watch;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::context::FederationData;
use crate::error::Error;
use crate::objects::actor::local_actor;
use crate::objects::outbox;
use crate::protocol::collection::OrderedCollection;
use crate::protocol::{context, with_context};

/// How often the worker looks for a request when none waits.
const POLL: Duration = Duration::from_secs(1);
/// Posts read at a time for the outbox.
const POSTS_PAGE: u64 = 100;

/// Builds requested archives in the background, one at a time.
#[derive(Debug, Clone)]
pub struct ArchiveWorker {
    data: FederationData,
    store: MediaStore,
}

impl ArchiveWorker {
    pub fn new(data: FederationData, store: MediaStore) -> Self {
        Self { data, store }
    }

    /// Runs until `stopped` turns true; an archive under way is finished first.
    pub async fn run(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if *stopped.borrow() {
                break;
            }
            match archive::claim(&self.data.db, Utc::now()).await {
                Ok(Some(request)) => self.build_and_keep(&request).await,
                Ok(None) => {
                    tokio::select! {
                        _ = stopped.changed() => {}
                        () = tokio::time::sleep(POLL) => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot claim an archive request");
                    tokio::select! {
                        _ = stopped.changed() => {}
                        () = tokio::time::sleep(POLL) => {}
                    }
                }
            }
        }
        tracing::info!("archive worker stopped");
    }

    /// Builds `request`'s file and records it; the earlier archives' files go.
    /// A failure is logged, and the request waits for the lease to run out.
    async fn build_and_keep(&self, request: &Archive) {
        let name = MediaStore::new_name("zip");
        let built = build(&self.data, &self.store, request.account_id, &name).await;
        let size = match built {
            Ok(size) => size,
            Err(e) => {
                tracing::error!(error = %e, archive = request.id, "an archive could not be built");
                let _ = self.store.remove_private(&name).await;
                return;
            }
        };
        match archive::finish(&self.data.db, request.id, &name, size, Utc::now()).await {
            Ok(gone) => {
                for file in gone {
                    if let Err(e) = self.store.remove_private(&file).await {
                        tracing::warn!(error = %e, file, "an old archive could not be removed");
                    }
                }
                tracing::info!(archive = request.id, size, "an archive was built");
            }
            Err(e) => {
                tracing::error!(error = %e, archive = request.id, "a built archive could not be recorded");
                let _ = self.store.remove_private(&name).await;
            }
        }
    }
}

/// Writes the archive of the local `account_id` into the store's private file
/// `name`: its size in bytes.
pub async fn build(
    data: &FederationData,
    store: &MediaStore,
    account_id: i64,
    name: &str,
) -> Result<u64, Error> {
    let account = account::get(&data.db, account_id).await?;
    let draft = store.draft_private().await?;
    let mut zip = Zip {
        writer: ZipWriter::new(draft.file()?),
    };
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);

    let picture = |picture: Option<&Picture>| match picture {
        Some(Picture::Stored(file)) => Some(format!("/media_attachments/{file}")),
        _ => None,
    };
    let (avatar, header) = (
        picture(account.avatar.as_ref()),
        picture(account.header.as_ref()),
    );
    let actor = local_actor(&data.urls, &account, avatar.as_deref(), header.as_deref());
    zip.json("actor.json", &actor, deflated)?;

    write_outbox(data, &account, &mut zip, deflated).await?;
    for (liked, file_name, id) in [
        (true, "likes.json", "likes.json"),
        (false, "bookmarks.json", "bookmarks.json"),
    ] {
        let uris = archive::marked_posts(&data.db, account.id, liked, &data.urls).await?;
        zip.json(
            file_name,
            &with_context(OrderedCollection::listed(id.into(), uris)),
            deflated,
        )?;
    }
    let now = Utc::now();
    for file in File::ALL {
        let text = export::csv(&data.db, account.id, file, &data.urls, now).await?;
        zip.bytes(&format!("{}.csv", file.name()), text.as_bytes(), deflated)?;
    }
    let followers = export::followers_csv(&data.db, account.id, &data.urls).await?;
    zip.bytes("followers.csv", followers.as_bytes(), deflated)?;

    // Pictures and uploads are compressed already: stored as they are.
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for media in archive::media_files(&data.db, account.id).await? {
        let mut source = match store.read_pieces(&media).await {
            Ok(Some(source)) => source.stream,
            Ok(None) => {
                tracing::warn!(file = media, "a media file of an archive is missing");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, file = media, "a media file of an archive cannot be read");
                continue;
            }
        };
        zip.start(&format!("media_attachments/{media}"), stored)?;
        while let Some(piece) = source.next().await {
            zip.write(&piece?)?;
        }
    }
    zip.writer
        .finish()
        .map_err(|e| Error::Domain(staffroom_domain::Error::Internal(format!("zip: {e}"))))?;
    Ok(store.keep_private(draft, name).await?)
}

/// `outbox.json`: an `OrderedCollection` of a `Create` of each of the account's
/// posts and an `Announce` of each of its boosts, newest first, written a page
/// of posts at a time.
async fn write_outbox(
    data: &FederationData,
    account: &Account,
    zip: &mut Zip,
    options: SimpleFileOptions,
) -> Result<(), Error> {
    zip.start("outbox.json", options)?;
    let opening = serde_json::json!({
        "@context": context(),
        "id": "outbox.json",
        "type": "OrderedCollection",
    })
    .to_string();
    // The opening object without its closing brace, then the items.
    let opening = opening.trim_end_matches('}');
    zip.write(format!("{opening},\"orderedItems\":[").as_bytes())?;
    let mut before = None;
    let mut total = 0u64;
    loop {
        let posts = archive::posts_page(&data.db, account.id, before, POSTS_PAGE).await?;
        let Some(last) = posts.last() else {
            break;
        };
        before = Some(last.id);
        for item in outbox::items(data, account, &posts).await? {
            if total > 0 {
                zip.write(b",")?;
            }
            zip.write(&serde_json::to_vec(&item).map_err(json)?)?;
            total += 1;
        }
        if (posts.len() as u64) < POSTS_PAGE {
            break;
        }
    }
    zip.write(format!("],\"totalItems\":{total}}}").as_bytes())
}

/// The zip file being written.
struct Zip {
    writer: ZipWriter<std::fs::File>,
}

impl Zip {
    fn start(&mut self, name: &str, options: SimpleFileOptions) -> Result<(), Error> {
        self.writer
            .start_file(name, options)
            .map_err(|e| Error::Domain(staffroom_domain::Error::Internal(format!("zip: {e}"))))
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.writer.write_all(bytes).map_err(|e| io("write", &e))
    }

    fn bytes(&mut self, name: &str, bytes: &[u8], options: SimpleFileOptions) -> Result<(), Error> {
        self.start(name, options)?;
        self.write(bytes)
    }

    fn json(
        &mut self,
        name: &str,
        document: &impl Serialize,
        options: SimpleFileOptions,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec_pretty(document).map_err(json)?;
        self.bytes(name, &bytes, options)
    }
}

fn io(doing: &str, e: &std::io::Error) -> Error {
    Error::Domain(staffroom_domain::Error::Internal(format!(
        "cannot {doing} an archive: {e}"
    )))
}

fn json(e: serde_json::Error) -> Error {
    Error::Domain(staffroom_domain::Error::Internal(format!(
        "cannot write an archive's JSON: {e}"
    )))
}
