//! The signed-in person on the web app's pages: [`SignedIn`] lets a handler run
//! only for a browser with a session, and sends anyone else to the sign-in page,
//! to come back where they were going. Where the instance requires two-factor
//! sign-in of its staff, a moderator or administrator without it is sent to set
//! it up first.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use staffroom_domain::access::user::{Role, User};
use staffroom_domain::accounts::account::Account;

use crate::AppState;
use crate::browser::Browser;

use super::{local_path, see_other};

/// The path of the two-factor settings page.
pub const TWO_FACTOR_SETTINGS: &str = "/settings/two_factor";

/// Whether `user` must set up two-factor sign-in before using the web app.
pub fn must_set_up_two_factor(state: &AppState, user: &User) -> bool {
    state.settings().require_two_factor_for_staff
        && user.role >= Role::Moderator
        && !user.two_factor
}

/// A browser with a signed-in person.
#[derive(Debug)]
pub struct SignedIn {
    pub browser: Browser,
    /// The person signed in.
    pub user: User,
}

impl SignedIn {
    /// Their account.
    pub fn account(&self) -> &Account {
        &self.user.account
    }

    /// The refusal of a form whose CSRF field does not match, or `None`.
    pub fn csrf_refusal(&self, state: &AppState, submitted: Option<&str>) -> Option<Response> {
        self.browser.csrf_refusal(state, submitted)
    }

    /// `response`, with the cookies the browser needs.
    pub fn respond(self, response: impl IntoResponse) -> Response {
        self.browser.respond(response)
    }
}

/// The sign-in page's address that comes back to `path` (when it is a path here).
pub fn sign_in_returning_to(path: &str) -> String {
    match local_path(Some(path)) {
        Some(path) => format!(
            "/auth/sign_in?return_to={}",
            url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
        ),
        None => "/auth/sign_in".to_owned(),
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let browser = Browser::from_request_parts(parts, state).await?;
        if let Some(user) = browser.user.clone() {
            if must_set_up_two_factor(state, &user)
                && !parts.uri.path().starts_with(TWO_FACTOR_SETTINGS)
            {
                return Err(browser.respond(see_other(TWO_FACTOR_SETTINGS)));
            }
            return Ok(Self { browser, user });
        }
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Err(browser.respond(see_other(&sign_in_returning_to(&here))))
    }
}
