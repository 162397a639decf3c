//! `/admin/challenges` (administrators): the challenges running, to come and
//! ended, with the form that features a new one; `/admin/challenges/{id}`: one
//! challenge, changed or ended early, with the state of the subscription to the
//! feed its discussion gathers around. A form with a mistake comes back with what
//! was typed.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use staffroom_domain::accounts::account;
use staffroom_domain::communities::challenge::{
    self, Challenge, ChallengeChange, MAX_DESCRIPTION_CHARS, MAX_RUN_BY_CHARS, MAX_TITLE_CHARS,
    NewChallenge,
};
use staffroom_domain::communities::hashtag_feed;
use staffroom_domain::directory::trust;
use staffroom_domain::moderation::staff::{self, Duty};
use staffroom_federation::hashtag_feeds;

use super::Staffer;
use crate::AppState;
use crate::error::PageError;
use crate::pages::{Layout, render};
use crate::path_id::PagePathId;

/// How a form's day is written (what a date field sends).
const DAY: &str = "%Y-%m-%d";

/// The first day of a challenge starting at `at`.
fn first_day(at: DateTime<Utc>) -> String {
    at.format(DAY).to_string()
}

/// The last day of a challenge ending at `at` (it ends at the start of the next).
fn last_day(at: DateTime<Utc>) -> String {
    (at - TimeDelta::seconds(1)).format(DAY).to_string()
}

/// One challenge as the list shows it.
struct Listed {
    url: String,
    title: String,
    hashtag: String,
    run_by: String,
    starts: String,
    ends: String,
}

impl Listed {
    fn of(found: &Challenge) -> Self {
        Self {
            url: format!("/admin/challenges/{}", found.id),
            title: found.title.clone(),
            hashtag: found.hashtag.clone(),
            run_by: found.run_by.clone(),
            starts: first_day(found.starts_at),
            ends: last_day(found.ends_at),
        }
    }
}

/// Running, upcoming or ended challenges, under their heading.
struct Section {
    heading: &'static str,
    /// What the page says when there are none.
    empty: &'static str,
    challenges: Vec<Listed>,
}

/// The most characters of what names a trust or an instance in the forms.
const MAX_NAME_CHARS: usize = 253;

/// The lengths the forms allow.
struct Limits {
    title: usize,
    description: usize,
    run_by: usize,
    name: usize,
}

const LIMITS: Limits = Limits {
    title: MAX_TITLE_CHARS,
    description: MAX_DESCRIPTION_CHARS,
    run_by: MAX_RUN_BY_CHARS,
    name: MAX_NAME_CHARS,
};

/// What the forms that feature and change a challenge send.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChallengeForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    hashtag: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    run_by: String,
    /// The local trust that runs it, by its name or its slug.
    #[serde(default)]
    trust: String,
    #[serde(default)]
    description: String,
    /// The instance whose feed of the hashtag gathers the discussion.
    #[serde(default)]
    feed_host: String,
}

/// `templates/admin/challenges.html`
#[derive(Template)]
#[template(path = "admin/challenges.html")]
struct ChallengesPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    sections: Vec<Section>,
    form: ChallengeForm,
    error: Option<String>,
    limits: Limits,
}

async fn list_page<'a>(
    state: &'a AppState,
    staffer: &'a Staffer,
    form: ChallengeForm,
    error: Option<String>,
) -> Result<ChallengesPage<'a>, PageError> {
    staff::require(state.db(), staffer.staff(), Duty::Administer).await?;
    let now = Utc::now();
    let section = |heading, empty, found: Vec<Challenge>| Section {
        heading,
        empty,
        challenges: found.iter().map(Listed::of).collect(),
    };
    let sections = vec![
        section(
            "Running now",
            "No challenge is running.",
            challenge::current(state.db(), now).await?,
        ),
        section(
            "Starting later",
            "No challenge is to come.",
            challenge::upcoming(state.db(), now).await?,
        ),
        section(
            "Ended",
            "No challenge has ended yet.",
            challenge::past(state.db(), now, 0, challenge::MAX_PAGE).await?,
        ),
    ];
    Ok(ChallengesPage {
        layout: staffer.layout(state),
        administrator: staffer.administrator,
        csrf: staffer.csrf(),
        sections,
        form,
        error,
        limits: LIMITS,
    })
}

/// `GET /admin/challenges`
pub async fn index(State(state): State<AppState>, staffer: Staffer) -> Response {
    let shown = async {
        let today = Utc::now();
        let form = ChallengeForm {
            starts: first_day(today),
            ends: last_day(today + TimeDelta::days(30)),
            ..ChallengeForm::default()
        };
        let shown = list_page(&state, &staffer, form, None).await?;
        Ok(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, shown)
}

/// A domain refusal of a challenge form, in the form's own words (which name
/// the fields as the form does).
fn in_words(error: staffroom_domain::Error) -> PageError {
    let error = PageError::from(error);
    let message = [
        ("The run_by ", "The runner "),
        ("The feed_host ", "The gathering instance "),
        ("The ends_at ", "The end "),
        ("The starts_at ", "The start "),
        ("The trust_id ", "The trust "),
        ("after starts_at", "after the start"),
    ]
    .iter()
    .fold(error.message().to_owned(), |message, (from, to)| {
        message.replace(from, to)
    });
    PageError::new(error.status(), "Cannot be done", message)
}

/// `form`'s day `value` for `field` (`starts` or `ends`, whose day is included).
fn day(value: &str, field: &'static str) -> Result<DateTime<Utc>, PageError> {
    if value.trim().is_empty() {
        let which = if field == "starts" { "first" } else { "last" };
        return Err(PageError::invalid(
            "Cannot be done",
            format!("Give the {which} day."),
        ));
    }
    Ok(challenge::parse_when(value, field, field == "ends")?)
}

/// The local trust `name` names (its slug or its name), for `form`.
async fn trust_of(state: &AppState, name: &str) -> Result<Option<i64>, PageError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let found = match trust::find_local(state.db(), name).await? {
        Some(found) => Some(found),
        None => trust::find_local_by_name(state.db(), name).await?,
    };
    match found {
        Some(found) => Ok(Some(found.id())),
        None => Err(PageError::invalid(
            "Cannot be done",
            format!("There is no trust called '{name}' here."),
        )),
    }
}

/// `POST /admin/challenges`: features a challenge, and subscribes to the feed of
/// its hashtag on the gathering instance when that is another one (the
/// challenge's page says whether that worked).
pub async fn create(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<ChallengeForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let new = NewChallenge {
            title: form.title.clone(),
            description: form.description.clone(),
            hashtag: form.hashtag.clone(),
            starts_at: day(&form.starts, "starts")?,
            ends_at: day(&form.ends, "ends")?,
            run_by: form.run_by.clone(),
            trust_id: trust_of(&state, &form.trust).await?,
            feed_host: Some(form.feed_host.clone()),
        };
        let made = staff::create_challenge(state.db(), by, new, Utc::now())
            .await
            .map_err(in_words)?;
        if let Some(Err(e)) = hashtag_feeds::follow_challenge(&state.federation(), &made).await {
            tracing::info!(error = %e, host = ?made.feed_host, "the challenge's feed could not be subscribed to");
        }
        Ok(format!("/admin/challenges/{}", made.id))
    };
    let again = async |staffer: &Staffer, message| {
        render(&list_page(&state, staffer, form.clone(), Some(message)).await?)
    };
    let csrf = form.authenticity_token.as_deref();
    let title = "The challenge was not featured";
    staffer.answer_form(&state, csrf, title, work, again).await
}

/// Where a challenge's discussion gathers, and whether this instance subscribes
/// to that feed.
struct Gathering {
    host: String,
    /// How to name the feed to the feeds page's form.
    feed: String,
    /// `subscribed`, `waiting for the feed to accept` or `not subscribed`.
    state: &'static str,
    subscribed: bool,
}

/// `templates/admin/challenge.html`
#[derive(Template)]
#[template(path = "admin/challenge.html")]
struct ChallengePage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    id: i64,
    hashtag: String,
    running: bool,
    gathering: Option<Gathering>,
    form: ChallengeForm,
    error: Option<String>,
    limits: Limits,
}

async fn challenge_page<'a>(
    state: &'a AppState,
    staffer: &'a Staffer,
    found: &Challenge,
    form: Option<ChallengeForm>,
    error: Option<String>,
) -> Result<ChallengePage<'a>, PageError> {
    staff::require(state.db(), staffer.staff(), Duty::Administer).await?;
    let gathering = match found
        .feed_host
        .as_deref()
        .filter(|host| !host.eq_ignore_ascii_case(state.urls().domain()))
    {
        None => None,
        Some(host) => {
            let instance = account::instance_actor(state.db()).await?;
            let subscription = hashtag_feed::subscriptions(state.db(), instance.id)
                .await?
                .into_iter()
                .find(|one| {
                    hashtag_feed::tag_of(&one.feed) == found.hashtag
                        && one.feed.domain.as_deref() == Some(host)
                });
            Some(Gathering {
                host: host.to_owned(),
                feed: format!("{}@{host}", found.hashtag),
                state: match &subscription {
                    Some(one) if one.accepted => "subscribed",
                    Some(_) => "waiting for the feed to accept",
                    None => "not subscribed",
                },
                subscribed: subscription.is_some(),
            })
        }
    };
    let form = form.unwrap_or_else(|| ChallengeForm {
        title: found.title.clone(),
        starts: first_day(found.starts_at),
        ends: last_day(found.ends_at),
        run_by: found.run_by.clone(),
        description: found.description.clone(),
        ..ChallengeForm::default()
    });
    Ok(ChallengePage {
        layout: staffer.layout(state),
        administrator: staffer.administrator,
        csrf: staffer.csrf(),
        id: found.id,
        hashtag: found.hashtag.clone(),
        running: found.is_current(Utc::now()),
        gathering,
        form,
        error,
        limits: LIMITS,
    })
}

/// `GET /admin/challenges/{id}`
pub async fn show(
    State(state): State<AppState>,
    staffer: Staffer,
    PagePathId(id): PagePathId<i64>,
) -> Response {
    let shown = async {
        let found = challenge::get(state.db(), id).await?;
        let shown = challenge_page(&state, &staffer, &found, None, None).await?;
        Ok(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, shown)
}

/// What `form` changes of `found`: each field that differs from what the page
/// showed. A day left as it was keeps the stored time, which may not be
/// midnight.
fn change_of(found: &Challenge, form: &ChallengeForm) -> Result<ChallengeChange, PageError> {
    let changed = |typed: &str, stored: &str| (typed != stored).then(|| typed.to_owned());
    Ok(ChallengeChange {
        title: changed(&form.title, &found.title),
        description: changed(&form.description, &found.description),
        run_by: changed(&form.run_by, &found.run_by),
        starts_at: match changed(form.starts.trim(), &first_day(found.starts_at)) {
            Some(typed) => Some(day(&typed, "starts")?),
            None => None,
        },
        ends_at: match changed(form.ends.trim(), &last_day(found.ends_at)) {
            Some(typed) => Some(day(&typed, "ends")?),
            None => None,
        },
    })
}

/// `POST /admin/challenges/{id}`: changes its title, description, runner or
/// days; a mistake brings the form back with what was typed.
pub async fn update(
    State(state): State<AppState>,
    staffer: Staffer,
    PagePathId(id): PagePathId<i64>,
    Form(form): Form<ChallengeForm>,
) -> Response {
    let found = match challenge::get(state.db(), id).await {
        Ok(found) => found,
        Err(error) => return staffer.respond(&state, Err(error.into())),
    };
    let by = staffer.staff();
    let work = async {
        let change = change_of(&found, &form)?;
        staff::update_challenge(state.db(), by, id, change, Utc::now())
            .await
            .map_err(in_words)?;
        Ok(format!("/admin/challenges/{id}"))
    };
    let again = async |staffer: &Staffer, message| {
        let shown = challenge_page(&state, staffer, &found, Some(form.clone()), Some(message));
        render(&shown.await?)
    };
    let csrf = form.authenticity_token.as_deref();
    let title = "The challenge was not changed";
    staffer.answer_form(&state, csrf, title, work, again).await
}

/// `POST /admin/challenges/{id}/end`: ends a running challenge now.
pub async fn end(
    State(state): State<AppState>,
    staffer: Staffer,
    PagePathId(id): PagePathId<i64>,
    Form(form): Form<super::ButtonForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        let now = Utc::now();
        let change = ChallengeChange {
            ends_at: Some(now),
            ..ChallengeChange::default()
        };
        staff::update_challenge(state.db(), by, id, change, now).await?;
        Ok(format!("/admin/challenges/{id}"))
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}
