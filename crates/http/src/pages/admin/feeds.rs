//! `/admin/feeds` (administrators): the hashtag feeds of other instances this one
//! subscribes to, so that a discussion under a hashtag is whole here, with the
//! form that subscribes to one and the button that ends a subscription. Finding
//! a feed asks its server: when that fails, the form comes back with why.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use staffroom_domain::accounts::account;
use staffroom_domain::communities::hashtag_feed;
use staffroom_domain::moderation::staff::{self, Duty};
use staffroom_federation::hashtag_feeds;

use super::Staffer;
use crate::AppState;
use crate::error::PageError;
use crate::pages::{Layout, render};

/// One subscription as the page lists it.
struct Shown {
    tag: String,
    /// The feed's address, which also names it to the unsubscribe button.
    uri: String,
    accepted: bool,
}

/// `templates/admin/feeds.html`
#[derive(Template)]
#[template(path = "admin/feeds.html")]
struct FeedsPage<'a> {
    layout: Layout<'a>,
    administrator: bool,
    csrf: &'a str,
    feeds: Vec<Shown>,
    /// What was typed in the subscribe form, when it comes back.
    feed: String,
    error: Option<String>,
}

async fn page<'a>(
    state: &'a AppState,
    staffer: &'a Staffer,
    feed: String,
    error: Option<String>,
) -> Result<FeedsPage<'a>, PageError> {
    staff::require(state.db(), staffer.staff(), Duty::Administer).await?;
    let instance = account::instance_actor(state.db()).await?;
    let feeds = hashtag_feed::subscriptions(state.db(), instance.id)
        .await?
        .into_iter()
        .map(|one| Shown {
            tag: hashtag_feed::tag_of(&one.feed),
            uri: one.feed.uri.clone().unwrap_or_else(|| one.feed.acct()),
            accepted: one.accepted,
        })
        .collect();
    Ok(FeedsPage {
        layout: staffer.layout(state),
        administrator: staffer.administrator,
        csrf: staffer.csrf(),
        feeds,
        feed,
        error,
    })
}

/// `GET /admin/feeds`
pub async fn show(State(state): State<AppState>, staffer: Staffer) -> Response {
    let shown = async {
        let shown = page(&state, &staffer, String::new(), None).await?;
        Ok(render(&shown)?.into_response())
    }
    .await;
    staffer.respond(&state, shown)
}

/// What the feed forms send.
#[derive(Debug, Deserialize)]
pub struct FeedForm {
    authenticity_token: Option<String>,
    #[serde(default)]
    feed: String,
}

/// `POST /admin/feeds`: subscribes to a feed (its URL or `name@host`). A feed
/// that cannot be found brings the form back with what was typed and why.
pub async fn subscribe(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<FeedForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        hashtag_feeds::subscribe_for(&state.federation(), by, &form.feed).await?;
        Ok("/admin/feeds".to_owned())
    };
    let again = async |staffer: &Staffer, message| {
        render(&page(&state, staffer, form.feed.clone(), Some(message)).await?)
    };
    let csrf = form.authenticity_token.as_deref();
    staffer
        .answer_form(&state, csrf, "Not subscribed", work, again)
        .await
}

/// `POST /admin/feeds/unsubscribe`
pub async fn unsubscribe(
    State(state): State<AppState>,
    staffer: Staffer,
    Form(form): Form<FeedForm>,
) -> Response {
    let by = staffer.staff();
    let work = async {
        hashtag_feeds::unsubscribe_for(&state.federation(), by, &form.feed).await?;
        Ok("/admin/feeds".to_owned())
    };
    staffer
        .act(&state, form.authenticity_token.as_deref(), work)
        .await
}
