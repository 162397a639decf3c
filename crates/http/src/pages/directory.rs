//! The directory of the web app: `/directory` (leaders, by role, region and name),
//! `/directory/trusts` and a trust's page with its schools and leaders (where the
//! trust's admins confirm who belongs to it), `/directory/schools` and a school's
//! page. The lists and the permission rules are the domain's, as the directory API
//! uses them; these pages only read filters from the address and render.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error as DomainError;
use staffroom_domain::accounts::account::Account;
use staffroom_domain::directory::leader::{self, Leader, LeaderFilter};
use staffroom_domain::directory::school::{self, School, SchoolFilter};
use staffroom_domain::directory::trust::{self, Trust, TrustFilter};
use staffroom_domain::directory::{
    self as domain_directory, Editor, LeaderRole, OrgRef, Phase, Region, TrustKind,
};
use staffroom_domain::graph::relationship::{self, Relationship};
use staffroom_domain::page::Page;

use super::layout::Section;
use super::post_view::Author;
use super::session::SignedIn;
use super::timeline::Pager;
use super::{Layout, render, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::entities::status::account_entities;
use crate::error::{PageError, PageResult};
use crate::path_id::PagePathId;

/// Entries on one page of a list.
const PER_PAGE: u64 = 20;
/// Schools and leaders shown on a trust's or a school's page.
const SHOWN_ON_PAGE: u64 = 40;

/// A choice of a filter's menu: its value, its label, whether it is chosen.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// The choices of a vocabulary's menu, `chosen` selected.
fn choices<T: Copy + PartialEq>(
    all: &[T],
    chosen: Option<T>,
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|&term| Choice {
            value: value(term),
            label: label(term),
            selected: chosen == Some(term),
        })
        .collect()
}

/// A filter's value from the address: `None` when left empty, a page saying what
/// is wrong when it is not one of the vocabulary's.
fn term<T>(
    value: Option<&str>,
    parse: fn(&str) -> staffroom_domain::Result<T>,
) -> PageResult<Option<T>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).map_err(|error| match error {
            DomainError::Invalid { field, reason } => {
                PageError::bad_request("Not a filter", format!("The {field} {reason}."))
            }
            other => other.into(),
        }),
    }
}

/// A text filter from the address: `None` when empty.
fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(|v| {
        v.chars()
            .take(domain_directory::MAX_NAME_QUERY_CHARS)
            .collect()
    })
}

/// The cursors of a list's page (ids of its records), as in the API.
#[derive(Debug, Default, Deserialize)]
pub struct Cursors {
    max_id: Option<String>,
    min_id: Option<String>,
}

impl Cursors {
    fn page(&self) -> PageResult<Page> {
        let id = |value: &Option<String>| -> PageResult<Option<i64>> {
            match value.as_deref().filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v.parse().map(Some).map_err(|_| {
                    PageError::bad_request("Not a page", "The page's cursor is not an id.")
                }),
            }
        };
        Ok(Page {
            max_id: id(&self.max_id)?,
            min_id: id(&self.min_id)?,
            since_id: None,
            limit: Some(PER_PAGE),
        })
    }
}

/// The links to the newer and older pages of a list at `path` filtered by
/// `filters` (a query string), around the page `ids` shown for `page`.
fn pager(path: &str, filters: &str, page: &Page, ids: &[i64]) -> Pager {
    let base = if filters.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{filters}")
    };
    let link = |cursor: &str, id: i64| {
        let joint = if filters.is_empty() { '?' } else { '&' };
        format!("{base}{joint}{cursor}={id}")
    };
    let paged = page.max_id.is_some() || page.min_id.is_some();
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
        // An empty page past either end leads back to the newest entries.
        return Pager {
            newer: paged.then_some(base),
            older: None,
        };
    };
    let full = ids.len() as u64 >= page.limit();
    Pager {
        newer: (paged && (page.max_id.is_some() || full)).then(|| link("min_id", *first)),
        older: (full || page.min_id.is_some()).then(|| link("max_id", *last)),
    }
}

/// The query string of the filters given (`name=value` pairs left out when empty).
fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.append_pair(name, value);
        }
    }
    out.finish()
}

/// A trust's or school's name and its page in the directory.
pub struct OrgLink {
    pub name: String,
    pub url: String,
}

/// The directory page of a trust: its slug for one of this instance, its id for
/// one of another server.
fn trust_url(account: &Account) -> String {
    if account.is_local() {
        format!("/directory/trusts/{}", account.username)
    } else {
        format!("/directory/trusts/{}", account.id)
    }
}

fn school_url(account: &Account) -> String {
    format!("/directory/schools/{}", account.id)
}

fn trust_link(org: &OrgRef) -> OrgLink {
    OrgLink {
        name: org.name.clone(),
        url: trust_url(&org.account),
    }
}

fn school_link(org: &OrgRef) -> OrgLink {
    OrgLink {
        name: org.name.clone(),
        url: school_url(&org.account),
    }
}

/// A leader in a list.
pub struct LeaderRow {
    /// Their account's id, which the confirmation form names.
    pub id: i64,
    pub person: Author,
    pub role: &'static str,
    pub school: Option<OrgLink>,
    pub trust: Option<OrgLink>,
    pub confirmed: bool,
}

async fn leader_rows(state: &AppState, leaders: &[Leader]) -> PageResult<Vec<LeaderRow>> {
    let ids: Vec<i64> = leaders.iter().map(Leader::id).collect();
    let people = account_entities(state.db(), state.urls(), &ids).await?;
    Ok(leaders
        .iter()
        .filter_map(|found| {
            let id = found.id().to_string();
            let entity = people.iter().find(|p| p.id == id)?;
            Some(LeaderRow {
                id: found.id(),
                person: Author::of(entity),
                role: found.role.label(),
                school: found.school.as_ref().map(school_link),
                trust: found.trust.as_ref().map(trust_link),
                confirmed: found.is_confirmed(),
            })
        })
        .collect())
}

/// Which list of the directory a page is (its tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Leaders,
    Trusts,
    Schools,
}

/// `templates/directory_leaders.html`
#[derive(Template)]
#[template(path = "directory_leaders.html")]
struct LeadersPage<'a> {
    layout: Layout<'a>,
    tab: Tab,
    roles: Vec<Choice>,
    regions: Vec<Choice>,
    name: String,
    name_limit: usize,
    /// The trust the list is narrowed to (from a trust's page).
    trust: Option<OrgLink>,
    trust_id: Option<String>,
    leaders: Vec<LeaderRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct LeaderQuery {
    role: Option<String>,
    region: Option<String>,
    name: Option<String>,
    trust_id: Option<String>,
    #[serde(flatten)]
    cursors: Cursors,
}

/// `GET /directory[?role=&region=&name=&trust_id=]`: leaders (of discoverable
/// accounts).
pub async fn leaders(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<LeaderQuery>,
) -> Response {
    let page = async {
        let role = term(query.role.as_deref(), LeaderRole::parse)?;
        let region = term(query.region.as_deref(), Region::parse)?;
        let name = text(query.name.as_deref());
        let trust = match text(query.trust_id.as_deref()) {
            Some(id) => Some(find_trust(&state, &id).await?),
            None => None,
        };
        let trust_id = trust.as_ref().map(|t| t.id().to_string());
        let page = query.cursors.page()?;
        let filter = LeaderFilter {
            role,
            region,
            name: name.clone(),
            trust_id: trust.as_ref().map(Trust::id),
            ..LeaderFilter::default()
        };
        let found = leader::list(state.db(), &filter, page).await?;
        let filters = query_string(&[
            ("role", role.map(LeaderRole::as_str)),
            ("region", region.map(Region::as_str)),
            ("name", name.as_deref()),
            ("trust_id", trust_id.as_deref()),
        ]);
        let ids: Vec<i64> = found.iter().map(Leader::id).collect();
        let shown = LeadersPage {
            layout: browser.layout(&state, Section::Directory),
            tab: Tab::Leaders,
            roles: choices(LeaderRole::ALL, role, LeaderRole::as_str, LeaderRole::label),
            regions: choices(Region::ALL, region, Region::as_str, Region::label),
            name: name.unwrap_or_default(),
            name_limit: domain_directory::MAX_NAME_QUERY_CHARS,
            trust: trust.as_ref().map(|t| TrustRow::of(t).link),
            trust_id,
            pager: pager("/directory", &filters, &page, &ids),
            leaders: leader_rows(&state, &found).await?,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// A trust in a list.
pub struct TrustRow {
    pub link: OrgLink,
    pub kind: &'static str,
    pub region: Option<&'static str>,
}

impl TrustRow {
    fn of(found: &Trust) -> Self {
        Self {
            link: OrgLink {
                name: found.name.clone(),
                url: trust_url(&found.account),
            },
            kind: found.kind.label(),
            region: found.region.map(Region::label),
        }
    }
}

/// `templates/directory_trusts.html`
#[derive(Template)]
#[template(path = "directory_trusts.html")]
struct TrustsPage<'a> {
    layout: Layout<'a>,
    tab: Tab,
    kinds: Vec<Choice>,
    regions: Vec<Choice>,
    trusts: Vec<TrustRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct TrustQuery {
    kind: Option<String>,
    region: Option<String>,
    #[serde(flatten)]
    cursors: Cursors,
}

/// `GET /directory/trusts[?kind=&region=]`
pub async fn trusts(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<TrustQuery>,
) -> Response {
    let page = async {
        let kind = term(query.kind.as_deref(), TrustKind::parse)?;
        let region = term(query.region.as_deref(), Region::parse)?;
        let page = query.cursors.page()?;
        let filter = TrustFilter {
            kind,
            region,
            ..TrustFilter::default()
        };
        let found = trust::list(state.db(), &filter, page).await?;
        let filters = query_string(&[
            ("kind", kind.map(TrustKind::as_str)),
            ("region", region.map(Region::as_str)),
        ]);
        let ids: Vec<i64> = found.iter().map(Trust::id).collect();
        let shown = TrustsPage {
            layout: browser.layout(&state, Section::Directory),
            tab: Tab::Trusts,
            kinds: choices(TrustKind::ALL, kind, TrustKind::as_str, TrustKind::label),
            regions: choices(Region::ALL, region, Region::as_str, Region::label),
            pager: pager("/directory/trusts", &filters, &page, &ids),
            trusts: found.iter().map(TrustRow::of).collect(),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// The follow button of an organisation's page, for a signed-in person: it posts
/// to the profile's own actions (`/@{acct}/follow`, `/@{acct}/unfollow`).
pub struct FollowButton<'a> {
    pub csrf: &'a str,
    /// The organisation's profile page.
    pub profile: String,
    pub relationship: Relationship,
}

async fn follow_button<'a>(
    state: &AppState,
    browser: &'a Browser,
    org: &Account,
) -> PageResult<Option<FollowButton<'a>>> {
    let Some(me) = browser.user.as_ref().map(|user| &user.account) else {
        return Ok(None);
    };
    if me.id == org.id {
        return Ok(None);
    }
    let relationship = relationship::between(state.db(), me.id, org.id, Utc::now()).await?;
    Ok(Some(FollowButton {
        csrf: browser.csrf_token(),
        profile: format!("/@{}", org.acct()),
        relationship,
    }))
}

/// `templates/directory_trust.html`
#[derive(Template)]
#[template(path = "directory_trust.html")]
struct TrustDetailPage<'a> {
    layout: Layout<'a>,
    trust: TrustRow,
    /// The trust's profile page.
    profile: String,
    acct: String,
    website: Option<String>,
    description: &'a str,
    follow: Option<FollowButton<'a>>,
    schools: Vec<SchoolRow>,
    /// The list of all its schools, when there are more than the page shows.
    more_schools: Option<String>,
    leaders: Vec<LeaderRow>,
    more_leaders: Option<String>,
    /// For an admin of the trust: the leaders waiting for confirmation, and the
    /// CSRF token of the forms that confirm them.
    unconfirmed: Option<(Vec<LeaderRow>, &'a str)>,
    /// Where the confirmation forms are sent, ending in `/leaders/`.
    confirm_base: String,
}

/// The trust a directory address names: a local trust's slug, or any trust's id.
async fn find_trust(state: &AppState, slug_or_id: &str) -> PageResult<Trust> {
    if let Some(found) = trust::find_local(state.db(), slug_or_id).await? {
        return Ok(found);
    }
    match slug_or_id.parse::<i64>() {
        Ok(id) => Ok(trust::get(state.db(), id).await?),
        Err(_) => Err(PageError::not_found()),
    }
}

/// `GET /directory/trusts/{slug-or-id}`
pub async fn trust_page(
    State(state): State<AppState>,
    browser: Browser,
    Path(slug_or_id): Path<String>,
) -> Response {
    let page = async {
        let found = find_trust(&state, &slug_or_id).await?;
        let shown_page = Page {
            limit: Some(SHOWN_ON_PAGE),
            ..Page::default()
        };
        let schools = school::list(
            state.db(),
            &SchoolFilter {
                trust_id: Some(found.id()),
                ..SchoolFilter::default()
            },
            shown_page,
        )
        .await?;
        let leaders = leader::list(
            state.db(),
            &LeaderFilter {
                trust_id: Some(found.id()),
                ..LeaderFilter::default()
            },
            shown_page,
        )
        .await?;
        // The domain's rule decides who administers the trust; only they see the
        // confirmation forms (and the confirmation itself checks again).
        let unconfirmed = match &browser.user {
            Some(user)
                if found.account.is_local()
                    && domain_directory::may_edit_trust(
                        state.db(),
                        Editor::Account(user.account.id),
                        found.id(),
                    )
                    .await? =>
            {
                let waiting = leader::list(
                    state.db(),
                    &LeaderFilter {
                        trust_id: Some(found.id()),
                        confirmed: Some(false),
                        ..LeaderFilter::default()
                    },
                    shown_page,
                )
                .await?;
                Some((leader_rows(&state, &waiting).await?, browser.csrf_token()))
            }
            _ => None,
        };
        let full = |n: usize| n as u64 >= SHOWN_ON_PAGE;
        let url = trust_url(&found.account);
        let shown = TrustDetailPage {
            layout: browser.layout(&state, Section::Directory),
            trust: TrustRow::of(&found),
            profile: format!("/@{}", found.account.acct()),
            acct: found.account.acct(),
            website: found.website.clone(),
            description: &found.description,
            follow: follow_button(&state, &browser, &found.account).await?,
            more_schools: full(schools.len())
                .then(|| format!("/directory/schools?trust_id={}", found.id())),
            more_leaders: full(leaders.len())
                .then(|| format!("/directory?trust_id={}", found.id())),
            schools: schools.iter().map(SchoolRow::of).collect(),
            leaders: leader_rows(&state, &leaders).await?,
            unconfirmed,
            confirm_base: format!("{url}/leaders/"),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// What a confirmation form sends.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    authenticity_token: Option<String>,
}

/// `POST /directory/trusts/{slug-or-id}/leaders/{id}/confirm`: an admin of the
/// trust confirms that the leader belongs to it (the API's
/// `POST /api/staffroom/v1/leaders/{id}/confirmation`); back to the trust's page.
pub async fn confirm(
    State(state): State<AppState>,
    me: SignedIn,
    Path((slug_or_id, leader_id)): Path<(String, String)>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let found = find_trust(&state, &slug_or_id).await?;
        let leader_id: i64 = leader_id.parse().map_err(|_| PageError::not_found())?;
        // The leader must be one of this trust's, as the page showed them.
        let listed = leader::find(state.db(), leader_id).await?;
        if listed
            .and_then(|l| l.trust)
            .is_none_or(|t| t.account.id != found.id())
        {
            return Err(PageError::not_found());
        }
        let saved = leader::confirm(
            state.db(),
            Editor::Account(me.account().id),
            leader_id,
            true,
        )
        .await?;
        crate::api::staffroom::actor_changed(&state, &saved.account).await?;
        Ok(trust_url(&found.account))
    }
    .await;
    let response = match done {
        Ok(back) => see_other(&back),
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

/// A school in a list.
pub struct SchoolRow {
    pub link: OrgLink,
    pub urn: String,
    pub phase: &'static str,
    pub place: Option<String>,
    pub trust: Option<OrgLink>,
}

impl SchoolRow {
    fn of(found: &School) -> Self {
        Self {
            link: OrgLink {
                name: found.name.clone(),
                url: school_url(&found.account),
            },
            urn: found.urn.clone(),
            phase: found.phase.label(),
            place: found
                .local_authority
                .clone()
                .or_else(|| found.region.map(|r| r.label().to_owned())),
            trust: found.trust.as_ref().map(trust_link),
        }
    }
}

/// `templates/directory_schools.html`
#[derive(Template)]
#[template(path = "directory_schools.html")]
struct SchoolsPage<'a> {
    layout: Layout<'a>,
    tab: Tab,
    phases: Vec<Choice>,
    regions: Vec<Choice>,
    local_authority: String,
    name: String,
    name_limit: usize,
    /// The trust the list is narrowed to (from a trust's page).
    trust: Option<OrgLink>,
    trust_id: Option<String>,
    schools: Vec<SchoolRow>,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct SchoolQuery {
    phase: Option<String>,
    region: Option<String>,
    local_authority: Option<String>,
    name: Option<String>,
    trust_id: Option<String>,
    #[serde(flatten)]
    cursors: Cursors,
}

/// `GET /directory/schools[?phase=&region=&local_authority=&name=&trust_id=]`
pub async fn schools(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<SchoolQuery>,
) -> Response {
    let page = async {
        let phase = term(query.phase.as_deref(), Phase::parse)?;
        let region = term(query.region.as_deref(), Region::parse)?;
        let local_authority = text(query.local_authority.as_deref());
        let name = text(query.name.as_deref());
        let trust = match text(query.trust_id.as_deref()) {
            Some(id) => Some(find_trust(&state, &id).await?),
            None => None,
        };
        let trust_id = trust.as_ref().map(|t| t.id().to_string());
        let page = query.cursors.page()?;
        let filter = SchoolFilter {
            phase,
            region,
            local_authority: local_authority.clone(),
            name: name.clone(),
            trust_id: trust.as_ref().map(Trust::id),
            ..SchoolFilter::default()
        };
        let found = school::list(state.db(), &filter, page).await?;
        let filters = query_string(&[
            ("phase", phase.map(Phase::as_str)),
            ("region", region.map(Region::as_str)),
            ("local_authority", local_authority.as_deref()),
            ("name", name.as_deref()),
            ("trust_id", trust_id.as_deref()),
        ]);
        let ids: Vec<i64> = found.iter().map(School::id).collect();
        let shown = SchoolsPage {
            layout: browser.layout(&state, Section::Directory),
            tab: Tab::Schools,
            phases: choices(Phase::ALL, phase, Phase::as_str, Phase::label),
            regions: choices(Region::ALL, region, Region::as_str, Region::label),
            local_authority: local_authority.unwrap_or_default(),
            name: name.unwrap_or_default(),
            name_limit: domain_directory::MAX_NAME_QUERY_CHARS,
            trust: trust.as_ref().map(|t| TrustRow::of(t).link),
            trust_id,
            pager: pager("/directory/schools", &filters, &page, &ids),
            schools: found.iter().map(SchoolRow::of).collect(),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// `templates/directory_school.html`
#[derive(Template)]
#[template(path = "directory_school.html")]
struct SchoolDetailPage<'a> {
    layout: Layout<'a>,
    school: SchoolRow,
    profile: String,
    acct: String,
    school_type: &'a str,
    region: Option<&'static str>,
    local_authority: Option<&'a str>,
    inspection_grade: &'static str,
    inspection_date: Option<String>,
    website: Option<&'a str>,
    follow: Option<FollowButton<'a>>,
    leaders: Vec<LeaderRow>,
}

/// `GET /directory/schools/{id}`
pub async fn school_page(
    State(state): State<AppState>,
    browser: Browser,
    PagePathId(id): PagePathId,
) -> Response {
    let page = async {
        let found = school::get(state.db(), id).await?;
        let leaders = leader::list(
            state.db(),
            &LeaderFilter {
                school_id: Some(found.id()),
                ..LeaderFilter::default()
            },
            Page {
                limit: Some(SHOWN_ON_PAGE),
                ..Page::default()
            },
        )
        .await?;
        let shown = SchoolDetailPage {
            layout: browser.layout(&state, Section::Directory),
            school: SchoolRow::of(&found),
            profile: format!("/@{}", found.account.acct()),
            acct: found.account.acct(),
            school_type: &found.school_type,
            region: found.region.map(Region::label),
            local_authority: found.local_authority.as_deref(),
            inspection_grade: found.inspection_grade.label(),
            inspection_date: found
                .inspection_date
                .map(|d| d.format("%-d %B %Y").to_string()),
            website: found.website.as_deref(),
            follow: follow_button(&state, &browser, &found.account).await?,
            leaders: leader_rows(&state, &leaders).await?,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}
