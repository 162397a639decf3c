//! `/api/v1/instance` and what apps read beside it: the servers it knows
//! (`peers`), its weekly activity, its rules, its longer description, its
//! privacy policy and the servers it blocks.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Serialize;
use staffroom_domain::html;
use staffroom_domain::moderation::domain_policy::{self, Policy};
use staffroom_domain::stats;

use crate::AppState;
use crate::entities::instance::{self, InstanceV1, Rule};
use crate::entities::timestamp;
use crate::error::ApiResult;

/// How many weeks `activity` gives (as Mastodon).
const ACTIVITY_WEEKS: u32 = 12;

/// `GET /api/v1/instance`
pub async fn show(State(state): State<AppState>) -> ApiResult<Json<InstanceV1>> {
    let (stats, contact) = super::super::instance_facts(&state).await?;
    Ok(Json(instance::v1(state.settings(), &stats, contact)))
}

/// `GET /api/v1/instance/peers`: the servers this one knows accounts of.
pub async fn peers(State(state): State<AppState>) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(stats::peers(state.db()).await?))
}

/// One week of `GET /api/v1/instance/activity`; numbers as strings, as Mastodon
/// writes them.
#[derive(Debug, Serialize)]
pub struct Activity {
    /// The week's Monday at midnight UTC, in seconds since 1970.
    week: String,
    statuses: String,
    logins: String,
    registrations: String,
}

/// `GET /api/v1/instance/activity`: the last twelve weeks, this one first.
pub async fn activity(State(state): State<AppState>) -> ApiResult<Json<Vec<Activity>>> {
    let weeks = stats::weekly_activity(state.db(), Utc::now(), ACTIVITY_WEEKS).await?;
    Ok(Json(
        weeks
            .into_iter()
            .map(|week| Activity {
                week: week.starts.timestamp().to_string(),
                statuses: week.statuses.to_string(),
                logins: week.logins.to_string(),
                registrations: week.registrations.to_string(),
            })
            .collect(),
    ))
}

/// `GET /api/v1/instance/rules`
pub async fn rules(State(state): State<AppState>) -> Json<Vec<Rule>> {
    Json(Rule::all(&state.settings().rules))
}

/// A text of the instance, as HTML, with when it last changed.
#[derive(Debug, Serialize)]
pub struct Text {
    updated_at: String,
    content: String,
}

/// When the instance's texts last changed: they come from its configuration,
/// read when it started.
fn texts_updated(state: &AppState) -> String {
    timestamp(state.started_at())
}

/// `GET /api/v1/instance/extended_description`: the description, as HTML.
pub async fn extended_description(State(state): State<AppState>) -> Json<Text> {
    Json(Text {
        updated_at: texts_updated(&state),
        content: html::paragraphs(&state.settings().description),
    })
}

/// `GET /api/v1/instance/privacy_policy`: the administrators' own, or the
/// built-in one.
pub async fn privacy_policy(State(state): State<AppState>) -> Json<Text> {
    let settings = state.settings();
    let written = if settings.privacy_policy.trim().is_empty() {
        built_in_privacy_policy(&settings.title)
    } else {
        settings.privacy_policy.clone()
    };
    Json(Text {
        updated_at: texts_updated(&state),
        content: html::paragraphs(&written),
    })
}

/// What an instance whose administrators wrote no policy of their own says.
pub fn built_in_privacy_policy(title: &str) -> String {
    format!(
        "{title} keeps what it needs to run your account: your email address, your \
password (only as an Argon2 hash), your profile, your posts, follows, favourites, \
bookmarks, lists and uploads, the addresses and browsers you signed in from, and \
the apps you authorised.

Your posts go to the people and servers they are addressed to: public posts to \
anyone, followers-only posts to your followers and their servers, direct posts to \
the people mentioned, posts in a closed group to its members. Other servers keep \
copies under their own policies; when you delete a post or your account, they are \
asked to delete theirs.

Nothing is sold or shown to advertisers. Mail is sent only about your account.

You can download an archive of your data and export your follows, blocks, mutes, \
lists and bookmarks in Settings, move to another server with your followers, and \
delete your account, which removes your posts, uploads and follows here and asks \
other servers to do the same.

Ask the administrators of {title} about anything else this policy does not answer."
    )
}

/// One blocked server in `GET /api/v1/instance/domain_blocks`.
#[derive(Debug, Serialize)]
pub struct DomainBlock {
    domain: String,
    digest: String,
    severity: &'static str,
    /// The moderators' reason is their own note, not published.
    comment: Option<String>,
}

/// `GET /api/v1/instance/domain_blocks`: the servers this one refuses.
pub async fn domain_blocks(State(state): State<AppState>) -> ApiResult<Json<Vec<DomainBlock>>> {
    let rules = domain_policy::list(state.db()).await?;
    Ok(Json(
        rules
            .into_iter()
            .filter(|rule| rule.policy == Policy::Block)
            .map(|rule| DomainBlock {
                digest: domain_policy::digest(&rule.domain),
                domain: rule.domain,
                severity: "suspend",
                comment: None,
            })
            .collect(),
    ))
}
