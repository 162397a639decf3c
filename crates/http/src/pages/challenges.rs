//! The challenges of the web app: `/challenges` (the ones running now and the
//! ones that ended, with how many took part) and `/challenges/{id}` (one
//! challenge, the latest public posts under its hashtag, and for a signed-in
//! person the compose form with the hashtag written in, to join in from the page).

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use serde::Deserialize;
use staffroom_domain::communities::challenge::{self, Challenge};
use staffroom_domain::timelines;
use staffroom_domain::timelines::public::Scope;

use super::compose::ComposeForm;
use super::layout::Section;
use super::post_view::PostView;
use super::timeline::{PageQuery, Pager};
use super::{Actions, Layout, render};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};
use crate::path_id::PagePathId;

/// Past challenges on one page of the list.
const PAST_PER_PAGE: u64 = 10;
/// The furthest a list of past challenges is read.
const MAX_PAST_OFFSET: u64 = 10_000;

/// A challenge as the pages show it.
pub struct ChallengeView {
    pub title: String,
    pub url: String,
    pub run_by: String,
    pub starts: String,
    /// Its last day (it ends at the start of the next).
    pub ends: String,
    /// Its Markdown as the domain renders it (HTML typed in it escaped).
    pub description_html: String,
    pub hashtag: String,
    pub tag_url: String,
    /// Whether it is running, over, or still to come.
    pub status: &'static str,
    /// Public posts with the hashtag written while it ran, and their authors.
    pub posts: u64,
    pub people: u64,
}

impl ChallengeView {
    async fn load(state: &AppState, found: &Challenge) -> PageResult<Self> {
        let participation = challenge::participation(state.db(), found).await?;
        let now = Utc::now();
        Ok(Self {
            title: found.title.clone(),
            url: format!("/challenges/{}", found.id),
            run_by: found.run_by.clone(),
            starts: found.starts_at.format("%-d %B %Y").to_string(),
            ends: (found.ends_at - TimeDelta::seconds(1))
                .format("%-d %B %Y")
                .to_string(),
            description_html: found.description_html(),
            hashtag: found.hashtag.clone(),
            tag_url: state.urls().tag(&found.hashtag),
            status: if found.is_current(now) {
                "running now"
            } else if found.ends_at <= now {
                "ended"
            } else {
                "starts later"
            },
            posts: participation.iter().map(|p| p.posts).sum(),
            people: participation.iter().map(|p| p.participants).sum(),
        })
    }

    async fn load_all(state: &AppState, found: &[Challenge]) -> PageResult<Vec<Self>> {
        let mut out = Vec::with_capacity(found.len());
        for one in found {
            out.push(Self::load(state, one).await?);
        }
        Ok(out)
    }
}

/// `templates/challenges.html`
#[derive(Template)]
#[template(path = "challenges.html")]
struct ChallengesPage<'a> {
    layout: Layout<'a>,
    current: Vec<ChallengeView>,
    past: Vec<ChallengeView>,
    /// The first page of past challenges, when this is a later one.
    newer: Option<String>,
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// How many past challenges to skip.
    past: Option<String>,
}

/// `GET /challenges[?past=N]`
pub async fn list(
    State(state): State<AppState>,
    browser: Browser,
    Query(query): Query<ListQuery>,
) -> Response {
    let page = async {
        let offset = match query.past.as_deref().filter(|v| !v.is_empty()) {
            None => 0,
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= MAX_PAST_OFFSET)
                .ok_or_else(|| {
                    PageError::bad_request("Not a page", "The page of past challenges is not one.")
                })?,
        };
        let now = Utc::now();
        let current = if offset == 0 {
            challenge::current(state.db(), now).await?
        } else {
            Vec::new()
        };
        let past = challenge::past(state.db(), now, offset, PAST_PER_PAGE).await?;
        let full = past.len() as u64 >= PAST_PER_PAGE;
        let shown = ChallengesPage {
            layout: browser.layout(&state, Section::Challenges),
            current: ChallengeView::load_all(&state, &current).await?,
            past: ChallengeView::load_all(&state, &past).await?,
            newer: (offset > 0).then(|| match offset.saturating_sub(PAST_PER_PAGE) {
                0 => "/challenges".to_owned(),
                n => format!("/challenges?past={n}"),
            }),
            older: (full && offset + PAST_PER_PAGE <= MAX_PAST_OFFSET)
                .then(|| format!("/challenges?past={}", offset + PAST_PER_PAGE)),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// `templates/challenge.html`
#[derive(Template)]
#[template(path = "challenge.html")]
struct ChallengePage<'a> {
    layout: Layout<'a>,
    challenge: ChallengeView,
    compose: Option<ComposeForm<'a>>,
    posts: Vec<PostView>,
    pager: Pager,
    empty: &'static str,
    actions: Option<Actions<'a>>,
}

/// `GET /challenges/{id}`: the challenge and the latest public posts under its
/// hashtag (as the tag's page has them), paged like a timeline.
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    PagePathId(id): PagePathId,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<PageQuery>,
) -> Response {
    let path = format!("/challenges/{id}");
    let here = uri.path_and_query().map_or(path.as_str(), |p| p.as_str());
    let me = browser.user.as_ref().map(|user| &user.account);
    let page = async {
        let found = challenge::get(state.db(), id).await?;
        let page = query.page()?;
        let posts = timelines::public::tag(
            state.db(),
            &found.hashtag,
            Scope::All,
            me.map(|m| m.id),
            page,
        )
        .await?;
        let csrf = browser.csrf_token();
        let compose = me.map(|_| ComposeForm {
            heading: "Join in",
            text: format!("#{} ", found.hashtag),
            ..ComposeForm::new(csrf, &path)
        });
        let shown = ChallengePage {
            layout: browser.layout(&state, Section::Challenges),
            challenge: ChallengeView::load(&state, &found).await?,
            compose,
            pager: Pager::around(&path, &page, &posts),
            posts: PostView::load_all(&state, &posts, me).await?,
            empty: "No public posts with this hashtag yet.",
            actions: me.map(|_| Actions { csrf, here }),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}
