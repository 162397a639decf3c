//! `/settings/export` and `/settings/import`: the signed-in person downloads their
//! data as the CSV files Mastodon exports (accounts followed, blocked and muted,
//! bookmarks, lists), and imports the files another server exported. An import
//! adds to what is there, or replaces it: its accounts are followed, blocked,
//! muted or put in lists one by one, its posts bookmarked, those of other servers
//! looked up first, and when it replaces, those not in the file are unfollowed,
//! unblocked, unmuted or unbookmarked; the page says how many were and which were
//! not, and why. A file that cannot be read is refused whole. The export page
//! also asks for the person's archive (built in the background, see
//! `staffroom_federation::archive`) and serves it to them alone.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use staffroom_domain::accounts::archive::{self, Archive};
use staffroom_domain::accounts::export::{self, File};
use staffroom_domain::accounts::import::{self as import_file, Kind, MAX_FILE_BYTES, MAX_ROWS};
use staffroom_federation::import::{self, MAX_LOOKUPS, Reason};

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, render_again};
use crate::AppState;
use crate::error::PageError;

/// The path of the export page.
pub const EXPORT_SETTINGS: &str = "/settings/export";
/// Where the export page's form asks for an archive.
pub const ARCHIVE_REQUEST: &str = "/settings/export/archive";
/// The name under which the archive is downloaded.
const ARCHIVE_FILE: &str = "archive.zip";

/// The path of the import page.
pub const IMPORT_SETTINGS: &str = "/settings/import";

/// The body limit of the import form: the file and the fields around it.
pub fn body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)
}

/// `templates/settings_export.html`
#[derive(Template)]
#[template(path = "settings_export.html")]
struct ExportPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    /// (file name, what it holds, how many rows).
    files: Vec<(&'static str, &'static str, u64)>,
    archive: ArchiveView,
    every_days: i64,
    kept_days: i64,
    error: Option<String>,
}

/// Where the account's archive stands, as the page says it.
enum ArchiveView {
    /// None asked for, or the last one expired: one may be asked for.
    None,
    /// Asked for at this time, being built.
    Building(String),
    /// Built: its size and when it goes.
    Ready { size: String, expires: String },
}

/// What the page shows of `latest`.
fn archive_view(latest: Option<&Archive>) -> ArchiveView {
    let Some(latest) = latest else {
        return ArchiveView::None;
    };
    let when = |at: chrono::DateTime<Utc>| at.format("%-d %B %Y, %H:%M UTC").to_string();
    match (&latest.file, latest.expires_at()) {
        (Some(_), Some(expires)) => ArchiveView::Ready {
            size: format!("{:.1} MB", latest.size.unwrap_or(0) as f64 / 1_000_000.0),
            expires: when(expires),
        },
        _ => ArchiveView::Building(when(latest.created_at)),
    }
}

/// What a file of the export holds, as the page says it.
fn described(file: File) -> &'static str {
    match file {
        File::Following => "Accounts you follow",
        File::Blocks => "Accounts you block",
        File::Mutes => "Accounts you mute",
        File::DomainBlocks => "Servers you block",
        File::Bookmarks => "Posts you bookmarked",
        File::Lists => "Your lists and who is in them",
    }
}

/// The export page, with `error` if asking for an archive failed.
async fn export_page(state: &AppState, me: &SignedIn, error: Option<PageError>) -> Response {
    let page = async {
        let now = Utc::now();
        let counts = export::counts(state.db(), me.account().id, now).await?;
        let latest = archive::latest(state.db(), me.account().id).await?;
        let page = ExportPage {
            layout: me.browser.layout(state, Section::Settings),
            csrf: me.browser.csrf_token(),
            files: counts
                .into_iter()
                .map(|(file, count)| (file.name(), described(file), count))
                .collect(),
            archive: archive_view(latest.as_ref()),
            every_days: archive::EVERY_DAYS,
            kept_days: archive::KEPT_DAYS,
            error: error.as_ref().map(|e| e.message().to_owned()),
        };
        Ok::<_, PageError>(match &error {
            Some(error) => render_again(state, &page, error),
            None => render(&page)?.into_response(),
        })
    }
    .await;
    page.unwrap_or_else(|error| error.page(state))
}

/// `GET /settings/export`
pub async fn show_export(State(state): State<AppState>, me: SignedIn) -> Response {
    let page = export_page(&state, &me, None).await;
    me.respond(page)
}

/// What the archive form sends.
#[derive(Debug, serde::Deserialize)]
pub struct ArchiveForm {
    authenticity_token: Option<String>,
}

/// `POST /settings/export/archive`: asks for an archive, built in the
/// background; at most one every [`archive::EVERY_DAYS`].
pub async fn request_archive(
    State(state): State<AppState>,
    me: SignedIn,
    axum::Form(form): axum::Form<ArchiveForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response = match archive::request(state.db(), me.account().id, Utc::now()).await {
        Ok(_) => axum::response::Redirect::to(EXPORT_SETTINGS).into_response(),
        Err(staffroom_domain::Error::Conflict(reason)) => {
            let error = PageError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Export",
                format!("Not yet: {reason}."),
            );
            export_page(&state, &me, Some(error)).await
        }
        Err(error) => PageError::from(error).page(&state),
    };
    me.respond(response)
}

/// `GET /settings/export/archive.zip`: the signed-in person's own archive, read
/// from the store a piece at a time; not found when none is built.
async fn download_archive(state: &AppState, me: &SignedIn) -> Response {
    let found = async {
        let Some(file) = archive::latest(state.db(), me.account().id)
            .await?
            .and_then(|latest| latest.file)
        else {
            return Err(PageError::not_found());
        };
        state
            .media()
            .read_private(&file)
            .await?
            .ok_or_else(PageError::not_found)
    }
    .await;
    let pieces = match found {
        Ok(found) => found,
        Err(error) => return error.page(state),
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ARCHIVE_FILE}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        axum::body::Body::from_stream(pieces.stream),
    )
        .into_response();
    if let Ok(value) = header::HeaderValue::from_str(&pieces.len.to_string()) {
        response.headers_mut().insert(header::CONTENT_LENGTH, value);
    }
    response
}

/// `GET /settings/export/{name}.csv`: one file, to save.
pub async fn download(
    State(state): State<AppState>,
    me: SignedIn,
    Path(name): Path<String>,
) -> Response {
    if name == ARCHIVE_FILE {
        let response = download_archive(&state, &me).await;
        return me.respond(response);
    }
    let Some(file) = name.strip_suffix(".csv").and_then(File::from_name) else {
        return me.respond(PageError::not_found().page(&state));
    };
    let response =
        match export::csv(state.db(), me.account().id, file, state.urls(), Utc::now()).await {
            Ok(text) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{}.csv\"", file.name()),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                text,
            )
                .into_response(),
            Err(error) => PageError::from(error).page(&state),
        };
    me.respond(response)
}

/// An account of an import that was not followed, blocked or muted, and why.
struct Failure {
    address: String,
    reason: String,
}

/// What an import did.
struct Outcome {
    kind: &'static str,
    applied: usize,
    /// How many accounts not in the file were taken away, when it replaced.
    removed: usize,
    failures: Vec<Failure>,
}

/// `templates/settings_import.html`
#[derive(Template)]
#[template(path = "settings_import.html")]
struct ImportPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    kinds: Vec<&'static str>,
    kind: &'static str,
    overwrite: bool,
    max_rows: usize,
    max_mib: usize,
    error: Option<String>,
    outcome: Option<Outcome>,
}

impl<'a> ImportPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Settings),
            csrf: me.browser.csrf_token(),
            kinds: Kind::ALL.into_iter().map(Kind::name).collect(),
            kind: Kind::Following.name(),
            overwrite: false,
            max_rows: MAX_ROWS,
            max_mib: MAX_FILE_BYTES / (1024 * 1024),
            error: None,
            outcome: None,
        }
    }
}

/// `GET /settings/import`
pub async fn show_import(State(state): State<AppState>, me: SignedIn) -> Response {
    let response = render(&ImportPage::of(&state, &me))
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(response)
}

/// What the import form sent.
#[derive(Debug, Default)]
struct Sent {
    csrf: Option<String>,
    kind: Option<String>,
    overwrite: bool,
    file: Vec<u8>,
}

const IMPORT_TITLE: &str = "Import";

async fn read(mut form: Multipart) -> Result<Sent, PageError> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            PageError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                IMPORT_TITLE,
                format!(
                    "The file is larger than {} MiB.",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            )
        } else {
            PageError::invalid(IMPORT_TITLE, e.body_text())
        }
    };
    let mut sent = Sent::default();
    while let Some(field) = form.next_field().await.map_err(broken)? {
        match field.name().unwrap_or_default() {
            "file" => sent.file = field.bytes().await.map_err(broken)?.to_vec(),
            "authenticity_token" => sent.csrf = Some(field.text().await.map_err(broken)?),
            "type" => sent.kind = Some(field.text().await.map_err(broken)?),
            "mode" => sent.overwrite = field.text().await.map_err(broken)? == "overwrite",
            _ => {}
        }
    }
    Ok(sent)
}

/// `POST /settings/import`: reads the file whole, then follows, blocks or mutes
/// its accounts one by one.
pub async fn import(State(state): State<AppState>, me: SignedIn, form: Multipart) -> Response {
    let sent = read(form).await;
    if let Ok(sent) = &sent
        && let Some(refused) = me.csrf_refusal(&state, sent.csrf.as_deref())
    {
        return refused;
    }
    let response = answer(&state, &me, sent).await;
    me.respond(response)
}

/// The import page after the form `sent`: what was imported, or why nothing was.
async fn answer(state: &AppState, me: &SignedIn, sent: Result<Sent, PageError>) -> Response {
    let mut page = ImportPage::of(state, me);
    let refused = |mut page: ImportPage<'_>, error: PageError| {
        page.error = Some(error.message().to_owned());
        render_again(state, &page, &error)
    };
    let sent = match sent {
        Ok(sent) => sent,
        Err(error) => return refused(page, error),
    };
    let Some(kind) = sent.kind.as_deref().and_then(Kind::from_name) else {
        return refused(
            page,
            PageError::invalid(IMPORT_TITLE, "Choose what the file lists."),
        );
    };
    page.kind = kind.name();
    page.overwrite = sent.overwrite;
    if sent.overwrite && !kind.replaceable() {
        return refused(
            page,
            PageError::invalid(
                IMPORT_TITLE,
                "A file of lists can only be added to your lists, not replace them.",
            ),
        );
    }
    let rows = match import_file::parse(kind, &sent.file) {
        Ok(rows) => rows,
        Err(error) => {
            let message = match &error {
                staffroom_domain::Error::Invalid { reason, .. } => {
                    format!("The file {reason}. Nothing was imported.")
                }
                other => other.to_string(),
            };
            return refused(page, PageError::invalid(IMPORT_TITLE, message));
        }
    };
    let done = import::run(
        &state.federation(),
        me.account(),
        kind,
        &rows,
        sent.overwrite,
    )
    .await;
    page.outcome = Some(Outcome {
        kind: if kind == Kind::DomainBlocks {
            "blocked servers"
        } else {
            kind.name()
        },
        applied: done.applied,
        removed: done.removed,
        failures: done
            .failures
            .into_iter()
            .map(|failure| Failure {
                address: failure.address,
                reason: said(failure.reason),
            })
            .collect(),
    });
    render(&page)
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(state))
}

/// Why an account of an import was not handled, as the page says it.
fn said(reason: Reason) -> String {
    match reason {
        Reason::OwnAccount => "this is your own account".to_owned(),
        Reason::OwnServer => "this is this server's own domain".to_owned(),
        Reason::NotFound => "nothing was found at this address".to_owned(),
        Reason::NotVisible => "the post is not one you may see".to_owned(),
        Reason::FollowPending => {
            "they have not accepted your follow yet, and a list holds only accounts you follow"
                .to_owned()
        }
        Reason::LookupFailed => "it could not be looked up".to_owned(),
        Reason::NotLookedUp => format!(
            "not looked up: one import looks up at most {MAX_LOOKUPS} accounts or posts \
             new here; import the file again for the rest"
        ),
        Reason::CurrentUnread => {
            "those not in the file could not be taken away; try again later".to_owned()
        }
        Reason::Failed(error) => reason_of(error),
    }
}

/// Why following, blocking or muting (or taking it back) failed, as the page says it.
fn reason_of(error: staffroom_federation::Error) -> String {
    let error = PageError::from(error);
    if error.status().is_client_error() {
        error.message().to_owned()
    } else {
        "it failed on this server; try again later".to_owned()
    }
}
