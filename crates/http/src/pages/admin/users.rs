//! `/admin/users`: this instance's people, found by name or email, with the
//! buttons that disable and enable them, silence them and lift the silence, and
//! (administrators) give them a role or delete their account, after a page that
//! asks to confirm; `/admin/suspensions`: other servers' accounts shut out or
//! silenced, suspending or silencing one and lifting a suspension or a silence.

use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::access::user::{self, Role};
use staffroom_domain::moderation::{local_suspension, silence, staff, suspension};
use staffroom_domain::page::Page;
use staffroom_federation::deletion;
use staffroom_federation::suspension as told;

use super::Staffer;
use crate::AppState;
use crate::entities::timestamp;
use crate::error::{PageError, PageResult};
use crate::mail;
use crate::pages::post_view::readable_time;
use crate::pages::{Layout, render};

/// People listed on one page.
const USERS_PER_PAGE: u64 = 40;
/// The most characters of a search.
const MAX_QUERY_CHARS: usize = 100;

/// One person as the page lists them.
struct Shown {
    username: String,
    email: String,
    role: &'static str,
    disabled: bool,
    silenced: bool,
    /// When their account is deleted, while they are suspended.
    suspended_until: Option<String>,
    approved: bool,
    last_active: String,
}

/// The roles an administrator may give.
const ROLES: [Role; 3] = [Role::User, Role::Moderator, Role::Admin];

/// `templates/admin/users.html`
#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    q: String,
    people: Vec<Shown>,
    roles: Vec<&'static str>,
    /// This page's address, for the forms to come back to.
    here: String,
    older: Option<String>,
    me: &'a str,
}

#[derive(Debug, Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    max_id: Option<String>,
}

/// `GET /admin/users[?q=][&max_id=]`
pub async fn show(
    State(state): State<AppState>,
    staffer: Staffer,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<UsersQuery>,
) -> Response {
    let page = async {
        let q: String = query.q.trim().chars().take(MAX_QUERY_CHARS).collect();
        let max_id = match query.max_id.as_deref().filter(|m| !m.is_empty()) {
            None => None,
            Some(text) => Some(text.parse::<i64>().map_err(|_| {
                PageError::bad_request("Not a page", "The max_id is not an account's id.")
            })?),
        };
        let page = Page {
            max_id,
            limit: Some(USERS_PER_PAGE),
            ..Page::default()
        };
        let found = user::list(state.db(), Some(&q), page).await?;
        let older = (found.len() as u64 >= page.limit())
            .then(|| found.last())
            .flatten()
            .map(|last| {
                let q = url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
                format!("/admin/users?q={q}&max_id={}", last.account.id)
            });
        // The few suspended people, for when their account is deleted.
        let suspended = local_suspension::list(state.db()).await?;
        let people = found
            .into_iter()
            .map(|user| Shown {
                role: user.role.name(),
                disabled: user.disabled,
                silenced: user.account.silenced,
                suspended_until: suspended
                    .iter()
                    .find(|one| one.account.id == user.account.id)
                    .map(|one| {
                        one.erased_at(local_suspension::RETENTION)
                            .format("%-d %B %Y")
                            .to_string()
                    }),
                approved: user.approved,
                last_active: user
                    .last_active_at
                    .map_or("never".to_owned(), |at| readable_time(&timestamp(at))),
                email: user.email,
                username: user.account.username,
            })
            .collect();
        let shown = UsersPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            csrf: staffer.csrf(),
            q,
            people,
            roles: ROLES.iter().map(|r| r.name()).collect(),
            here: uri
                .path_and_query()
                .map_or("/admin/users", |p| p.as_str())
                .to_owned(),
            older,
            me: &staffer.me.account().username,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// A button's form on the people page: its CSRF field and the page to return to.
#[derive(Debug, Deserialize)]
pub struct UserForm {
    authenticity_token: Option<String>,
    return_to: Option<String>,
    role: Option<String>,
    /// Why, for a suspension.
    reason: Option<String>,
}

impl UserForm {
    fn back(&self) -> String {
        crate::pages::local_path(self.return_to.as_deref())
            .filter(|path| path.starts_with("/admin/users"))
            .unwrap_or("/admin/users")
            .to_owned()
    }
}

async fn change_disabled(
    state: AppState,
    staffer: Staffer,
    username: String,
    form: UserForm,
    disabled: bool,
) -> Response {
    let by = staffer.staff();
    let work = async {
        staff::set_disabled(state.db(), by, &username, disabled, Utc::now()).await?;
        Ok(form.back())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/users/{username}/disable`: they can no longer sign in.
pub async fn disable(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    change_disabled(state, staffer, username, form, true).await
}

/// `POST /admin/users/{username}/enable`
pub async fn enable(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    change_disabled(state, staffer, username, form, false).await
}

async fn change_silenced(
    state: AppState,
    staffer: Staffer,
    username: String,
    form: UserForm,
    silenced: bool,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let person = user::find_by_username(state.db(), &username).await?;
        staff::set_silenced(state.db(), by, person.account.id, silenced, Utc::now()).await?;
        Ok(form.back())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/users/{username}/silence`: their posts leave the public and
/// hashtag timelines of those who do not follow them.
pub async fn silence(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    change_silenced(state, staffer, username, form, true).await
}

/// `POST /admin/users/{username}/unsilence`
pub async fn unsilence(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    change_silenced(state, staffer, username, form, false).await
}

async fn change_suspended(
    state: AppState,
    staffer: Staffer,
    username: String,
    form: UserForm,
    suspended: bool,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let person = user::find_by_username(state.db(), &username).await?;
        let data = state.federation();
        if suspended {
            let reason = form.reason.as_deref().unwrap_or_default();
            told::suspend(&data, by, person.account.id, reason).await?;
        } else {
            told::unsuspend(&data, by, person.account.id).await?;
        }
        Ok(form.back())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/users/{username}/suspend`: nothing of them is shown, they are
/// signed out, and their account is deleted after 30 days unless unsuspended.
pub async fn suspend_person(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    change_suspended(state, staffer, username, form, true).await
}

/// `POST /admin/users/{username}/unsuspend`: everything of them shows again.
pub async fn unsuspend_person(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    change_suspended(state, staffer, username, form, false).await
}

/// `POST /admin/users/{username}/role` (administrators)
pub async fn set_role(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<UserForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let role = form
            .role
            .as_deref()
            .and_then(Role::from_name)
            .ok_or_else(|| {
                PageError::invalid("The role was not given", "Choose user, moderator or admin.")
            })?;
        staff::set_role(state.db(), by, &username, role, Utc::now()).await?;
        Ok(form.back())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `templates/admin/delete_user.html`
#[derive(Template)]
#[template(path = "admin/delete_user.html")]
struct DeleteUserPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    username: String,
    email: String,
    error: Option<&'a str>,
}

/// `GET /admin/users/{username}/delete` (administrators): what deleting the
/// account does, and the form that confirms it.
pub async fn confirm_delete(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
) -> Response {
    let page = delete_page(&state, &staffer, &username, None).await;
    staffer.respond(&state, page)
}

async fn delete_page(
    state: &AppState,
    staffer: &Staffer,
    username: &str,
    error: Option<&str>,
) -> PageResult<Response> {
    staff::require(state.db(), staffer.staff(), staff::Duty::Administer).await?;
    let target = user::find_by_username(state.db(), username).await?;
    let shown = DeleteUserPage {
        layout: staffer.layout(state),
        administrator: staffer.administrator,
        csrf: staffer.csrf(),
        username: target.account.username,
        email: target.email,
        error,
    };
    let html = render(&shown)?;
    Ok(match error {
        Some(message) => {
            let status = PageError::invalid("Delete an account", message).status();
            (status, html).into_response()
        }
        None => html.into_response(),
    })
}

/// What the deletion form sends.
#[derive(Debug, Deserialize)]
pub struct DeleteUserForm {
    authenticity_token: Option<String>,
    /// The username, typed again.
    #[serde(default)]
    confirm: String,
}

/// `POST /admin/users/{username}/delete` (administrators): deletes the account
/// and everything of it, and tells other servers.
pub async fn delete(
    State(state): State<AppState>,
    staffer: Staffer,
    Path(username): Path<String>,
    Form(form): Form<DeleteUserForm>,
) -> Response {
    if !form.confirm.trim().eq_ignore_ascii_case(username.trim()) {
        if let Some(refused) = staffer
            .me
            .csrf_refusal(&state, form.authenticity_token.as_deref())
        {
            return refused;
        }
        let page = delete_page(
            &state,
            &staffer,
            &username,
            Some("The username typed does not match: nothing was deleted."),
        )
        .await;
        return staffer.respond(&state, page);
    }
    let by = staffer.staff();
    let work = async {
        let person = user::find_by_username(state.db(), &username).await?;
        deletion::delete_by_staff(&state.federation(), state.media(), by, &username).await?;
        if let Err(e) = mail::after_deletion(&state, &person).await {
            tracing::warn!(error = ?e, "the notice of a deleted account could not be queued");
        }
        Ok("/admin/users".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// One suspension as the page lists it.
struct Suspended {
    acct: String,
    reason: String,
    since: String,
}

/// One silenced account of another server as the page lists it.
struct Silenced {
    acct: String,
}

/// `templates/admin/suspensions.html`
#[derive(Template)]
#[template(path = "admin/suspensions.html")]
struct SuspensionsPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    suspended: Vec<Suspended>,
    silenced: Vec<Silenced>,
}

/// `GET /admin/suspensions`
pub async fn suspensions(State(state): State<AppState>, staffer: Staffer) -> Response {
    let page = async {
        let suspended = suspension::list(state.db())
            .await?
            .into_iter()
            .map(|one| Suspended {
                since: readable_time(&timestamp(one.created_at)),
                acct: one.acct,
                reason: one.reason,
            })
            .collect();
        let silenced = silence::list(state.db(), true)
            .await?
            .into_iter()
            .map(|one| Silenced { acct: one.acct() })
            .collect();
        let shown = SuspensionsPage {
            layout: staffer.layout(&state),
            administrator: staffer.administrator,
            csrf: staffer.csrf(),
            suspended,
            silenced,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, page)
}

/// What the suspension forms send.
#[derive(Debug, Deserialize)]
pub struct SuspensionForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    account: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/suspensions`: suspends an account of another server.
pub async fn suspend(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<SuspensionForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        staff::suspend(state.db(), by, &form.account, &form.reason, Utc::now())
            .await
            .map_err(|error| match error {
                staffroom_domain::Error::NotFound(_) => PageError::invalid(
                    "Nobody was suspended",
                    format!(
                        "No account of another server called '{}' is known here.",
                        form.account.trim()
                    ),
                ),
                other => other.into(),
            })?;
        Ok("/admin/suspensions".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/suspensions/lift`
pub async fn lift(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<SuspensionForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        staff::lift_suspension(state.db(), by, &form.account, Utc::now()).await?;
        Ok("/admin/suspensions".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// What the forms that silence an account of another server send.
#[derive(Debug, Deserialize)]
pub struct SilenceForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    account: String,
}

async fn change_remote_silence(
    state: AppState,
    staffer: Staffer,
    form: SilenceForm,
    silenced: bool,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let unknown = || {
            PageError::invalid(
                "Nobody was silenced",
                format!(
                    "No account of another server called '{}' is known here.",
                    form.account.trim()
                ),
            )
        };
        let found = match silence::find(state.db(), &form.account).await {
            Ok(found) if !found.is_local() => found,
            Ok(_) | Err(staffroom_domain::Error::NotFound(_)) => return Err(unknown()),
            Err(other) => return Err(other.into()),
        };
        staff::set_silenced(state.db(), by, found.id, silenced, Utc::now()).await?;
        Ok("/admin/suspensions".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}

/// `POST /admin/silences`: silences an account of another server.
pub async fn silence_remote(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<SilenceForm>,
) -> Response {
    change_remote_silence(state, staffer, form, true).await
}

/// `POST /admin/silences/lift`
pub async fn unsilence_remote(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<SilenceForm>,
) -> Response {
    change_remote_silence(state, staffer, form, false).await
}
