//! `/auth/sign_up`: the sign-up form, under the same rules as `POST /api/v1/accounts`
//! (the instance's registration mode). Someone who may use their account at once is
//! signed in and sent back where they came from, such as an app's authorization.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::access::sign_up::{
    self, Application, FieldProblem, MAX_REASON_CHARS, Refusal,
};
use staffroom_domain::accounts::account::MAX_USERNAME_CHARS;

use super::sign_in::{ReturnTo, return_input, return_query};
use super::{error_page, escape, layout, local_path, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::error::ApiResult;

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

fn closed(state: &AppState) -> Response {
    error_page(
        state,
        StatusCode::FORBIDDEN,
        "Sign-ups are closed",
        "This instance does not take new sign-ups. An administrator can create an account for you.",
    )
}

/// The form, filled with what was sent (never the password), and its problems.
fn page(
    state: &AppState,
    browser: Browser,
    status: StatusCode,
    form: &SignUpForm,
    problems: &[FieldProblem],
) -> Response {
    let mode = state.settings().registrations;
    let value = |v: &Option<String>| escape(v.as_deref().unwrap_or_default());
    let errors = if problems.is_empty() {
        String::new()
    } else {
        let items: String = problems
            .iter()
            .map(|p| {
                format!(
                    "<li>{} {}</li>",
                    escape(field_label(p.field)),
                    escape(&p.description)
                )
            })
            .collect();
        format!(
            "<div class=\"error\" role=\"alert\"><p>Please correct these:</p><ul>{items}</ul></div>\n"
        )
    };
    let intro = if mode.needs_approval() {
        "<p>An administrator reads every sign-up: you can sign in once they have approved yours.</p>\n"
    } else if mode.needs_invite() {
        "<p>This instance takes new members by invitation: you need an invite code.</p>\n"
    } else {
        ""
    };
    let invite = if mode.needs_invite() || mode.needs_approval() {
        format!(
            concat!(
                "<p><label for=\"invite_code\">Invite code{}</label><br>\n",
                "<input id=\"invite_code\" name=\"invite_code\" value=\"{}\" maxlength=\"64\"{}></p>\n"
            ),
            if mode.needs_invite() {
                ""
            } else {
                " (if you have one)"
            },
            value(&form.invite_code),
            if mode.needs_invite() { " required" } else { "" },
        )
    } else {
        String::new()
    };
    let reason = if mode.needs_approval() {
        format!(
            concat!(
                "<p><label for=\"reason\">Why do you want to join?</label><br>\n",
                "<textarea id=\"reason\" name=\"reason\" maxlength=\"{}\" rows=\"4\">{}</textarea></p>\n"
            ),
            MAX_REASON_CHARS,
            value(&form.reason),
        )
    } else {
        String::new()
    };
    let checked = if form.agreement.is_some() {
        " checked"
    } else {
        ""
    };
    let body = format!(
        concat!(
            "<h1>Sign up</h1>\n{intro}{errors}",
            "<form method=\"post\" action=\"/auth/sign_up\">\n{csrf}\n{return_to}\n",
            "<p><label for=\"username\">Username</label><br>\n",
            "<input id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\" maxlength=\"{max_username}\" required></p>\n",
            "<p><label for=\"email\">Email address</label><br>\n",
            "<input id=\"email\" name=\"email\" type=\"email\" value=\"{email}\" autocomplete=\"email\" maxlength=\"254\" required></p>\n",
            "<p><label for=\"password\">Password (at least 10 characters)</label><br>\n",
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" maxlength=\"{max_password}\" required></p>\n",
            "{invite}{reason}",
            "<p><input id=\"agreement\" name=\"agreement\" type=\"checkbox\" value=\"1\"{checked} required>\n",
            "<label for=\"agreement\">I agree to follow this instance's rules.</label></p>\n",
            "<p><button type=\"submit\">Sign up</button></p>\n</form>\n",
            "<p>Already have an account? <a href=\"/auth/sign_in{back}\">Sign in</a></p>\n"
        ),
        intro = intro,
        errors = errors,
        csrf = browser.csrf_input(),
        return_to = return_input(form.return_to.as_deref()),
        username = value(&form.username),
        email = value(&form.email),
        max_username = MAX_USERNAME_CHARS,
        max_password = MAX_PASSWORD_CHARS,
        invite = invite,
        reason = reason,
        checked = checked,
        back = escape(&return_query(form.return_to.as_deref())),
    );
    browser.respond((status, layout(state, "Sign up", &body)))
}

/// `GET /auth/sign_up[?return_to=PATH]`
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<ReturnTo>,
) -> Response {
    if !state.settings().registrations.accepts_sign_ups() {
        return closed(&state);
    }
    let form = SignUpForm {
        return_to: query.return_to,
        ..Default::default()
    };
    page(&state, browser, StatusCode::OK, &form, &[])
}

/// `POST /auth/sign_up`
pub async fn sign_up(
    State(state): State<AppState>,
    mut browser: Browser,
    Form(form): Form<SignUpForm>,
) -> ApiResult<Response> {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
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
    match sign_up::sign_up(state.db(), mode, application, Utc::now()).await {
        Ok(user) if user.can_sign_in() => {
            let to = local_path(form.return_to.as_deref())
                .map(str::to_owned)
                .unwrap_or_else(|| state.urls().profile(&user.account.username));
            browser.sign_in(&state, user).await?;
            Ok(browser.respond(see_other(&to)))
        }
        Ok(_) => {
            let body = concat!(
                "<h1>Thank you for signing up</h1>\n",
                "<p role=\"status\">Your account is waiting for an administrator's approval. ",
                "You can sign in once it is approved.</p>"
            );
            Ok(browser.respond(layout(&state, "Thank you for signing up", body)))
        }
        Err(Refusal::Closed) => Ok(closed(&state)),
        Err(Refusal::Invalid(problems)) => Ok(page(
            &state,
            browser,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            &problems,
        )),
        Err(Refusal::Failed(e)) => Err(e.into()),
    }
}
