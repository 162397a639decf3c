//! Browsers on the instance's own pages: who is signed in (a session cookie holding a
//! random token, kept hashed in the database) and the CSRF check of every form.
//!
//! CSRF protection is the double-submit pattern: a random token in its own cookie is
//! repeated in a hidden field of every form, and a POST whose field does not match
//! the cookie is refused. Both cookies are `HttpOnly` and `SameSite=Lax`, and
//! `Secure` when the instance runs on https.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use cookie::{Cookie, SameSite};
use staffroom_domain::access::browser_session::Device;
use staffroom_domain::access::user::{Role, User};
use staffroom_domain::access::{browser_session, credentials};

use crate::AppState;
use crate::error::{self, ApiError, PageError};
use crate::pages::layout::{Layout, Nav, Section};

/// The cookie that holds the session token.
const SESSION_COOKIE: &str = "staffroom_session";
/// The cookie that holds the CSRF token.
const CSRF_COOKIE: &str = "staffroom_csrf";
/// The form field that repeats the CSRF token.
pub const CSRF_FIELD: &str = "authenticity_token";
/// How many characters a CSRF token has.
const CSRF_CHARS: usize = 43;

/// The browser behind a request: who is signed in, and the CSRF token of its forms.
/// Cookies it must set are added by [`Browser::respond`].
#[derive(Debug)]
pub struct Browser {
    /// The signed-in user, if the session is valid and they may still sign in.
    pub user: Option<User>,
    session_token: Option<String>,
    csrf: String,
    /// Whether the request came without a CSRF cookie (one is set in the answer).
    csrf_is_new: bool,
    secure: bool,
    set_cookies: Vec<String>,
    /// The user agent and address, recorded with a session started here.
    device: Device,
}

/// The page that tells a suspended person they are suspended.
pub const SUSPENDED_PAGE: &str = "/account/suspended";

/// A suspended person signed in on the pages reaches only these: their
/// archive (`/settings/export` and the files under it), the deletion of their
/// account (`/settings/delete`), signing in and out, and [`SUSPENDED_PAGE`];
/// any other page sends them there.
fn open_while_suspended(path: &str) -> bool {
    path == "/settings/export"
        || path.starts_with("/settings/export/")
        || path == "/settings/delete"
        || path == SUSPENDED_PAGE
        || path.starts_with("/auth/")
        || path.starts_with("/assets/")
}

impl FromRequestParts<AppState> for Browser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let browser = Self::read(parts, state)
            .await
            .map_err(|error| PageError::from(error).page(state))?;
        if browser
            .user
            .as_ref()
            .is_some_and(|user| user.account.suspended)
            && !open_while_suspended(parts.uri.path())
        {
            let to = axum::response::Redirect::to(SUSPENDED_PAGE);
            return Err(browser.respond(to));
        }
        Ok(browser)
    }
}

impl Browser {
    /// Who is signed in and the CSRF token, as the request's cookies say.
    async fn read(parts: &Parts, state: &AppState) -> Result<Self, ApiError> {
        let mut session_token = None;
        let mut csrf = None;
        for header in parts.headers.get_all(COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            for cookie in Cookie::split_parse(text).flatten() {
                match cookie.name() {
                    SESSION_COOKIE => session_token = Some(cookie.value().to_owned()),
                    CSRF_COOKIE if is_token(cookie.value()) => {
                        csrf = Some(cookie.value().to_owned());
                    }
                    _ => {}
                }
            }
        }
        let user = match session_token.as_deref().filter(|t| is_token(t)) {
            Some(token) => browser_session::find(state.db(), token, Utc::now()).await?,
            None => None,
        };
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        let device = Device {
            user_agent: parts
                .headers
                .get(USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            address: state
                .rate_limits()
                .address(peer, &parts.headers)
                .map(|a| a.to_string()),
        };
        let mut browser = Self {
            user,
            session_token,
            csrf: csrf.clone().unwrap_or_default(),
            csrf_is_new: csrf.is_none(),
            secure: state.urls().is_https(),
            set_cookies: Vec::new(),
            device,
        };
        if browser.csrf_is_new {
            browser.new_csrf_token();
        }
        Ok(browser)
    }
}

/// Whether `text` has the shape of the tokens this module makes.
fn is_token(text: &str) -> bool {
    text.len() == CSRF_CHARS && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Browser {
    /// The CSRF token, which every form repeats in its hidden field
    /// (`templates/partials/csrf.html`).
    pub fn csrf_token(&self) -> &str {
        &self.csrf
    }

    /// The token of this browser's session, if it has one.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// The layout of a page of `section` for whoever this browser has signed in.
    pub fn layout<'a>(&'a self, state: &'a AppState, section: Section) -> Layout<'a> {
        let nav = self.user.as_ref().map(|user| Nav {
            name: user.account.shown_name(),
            username: &user.account.username,
            csrf: self.csrf_token(),
            staff: user.role >= Role::Moderator,
        });
        Layout::new(state).with_nav(nav, section)
    }

    /// The refusal (403, as a page) of a form whose CSRF field does not match the
    /// cookie; `None` when it matches.
    pub fn csrf_refusal(&self, state: &AppState, submitted: Option<&str>) -> Option<Response> {
        let matches = !self.csrf_is_new
            && submitted
                .is_some_and(|s| credentials::constant_time_eq(s.as_bytes(), self.csrf.as_bytes()));
        if matches {
            None
        } else {
            Some(PageError::new(
                error::EXPIRED_FORM,
                "This form has expired",
                "The form could not be checked: it may have been open too long, or sent from another site. Go back, reload the page and try again.",
            ).page(state))
        }
    }

    /// Signs `user` in: a new session (any earlier one on this browser ends) and a
    /// new CSRF token.
    pub async fn sign_in(&mut self, state: &AppState, user: User) -> Result<(), ApiError> {
        self.sign_out(state).await?;
        let device = self.device.clone();
        let now = Utc::now();
        crate::mail::after_sign_in(state, &user, &device, now).await?;
        let token = browser_session::start(state.db(), user.account.id, device, now).await?;
        let max_age = browser_session::LIFETIME.num_seconds();
        self.set_cookie(SESSION_COOKIE, &token, Some(max_age));
        self.session_token = Some(token);
        self.user = Some(user);
        self.new_csrf_token();
        Ok(())
    }

    /// Ends this browser's session, if it has one.
    pub async fn sign_out(&mut self, state: &AppState) -> Result<(), ApiError> {
        if let Some(token) = self.session_token.take() {
            browser_session::end(state.db(), &token).await?;
            self.set_cookie(SESSION_COOKIE, "", Some(0));
        }
        self.user = None;
        Ok(())
    }

    fn new_csrf_token(&mut self) {
        self.csrf = credentials::random_code(CSRF_CHARS);
        let csrf = self.csrf.clone();
        self.set_cookie(CSRF_COOKIE, &csrf, None);
    }

    fn set_cookie(&mut self, name: &'static str, value: &str, max_age_seconds: Option<i64>) {
        let mut cookie = Cookie::build((name, value.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure);
        if let Some(seconds) = max_age_seconds {
            cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
        }
        // Later cookies of the same name replace earlier ones.
        self.set_cookies
            .retain(|c| !c.starts_with(&format!("{name}=")));
        self.set_cookies.push(cookie.build().to_string());
    }

    /// `response` with the cookies this browser must store. Pages that carry forms
    /// (and so the CSRF token, sometimes a code) are not cached; no page is framed
    /// by another site (`security_headers`).
    pub fn respond(self, response: impl IntoResponse) -> Response {
        let mut response = response.into_response();
        let headers = response.headers_mut();
        for cookie in self.set_cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                headers.append(SET_COOKIE, value);
            }
        }
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn browser(secure: bool) -> Browser {
        Browser {
            user: None,
            session_token: None,
            csrf: String::new(),
            csrf_is_new: true,
            secure,
            set_cookies: Vec::new(),
            device: Device::default(),
        }
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_on_https() {
        let mut https = browser(true);
        https.set_cookie(SESSION_COOKIE, "abc", Some(60));
        let cookie = &https.set_cookies[0];
        for attribute in [
            "staffroom_session=abc",
            "HttpOnly",
            "SameSite=Lax",
            "Secure",
            "Path=/",
            "Max-Age=60",
        ] {
            assert!(cookie.contains(attribute), "{attribute}: {cookie}");
        }
        let mut http = browser(false);
        http.new_csrf_token();
        assert!(
            !http.set_cookies[0].contains("Secure"),
            "{}",
            http.set_cookies[0]
        );
        assert!(is_token(&http.csrf));
    }

    #[test]
    fn a_cookie_set_twice_is_sent_once() {
        let mut b = browser(false);
        b.set_cookie(SESSION_COOKIE, "first", None);
        b.set_cookie(SESSION_COOKIE, "second", None);
        assert_eq!(b.set_cookies.len(), 1);
        assert!(b.set_cookies[0].starts_with("staffroom_session=second"));
    }
}
