//! `/settings/profile`: the signed-in person edits their profile: name, bio,
//! up to four fields, avatar and header, whether they approve followers and
//! whether they are listed in the directory. A form with a mistake comes back
//! with what was typed and what went wrong; nothing of it is saved.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};
use staffroom_domain::accounts::account::{
    MAX_DISPLAY_NAME_CHARS, MAX_FIELDS, MAX_NOTE_CHARS, ProfileChange,
};
use staffroom_domain::accounts::picture::Which;
use staffroom_domain::html::text_of_paragraphs;
use staffroom_domain::media;

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, render_again, see_other};
use crate::AppState;
use crate::entities::account::picture_urls;
use crate::error::PageError;
use crate::users::save_profile;

/// The path of the page.
pub const PROFILE_SETTINGS: &str = "/settings/profile";

/// The largest body the form takes: two pictures and the text around them.
const MAX_FORM_BYTES: usize = 2 * media::MAX_FILE_BYTES + 64 * 1024;

/// The body limit of the profile form.
pub fn body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES)
}

/// The most characters of one text part of the form.
const MAX_PART_CHARS: usize = 4 * MAX_NOTE_CHARS;

/// `templates/settings_profile.html`
#[derive(Template)]
#[template(path = "settings_profile.html")]
struct SettingsPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    display_name: String,
    note: String,
    /// Always `MAX_FIELDS` rows, empty ones to fill in.
    fields: Vec<(String, String)>,
    locked: bool,
    discoverable: bool,
    avatar: String,
    saved: bool,
    error: Option<String>,
    name_limit: usize,
    note_limit: usize,
}

impl<'a> SettingsPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn) -> Self {
        let account = me.account();
        let mut fields: Vec<(String, String)> = account
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.source.clone().unwrap_or_default()))
            .collect();
        fields.resize(MAX_FIELDS, (String::new(), String::new()));
        Self {
            layout: me.browser.layout(state, Section::Settings),
            csrf: me.browser.csrf_token(),
            display_name: account.display_name.clone(),
            note: text_of_paragraphs(&account.note),
            fields,
            locked: account.locked,
            discoverable: account.discoverable,
            avatar: picture_urls(state.urls(), account).0,
            saved: false,
            error: None,
            name_limit: MAX_DISPLAY_NAME_CHARS,
            note_limit: MAX_NOTE_CHARS,
        }
    }
}

/// `GET /settings/profile[?saved]`
pub async fn show(State(state): State<AppState>, me: SignedIn, uri: axum::http::Uri) -> Response {
    let mut page = SettingsPage::of(&state, &me);
    page.saved = uri.query() == Some("saved");
    let response = render(&page)
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(response)
}

/// What the form sent.
#[derive(Debug, Default)]
struct Sent {
    csrf: Option<String>,
    display_name: String,
    note: String,
    names: Vec<(usize, String)>,
    values: Vec<(usize, String)>,
    locked: bool,
    discoverable: bool,
    pictures: Vec<(Which, Vec<u8>)>,
}

async fn read(mut form: Multipart) -> Result<Sent, PageError> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        PageError::invalid("Edit your profile", e.body_text())
    };
    let mut sent = Sent::default();
    while let Some(field) = form.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        let slot = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n < MAX_FIELDS)
        };
        if name == "avatar" || name == "header" {
            let bytes = field.bytes().await.map_err(broken)?;
            if !bytes.is_empty() {
                let which = if name == "avatar" {
                    Which::Avatar
                } else {
                    Which::Header
                };
                sent.pictures.push((which, bytes.to_vec()));
            }
            continue;
        }
        let text: String = field
            .text()
            .await
            .map_err(broken)?
            .chars()
            .take(MAX_PART_CHARS)
            .collect();
        match name.as_str() {
            "authenticity_token" => sent.csrf = Some(text),
            "display_name" => sent.display_name = text,
            "note" => sent.note = text,
            "locked" => sent.locked = true,
            "discoverable" => sent.discoverable = true,
            _ => {
                if let Some(n) = slot("field_name_") {
                    sent.names.push((n, text));
                } else if let Some(n) = slot("field_value_") {
                    sent.values.push((n, text));
                }
            }
        }
    }
    Ok(sent)
}

impl Sent {
    /// The fields as typed, in order, the empty rows left out.
    fn fields(&self) -> Vec<(String, String)> {
        (0..MAX_FIELDS)
            .map(|n| {
                let of = |list: &[(usize, String)]| {
                    list.iter()
                        .find(|(slot, _)| *slot == n)
                        .map(|(_, text)| text.trim().to_owned())
                        .unwrap_or_default()
                };
                (of(&self.names), of(&self.values))
            })
            .filter(|(name, value)| !name.is_empty() || !value.is_empty())
            .collect()
    }
}

/// `POST /settings/profile`
pub async fn save(State(state): State<AppState>, me: SignedIn, form: Multipart) -> Response {
    let sent = match read(form).await {
        Ok(sent) => sent,
        Err(error) => return me.respond(error.page(&state)),
    };
    if let Some(refused) = me.csrf_refusal(&state, sent.csrf.as_deref()) {
        return refused;
    }
    let change = ProfileChange {
        display_name: Some(sent.display_name.clone()),
        note: Some(sent.note.clone()),
        locked: Some(sent.locked),
        bot: None,
        discoverable: Some(sent.discoverable),
        fields: Some(sent.fields()),
    };
    let pictures = sent.pictures.clone();
    let response = match save_profile(&state, me.account().id, change, pictures).await {
        Ok(_) => see_other(&format!("{PROFILE_SETTINGS}?saved")),
        Err(error) => {
            let error = PageError::from_form("Edit your profile", error);
            let mut page = SettingsPage::of(&state, &me);
            page.display_name = sent.display_name.clone();
            page.note = sent.note.clone();
            let mut fields = sent.fields();
            fields.resize(MAX_FIELDS, (String::new(), String::new()));
            page.fields = fields;
            page.locked = sent.locked;
            page.discoverable = sent.discoverable;
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}
