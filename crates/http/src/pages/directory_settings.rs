//! `/settings/directory`: the signed-in person's place in the school-leader
//! directory — their role, school (by its URN) and trust, and their interests — or
//! leaving it. Changing school or trust asks the trust's admins to confirm the
//! membership again, as the domain's rules say.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::directory::terms::LeaderRole;
use staffroom_domain::directory::{Editor, leader, school, trust};

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, render_again, see_other};
use crate::AppState;
use crate::error::{PageError, PageResult};

/// The path of the page.
pub const DIRECTORY_SETTINGS: &str = "/settings/directory";
/// The role field's value for someone who leaves the directory.
const NO_ROLE: &str = "none";

/// `templates/settings_directory.html`
#[derive(Template)]
#[template(path = "settings_directory.html")]
struct DirectoryPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    roles: Vec<(&'static str, &'static str)>,
    form: DirectoryForm,
    /// Whether a trust's admin confirmed the membership.
    confirmed: bool,
    saved: bool,
    error: Option<String>,
}

/// What the form shows and sends.
#[derive(Debug, Default, Deserialize)]
pub struct DirectoryForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    role: String,
    #[serde(default)]
    school_urn: String,
    #[serde(default)]
    trust_slug: String,
    #[serde(default)]
    interests: String,
}

impl<'a> DirectoryPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn, form: DirectoryForm, confirmed: bool) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Settings),
            csrf: me.browser.csrf_token(),
            roles: LeaderRole::ALL
                .iter()
                .map(|role| (role.as_str(), role.label()))
                .collect(),
            form,
            confirmed,
            saved: false,
            error: None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// The form filled with `account_id`'s profile, and whether it is confirmed.
async fn current(state: &AppState, account_id: i64) -> PageResult<(DirectoryForm, bool)> {
    let db = state.db();
    let Some(found) = leader::find(db, account_id).await? else {
        return Ok((
            DirectoryForm {
                role: NO_ROLE.to_owned(),
                ..DirectoryForm::default()
            },
            false,
        ));
    };
    let school_urn = match &found.school {
        Some(org) => school::get(db, org.account.id).await?.urn,
        None => String::new(),
    };
    let trust_slug = match &found.trust {
        Some(org) => trust::get(db, org.account.id).await?.slug,
        None => String::new(),
    };
    Ok((
        DirectoryForm {
            authenticity_token: None,
            role: found.role.as_str().to_owned(),
            school_urn,
            trust_slug,
            interests: found.interests.join(", "),
        },
        found.is_confirmed(),
    ))
}

/// `GET /settings/directory`
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Response {
    let page = async {
        let (form, confirmed) = current(&state, me.account().id).await?;
        let mut page = DirectoryPage::of(&state, &me, form, confirmed);
        page.saved = query.saved.is_some();
        Ok::<_, PageError>(render(&page)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// Saves `form` as `me`'s place in the directory.
async fn apply(state: &AppState, me: &SignedIn, form: &DirectoryForm) -> PageResult<()> {
    let db = state.db();
    let id = me.account().id;
    let editor = Editor::Account(id);
    if form.role == NO_ROLE {
        leader::remove(db, editor, id).await?;
        return Ok(());
    }
    let role = LeaderRole::parse(&form.role)?;
    let school_id = match form.school_urn.trim() {
        "" => None,
        urn => Some(
            school::find_local_by_urn(db, urn)
                .await?
                .ok_or_else(|| {
                    PageError::invalid(
                        "Nothing was saved",
                        format!("No school of this instance has the URN {urn}."),
                    )
                })?
                .account
                .id,
        ),
    };
    let trust_id = match form.trust_slug.trim() {
        "" => None,
        slug => Some(
            trust::find_local(db, slug)
                .await?
                .ok_or_else(|| {
                    PageError::invalid(
                        "Nothing was saved",
                        format!("No trust of this instance is called {slug}."),
                    )
                })?
                .account
                .id,
        ),
    };
    let details = leader::LeaderDetails {
        role,
        school_id,
        trust_id,
        interests: form
            .interests
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    leader::set(db, editor, id, details).await?;
    Ok(())
}

/// `POST /settings/directory`: a form with a mistake comes back with it.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<DirectoryForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response = match apply(&state, &me, &form).await {
        Ok(()) => see_other(&format!("{DIRECTORY_SETTINGS}?saved")),
        Err(error) => {
            let error = PageError::from_form("Nothing was saved", error);
            let mut page = DirectoryPage::of(&state, &me, form, false);
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}
