//! `/admin/audit`: what the staff did, who did it and when, newest first.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use staffroom_domain::moderation::audit;

use super::Staffer;
use crate::AppState;
use crate::entities::timestamp;
use crate::error::PageError;
use crate::pages::post_view::readable_time;
use crate::pages::timeline::PageQuery;
use crate::pages::{Layout, render};

/// One entry as the page shows it.
struct Shown {
    actor: String,
    /// The actor's profile, for an account.
    actor_page: Option<String>,
    action: String,
    target: String,
    detail: String,
    when: String,
    datetime: String,
}

/// `templates/admin/audit.html`
#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    entries: Vec<Shown>,
    older: Option<String>,
}

/// `GET /admin/audit[?max_id=]`
pub async fn show(
    State(state): State<AppState>,
    staffer: Staffer,
    Query(query): Query<PageQuery>,
) -> Response {
    let page = async {
        let page = query.page()?;
        let found = audit::list(state.db(), page).await?;
        let older = (found.len() as u64 >= page.limit())
            .then(|| found.last())
            .flatten()
            .map(|last| format!("/admin/audit?max_id={}", last.id));
        let entries = found
            .into_iter()
            .map(|entry| {
                let datetime = timestamp(entry.created_at);
                Shown {
                    actor_page: entry.account_id.map(|_| format!("/@{}", entry.actor_name)),
                    actor: entry.actor_name,
                    action: entry.action,
                    target: entry.target,
                    detail: entry.detail,
                    when: readable_time(&datetime),
                    datetime,
                }
            })
            .collect();
        let shown = AuditPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            entries,
            older,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}
