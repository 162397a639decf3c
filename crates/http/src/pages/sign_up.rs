//! `/auth/sign_up`: the sign-up form, under the same rules as `POST /api/v1/accounts`
//! (the instance's registration mode). Someone who may use their account at once is
//! signed in and sent back where they came from, such as an app's authorization.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::access::sign_up::{
    self, Application, FieldProblem, MAX_REASON_CHARS, Refusal, SignedUp,
};
use staffroom_domain::access::{account_token, user};
use staffroom_domain::accounts::account::MAX_USERNAME_CHARS;
use staffroom_domain::notifications::recipients;

use super::sign_in::{form_answer, return_query};
use super::{HOME, Layout, local_path, render, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};

#[derive(Debug, Default, Deserialize)]
pub struct SignUpForm {
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    agreement: Option<String>,
    reason: Option<String>,
    invite_code: Option<String>,
    return_to: Option<String>,
    authenticity_token: Option<String>,
}

/// `templates/sign_up.html`: the form, filled with what was sent (never the
/// password).
#[derive(Template)]
#[template(path = "sign_up.html")]
struct SignUpPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    return_to: Option<&'a str>,
    /// The query of the link back to the sign-in form.
    sign_in_query: String,
    needs_approval: bool,
    needs_invite: bool,
    /// Why the form is shown again, above `problems`.
    error: Option<&'a str>,
    problems: Vec<Problem<'a>>,
    username: &'a str,
    email: &'a str,
    invite_code: &'a str,
    reason: &'a str,
    agreed: bool,
    max_username: usize,
    max_password: usize,
    max_reason: usize,
}

/// A problem with a field, as the form lists it.
struct Problem<'a> {
    label: &'a str,
    description: &'a str,
}

/// `templates/sign_up_waiting.html`: what someone reads who cannot sign in yet.
#[derive(Template)]
#[template(path = "sign_up_waiting.html")]
struct WaitingPage<'a> {
    layout: Layout<'a>,
    /// The address a confirmation link went to, when one did.
    confirm_at: Option<&'a str>,
    /// Whether an administrator must approve the account.
    needs_approval: bool,
}

/// `templates/confirmation.html`: the answer to a confirmation link.
#[derive(Template)]
#[template(path = "confirmation.html")]
struct ConfirmationPage<'a> {
    layout: Layout<'a>,
    /// Whether the account still waits for an administrator's approval.
    needs_approval: bool,
}

/// A field's name as people read it.
pub fn field_label(field: &str) -> &str {
    match field {
        "username" => "Username",
        "email" => "Email address",
        "password" => "Password",
        "agreement" => "Agreement",
        "reason" => "Reason",
        "invite_code" => "Invite code",
        "locale" => "Locale",
        other => other,
    }
}

/// What someone reads where sign-ups are closed.
fn closed() -> PageError {
    PageError::forbidden(
        "Sign-ups are closed",
        "This instance does not take new sign-ups. An administrator can create an account for you.",
    )
}

/// What was typed in a field, or nothing.
fn filled(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

/// The form, filled with what was sent (never the password). Shown again after
/// `error`, it lists the `problems` and has the error's status.
fn page(
    state: &AppState,
    browser: Browser,
    form: &SignUpForm,
    error: Option<PageError>,
    problems: &[FieldProblem],
) -> PageResult<Response> {
    let mode = state.settings().registrations;
    let page = SignUpPage {
        layout: Layout::new(state),
        csrf: browser.csrf_token(),
        return_to: local_path(form.return_to.as_deref()),
        sign_in_query: return_query(form.return_to.as_deref()),
        needs_approval: mode.needs_approval(),
        needs_invite: mode.needs_invite(),
        error: error.as_ref().map(PageError::message),
        problems: problems
            .iter()
            .map(|problem| Problem {
                label: field_label(problem.field),
                description: &problem.description,
            })
            .collect(),
        username: filled(&form.username),
        email: filled(&form.email),
        invite_code: filled(&form.invite_code),
        reason: filled(&form.reason),
        agreed: form.agreement.is_some(),
        max_username: MAX_USERNAME_CHARS,
        max_password: MAX_PASSWORD_CHARS,
        max_reason: MAX_REASON_CHARS,
    };
    let html = render(&page)?;
    Ok(form_answer(browser, html, error))
}

/// What the sign-up page's address may say.
#[derive(Debug, Deserialize)]
pub struct SignUpQuery {
    return_to: Option<String>,
    /// The code of the invite whose link was followed.
    invite_code: Option<String>,
}

/// `GET /auth/sign_up[?return_to=PATH][&invite_code=CODE]`
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<SignUpQuery>,
) -> Response {
    if !state.settings().registrations.accepts_sign_ups() {
        return closed().page(&state);
    }
    let form = SignUpForm {
        return_to: query.return_to,
        invite_code: query.invite_code,
        ..Default::default()
    };
    page(&state, browser, &form, None, &[]).unwrap_or_else(|error| error.page(&state))
}

/// `POST /auth/sign_up`
pub async fn sign_up(
    State(state): State<AppState>,
    browser: Browser,
    Form(form): Form<SignUpForm>,
) -> Response {
    apply(&state, browser, form)
        .await
        .unwrap_or_else(|error| error.page(&state))
}

async fn apply(state: &AppState, mut browser: Browser, form: SignUpForm) -> PageResult<Response> {
    if let Some(refused) = browser.csrf_refusal(state, form.authenticity_token.as_deref()) {
        return Ok(refused);
    }
    let application = Application {
        username: form.username.clone().unwrap_or_default().trim().to_owned(),
        email: form.email.clone().unwrap_or_default().trim().to_owned(),
        password: form.password.clone().unwrap_or_default(),
        agreement: form.agreement.is_some(),
        locale: None,
        reason: form.reason.clone().filter(|r| !r.trim().is_empty()),
        invite_code: form.invite_code.clone(),
    };
    let mode = state.settings().registrations;
    let reason = application.reason.clone();
    let confirm = state.settings().sends_mail;
    let outcome = sign_up::sign_up(state.db(), mode, confirm, application, Utc::now()).await;
    match &outcome {
        Ok(SignedUp::Created(user)) => {
            recipients::tell_staff_of_sign_up(state.db(), user.account.id, Utc::now()).await?;
            crate::mail::after_sign_up(state, user, reason.as_deref()).await?;
        }
        Ok(SignedUp::AddressInUse { owner, .. }) => {
            crate::mail::after_sign_up_with_address_in_use(state, owner).await?;
        }
        Err(_) => {}
    }
    match outcome {
        Ok(SignedUp::AddressInUse {
            would_need_approval,
            ..
        }) => {
            // The page a new sign-up gets: confirm the address typed (as a
            // new user's is stored).
            let typed = form
                .email
                .as_deref()
                .unwrap_or_default()
                .trim()
                .to_lowercase();
            let page = WaitingPage {
                layout: Layout::new(state),
                confirm_at: Some(&typed),
                needs_approval: would_need_approval,
            };
            Ok(browser.respond(render(&page)?))
        }
        Ok(SignedUp::Created(user)) if user.can_sign_in() => {
            let to = local_path(form.return_to.as_deref())
                .map(str::to_owned)
                .unwrap_or_else(|| HOME.to_owned());
            browser.sign_in(state, user).await?;
            Ok(browser.respond(see_other(&to)))
        }
        Ok(SignedUp::Created(user)) => {
            let page = WaitingPage {
                layout: Layout::new(state),
                confirm_at: (!user.confirmed).then_some(user.email.as_str()),
                needs_approval: !user.approved,
            };
            Ok(browser.respond(render(&page)?))
        }
        Err(Refusal::Closed) => Err(closed()),
        Err(Refusal::Invalid(problems)) => {
            let error = PageError::invalid("Sign up", "Please correct these:");
            page(state, browser, &form, Some(error), &problems)
        }
        Err(Refusal::Failed(e)) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    pub(crate) token: Option<String>,
}

/// `GET /auth/confirmation?token=TOKEN`: the link mailed at sign-up. It works once;
/// afterwards, or once expired, it says so.
pub async fn confirm(State(state): State<AppState>, Query(query): Query<TokenQuery>) -> Response {
    let token = query.token.unwrap_or_default();
    let confirmed = account_token::confirm_email(state.db(), &token, Utc::now()).await;
    let result = match confirmed {
        Ok(account_id) => match user::get(state.db(), account_id).await {
            Ok(user) => render(&ConfirmationPage {
                layout: Layout::new(&state),
                needs_approval: !user.approved,
            })
            .map(IntoResponse::into_response),
            Err(e) => Err(e.into()),
        },
        Err(Error::NotFound(_)) => Err(expired_link()),
        Err(e) => Err(e.into()),
    };
    result.unwrap_or_else(|error| error.page(&state))
}

/// What a used, expired or mangled link from a mail shows.
pub fn expired_link() -> PageError {
    PageError::not_found_with(
        "This link does not work",
        "The link has already been used, has expired, or was not copied whole. Ask for a new one.",
    )
}
