//! `/admin/reports`: the reports to the moderators, open or resolved, newest first;
//! a report's page with who made it, about whom, why, and the posts it names; the
//! buttons that resolve it or open it again. What is done about the account
//! reported (disabling a person here, suspending an account elsewhere) is done on
//! the people and suspension pages, which the report's page links to.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::moderation::report::{self, Report};
use staffroom_domain::moderation::staff;
use staffroom_domain::posts::post;

use super::{ButtonForm, Staffer};
use crate::AppState;
use crate::entities::timestamp;
use crate::error::PageError;
use crate::pages::post_view::{PostView, readable_time};
use crate::pages::{Actions, Layout, render};
use crate::path_id::PagePathId;

/// Reports listed on one page.
const REPORTS_PER_PAGE: u64 = 20;
/// The furthest a list of reports pages.
const MAX_OFFSET: u64 = 100_000;

/// One report as the list shows it.
struct Listed {
    id: i64,
    reporter: String,
    target: String,
    category: &'static str,
    comment: String,
    when: String,
}

/// `templates/admin/reports.html`
#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    resolved: bool,
    reports: Vec<Listed>,
    older: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ReportsQuery {
    resolved: Option<String>,
    offset: Option<String>,
}

/// `user` here, `user@host` elsewhere, or the account's id when it is gone.
fn name_of(people: &[Account], id: i64) -> String {
    people
        .iter()
        .find(|a| a.id == id)
        .map_or_else(|| format!("account {id}"), Account::acct)
}

/// `GET /admin/reports[?resolved=true][&offset=N]`
pub async fn index(
    State(state): State<AppState>,
    staffer: Staffer,
    Query(query): Query<ReportsQuery>,
) -> Response {
    let page = async {
        let resolved = query.resolved.as_deref() == Some("true");
        let offset = match query.offset.as_deref().filter(|o| !o.is_empty()) {
            None => 0,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|o| *o <= MAX_OFFSET)
                .ok_or_else(|| PageError::bad_request("Not a page", "The offset is not a page."))?,
        };
        let found = report::list(state.db(), resolved, offset, REPORTS_PER_PAGE).await?;
        let mut reports = Vec::with_capacity(found.len());
        for one in &found {
            let people = report::accounts_of(state.db(), one).await?;
            reports.push(Listed {
                id: one.id,
                reporter: name_of(&people, one.account_id),
                target: name_of(&people, one.target_account_id),
                category: one.category.name(),
                comment: one.comment.clone(),
                when: readable_time(&timestamp(one.created_at)),
            });
        }
        let older = (found.len() as u64 >= REPORTS_PER_PAGE).then(|| {
            format!(
                "/admin/reports?resolved={resolved}&offset={}",
                offset + REPORTS_PER_PAGE
            )
        });
        let shown = ReportsPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            resolved,
            reports,
            older,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// `templates/admin/report.html`
#[derive(Template)]
#[template(path = "admin/report.html")]
struct ReportPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    report: Report,
    reporter: String,
    target: String,
    /// The reported account's page here.
    target_page: String,
    /// Whether the reported account is of this instance (disabled on the people
    /// page) or of another server (suspended).
    target_is_local: bool,
    resolved_by: Option<String>,
    when: String,
    posts: Vec<PostView>,
    actions: Option<Actions<'a>>,
    empty: &'static str,
}

/// `GET /admin/reports/{id}`
pub async fn show(
    State(state): State<AppState>,
    staffer: Staffer,
    PagePathId(id): PagePathId,
) -> Response {
    let page = async {
        let db = state.db();
        let found = report::get(db, id).await?;
        let people = report::accounts_of(db, &found).await?;
        let target = people.iter().find(|a| a.id == found.target_account_id);
        let named = post::get_many(db, &found.post_ids).await?;
        let posts: Vec<_> = found
            .post_ids
            .iter()
            .filter_map(|id| named.get(id).cloned())
            .collect();
        let shown = ReportPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            csrf: staffer.csrf(),
            reporter: name_of(&people, found.account_id),
            target: name_of(&people, found.target_account_id),
            target_page: target.map_or_else(String::new, |a| format!("/@{}", a.acct())),
            target_is_local: target.is_some_and(Account::is_local),
            resolved_by: found.action_taken_by_id.map(|by| name_of(&people, by)),
            when: readable_time(&timestamp(found.created_at)),
            posts: PostView::load_all(&state, &posts, Some(staffer.me.account())).await?,
            actions: None,
            empty: "The report names no posts.",
            report: found,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

async fn set_resolved(
    state: AppState,
    staffer: Staffer,
    id: i64,
    form: ButtonForm,
    resolved: bool,
) -> Response {
    let by = staffer.staff();
    let work = async {
        staff::set_report_resolved(state.db(), by, id, resolved, Utc::now()).await?;
        Ok(format!("/admin/reports/{id}"))
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/reports/{id}/resolve`
pub async fn resolve(
    State(state): State<AppState>,
    staffer: Staffer,
    PagePathId(id): PagePathId,
    Form(form): Form<ButtonForm>,
) -> Response {
    set_resolved(state, staffer, id, form, true).await
}

/// `POST /admin/reports/{id}/reopen`
pub async fn reopen(
    State(state): State<AppState>,
    staffer: Staffer,
    PagePathId(id): PagePathId,
    Form(form): Form<ButtonForm>,
) -> Response {
    set_resolved(state, staffer, id, form, false).await
}
