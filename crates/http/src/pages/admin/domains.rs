//! `/admin/domains` (administrators): the rules for other servers — blocked ones,
//! and in allowlist mode the allowed ones — with the form that sets a rule and the
//! button that removes one.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::moderation::domain_policy::{self, FederationMode, Policy};
use staffroom_domain::moderation::staff::{self, Duty};

use super::Staffer;
use crate::AppState;
use crate::entities::timestamp;
use crate::error::PageError;
use crate::pages::post_view::readable_time;
use crate::pages::{Layout, render};

/// One rule as the page lists it.
struct Shown {
    domain: String,
    policy: &'static str,
    reason: String,
    since: String,
}

/// `templates/admin/domains.html`
#[derive(Template)]
#[template(path = "admin/domains.html")]
struct DomainsPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    allowlist: bool,
    rules: Vec<Shown>,
}

/// `GET /admin/domains`
pub async fn show(State(state): State<AppState>, staffer: Staffer) -> Response {
    let page = async {
        staff::require(state.db(), staffer.staff(), Duty::Administer).await?;
        let rules = domain_policy::list(state.db())
            .await?
            .into_iter()
            .map(|rule| Shown {
                policy: rule.policy.name(),
                since: readable_time(&timestamp(rule.created_at)),
                domain: rule.domain,
                reason: rule.reason,
            })
            .collect();
        let shown = DomainsPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            csrf: staffer.csrf(),
            allowlist: state.federation().mode == FederationMode::Allowlist,
            rules,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// What the domain forms send.
#[derive(Debug, Deserialize)]
pub struct DomainForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    policy: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/domains`: blocks a server, or allows it.
pub async fn set(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<DomainForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let policy = match form.policy.as_str() {
            "block" => Policy::Block,
            "allow" => Policy::Allow,
            _ => {
                return Err(PageError::invalid(
                    "No rule was set",
                    "Choose whether to block or allow the server.",
                ));
            }
        };
        staff::set_domain_rule(
            state.db(),
            by,
            &form.domain,
            policy,
            &form.reason,
            Utc::now(),
        )
        .await
        .map_err(|error| PageError::from_form("No rule was set", error))?;
        Ok("/admin/domains".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/domains/remove`
pub async fn remove(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<DomainForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        staff::remove_domain_rule(state.db(), by, &form.domain, Utc::now()).await?;
        Ok("/admin/domains".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}
