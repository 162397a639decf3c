//! `/notifications`: what others did that concerns the signed-in person (follows,
//! follow requests, favourites, boosts, mentions, new posts of people they asked
//! to hear of, edits of posts they boosted, reports for moderators), newest first,
//! with the follow requests waiting for an answer on top: theirs, and those to
//! join the groups they moderate. `/follow_requests/{id}/authorize` and `reject`
//! answer one.

use askama::Template;
use axum::Form;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::accounts::account;
use staffroom_domain::communities::group;
use staffroom_domain::graph::follow;
use staffroom_domain::notifications::notification::{self, Filter, Kind};
use staffroom_domain::page::Page;
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::groups;

use super::layout::Section;
use super::post_view::{Author, PostView};
use super::session::SignedIn;
use super::timeline::PageQuery;
use super::{Actions, Layout, render, see_other};
use crate::AppState;
use crate::entities::status::{account_entities, account_entity};
use crate::error::{PageError, PageResult};
use crate::path_id::PagePathId;

/// Follow requests shown on the page at most (the rest after these are answered).
const REQUESTS_SHOWN: u64 = 40;

/// One notification as the page shows it.
struct Shown {
    id: i64,
    from: Author,
    /// What they did, after their name: "favourited your post".
    what: &'static str,
    post: Option<PostView>,
}

/// `templates/notifications.html`
#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage<'a> {
    layout: Layout<'a>,
    csrf: &'a str,
    mentions_only: bool,
    requests: Vec<Author>,
    /// The requests' account ids, beside `requests`.
    request_ids: Vec<i64>,
    notifications: Vec<Shown>,
    older: Option<String>,
    actions: Option<Actions<'a>>,
}

#[derive(Debug, Deserialize)]
pub struct NotificationsQuery {
    only: Option<String>,
    #[serde(flatten)]
    page: PageQuery,
}

fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Follow => "followed you",
        Kind::FollowRequest => "asked to follow you",
        Kind::Favourite => "favourited your post",
        Kind::Reblog => "boosted your post",
        Kind::Mention => "mentioned you",
        Kind::Status => "posted",
        Kind::Update => "edited a post you boosted",
        Kind::AdminReport => "made a report",
        Kind::AdminSignUp => "signed up",
        Kind::Poll => "ran a poll that has ended",
        Kind::EventReminder => "organises an event you are going to, starting within a day",
        Kind::EventRequest => "asks to go to your event",
        Kind::EventAccepted => "accepted you at their event",
        Kind::EventRejected => "declined you at their event",
    }
}

/// `GET /notifications[?only=mentions]`
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<NotificationsQuery>,
) -> Response {
    let here = uri
        .path_and_query()
        .map_or("/notifications", |p| p.as_str());
    let page = async {
        let db = state.db();
        let account = me.account();
        let mentions_only = query.only.as_deref() == Some("mentions");
        let page = query.page.page()?;
        let filter = Filter {
            kinds: if mentions_only {
                vec![Kind::Mention]
            } else {
                Vec::new()
            },
            ..Filter::default()
        };
        let found = notification::list(db, account.id, &filter, page).await?;
        let older = (found.len() as u64 >= page.limit())
            .then(|| found.last())
            .flatten()
            .map(|last| {
                let only = if mentions_only { "only=mentions&" } else { "" };
                format!("/notifications?{only}max_id={}", last.id)
            });
        let mut notifications = Vec::new();
        for one in &found {
            let Ok(from) = account::get(db, one.from_account_id).await else {
                continue;
            };
            let post = match one.post_id {
                Some(post_id) => match find_visible(db, post_id, Viewer::Account(account.id)).await
                {
                    Ok(post) => Some(PostView::load_one(&state, post, Some(account)).await?),
                    // What it was about is gone, or no longer theirs to see.
                    Err(staffroom_domain::Error::NotFound(_)) => continue,
                    Err(other) => return Err(other.into()),
                },
                None => None,
            };
            notifications.push(Shown {
                id: one.id,
                from: Author::of(&account_entity(db, state.urls(), &from).await?),
                what: what(one.kind),
                post,
            });
        }
        let mut targets = group::moderated_by(db, account.id).await?;
        targets.push(account.id);
        let waiting = Page {
            limit: Some(REQUESTS_SHOWN),
            ..Page::default()
        };
        let request_ids: Vec<i64> = follow::requests_to_any_page(db, &targets, waiting)
            .await?
            .into_iter()
            .map(|(_, follower)| follower)
            .collect();
        let requests = account_entities(db, state.urls(), &request_ids)
            .await?
            .iter()
            .map(Author::of)
            .collect();
        let csrf = me.browser.csrf_token();
        let shown = NotificationsPage {
            layout: me.browser.layout(&state, Section::Notifications),
            csrf,
            mentions_only,
            requests,
            request_ids,
            notifications,
            older,
            actions: Some(Actions { csrf, here }),
        };
        Ok::<_, PageError>(render(&shown)?.into_response())
    }
    .await
    .unwrap_or_else(|error| error.page(&state));
    me.respond(page)
}

#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    authenticity_token: Option<String>,
}

async fn answer(
    state: &AppState,
    me: &SignedIn,
    follower_id: i64,
    accepted: bool,
) -> PageResult<()> {
    let follower = account::get(state.db(), follower_id).await?;
    groups::answer_request_as(&state.federation(), me.account(), &follower, accepted).await?;
    Ok(())
}

/// `POST /follow_requests/{id}/authorize` and `.../reject`, the follower's
/// account id in the path.
async fn answered(
    state: AppState,
    me: SignedIn,
    id: i64,
    form: AnswerForm,
    accepted: bool,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let response = match answer(&state, &me, id, accepted).await {
        Ok(()) => see_other("/notifications"),
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

/// `POST /follow_requests/{id}/authorize`
pub async fn authorize(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<AnswerForm>,
) -> Response {
    answered(state, me, id, form, true).await
}

/// `POST /follow_requests/{id}/reject`
pub async fn reject(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    Form(form): Form<AnswerForm>,
) -> Response {
    answered(state, me, id, form, false).await
}
