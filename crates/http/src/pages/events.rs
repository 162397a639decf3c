//! The events of the web app: `/events` (those to come), `/events/new` (the form
//! that organises one), `/events/{id}` (one event, with the form to answer it and,
//! for its organiser, the requests to approve), and the iCalendar files:
//! `/events/{id}.ics`, `/events.ics` (this instance's public events) and
//! `/@{username}/events.ics` (the public events a person here organises).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::accounts::account::{self, Account};
use staffroom_domain::posts::calendar::{self, Entry};
use staffroom_domain::posts::event::{self, Answer, Event, Status};
use staffroom_domain::posts::post::Post;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::participation;

use super::layout::Section;
use super::session::SignedIn;
use super::{Layout, render, render_again, see_other};
use crate::AppState;
use crate::api::staffroom::events::NewEventForm;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};

/// The most events in a calendar feed.
const FEED_EVENTS: u64 = 100;
/// The most events on the list page.
const LISTED: u64 = 50;
/// The most requests shown to an organiser.
const REQUESTS_SHOWN: u64 = 200;

/// An event as the pages show it.
pub struct EventView {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub when: String,
    pub place: String,
    pub online_url: Option<String>,
    pub organiser: String,
    pub organiser_url: String,
    /// Its description, sanitised HTML.
    pub description: String,
    pub join_mode: &'static str,
    pub external_url: Option<String>,
    pub going: u64,
    pub capacity: Option<u64>,
    pub interested: u64,
    pub waiting: u64,
    pub ended: bool,
    pub local: bool,
    /// The status's page (replies, boosts).
    pub post_url: String,
    pub ics_url: Option<String>,
}

impl EventView {
    async fn load(state: &AppState, post: &Post, found: &Event) -> PageResult<Self> {
        let organiser = account::get(state.db(), post.account_id).await?;
        let counts = if post.local {
            event::counts(state.db(), post.id).await?
        } else {
            event::Counts {
                going: found.participant_count,
                ..Default::default()
            }
        };
        Ok(Self {
            id: post.id,
            title: found.title.clone(),
            url: format!("/events/{}", post.id),
            when: found.when(),
            place: [found.place_name.as_deref(), found.address.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            online_url: found.online_url.clone(),
            organiser: organiser.shown_name().to_owned(),
            organiser_url: profile_path(&organiser),
            description: found.description.clone(),
            join_mode: found.join_mode.name(),
            external_url: found.external_url.clone(),
            going: counts.going,
            capacity: found.capacity,
            interested: counts.interested,
            waiting: counts.waiting,
            ended: found.ended(Utc::now()),
            local: post.local,
            post_url: if post.local {
                format!("/@{}/{}", organiser.username, post.id)
            } else {
                post.url
                    .clone()
                    .or_else(|| post.uri.clone())
                    .unwrap_or_default()
            },
            ics_url: post.local.then(|| format!("/events/{}.ics", post.id)),
        })
    }
}

fn profile_path(account: &Account) -> String {
    match &account.domain {
        None => format!("/@{}", account.username),
        Some(domain) => format!("/@{}@{domain}", account.username),
    }
}

/// `templates/events.html`
#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage<'a> {
    layout: Layout<'a>,
    events: Vec<EventView>,
    signed_in: bool,
}

/// `GET /events`: the events to come that the reader may see, the soonest first.
pub async fn list(State(state): State<AppState>, browser: Browser) -> Response {
    let page = async {
        let viewer = browser
            .user
            .as_ref()
            .map_or(Viewer::Anonymous, |u| Viewer::Account(u.account.id));
        let found = event::upcoming(state.db(), viewer, None, false, Utc::now(), 0, LISTED).await?;
        let mut events = Vec::with_capacity(found.len());
        for (post, one) in &found {
            events.push(EventView::load(&state, post, one).await?);
        }
        let shown = EventsPage {
            layout: browser.layout(&state, Section::Events),
            events,
            signed_in: browser.user.is_some(),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// What the form that organises an event sends.
#[derive(Debug, Default, Deserialize)]
pub struct EventForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    place_name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    join_mode: String,
    #[serde(default)]
    external_url: String,
    #[serde(default)]
    visibility: String,
}

/// `templates/event_new.html`
#[derive(Template)]
#[template(path = "event_new.html")]
struct NewEventPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    form: EventForm,
    error: Option<String>,
    title_limit: usize,
    description_limit: usize,
    place_limit: usize,
}

impl<'a> NewEventPage<'a> {
    fn of(state: &'a AppState, me: &'a SignedIn, form: EventForm) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Events),
            csrf: me.browser.csrf_token(),
            form,
            error: None,
            title_limit: event::MAX_TITLE_CHARS,
            description_limit: event::MAX_DESCRIPTION_CHARS,
            place_limit: event::MAX_PLACE_CHARS,
        }
    }
}

/// `GET /events/new`
pub async fn new_form(State(state): State<AppState>, me: SignedIn) -> Response {
    let form = EventForm {
        timezone: "Europe/London".to_owned(),
        join_mode: "free".to_owned(),
        visibility: "public".to_owned(),
        ..EventForm::default()
    };
    let page = render(&NewEventPage::of(&state, &me, form))
        .map(IntoResponse::into_response)
        .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// `POST /events`: organises the event; a form with a mistake comes back with
/// what was typed.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<EventForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let asked = NewEventForm {
        title: form.title.clone(),
        description: Some(form.description.clone()),
        starts_at: form.starts_at.clone(),
        ends_at: form.ends_at.clone(),
        timezone: form.timezone.clone(),
        place_name: Some(form.place_name.clone()),
        address: Some(form.address.clone()),
        online_url: Some(form.online_url.clone()),
        capacity: Some(serde_json::Value::String(form.capacity.clone())),
        join_mode: Some(form.join_mode.clone()),
        external_url: Some(form.external_url.clone()),
        visibility: Some(form.visibility.clone()),
        language: None,
    };
    let made = crate::api::staffroom::events::organise(&state, me.account(), &asked)
        .await
        .map_err(|error| PageError::from_form("The event was not organised", error));
    let response = match made {
        Ok(post) => see_other(&format!("/events/{}", post.id)),
        Err(error) => {
            let mut page = NewEventPage::of(&state, &me, form);
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}

/// One request waiting for the organiser.
pub struct RequestView {
    pub account_id: i64,
    pub name: String,
    pub url: String,
    pub status: &'static str,
}

/// `templates/event.html`
#[derive(Template)]
#[template(path = "event.html")]
struct EventPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    event: EventView,
    signed_in: bool,
    /// The reader's answer (`going`, `waiting` ...), empty when none.
    rsvp: &'static str,
    /// It in words.
    rsvp_text: Option<&'static str>,
    /// For the organiser: requests waiting for approval or a place.
    requests: Vec<RequestView>,
}

/// `GET /events/{id}` (and `/events/{id}.ics`).
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
) -> Response {
    if let Some(id) = id.strip_suffix(".ics") {
        return match id.parse::<i64>() {
            Ok(id) => one_calendar(&state, id)
                .await
                .unwrap_or_else(|error| error.page(&state)),
            Err(_) => PageError::not_found().page(&state),
        };
    }
    let me = browser.user.as_ref().map(|u| &u.account);
    let page = async {
        let id: i64 = id.parse().map_err(|_| PageError::not_found())?;
        let viewer = me.map_or(Viewer::Anonymous, |me| Viewer::Account(me.id));
        let post = find_visible(state.db(), id, viewer)
            .await
            .map_err(|_| PageError::not_found())?;
        let found = event::get(state.db(), id)
            .await?
            .ok_or_else(PageError::not_found)?;
        let rsvp = match me {
            Some(me) => event::own_statuses(state.db(), me.id, &[id])
                .await?
                .get(&id)
                .copied(),
            None => None,
        };
        let mut requests = Vec::new();
        if me.is_some_and(|me| me.id == post.account_id) && post.local {
            for status in [Status::Pending, Status::Waiting] {
                for one in event::participants(state.db(), id, status, REQUESTS_SHOWN).await? {
                    let who = account::get(state.db(), one.account_id).await?;
                    requests.push(RequestView {
                        account_id: who.id,
                        name: format!("{} (@{})", who.shown_name(), who.acct()),
                        url: profile_path(&who),
                        status: status.name(),
                    });
                }
            }
        }
        let shown = EventPage {
            layout: browser.layout(&state, Section::Events),
            csrf: browser.csrf_token(),
            event: EventView::load(&state, &post, &found).await?,
            signed_in: me.is_some(),
            rsvp: rsvp.map_or("", Status::name),
            rsvp_text: rsvp.map(|s| match s {
                Status::Going => "going",
                Status::Interested => "interested",
                Status::NotGoing => "not going",
                Status::Waiting => "on the waiting list",
                Status::Pending => "waiting for the organiser",
                Status::Rejected => "declined by the organiser",
            }),
            requests,
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    browser.respond(page)
}

/// What the answer form sends.
#[derive(Debug, Deserialize)]
pub struct RsvpForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    status: String,
}

/// `POST /events/{id}/rsvp`
pub async fn rsvp(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RsvpForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let answer = Answer::from_name(form.status.trim()).ok_or_else(|| {
            PageError::invalid("Not an answer", "Choose going, interested or not going.")
        })?;
        participation::respond(&state.federation(), me.account(), id, answer)
            .await
            .map_err(|error| PageError::from_form("Your answer was not taken", error))?;
        Ok::<_, PageError>(see_other(&format!("/events/{id}")))
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(done)
}

/// What an organiser's decision sends.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    decision: String,
}

/// `POST /events/{id}/participants/{account_id}`: the organiser approves or
/// declines a request.
pub async fn decide(
    State(state): State<AppState>,
    me: SignedIn,
    Path((id, account_id)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let approve = match form.decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => {
                return Err(PageError::invalid(
                    "Not a decision",
                    "Choose approve or decline.",
                ));
            }
        };
        participation::decide(&state.federation(), me.account(), id, account_id, approve)
            .await
            .map_err(|error| PageError::from_form("The request was not decided", error))?;
        Ok::<_, PageError>(see_other(&format!("/events/{id}")))
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(done)
}

/// An iCalendar answer named `file`.
fn ics_response(text: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response()
}

async fn entries_of<'a>(
    state: &AppState,
    found: &'a [(Post, Event)],
) -> PageResult<Vec<Entry<'a>>> {
    let urls = state.urls();
    let mut entries = Vec::with_capacity(found.len());
    for (post, one) in found {
        let organiser = account::get(state.db(), post.account_id).await?;
        entries.push(Entry {
            event: one,
            uid: post
                .uri
                .clone()
                .unwrap_or_else(|| urls.post(&organiser.username, post.id)),
            url: if post.local {
                urls.event_page(post.id)
            } else {
                post.url
                    .clone()
                    .or_else(|| post.uri.clone())
                    .unwrap_or_default()
            },
            organiser_name: organiser.shown_name().to_owned(),
            organiser_url: match &organiser.remote {
                None => urls.profile(&organiser.username),
                Some(remote) => remote
                    .url
                    .clone()
                    .or_else(|| organiser.uri.clone())
                    .unwrap_or_default(),
            },
            stamp: post.edited_at.unwrap_or(post.created_at),
        });
    }
    Ok(entries)
}

/// The iCalendar file of the event of post `id`, for anyone who may see it
/// without signing in (a calendar app sends no session).
async fn one_calendar(state: &AppState, id: i64) -> PageResult<Response> {
    let post = find_visible(state.db(), id, Viewer::Anonymous)
        .await
        .map_err(|_| PageError::not_found())?;
    let found = event::get(state.db(), id)
        .await?
        .ok_or_else(PageError::not_found)?;
    let pair = [(post, found)];
    let entries = entries_of(state, &pair).await?;
    let text = calendar::calendar(&pair[0].1.title, &entries, Utc::now());
    Ok(ics_response(text, &format!("event-{id}.ics")))
}

/// `GET /events.ics`: this instance's public events to come.
pub async fn instance_calendar(State(state): State<AppState>) -> Response {
    async {
        let found = event::upcoming(
            state.db(),
            Viewer::Anonymous,
            None,
            true,
            Utc::now(),
            0,
            FEED_EVENTS,
        )
        .await?;
        let entries = entries_of(&state, &found).await?;
        let name = format!("Events on {}", state.urls().domain());
        Ok::<_, PageError>(ics_response(
            calendar::calendar(&name, &entries, Utc::now()),
            "events.ics",
        ))
    }
    .await
    .unwrap_or_else(|error| error.page(&state))
}

/// `GET /@{username}/events.ics`: the public events to come that a person here
/// organises.
pub async fn person_calendar(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> Response {
    async {
        let person = account::find_local(state.db(), &username)
            .await?
            .ok_or_else(PageError::not_found)?;
        let found = event::upcoming(
            state.db(),
            Viewer::Anonymous,
            Some(person.id),
            true,
            Utc::now(),
            0,
            FEED_EVENTS,
        )
        .await?;
        let entries = entries_of(&state, &found).await?;
        let name = format!("Events by {}", person.shown_name());
        Ok::<_, PageError>(ics_response(
            calendar::calendar(&name, &entries, Utc::now()),
            &format!("{}-events.ics", person.username),
        ))
    }
    .await
    .unwrap_or_else(|error| error.page(&state))
}
