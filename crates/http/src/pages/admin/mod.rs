//! `/admin`: the pages of the instance's staff. Moderators approve sign-ups,
//! disable and enable people, silence accounts, suspend people and other servers' accounts,
//! handle reports and read the audit log; administrators also give roles, delete
//! accounts, make invites, set the rules for other servers, subscribe to other
//! instances' hashtag feeds and feature challenges. Every change goes through `moderation::staff`, which
//! checks who may make it and writes it to the audit log; these pages only ask
//! and show.

pub mod audit;
pub mod challenges;
pub mod domains;
pub mod feeds;
pub mod invites;
pub mod reports;
pub mod sign_ups;
pub mod users;

use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::access::user;
use staffroom_domain::moderation::report;
use staffroom_domain::moderation::staff::{self, Duty, Staff};

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, see_other};
use crate::AppState;
use crate::error::{PageError, PageResult};

/// A signed-in member of staff: a moderator or an administrator. Anyone else
/// signed in gets the page that says the area is not theirs (403).
#[derive(Debug)]
pub struct Staffer {
    pub me: SignedIn,
    /// Whether they may also do what only administrators do.
    pub administrator: bool,
}

impl Staffer {
    /// Who they are to the domain's staff use cases.
    pub fn staff(&self) -> Staff {
        Staff::Account(self.me.account().id)
    }

    /// The layout of an admin page.
    pub fn layout<'a>(&'a self, state: &'a AppState) -> Layout<'a> {
        self.me.browser.layout(state, Section::Admin)
    }

    pub fn csrf(&self) -> &str {
        self.me.browser.csrf_token()
    }

    /// Checks the CSRF field of a form, then runs `work`; its answer is the
    /// `303` to the path it returns, or the error page.
    pub async fn act<F>(self, state: &AppState, csrf: Option<&str>, work: F) -> Response
    where
        F: Future<Output = PageResult<String>>,
    {
        if let Some(refused) = self.me.csrf_refusal(state, csrf) {
            return refused;
        }
        let response = match work.await {
            Ok(back) => see_other(&back),
            Err(error) => error.page(state),
        };
        self.me.respond(response)
    }

    /// Checks the CSRF field of a form titled `title`, then runs `work`; its answer
    /// is the `303` to the path it returns. A mistake in what was sent brings the
    /// form back with what was typed: `again` renders its page with the message
    /// (the title, then why), sent with the error's status.
    pub async fn answer_form<F>(
        self,
        state: &AppState,
        csrf: Option<&str>,
        title: &str,
        work: F,
        again: impl AsyncFnOnce(&Self, String) -> PageResult<Html<String>>,
    ) -> Response
    where
        F: Future<Output = PageResult<String>>,
    {
        if let Some(refused) = self.me.csrf_refusal(state, csrf) {
            return refused;
        }
        let response = match work.await.map_err(|e| PageError::from_form(title, e)) {
            Ok(back) => see_other(&back),
            Err(error) if error.status().is_client_error() => {
                let message = format!("{title}: {}", error.message());
                match again(&self, message).await {
                    Ok(page) => (error.status(), page).into_response(),
                    Err(failure) => failure.page(state),
                }
            }
            Err(error) => error.page(state),
        };
        self.me.respond(response)
    }

    /// `page`, or its error page, with the browser's cookies.
    pub fn respond(self, state: &AppState, page: PageResult<Response>) -> Response {
        let response = page.unwrap_or_else(|error| error.page(state));
        self.me.respond(response)
    }
}

impl FromRequestParts<AppState> for Staffer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let me = SignedIn::from_request_parts(parts, state).await?;
        let staff = Staff::Account(me.account().id);
        let checked = async {
            staff::require(state.db(), staff, Duty::Moderate).await?;
            Ok::<_, PageError>(staff::may(state.db(), staff, Duty::Administer).await?)
        }
        .await;
        match checked {
            Ok(administrator) => Ok(Self { me, administrator }),
            Err(error) => {
                let page = error.page(state);
                Err(me.respond(page))
            }
        }
    }
}

/// The CSRF field of an admin page's buttons.
#[derive(Debug, Deserialize)]
pub struct ButtonForm {
    pub authenticity_token: Option<String>,
}

/// `templates/admin/dashboard.html`
#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    waiting: usize,
    open_reports: u64,
}

/// `GET /admin`: what waits for the staff, and where each part of the work is.
pub async fn dashboard(State(state): State<AppState>, staffer: Staffer) -> Response {
    let page = async {
        let shown = DashboardPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            waiting: user::awaiting_approval(state.db()).await?.len(),
            open_reports: report::open_count(state.db()).await?,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// The admin pages.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/admin", get(dashboard))
        .route("/admin/sign_ups", get(sign_ups::show))
        .route(
            "/admin/sign_ups/{username}/approve",
            post(sign_ups::approve),
        )
        .route("/admin/users", get(users::show))
        .route("/admin/users/{username}/disable", post(users::disable))
        .route("/admin/users/{username}/enable", post(users::enable))
        .route("/admin/users/{username}/role", post(users::set_role))
        .route("/admin/users/{username}/silence", post(users::silence))
        .route("/admin/users/{username}/unsilence", post(users::unsilence))
        .route(
            "/admin/users/{username}/suspend",
            post(users::suspend_person),
        )
        .route(
            "/admin/users/{username}/unsuspend",
            post(users::unsuspend_person),
        )
        .route(
            "/admin/users/{username}/delete",
            get(users::confirm_delete).post(users::delete),
        )
        .route(
            "/admin/suspensions",
            get(users::suspensions).post(users::suspend),
        )
        .route("/admin/suspensions/lift", post(users::lift))
        .route("/admin/silences", post(users::silence_remote))
        .route("/admin/silences/lift", post(users::unsilence_remote))
        .route("/admin/feeds", get(feeds::show).post(feeds::subscribe))
        .route("/admin/feeds/unsubscribe", post(feeds::unsubscribe))
        .route(
            "/admin/challenges",
            get(challenges::index).post(challenges::create),
        )
        .route(
            "/admin/challenges/{id}",
            get(challenges::show).post(challenges::update),
        )
        .route("/admin/challenges/{id}/end", post(challenges::end))
        .route("/admin/invites", get(invites::show).post(invites::create))
        .route("/admin/domains", get(domains::show).post(domains::set))
        .route("/admin/domains/remove", post(domains::remove))
        .route("/admin/reports", get(reports::index))
        .route("/admin/reports/{id}", get(reports::show))
        .route("/admin/reports/{id}/resolve", post(reports::resolve))
        .route("/admin/reports/{id}/reopen", post(reports::reopen))
        .route("/admin/audit", get(audit::show))
}
