//! Writing on the web app: `/publish` (a new post or a reply, with up to four
//! images and their descriptions), `/statuses/{id}/edit` and `/statuses/{id}/delete`.
//! A form sent with a mistake comes back with what was typed and what went wrong;
//! images already uploaded stay with it.

use askama::Template;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Form, extract::DefaultBodyLimit};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::Deserialize;
use staffroom_domain::accounts::preferences::{self, Preferences};
use staffroom_domain::media::{self, MAX_PER_POST, Upload};
use staffroom_domain::posts::poll::{self, NewPoll};
use staffroom_domain::posts::post::{MAX_POST_CHARS, MAX_SPOILER_CHARS, Visibility};
use staffroom_domain::posts::scheduled;
use staffroom_domain::posts::write::Revision;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::publish;

use super::layout::Section;
use super::post_view::{PostView, visibility_label};
use super::session::SignedIn;
use super::{Layout, local_path, render, render_again, see_other};
use crate::AppState;
use crate::error::PageError;
use crate::path_id::{PagePathId, record_id};

/// The largest body `/publish` takes under any setting: four files at the largest
/// limit that may be set, and the text around them (the instance's own limits stop
/// reading far earlier).
pub const MAX_COMPOSE_BYTES: usize = MAX_PER_POST * media::MAX_MEDIA_BYTES + 256 * 1024;

/// The body limit of the `/publish` form.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_COMPOSE_BYTES)
}

/// The visibilities a person may choose, as their form shows them.
pub const VISIBILITIES: [(&str, &str); 4] = [
    ("public", "Public: anyone, listed in public timelines"),
    ("unlisted", "Unlisted: anyone, not in public timelines"),
    ("private", "Followers only"),
    ("direct", "Mentioned people only"),
];

/// What the compose form shows (`templates/partials/compose_form.html`).
pub struct ComposeForm<'a> {
    pub heading: &'static str,
    pub button: &'static str,
    pub csrf: &'a str,
    pub return_to: String,
    pub text: String,
    pub spoiler_text: String,
    pub visibility: String,
    pub visibilities: &'static [(&'static str, &'static str)],
    pub in_reply_to: Option<String>,
    /// Images uploaded by an earlier try of the same form: (id, description).
    pub kept_media: Vec<(String, String)>,
    /// How many more images may be added.
    pub image_slots: usize,
    pub error: Option<String>,
    pub limit: usize,
    pub spoiler_limit: usize,
    /// The poll's options as typed, one per field (blank for none).
    pub poll_options: Vec<String>,
    /// The chosen running time, in seconds.
    pub poll_expires_in: String,
    pub poll_multiple: bool,
    pub poll_durations: &'static [(&'static str, &'static str)],
    /// When to publish it, as typed (`YYYY-MM-DDTHH:MM`); blank for now.
    pub scheduled_at: String,
    /// Whether it is to stay inside this instance.
    pub local_only: bool,
}

/// How long a poll may run on the compose form: seconds, and as people read it.
pub const POLL_DURATIONS: [(&str, &str); 7] = [
    ("300", "5 minutes"),
    ("1800", "30 minutes"),
    ("3600", "1 hour"),
    ("21600", "6 hours"),
    ("86400", "1 day"),
    ("259200", "3 days"),
    ("604800", "7 days"),
];

/// The poll of a compose form: none when every option is blank; the domain
/// checks the rest, with its messages.
fn poll_of(options: &[String], expires_in: &str, multiple: bool) -> Option<NewPoll> {
    let options: Vec<String> = options
        .iter()
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    (!options.is_empty()).then(|| NewPoll {
        options,
        expires_in: expires_in.trim().parse().unwrap_or(86_400),
        multiple,
        hide_totals: false,
    })
}

impl<'a> ComposeForm<'a> {
    /// An empty form for a new post, coming back to `return_to`.
    pub fn new(csrf: &'a str, return_to: &str) -> Self {
        Self {
            heading: "Write a post",
            button: "Post",
            csrf,
            return_to: return_to.to_owned(),
            text: String::new(),
            spoiler_text: String::new(),
            visibility: "public".to_owned(),
            visibilities: &VISIBILITIES,
            in_reply_to: None,
            kept_media: Vec::new(),
            image_slots: MAX_PER_POST,
            error: None,
            limit: MAX_POST_CHARS,
            spoiler_limit: MAX_SPOILER_CHARS,
            poll_options: vec![String::new(); poll::MAX_OPTIONS],
            poll_expires_in: "86400".to_owned(),
            poll_multiple: false,
            poll_durations: &POLL_DURATIONS,
            scheduled_at: String::new(),
            local_only: false,
        }
    }

    /// Whether a poll option was typed (the poll's part of the form is then open).
    pub fn poll_typed(&self) -> bool {
        self.poll_options.iter().any(|o| !o.trim().is_empty())
    }

    /// An empty form for a new post with the writer's `chosen` default visibility.
    pub fn new_post(csrf: &'a str, return_to: &str, chosen: &Preferences) -> Self {
        Self {
            visibility: chosen.visibility.name().to_owned(),
            ..Self::new(csrf, return_to)
        }
    }

    /// A form answering `post`: its author mentioned, its visibility and content
    /// warning kept (as Mastodon does).
    pub fn reply(csrf: &'a str, return_to: &str, post: &PostView, me: &str) -> Self {
        let mention = if post.author.acct == me {
            String::new()
        } else {
            format!("@{} ", post.author.acct)
        };
        Self {
            heading: "Reply",
            button: "Reply",
            text: mention,
            spoiler_text: post.spoiler_text.clone(),
            visibility: post.visibility.to_owned(),
            in_reply_to: Some(post.id.clone()),
            local_only: post.local_only,
            ..Self::new(csrf, return_to)
        }
    }

    /// A form posting to the group `handle`: a post mentioning it, public for an
    /// open group, and for a closed one direct, which is a post to its members.
    pub fn to_group(csrf: &'a str, return_to: &str, handle: &str, closed: bool) -> Self {
        Self {
            heading: "Post to the group",
            text: format!("@{handle} "),
            visibility: if closed { "direct" } else { "public" }.to_owned(),
            ..Self::new(csrf, return_to)
        }
    }
}

/// `templates/compose.html`
#[derive(Template)]
#[template(path = "compose.html")]
struct ComposePage<'a> {
    layout: Layout<'a>,
    compose: ComposeForm<'a>,
    /// The post answered, shown above the form.
    parent: Option<PostView>,
    actions: Option<super::Actions<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct ComposeQuery {
    in_reply_to: Option<String>,
}

/// `GET /publish[?in_reply_to=ID]`
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ComposeQuery>,
) -> Response {
    let page = async {
        let csrf = me.browser.csrf_token();
        let (compose, parent) = match query.in_reply_to.as_deref().filter(|id| !id.is_empty()) {
            Some(id) => {
                let id = record_id(id)?;
                let post = find_visible(state.db(), id, Viewer::Account(me.account().id)).await?;
                let view = PostView::load_one(&state, post, Some(me.account())).await?;
                let compose = ComposeForm::reply(csrf, &view.page, &view, &me.account().acct());
                (compose, Some(view))
            }
            None => {
                let chosen = preferences::get(state.db(), me.account().id).await?;
                (ComposeForm::new_post(csrf, super::HOME, &chosen), None)
            }
        };
        let page = ComposePage {
            layout: me.browser.layout(&state, Section::Compose),
            compose,
            parent,
            actions: None,
        };
        Ok::<_, PageError>(render(&page)?.into_response())
    }
    .await;
    let page = page.unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

/// What the compose form sent.
#[derive(Debug, Default)]
struct Sent {
    csrf: Option<String>,
    return_to: Option<String>,
    text: String,
    spoiler_text: String,
    visibility: String,
    in_reply_to: Option<String>,
    kept: Vec<String>,
    images: Vec<(Vec<u8>, String)>,
    alts: Vec<(usize, String)>,
    files: Vec<(usize, Vec<u8>)>,
    poll_options: Vec<String>,
    poll_expires_in: String,
    poll_multiple: bool,
    scheduled_at: String,
    local_only: bool,
    /// Minutes east of UTC of the writer's clock at `scheduled_at`, as the page's
    /// script tells it (none without the script: the time is then UTC).
    utc_offset: String,
}

/// The most characters of a text field of the form (the post's own limit is
/// checked by the domain, with its message).
const MAX_FIELD_CHARS: usize = 4 * MAX_POST_CHARS;

async fn text_of(field: Field<'_>) -> Result<String, PageError> {
    let text = field
        .text()
        .await
        .map_err(|e| PageError::invalid("Write a post", e.body_text()))?;
    Ok(text.chars().take(MAX_FIELD_CHARS).collect())
}

async fn read(mut form: Multipart, largest_file: usize) -> Result<Sent, PageError> {
    let mut sent = Sent::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| PageError::invalid("Write a post", e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "authenticity_token" => sent.csrf = Some(text_of(field).await?),
            "return_to" => sent.return_to = Some(text_of(field).await?),
            "status" => sent.text = text_of(field).await?,
            "spoiler_text" => sent.spoiler_text = text_of(field).await?,
            "visibility" => sent.visibility = text_of(field).await?,
            "in_reply_to_id" => sent.in_reply_to = Some(text_of(field).await?),
            "media_id" if sent.kept.len() < MAX_PER_POST => sent.kept.push(text_of(field).await?),
            "poll_option" if sent.poll_options.len() < poll::MAX_OPTIONS => {
                sent.poll_options.push(text_of(field).await?);
            }
            "poll_expires_in" => sent.poll_expires_in = text_of(field).await?,
            "poll_multiple" => sent.poll_multiple = !text_of(field).await?.is_empty(),
            "scheduled_at" => sent.scheduled_at = text_of(field).await?,
            "local_only" => sent.local_only = !text_of(field).await?.is_empty(),
            "utc_offset" => sent.utc_offset = text_of(field).await?,
            other => {
                let slot = |prefix: &str| {
                    other
                        .strip_prefix(prefix)
                        .and_then(|n| n.parse::<usize>().ok())
                        .filter(|n| (1..=MAX_PER_POST).contains(n))
                };
                if let Some(n) = slot("alt_") {
                    sent.alts.push((n, text_of(field).await?));
                } else if let Some(n) = slot("image_") {
                    let mut field = field;
                    let mut bytes = Vec::new();
                    while let Some(chunk) = field
                        .chunk()
                        .await
                        .map_err(|e| PageError::invalid("Write a post", e.body_text()))?
                    {
                        if bytes.len() + chunk.len() > largest_file {
                            return Err(PageError::invalid(
                                "Write a post",
                                format!("A file is too large: at most {largest_file} bytes."),
                            ));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                    if !bytes.is_empty() {
                        sent.files.push((n, bytes));
                    }
                }
            }
        }
    }
    for (n, bytes) in std::mem::take(&mut sent.files) {
        let alt = sent
            .alts
            .iter()
            .find(|(slot, _)| *slot == n)
            .map(|(_, alt)| alt.clone())
            .unwrap_or_default();
        sent.images.push((bytes, alt));
    }
    Ok(sent)
}

/// The moment the writer chose: `typed` (`YYYY-MM-DDTHH:MM`, as a
/// `datetime-local` field sends it) on a clock `utc_offset` minutes east of UTC
/// (UTC when the page's script did not say).
fn scheduled_time(typed: &str, utc_offset: &str) -> Result<DateTime<Utc>, PageError> {
    let typed = typed.trim();
    let local = NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(typed, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            PageError::invalid(
                "Write a post",
                "Choose the day and time to publish it, such as 2026-12-08 09:00.",
            )
        })?;
    // No clock is more than 14 hours from UTC.
    let offset = utc_offset
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|minutes| minutes.abs() <= 14 * 60)
        .unwrap_or(0);
    Ok(local.and_utc() - TimeDelta::minutes(offset))
}

/// `POST /publish`: the post written, then back to where the form was (or to the
/// new post); the form again with the message when something is wrong.
pub async fn publish(State(state): State<AppState>, me: SignedIn, form: Multipart) -> Response {
    let sent = match read(form, state.settings().media_limits.largest()).await {
        Ok(sent) => sent,
        Err(error) => return me.respond(error.page(&state)),
    };
    if let Some(refused) = me.csrf_refusal(&state, sent.csrf.as_deref()) {
        return refused;
    }
    let outcome = post_from(&state, &me, &sent).await;
    let response = match outcome {
        Ok(to) => see_other(&to),
        Err((error, kept)) => again(&state, &me, &sent, kept, error).await,
    };
    me.respond(response)
}

/// Uploads the images and writes the post; where to go next. On a failure, the
/// message and the images now uploaded (id, description).
async fn post_from(
    state: &AppState,
    me: &SignedIn,
    sent: &Sent,
) -> Result<String, (PageError, Vec<i64>)> {
    let mut media_ids: Vec<i64> = sent.kept.iter().filter_map(|id| id.parse().ok()).collect();
    let visibility = Visibility::from_name(&sent.visibility).unwrap_or(Visibility::Public);
    for (bytes, alt) in &sent.images {
        if media_ids.len() >= MAX_PER_POST {
            break;
        }
        let upload = Upload {
            bytes: bytes.clone(),
            description: Some(alt.clone()).filter(|a| !a.trim().is_empty()),
            focus: None,
            thumbnail: None,
        };
        let _turn = state.processing_turn().await;
        let limits = state.settings().media_limits;
        match media::create_local(state.db(), state.media(), me.account(), upload, limits).await {
            Ok(medium) => media_ids.push(medium.id),
            Err(error) => {
                return Err((PageError::from_form("Write a post", error), media_ids));
            }
        }
    }
    let in_reply_to_id = match sent.in_reply_to.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => Some(
            id.parse::<i64>()
                .map_err(|_| (PageError::not_found(), media_ids.clone()))?,
        ),
        None => None,
    };
    let poll = poll_of(
        &sent.poll_options,
        &sent.poll_expires_in,
        sent.poll_multiple,
    );
    if !sent.scheduled_at.trim().is_empty() {
        let at = scheduled_time(&sent.scheduled_at, &sent.utc_offset)
            .map_err(|error| (error, media_ids.clone()))?;
        let draft = scheduled::Draft {
            text: sent.text.clone(),
            visibility: visibility.name().to_owned(),
            spoiler_text: sent.spoiler_text.trim().to_owned(),
            language: None,
            in_reply_to_id,
            media_ids: media_ids.clone(),
            poll,
            application_id: None,
            local_only: sent.local_only,
        };
        return match scheduled::schedule(state.db(), me.account(), at, draft, Utc::now()).await {
            Ok(_) => Ok(super::scheduled::PAGE.to_owned()),
            Err(error) => Err((PageError::from_form("Write a post", error), media_ids)),
        };
    }
    let draft = publish::Draft {
        text: sent.text.clone(),
        visibility,
        spoiler_text: sent.spoiler_text.trim().to_owned(),
        sensitive: false,
        language: None,
        in_reply_to_id,
        media_ids: media_ids.clone(),
        poll,
        event: None,
        article: None,
        local_only: sent.local_only,
    };
    match publish::create_post(&state.federation(), me.account(), draft).await {
        Ok(post) => Ok(local_path(sent.return_to.as_deref())
            .filter(|to| *to != "/publish")
            .map_or_else(
                || format!("/@{}/{}", me.account().username, post.id),
                str::to_owned,
            )),
        Err(error) => Err((PageError::from_form("Write a post", error), media_ids)),
    }
}

/// The compose page again, with what was sent and what went wrong.
async fn again(
    state: &AppState,
    me: &SignedIn,
    sent: &Sent,
    kept: Vec<i64>,
    error: PageError,
) -> Response {
    let mut kept_media = Vec::new();
    for id in &kept {
        if let Ok(medium) = media::find_own(state.db(), me.account().id, *id).await {
            kept_media.push((id.to_string(), medium.description.unwrap_or_default()));
        }
    }
    let csrf = me.browser.csrf_token();
    let compose = ComposeForm {
        heading: if sent.in_reply_to.is_some() {
            "Reply"
        } else {
            "Write a post"
        },
        button: if sent.in_reply_to.is_some() {
            "Reply"
        } else {
            "Post"
        },
        text: sent.text.clone(),
        spoiler_text: sent.spoiler_text.clone(),
        visibility: sent.visibility.clone(),
        in_reply_to: sent.in_reply_to.clone(),
        image_slots: MAX_PER_POST.saturating_sub(kept_media.len()),
        kept_media,
        error: Some(error.message().to_owned()),
        poll_options: (0..poll::MAX_OPTIONS)
            .map(|i| sent.poll_options.get(i).cloned().unwrap_or_default())
            .collect(),
        poll_expires_in: sent.poll_expires_in.clone(),
        poll_multiple: sent.poll_multiple,
        scheduled_at: sent.scheduled_at.clone(),
        local_only: sent.local_only,
        ..ComposeForm::new(
            csrf,
            local_path(sent.return_to.as_deref()).unwrap_or(super::HOME),
        )
    };
    let page = ComposePage {
        layout: me.browser.layout(state, Section::Compose),
        compose,
        parent: None,
        actions: None,
    };
    render_again(state, &page, &error)
}

/// `templates/edit.html`
#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    id: i64,
    text: String,
    spoiler_text: String,
    visibility: &'static str,
    error: Option<String>,
    limit: usize,
    spoiler_limit: usize,
}

impl<'a> EditPage<'a> {
    fn new(state: &'a AppState, me: &'a SignedIn, id: i64, text: String, spoiler: String) -> Self {
        Self {
            layout: me.browser.layout(state, Section::Compose),
            csrf: me.browser.csrf_token(),
            id,
            text,
            spoiler_text: spoiler,
            visibility: "",
            error: None,
            limit: MAX_POST_CHARS,
            spoiler_limit: MAX_SPOILER_CHARS,
        }
    }
}

/// `GET /statuses/{id}/edit`: the author's own post, as they typed it.
pub async fn edit_form(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
) -> Response {
    let page = async {
        let post =
            staffroom_domain::posts::post::own_source(state.db(), me.account().id, id).await?;
        let mut page = EditPage::new(
            &state,
            &me,
            id,
            post.source.clone().unwrap_or_default(),
            post.spoiler_text.clone(),
        );
        page.visibility = visibility_label(post.visibility.name());
        Ok::<_, PageError>(render(&page)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    authenticity_token: Option<String>,
    status: Option<String>,
    spoiler_text: Option<String>,
}

/// `POST /statuses/{id}/edit`: the new version, told to whoever had the old one.
pub async fn edit(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<EditForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let text = form.status.unwrap_or_default();
    let spoiler = form.spoiler_text.unwrap_or_default();
    let revision = Revision {
        text: text.clone(),
        spoiler_text: Some(spoiler.trim().to_owned()),
        sensitive: None,
        language: None,
    };
    let response = match publish::edit_post(&state.federation(), me.account(), id, revision).await {
        Ok(post) => see_other(&format!("/@{}/{}", me.account().username, post.id)),
        Err(error) => {
            let error = PageError::from_form("Edit the post", error);
            let mut page = EditPage::new(&state, &me, id, text, spoiler);
            page.error = Some(error.message().to_owned());
            render_again(&state, &page, &error)
        }
    };
    me.respond(response)
}

/// `templates/delete.html`
#[derive(Template)]
#[template(path = "delete.html")]
struct DeletePage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    post: PostView,
    actions: Option<super::Actions<'a>>,
}

/// `GET /statuses/{id}/delete`: asks before deleting.
pub async fn delete_form(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
) -> Response {
    let page = async {
        let post =
            staffroom_domain::posts::post::own_source(state.db(), me.account().id, id).await?;
        let post = PostView::load_one(&state, post, Some(me.account())).await?;
        let page = DeletePage {
            layout: me.browser.layout(&state, Section::Compose),
            csrf: me.browser.csrf_token(),
            post,
            actions: None,
        };
        Ok::<_, PageError>(render(&page)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    authenticity_token: Option<String>,
}

/// `POST /statuses/{id}/delete`: the post deleted here and on other servers.
pub async fn delete(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<DeleteForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response = match publish::delete_post(&state.federation(), me.account(), id).await {
        Ok(_) => see_other(&format!("/@{}", me.account().username)),
        Err(error) => PageError::from(error).page(&state),
    };
    me.respond(response)
}
