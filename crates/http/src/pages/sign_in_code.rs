//! `POST /auth/two_factor`: the second step of signing in, for someone who turned
//! two-factor sign-in on. Their password was right; the browser holds a short-lived
//! single-use token in the form, and the session starts only once a code from their
//! authenticator app (or one of their recovery codes) is right too. Attempts are
//! rate-limited like sign-in attempts.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::account_token::{self, Purpose};
use staffroom_domain::access::two_factor;
use staffroom_domain::access::user::{self, User};

use super::{HOME, Layout, local_path, render, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};

/// The most characters a code may have (a recovery code with spaces).
const MAX_CODE_CHARS: usize = 32;

/// `templates/sign_in_code.html`
#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage<'a> {
    layout: Layout<'a>,
    error: Option<&'a str>,
    csrf: &'a str,
    challenge: &'a str,
    return_to: Option<&'a str>,
}

fn page(
    state: &AppState,
    browser: Browser,
    challenge: &str,
    return_to: Option<&str>,
    error: Option<PageError>,
) -> PageResult<Response> {
    let page = CodePage {
        layout: Layout::new(state),
        error: error.as_ref().map(PageError::message),
        csrf: browser.csrf_token(),
        challenge,
        return_to: local_path(return_to),
    };
    let html = render(&page)?;
    Ok(match error {
        Some(error) => browser.respond((error.status(), html)),
        None => browser.respond(html),
    })
}

/// The code form for `user`, whose password was just right: no session yet.
pub async fn ask(
    state: &AppState,
    browser: Browser,
    user: &User,
    return_to: Option<&str>,
) -> PageResult<Response> {
    let challenge = account_token::issue(
        state.db(),
        user.account.id,
        Purpose::TwoFactorSignIn,
        Utc::now(),
    )
    .await?;
    page(state, browser, &challenge, return_to, None)
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    challenge: Option<String>,
    code: Option<String>,
    return_to: Option<String>,
    authenticity_token: Option<String>,
}

/// `POST /auth/two_factor`: a session for the right code, the form again with an
/// error otherwise.
pub async fn finish(
    State(state): State<AppState>,
    browser: Browser,
    Form(form): Form<CodeForm>,
) -> Response {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    attempt(&state, browser, form)
        .await
        .unwrap_or_else(|error| error.page(&state))
}

fn expired() -> PageError {
    PageError::unauthorized(
        "Sign in",
        "This sign-in has expired: sign in again with your password.",
    )
}

async fn attempt(state: &AppState, mut browser: Browser, form: CodeForm) -> PageResult<Response> {
    let db = state.db();
    let now = Utc::now();
    let challenge = form.challenge.unwrap_or_default();
    let return_to = form.return_to.as_deref();
    let account_id = match account_token::check(db, &challenge, Purpose::TwoFactorSignIn, now).await
    {
        Ok(account_id) => account_id,
        Err(Error::NotFound(_)) => return Err(expired()),
        Err(e) => return Err(e.into()),
    };
    let code = form.code.unwrap_or_default();
    let outcome = if code.chars().count() > MAX_CODE_CHARS {
        Err(Error::Invalid {
            field: "code",
            reason: "is too long".into(),
        })
    } else {
        two_factor::verify(db, account_id, &code, now).await
    };
    match outcome {
        Ok(_) => {}
        Err(Error::Invalid { .. }) => {
            let error = PageError::unauthorized(
                "Sign in",
                "The code is not right. Type the code your app shows now, or one of your recovery codes.",
            );
            return page(state, browser, &challenge, return_to, Some(error));
        }
        Err(e) => return Err(e.into()),
    }
    // The token works once: a second request with it finds nothing.
    match account_token::consume(db, &challenge, Purpose::TwoFactorSignIn, now).await {
        Ok(_) => {}
        Err(Error::NotFound(_)) => return Err(expired()),
        Err(e) => return Err(e.into()),
    }
    let user = user::get(db, account_id).await?;
    if !user.can_sign_in() {
        return Err(PageError::forbidden(
            "Sign in",
            "This account cannot sign in now.",
        ));
    }
    let to = local_path(return_to).unwrap_or(HOME).to_owned();
    browser.sign_in(state, user).await?;
    Ok(browser.respond(see_other(&to)))
}
