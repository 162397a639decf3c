//! `POST /api/v1/accounts`: signing up from an app, as Mastodon does it. The app
//! uses its own token (client credentials with `write:accounts`); the answer is a
//! token for the new account. Problems come back as a 422 that names each field,
//! with Mastodon's error codes.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use staffroom_domain::access::credentials;
use staffroom_domain::access::oauth::{self, IssuedToken};
use staffroom_domain::access::sign_up::{
    self, Application, FieldProblem, Problem, Refusal, SignedUp,
};
use staffroom_domain::notifications::recipients;

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::form::FormOrJson;
use crate::pages::sign_up::field_label;

#[derive(Debug, Deserialize)]
pub struct SignUpParams {
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    /// A boolean, or its text (`true`, `1`) in a form.
    agreement: Option<Value>,
    locale: Option<String>,
    reason: Option<String>,
    invite_code: Option<String>,
}

/// One problem of one field, as Mastodon words it.
#[derive(Debug, Serialize)]
struct Detail {
    error: &'static str,
    description: String,
}

fn accepted(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "1" | "on" | "yes"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// Mastodon's code for a problem.
fn code(problem: Problem) -> &'static str {
    match problem {
        Problem::Blank => "ERR_BLANK",
        Problem::Invalid => "ERR_INVALID",
        Problem::TooLong => "ERR_TOO_LONG",
        Problem::TooShort => "ERR_TOO_SHORT",
        Problem::Taken => "ERR_TAKEN",
        Problem::Reserved => "ERR_RESERVED",
        Problem::NotAccepted => "ERR_ACCEPTED",
    }
}

/// The 422 answer: `{"error": "Validation failed: ...", "details": {field: [...]}}`.
fn validation_failed(problems: &[FieldProblem]) -> ApiError {
    let summary: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", field_label(p.field), p.description))
        .collect();
    let mut details: BTreeMap<&str, Vec<Detail>> = BTreeMap::new();
    for p in problems {
        details.entry(p.field).or_default().push(Detail {
            error: code(p.problem),
            description: p.description.clone(),
        });
    }
    ApiError::unprocessable(format!("Validation failed: {}", summary.join(", ")))
        .with_details(serde_json::json!(details))
}

/// `POST /api/v1/accounts`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(params): FormOrJson<SignUpParams>,
) -> ApiResult<Response> {
    auth.require(&["write:accounts"])?;
    let db = state.db();
    let application = Application {
        username: params.username.unwrap_or_default().trim().to_owned(),
        email: params.email.unwrap_or_default().trim().to_owned(),
        password: params.password.unwrap_or_default(),
        agreement: accepted(params.agreement.as_ref()),
        locale: params.locale,
        reason: params.reason.filter(|r| !r.trim().is_empty()),
        invite_code: params.invite_code,
    };
    let mode = state.settings().registrations;
    let reason = application.reason.clone();
    let confirm = state.settings().sends_mail;
    let user = match sign_up::sign_up(db, mode, confirm, application, Utc::now()).await {
        Ok(SignedUp::Created(user)) => user,
        Ok(SignedUp::AddressInUse { owner, .. }) => {
            // Answered as a new sign-up would be (its token works only once the
            // address is confirmed, which the applicant cannot do); the
            // address's owner is told instead.
            crate::mail::after_sign_up_with_address_in_use(&state, &owner).await?;
            return Ok(crate::oauth::token::issued(IssuedToken {
                id: 0,
                token: credentials::random_code(43),
                refresh_token: Some(credentials::random_code(43)),
                scopes: auth.0.scopes.clone(),
                created_at: Utc::now(),
            }));
        }
        Err(Refusal::Closed) => {
            return Err(ApiError::forbidden(
                "Registrations are closed on this instance",
            ));
        }
        Err(Refusal::Invalid(problems)) => return Err(validation_failed(&problems)),
        Err(Refusal::Failed(e)) => return Err(e.into()),
    };
    recipients::tell_staff_of_sign_up(db, user.account.id, Utc::now()).await?;
    crate::mail::after_sign_up(&state, &user, reason.as_deref()).await?;
    let app = oauth::get_app(db, auth.0.app_id).await?;
    let token = oauth::issue_token(
        db,
        &app,
        Some(user.account.id),
        auth.0.scopes.clone(),
        Utc::now(),
    )
    .await?;
    Ok(crate::oauth::token::issued(token))
}
