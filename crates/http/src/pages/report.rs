//! Reporting to the moderators from the web app: `/statuses/{id}/report` reports a
//! post and its author, `/@{acct}/report` an account. The form asks why (the
//! category and a comment) and, for an account of another server, whether to send
//! the report on to that server's moderators too. It makes the same report as
//! `POST /api/v1/reports`; a form with a mistake comes back with what was typed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::moderation::report::{Category, MAX_COMMENT_CHARS, NewReport};
use staffroom_domain::posts::post::Post;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::reports;

use super::post_view::PostView;
use super::profile::find;
use super::session::SignedIn;
use super::{Layout, render, render_again};
use crate::AppState;
use crate::error::{PageError, PageResult};
use crate::path_id::PagePathId;

/// The categories a person chooses from, as the form shows them.
const CATEGORIES: [(&str, &str); 4] = [
    (
        "spam",
        "Spam: advertising, or the same thing again and again",
    ),
    ("legal", "Illegal: it breaks the law"),
    ("violation", "It breaks this instance's rules"),
    ("other", "Something else"),
];

/// `templates/report.html`
#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    /// Where the form is sent.
    action: String,
    /// Whom it is about, as `user` or `user@host`.
    target: String,
    /// Whether the account is of another server (then it may be forwarded).
    remote: bool,
    /// The post reported, shown above the form.
    post: Option<PostView>,
    categories: &'static [(&'static str, &'static str)],
    category: String,
    comment: String,
    forward: bool,
    comment_limit: usize,
    error: Option<String>,
    done: bool,
}

/// What the form sends.
#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    category: String,
    #[serde(default)]
    comment: String,
    forward: Option<String>,
}

/// What is reported: an account, with one of its posts or none.
struct Reported {
    target: Account,
    post: Option<Post>,
    action: String,
}

impl<'a> ReportPage<'a> {
    async fn of(
        state: &'a AppState,
        me: &'a SignedIn,
        reported: &Reported,
        form: &ReportForm,
    ) -> PageResult<Self> {
        let post = match &reported.post {
            Some(post) => Some(PostView::load_one(state, post.clone(), Some(me.account())).await?),
            None => None,
        };
        Ok(Self {
            layout: me.browser.layout(state, super::layout::Section::Other),
            csrf: me.browser.csrf_token(),
            action: reported.action.clone(),
            target: reported.target.acct(),
            remote: !reported.target.is_local(),
            post,
            categories: &CATEGORIES,
            category: if form.category.is_empty() {
                "other".to_owned()
            } else {
                form.category.clone()
            },
            comment: form.comment.clone(),
            forward: form.forward.is_some(),
            comment_limit: MAX_COMMENT_CHARS,
            error: None,
            done: false,
        })
    }
}

/// The post `id` as `me` may see it, and its author.
async fn of_post(state: &AppState, me: &SignedIn, id: i64) -> PageResult<Reported> {
    let post = find_visible(state.db(), id, Viewer::Account(me.account().id)).await?;
    let target = staffroom_domain::accounts::account::get(state.db(), post.account_id).await?;
    Ok(Reported {
        target,
        post: Some(post),
        action: format!("/statuses/{id}/report"),
    })
}

/// The account `/@{acct}` names.
async fn of_account(state: &AppState, me: &SignedIn, acct: &str) -> PageResult<Reported> {
    let target = find(state, &me.browser, acct).await?;
    Ok(Reported {
        action: format!("/@{}/report", target.acct()),
        target,
        post: None,
    })
}

async fn show(state: &AppState, me: &SignedIn, reported: PageResult<Reported>) -> Response {
    let page = async {
        let reported = reported?;
        if reported.target.id == me.account().id {
            return Err(PageError::forbidden(
                "Not possible",
                "You cannot report your own account.",
            ));
        }
        let shown = ReportPage::of(state, me, &reported, &ReportForm::default()).await?;
        Ok(render(&shown)?.into_response())
    }
    .await;
    page.unwrap_or_else(|error| error.page(state))
}

async fn send(
    state: &AppState,
    me: &SignedIn,
    reported: PageResult<Reported>,
    form: ReportForm,
) -> Response {
    if let Some(refused) = me.csrf_refusal(state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let reported = match reported {
        Ok(reported) => reported,
        Err(error) => return error.page(state),
    };
    let made = async {
        let category = Category::from_name(&form.category).ok_or_else(|| {
            PageError::invalid("The report was not sent", "Choose why you report this.")
        })?;
        let new = NewReport {
            target: reported.target.clone(),
            post_ids: reported.post.iter().map(|p| p.id).collect(),
            comment: form.comment.clone(),
            category,
            forward: form.forward.is_some(),
        };
        reports::report(&state.federation(), me.account(), new)
            .await
            .map_err(|error| PageError::from_form("The report was not sent", error))
    }
    .await;
    let mut page = match ReportPage::of(state, me, &reported, &form).await {
        Ok(page) => page,
        Err(error) => return error.page(state),
    };
    match made {
        Ok(_) => {
            page.done = true;
            render(&page)
                .map(IntoResponse::into_response)
                .unwrap_or_else(|error| error.page(state))
        }
        Err(error) => {
            page.error = Some(error.message().to_owned());
            render_again(state, &page, &error)
        }
    }
}

/// `GET /statuses/{id}/report`
pub async fn post_form(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
) -> Response {
    let reported = of_post(&state, &me, id).await;
    let page = show(&state, &me, reported).await;
    me.respond(page)
}

/// `POST /statuses/{id}/report`
pub async fn report_post(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<ReportForm>,
) -> Response {
    let reported = of_post(&state, &me, id).await;
    let page = send(&state, &me, reported, form).await;
    me.respond(page)
}

/// `GET /@{acct}/report`
pub async fn account_form(
    State(state): State<AppState>,
    me: SignedIn,
    Path(acct): Path<String>,
) -> Response {
    let reported = of_account(&state, &me, &acct).await;
    let page = show(&state, &me, reported).await;
    me.respond(page)
}

/// `POST /@{acct}/report`
pub async fn report_account(
    State(state): State<AppState>,
    me: SignedIn,
    Path(acct): Path<String>,
    Form(form): Form<ReportForm>,
) -> Response {
    let reported = of_account(&state, &me, &acct).await;
    let page = send(&state, &me, reported, form).await;
    me.respond(page)
}
