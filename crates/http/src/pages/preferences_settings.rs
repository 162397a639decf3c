//! `/settings/preferences`: what the signed-in person's posts are when they say
//! nothing else — who sees them, and their language — for the web app's compose
//! form and for apps alike (`source[privacy]`, `source[language]`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::accounts::preferences::{self, Preferences};
use staffroom_domain::posts::post::Visibility;

use super::compose::VISIBILITIES;
use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, render_again, see_other};
use crate::AppState;
use crate::error::PageError;

/// The path of the page.
pub const PREFERENCES_SETTINGS: &str = "/settings/preferences";

/// `templates/settings_preferences.html`
#[derive(Template)]
#[template(path = "settings_preferences.html")]
struct PreferencesPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    visibilities: &'static [(&'static str, &'static str)],
    visibility: String,
    language: String,
    saved: bool,
    error: Option<String>,
}

impl<'a> PreferencesPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn, visibility: String, language: String) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Settings),
            csrf: me.browser.csrf_token(),
            visibilities: &VISIBILITIES,
            visibility,
            language,
            saved: false,
            error: None,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /settings/preferences`
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Response {
    let page = async {
        let chosen = preferences::get(state.db(), me.account().id).await?;
        let mut page = PreferencesPage::of(
            &state,
            &me,
            chosen.visibility.name().to_owned(),
            chosen.language.unwrap_or_default(),
        );
        page.saved = query.saved.is_some();
        Ok::<_, PageError>(render(&page)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// What the form sends.
#[derive(Debug, Deserialize)]
pub struct PreferencesForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    language: String,
}

/// `POST /settings/preferences`: a form with a mistake comes back with it.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<PreferencesForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let saved = async {
        let visibility = Visibility::from_name(&form.visibility).ok_or_else(|| {
            PageError::invalid("Nothing was saved", "Choose who sees your posts.")
        })?;
        // The page does not show the sensitivity default: it stays.
        let kept = preferences::get(state.db(), me.account().id)
            .await
            .map_err(|error| PageError::from_form("Nothing was saved", error))?;
        let chosen = Preferences {
            visibility,
            language: Some(form.language.clone()),
            sensitive: kept.sensitive,
        };
        preferences::set(state.db(), me.account().id, chosen, Utc::now())
            .await
            .map_err(|error| PageError::from_form("Nothing was saved", error))
    }
    .await;
    let response = match saved {
        Ok(_) => see_other(&format!("{PREFERENCES_SETTINGS}?saved")),
        Err(error) => {
            let mut page =
                PreferencesPage::of(&state, &me, form.visibility.clone(), form.language.clone());
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}
