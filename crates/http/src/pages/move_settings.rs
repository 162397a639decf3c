//! `/settings/aliases` and `/settings/move`: moving an account to another
//! one. On the new account, a person lists the old one as an alias; on the
//! old one, they give the new account's address and their password. What a
//! move does, and what a moved account may still do, is the federation and
//! domain crates' to say; these pages only word it.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::accounts::account;
use staffroom_domain::accounts::moving as rules;
use staffroom_federation::moving;
use staffroom_federation::objects::actor::actor_id;

use super::layout::Section;
use super::post_view::Author;
use super::session::SignedIn;
use super::{Layout, render, render_again, see_other};
use crate::AppState;
use crate::entities::status::account_entity;
use crate::error::PageError;
use crate::users::profile_changed;

/// The path of the aliases page.
pub const ALIASES_SETTINGS: &str = "/settings/aliases";
/// Where an alias is taken away.
pub const REMOVE_ALIAS: &str = "/settings/aliases/remove";
/// The path of the move page.
pub const MOVE_SETTINGS: &str = "/settings/move";
/// Where a moved account takes back its redirect.
pub const CANCEL_MOVE: &str = "/settings/move/cancel";

/// `templates/settings_aliases.html`
#[derive(Template)]
#[template(path = "settings_aliases.html")]
struct AliasesPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    /// This account's own ActivityPub id, to list on the account moved from.
    own: String,
    aliases: Vec<String>,
    max_aliases: usize,
    typed: String,
    saved: bool,
    error: Option<String>,
}

/// `templates/settings_move.html`
#[derive(Template)]
#[template(path = "settings_move.html")]
struct MovePage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    own: String,
    /// Where the account moved, when it has.
    moved_to: Option<Author>,
    /// The day it may move again, during the cooldown.
    cooldown_until: Option<String>,
    cooldown_days: i64,
    typed: String,
    max_password: usize,
    /// Whether a two-factor code is asked for too.
    two_factor: bool,
    saved: bool,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// What a page shows besides the account's own state: what was typed, whether
/// it was just saved, and what went wrong.
#[derive(Default)]
struct Shown {
    typed: String,
    saved: bool,
    error: Option<String>,
}

impl Shown {
    fn saved(query: &SavedQuery) -> Self {
        Self {
            saved: query.saved.is_some(),
            ..Self::default()
        }
    }

    fn failed(typed: &str, error: &PageError) -> Self {
        Self {
            typed: typed.to_owned(),
            saved: false,
            error: Some(error.message().to_owned()),
        }
    }
}

async fn aliases_page<'a>(
    state: &'a AppState,
    me: &'a SignedIn,
    shown: Shown,
) -> Result<AliasesPage<'a>, PageError> {
    Ok(AliasesPage {
        layout: me.browser.layout(state, Section::Settings),
        csrf: me.browser.csrf_token(),
        own: actor_id(state.urls(), me.account()),
        aliases: rules::aliases(state.db(), me.account().id).await?,
        max_aliases: rules::MAX_ALIASES,
        typed: shown.typed,
        saved: shown.saved,
        error: shown.error,
    })
}

async fn move_page<'a>(
    state: &'a AppState,
    me: &'a SignedIn,
    shown: Shown,
) -> Result<MovePage<'a>, PageError> {
    // The account as it is now: a move just made shows.
    let account = account::get(state.db(), me.account().id).await?;
    let moved_to = match account.moved_to_id {
        Some(_) => account_entity(state.db(), state.urls(), &account)
            .await?
            .moved
            .as_deref()
            .map(Author::of),
        None => None,
    };
    let cooldown_until = rules::cooldown_until(state.db(), account.id, Utc::now())
        .await?
        .map(|until| until.format("%-d %B %Y").to_string());
    Ok(MovePage {
        layout: me.browser.layout(state, Section::Settings),
        csrf: me.browser.csrf_token(),
        own: actor_id(state.urls(), &account),
        moved_to,
        cooldown_until,
        cooldown_days: rules::MOVE_COOLDOWN_DAYS,
        typed: shown.typed,
        max_password: MAX_PASSWORD_CHARS,
        two_factor: me.user.two_factor,
        saved: shown.saved,
        error: shown.error,
    })
}

/// `GET /settings/aliases`
pub async fn show_aliases(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Response {
    let page = aliases_page(&state, &me, Shown::saved(&query)).await;
    let response = show(&state, page);
    me.respond(response)
}

#[derive(Debug, Deserialize)]
pub struct AliasForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    alias: String,
}

/// Shows `page`, or the error page when it could not be made.
fn show(state: &AppState, page: Result<impl Template, PageError>) -> Response {
    page.and_then(|page| render(&page))
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(state))
}

/// Shows `page` again with `error`, or the error page when the page itself
/// could not be made.
fn again(state: &AppState, page: Result<impl Template, PageError>, error: PageError) -> Response {
    match page {
        Ok(page) => render_again(state, &page, &error),
        Err(failure) => failure.page(state),
    }
}

/// `POST /settings/aliases`: adds the account typed (an address or a URL).
pub async fn add_alias(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<AliasForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let added = async {
        moving::add_alias(&state.federation(), me.account(), &form.alias).await?;
        profile_changed(&state, me.account()).await?;
        Ok::<_, PageError>(())
    }
    .await;
    let response = match added {
        Ok(()) => see_other(&format!("{ALIASES_SETTINGS}?saved")),
        Err(error) => {
            let error = PageError::from_form("The alias was not added", error);
            let page = aliases_page(&state, &me, Shown::failed(&form.alias, &error)).await;
            again(&state, page, error)
        }
    };
    me.respond(response)
}

/// `POST /settings/aliases/remove`
pub async fn remove_alias(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<AliasForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let removed = async {
        if rules::remove_alias(state.db(), me.account().id, &form.alias).await? {
            profile_changed(&state, me.account()).await?;
        }
        Ok::<_, PageError>(())
    }
    .await;
    let response = match removed {
        Ok(()) => see_other(&format!("{ALIASES_SETTINGS}?saved")),
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

/// `GET /settings/move`
pub async fn show_move(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Response {
    let page = move_page(&state, &me, Shown::saved(&query)).await;
    let response = show(&state, page);
    me.respond(response)
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    target: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// The most characters of a two-factor or recovery code.
const MAX_CODE_CHARS: usize = 32;

/// `POST /settings/move`: moves to the account typed, with the password (and
/// a code when two-factor sign-in is on).
pub async fn move_account(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<MoveForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let moved = async {
        if form.password.chars().count() > MAX_PASSWORD_CHARS {
            return Err(PageError::invalid(
                "The account did not move",
                "The password is not right.",
            ));
        }
        if form.code.chars().count() > MAX_CODE_CHARS {
            return Err(PageError::invalid(
                "The account did not move",
                "The code is not right: type the code your app shows now, or a recovery code.",
            ));
        }
        if form.target.trim().is_empty() {
            return Err(PageError::invalid(
                "The account did not move",
                "Type the address of the account to move to.",
            ));
        }
        let data = state.federation();
        let code = Some(form.code.as_str()).filter(|c| !c.trim().is_empty());
        moving::move_to(&data, me.account(), &form.password, code, &form.target).await?;
        let now = account::get(state.db(), me.account().id).await?;
        profile_changed(&state, &now).await?;
        Ok(())
    }
    .await;
    let response = match moved {
        Ok(()) => see_other(&format!("{MOVE_SETTINGS}?saved")),
        Err(error) => {
            let error = PageError::from_form("The account did not move", error);
            let page = move_page(&state, &me, Shown::failed(&form.target, &error)).await;
            again(&state, page, error)
        }
    };
    me.respond(response)
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    authenticity_token: Option<String>,
}

/// `POST /settings/move/cancel`: the account is no longer shown as moved and
/// may act again; its followers stay with the new account.
pub async fn cancel_move(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<CancelForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let cancelled = async {
        let now = account::get(state.db(), me.account().id).await?;
        rules::cancel(state.db(), &now).await?;
        let now = account::get(state.db(), me.account().id).await?;
        profile_changed(&state, &now).await?;
        Ok::<_, PageError>(())
    }
    .await;
    let response = match cancelled {
        Ok(()) => see_other(&format!("{MOVE_SETTINGS}?saved")),
        Err(error) => error.page(&state),
    };
    me.respond(response)
}
