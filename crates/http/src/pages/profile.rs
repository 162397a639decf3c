//! `/@{acct}`: a person's (or trust's, school's, group's) profile page, for local
//! accounts and for accounts of other servers alike (`/@user@host`, looked up by
//! WebFinger the first time a signed-in person asks). It shows who they are, their
//! role and school in the directory, their posts as the viewer may see them, and
//! for a signed-in person the buttons to follow, block and mute.
//! `/@{acct}/followers` and `/@{acct}/following` list their follows.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use staffroom_domain::accounts::account::{self, Account, AccountKind};
use staffroom_domain::accounts::remote;
use staffroom_domain::directory::leader;
use staffroom_domain::graph::follow::{self, Direction};
use staffroom_domain::graph::relationship::{self, Relationship};
use staffroom_domain::timelines::account::{AccountFilter, account as account_posts};
use staffroom_federation::resolve;

use super::layout::Section;
use super::post_view::{Author, PostView};
use super::timeline::{PageQuery, Pager};
use super::{Actions, Layout, render};
use crate::AppState;
use crate::browser::Browser;
use crate::entities::Account as AccountEntity;
use crate::entities::status::{account_entities, account_entity};
use crate::error::{PageError, PageResult};
use crate::signed_fetch::PageOrDocument;
use crate::users;

/// Who a profile is about, as its page shows them.
pub struct Profile {
    pub entity: AccountEntity,
    pub author: Author,
    /// Their place in the directory: role, school and trust, as one line.
    pub directory: Option<String>,
    /// The address their profile lives at on its own server, for an account of
    /// another one.
    pub original: Option<String>,
    pub is_group: bool,
    /// The account this one moved to, when it moved.
    pub moved_to: Option<Author>,
}

/// `templates/profile.html`
#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    layout: Layout<'a>,
    profile: Profile,
    /// How the signed-in person stands towards them (not on their own page).
    relationship: Option<Relationship>,
    csrf: &'a str,
    /// The podcast feed of a local account.
    podcast: Option<String>,
    posts: Vec<PostView>,
    pager: Pager,
    empty: &'static str,
    actions: Option<Actions<'a>>,
}

/// `templates/follows.html`
#[derive(Template)]
#[template(path = "follows.html")]
struct FollowsPage<'a> {
    layout: Layout<'a>,
    profile: Profile,
    heading: &'static str,
    people: Vec<Author>,
    older: Option<String>,
}

/// The account `/@{acct}` names: a local one by its username, one of another
/// server by `user@host` (fetched by WebFinger for a signed-in person when it is
/// new here).
pub(crate) async fn find(state: &AppState, browser: &Browser, acct: &str) -> PageResult<Account> {
    let acct = acct.trim_start_matches('@');
    let db = state.db();
    let local_name = match acct.split_once('@') {
        None => Some(acct),
        Some((name, domain)) if domain.eq_ignore_ascii_case(state.urls().domain()) => Some(name),
        Some(_) => None,
    };
    let found = match local_name {
        Some(name) => {
            let found = account::find_local(db, name).await?;
            if found.is_none() && account::find_deleted_local(db, name).await?.is_some() {
                return Err(users::account_gone());
            }
            found
        }
        None => match remote::find_by_acct(db, acct).await? {
            Some(known) => Some(known),
            None if browser.user.is_some() => {
                resolve::account_by_address(&state.federation(), acct)
                    .await
                    .ok()
                    .flatten()
            }
            None => None,
        },
    };
    found
        .filter(|a| {
            matches!(
                a.kind,
                AccountKind::Person | AccountKind::Organization | AccountKind::Group
            )
        })
        .ok_or_else(PageError::not_found)
}

impl Profile {
    pub(crate) async fn load(state: &AppState, account: &Account) -> PageResult<Self> {
        let entity = account_entity(state.db(), state.urls(), account).await?;
        let directory = leader::find(state.db(), account.id).await?.map(|leader| {
            let mut line = leader.role.label().to_owned();
            for org in [&leader.school, &leader.trust].into_iter().flatten() {
                line.push_str(", ");
                line.push_str(&org.name);
            }
            line
        });
        Ok(Self {
            author: Author::of(&entity),
            original: (!account.is_local()).then(|| entity.url.clone()),
            is_group: account.kind == AccountKind::Group,
            moved_to: entity.moved.as_deref().map(Author::of),
            directory,
            entity,
        })
    }
}

/// `GET /@{acct}`: the page, or the actor document when asked for ActivityPub
/// (as at `/users/{username}`).
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Path(acct): Path<String>,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
    asked: PageOrDocument,
) -> Response {
    match asked {
        PageOrDocument::Page => {
            let here = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
            let page = page(&state, &browser, &acct, &here, &query)
                .await
                .unwrap_or_else(|error| error.page(&state));
            browser.respond(page)
        }
        document => users::show(State(state), Path(acct), document)
            .await
            .into_response(),
    }
}

async fn page(
    state: &AppState,
    browser: &Browser,
    acct: &str,
    here: &str,
    query: &PageQuery,
) -> PageResult<Response> {
    let account = find(state, browser, acct).await?;
    let me = browser.user.as_ref().map(|user| &user.account);
    let page = query.page()?;
    let posts = account_posts(
        state.db(),
        account.id,
        me.map(|m| m.id),
        &AccountFilter::default(),
        page,
    )
    .await?;
    let relationship = match me {
        Some(me) if me.id != account.id => {
            Some(relationship::between(state.db(), me.id, account.id, Utc::now()).await?)
        }
        _ => None,
    };
    let own = me.is_some_and(|me| me.id == account.id);
    let profile = Profile::load(state, &account).await?;
    let path = profile.author.page.clone();
    let csrf = browser.csrf_token();
    let shown = ProfilePage {
        layout: browser.layout(
            state,
            if own {
                Section::Profile
            } else {
                Section::Other
            },
        ),
        pager: Pager::around(&path, &page, &posts),
        posts: PostView::load_all(state, &posts, me).await?,
        empty: if account.suspended {
            "This account is suspended: nothing of it is shown."
        } else if account.is_local() {
            "No posts to show yet."
        } else {
            "No posts of theirs have reached this instance yet."
        },
        relationship,
        csrf,
        podcast: (account.is_local() && !account.suspended)
            .then(|| super::podcast::feed_path(&account.username)),
        actions: me.map(|_| Actions { csrf, here }),
        profile,
    };
    Ok(render(&shown)?.into_response())
}

/// `GET /@{acct}/followers`
pub async fn followers(
    State(state): State<AppState>,
    browser: Browser,
    Path(acct): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    follows(state, browser, acct, query, Direction::Followers).await
}

/// `GET /@{acct}/following`
pub async fn following(
    State(state): State<AppState>,
    browser: Browser,
    Path(acct): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    follows(state, browser, acct, query, Direction::Following).await
}

async fn follows(
    state: AppState,
    browser: Browser,
    acct: String,
    query: PageQuery,
    direction: Direction,
) -> Response {
    let page = async {
        let account = find(&state, &browser, &acct).await?;
        let page = query.page()?;
        let rows = follow::page(state.db(), account.id, direction, page).await?;
        let profile = Profile::load(&state, &account).await?;
        let (heading, path) = match direction {
            Direction::Followers => ("Followers", format!("{}/followers", profile.author.page)),
            Direction::Following => ("Following", format!("{}/following", profile.author.page)),
        };
        let full = rows.len() as u64 >= page.limit();
        let older = rows
            .last()
            .filter(|_| full)
            .map(|(cursor, _)| format!("{path}?max_id={cursor}"));
        let ids: Vec<i64> = rows.iter().map(|(_, person)| *person).collect();
        let people = account_entities(state.db(), state.urls(), &ids)
            .await?
            .iter()
            .map(Author::of)
            .collect();
        let shown = FollowsPage {
            layout: browser.layout(&state, Section::Other),
            profile,
            heading,
            people,
            older,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}
