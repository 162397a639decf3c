//! `/admin/invites` (administrators): making invites, and the ones made, with what
//! is left of each.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use serde::Deserialize;
use staffroom_domain::access::invite;
use staffroom_domain::moderation::staff::{self, Duty};
use staffroom_domain::page::Page;

use super::Staffer;
use crate::AppState;
use crate::entities::timestamp;
use crate::error::PageError;
use crate::pages::post_view::readable_time;
use crate::pages::{Layout, render};

/// The invites the page lists.
const INVITES_SHOWN: u64 = 40;
/// The longest an invite may last, in days.
const MAX_DAYS: i64 = 365;

/// One invite as the page shows it.
struct Shown {
    code: String,
    /// The sign-up page with the code filled in.
    link: String,
    uses: String,
    expires: String,
    usable: bool,
}

/// `templates/admin/invites.html`
#[derive(Template)]
#[template(path = "admin/invites.html")]
struct InvitesPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    invites: Vec<Shown>,
    needs_invite: bool,
    max_days: i64,
}

/// `GET /admin/invites`
pub async fn show(State(state): State<AppState>, staffer: Staffer) -> Response {
    let page = async {
        staff::require(state.db(), staffer.staff(), Duty::Administer).await?;
        let now = Utc::now();
        let listed = Page {
            limit: Some(INVITES_SHOWN),
            ..Page::default()
        };
        let invites = invite::list(state.db(), listed)
            .await?
            .into_iter()
            .map(|invite| Shown {
                link: format!("/auth/sign_up?invite_code={}", invite.code),
                uses: match invite.max_uses {
                    Some(max) => format!("{} of {max}", invite.uses),
                    None => format!("{} (no limit)", invite.uses),
                },
                expires: invite
                    .expires_at
                    .map_or("never".to_owned(), |at| readable_time(&timestamp(at))),
                usable: invite.is_usable(now),
                code: invite.code,
            })
            .collect();
        let shown = InvitesPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            csrf: staffer.csrf(),
            invites,
            needs_invite: state.settings().registrations.needs_invite(),
            max_days: MAX_DAYS,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// What the form that makes an invite sends.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    authenticity_token: Option<String>,
    /// Empty for no limit.
    #[serde(default)]
    max_uses: String,
    /// Empty for never.
    #[serde(default)]
    expires_in_days: String,
}

/// A whole number from a form field, `None` when empty, within `min..=max`.
fn number(field: &str, text: &str, min: i64, max: i64) -> Result<Option<i64>, PageError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .map(Some)
        .ok_or_else(|| {
            PageError::invalid(
                "The invite was not made",
                format!("The {field} must be a whole number from {min} to {max}."),
            )
        })
}

/// `POST /admin/invites`
pub async fn create(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<InviteForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let max_uses = number("number of uses", &form.max_uses, 1, 10_000)?
            .and_then(|n| i32::try_from(n).ok());
        let now = Utc::now();
        let expires_at = number("number of days", &form.expires_in_days, 1, MAX_DAYS)?
            .map(|days| now + TimeDelta::days(days));
        staff::create_invite(state.db(), by, max_uses, expires_at, now).await?;
        Ok("/admin/invites".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}
