//! `/admin/sign_ups`: the people who signed up while sign-ups need approval, with
//! the reason each gave, and the button that lets them in (and mails them so, on
//! an instance that sends mail).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use staffroom_domain::access::user;
use staffroom_domain::moderation::staff;

use super::{ButtonForm, Staffer};
use crate::AppState;
use crate::entities::timestamp;
use crate::error::PageError;
use crate::mail::{self, Instance};
use crate::pages::post_view::readable_time;
use crate::pages::{Layout, render};

/// One person waiting, as the page shows them.
struct Waiting {
    username: String,
    email: String,
    signed_up: String,
    reason: String,
}

/// `templates/admin/sign_ups.html`
#[derive(Template)]
#[template(path = "admin/sign_ups.html")]
struct SignUpsPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    waiting: Vec<Waiting>,
}

/// `GET /admin/sign_ups`
pub async fn show(State(state): State<AppState>, staffer: Staffer) -> Response {
    let page = async {
        let waiting = user::awaiting_approval(state.db())
            .await?
            .into_iter()
            .map(|(user, reason)| Waiting {
                username: user.account.username,
                email: user.email,
                signed_up: readable_time(&timestamp(user.created_at)),
                reason: reason.unwrap_or_default(),
            })
            .collect();
        let shown = SignUpsPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            csrf: staffer.csrf(),
            waiting,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// `POST /admin/sign_ups/{username}/approve`
pub async fn approve(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<ButtonForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let now = Utc::now();
        let approved = staff::approve_user(state.db(), by, &username, now).await?;
        if state.settings().sends_mail {
            mail::queue(
                state.db(),
                mail::approved(Instance::of(&state), &approved),
                now,
            )
            .await?;
        }
        Ok("/admin/sign_ups".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}
