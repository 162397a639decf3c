//! The buttons under a post on the web app: boost, favourite and bookmark, and the
//! undo of each, and the vote form of a poll. Each is a small form (`templates/partials/post.html`) that comes
//! back to the page it was on, at the post; `/statuses/{id}` leads to a post's page.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::posts::bookmark;
use staffroom_domain::posts::post::{Post, Visibility};
use staffroom_domain::visibility::post::{Viewer, find_visible};
use staffroom_federation::{interactions, polls};

use super::session::SignedIn;
use super::{local_path, see_other};
use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult};
use crate::form::FormOrJson;
use crate::path_id::PagePathId;

/// What a post's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Boost,
    Unboost,
    Favourite,
    Unfavourite,
    Bookmark,
    Unbookmark,
}

/// What a button's form sends.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    authenticity_token: Option<String>,
    return_to: Option<String>,
}

/// The post `id` as `viewer` may see it (a boost stands for the boosted post).
async fn visible(state: &AppState, viewer: Viewer, id: i64) -> PageResult<Post> {
    let found = find_visible(state.db(), id, viewer).await?;
    match found.reblog_of_id {
        Some(original) => Ok(find_visible(state.db(), original, viewer).await?),
        None => Ok(found),
    }
}

async fn act(state: AppState, me: SignedIn, id: i64, form: ActionForm, action: Action) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let account = me.account();
        let target = visible(&state, Viewer::Account(account.id), id).await?;
        let federation = state.federation();
        match action {
            Action::Boost => {
                interactions::reblog(&federation, account, &target, Visibility::Public).await?;
            }
            Action::Unboost => interactions::unreblog(&federation, account, &target).await?,
            Action::Favourite => interactions::favourite(&federation, account, &target).await?,
            Action::Unfavourite => interactions::unfavourite(&federation, account, &target).await?,
            Action::Bookmark => {
                bookmark::add(state.db(), account.id, target.id, Utc::now()).await?
            }
            Action::Unbookmark => bookmark::remove(state.db(), account.id, target.id).await?,
        }
        Ok::<_, PageError>(target)
    }
    .await;
    let response = match done {
        Ok(target) => {
            let back = local_path(form.return_to.as_deref()).unwrap_or(super::HOME);
            see_other(&format!("{back}#post-{}", target.id))
        }
        Err(error) => error.page(&state),
    };
    me.respond(response)
}

macro_rules! action_handler {
    ($(#[$doc:meta])* $name:ident, $action:expr) => {
        $(#[$doc])*
        pub async fn $name(
            State(state): State<AppState>,
            me: SignedIn,
            PagePathId(id): PagePathId,
            Form(form): Form<ActionForm>,
        ) -> Response {
            act(state, me, id, form, $action).await
        }
    };
}

action_handler!(
    /// `POST /statuses/{id}/reblog`
    boost,
    Action::Boost
);
action_handler!(
    /// `POST /statuses/{id}/unreblog`
    unboost,
    Action::Unboost
);
action_handler!(
    /// `POST /statuses/{id}/favourite`
    favourite,
    Action::Favourite
);
action_handler!(
    /// `POST /statuses/{id}/unfavourite`
    unfavourite,
    Action::Unfavourite
);
action_handler!(
    /// `POST /statuses/{id}/bookmark`
    bookmark,
    Action::Bookmark
);
action_handler!(
    /// `POST /statuses/{id}/unbookmark`
    unbookmark,
    Action::Unbookmark
);

/// What a poll's vote form sends.
#[derive(Debug, Deserialize)]
pub struct VoteForm {
    authenticity_token: Option<String>,
    return_to: Option<String>,
    #[serde(default, rename = "choices[]")]
    choices: Vec<String>,
}

/// `POST /statuses/{id}/vote`: the reader votes in the post's poll, then back to
/// the page, at the post.
pub async fn vote(
    State(state): State<AppState>,
    me: SignedIn,
    PagePathId(id): PagePathId,
    FormOrJson(form): FormOrJson<VoteForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let choices: Vec<i64> = form
        .choices
        .iter()
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let response = match polls::vote(&state.federation(), me.account(), id, &choices).await {
        Ok(_) => {
            let back = local_path(form.return_to.as_deref()).unwrap_or(super::HOME);
            see_other(&format!("{back}#post-{id}"))
        }
        Err(error) => PageError::from(error).page(&state),
    };
    me.respond(response)
}

/// `GET /statuses/{id}`: to the post's page, for whoever may see it.
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    PagePathId(id): PagePathId,
) -> Response {
    let viewer = match &browser.user {
        Some(user) => Viewer::Account(user.account.id),
        None => Viewer::Anonymous,
    };
    let found = async {
        let post = find_visible(state.db(), id, viewer).await?;
        let author = staffroom_domain::accounts::account::get(state.db(), post.account_id).await?;
        Ok::<_, PageError>(format!("/@{}/{}", author.acct(), post.id))
    }
    .await;
    let response = match found {
        Ok(page) => see_other(&page),
        Err(error) => error.page(&state),
    };
    browser.respond(response)
}
