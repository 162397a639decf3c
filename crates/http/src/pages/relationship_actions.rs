//! The buttons of a profile page: follow (or ask to), unfollow (or withdraw the
//! request), block and unblock, mute and unmute. Each is a small form posted to
//! `/@{acct}/{action}` that comes back to the profile.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::graph::mute;
use staffroom_federation::relationships;

use super::profile::find;
use super::see_other;
use super::session::SignedIn;
use crate::AppState;
use crate::error::PageError;

/// What a profile's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Follow,
    Unfollow,
    Block,
    Unblock,
    Mute,
    Unmute,
}

/// What a button's form sends.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    authenticity_token: Option<String>,
}

async fn act(
    state: AppState,
    me: SignedIn,
    acct: String,
    form: ActionForm,
    action: Action,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let done = async {
        let target = find(&state, &me.browser, &acct).await?;
        let account = me.account();
        if target.id == account.id {
            return Err(PageError::forbidden(
                "Not possible",
                "You cannot do that to your own account.",
            ));
        }
        let federation = state.federation();
        match action {
            Action::Follow => {
                relationships::follow(&federation, account, &target, None).await?;
            }
            Action::Unfollow => relationships::unfollow(&federation, account, &target).await?,
            Action::Block => relationships::block(&federation, account, &target).await?,
            Action::Unblock => relationships::unblock(&federation, account, &target).await?,
            Action::Mute => {
                mute::mute(state.db(), account.id, target.id, true, 0, Utc::now()).await?;
            }
            Action::Unmute => {
                mute::unmute(state.db(), account.id, target.id).await?;
            }
        }
        Ok(format!("/@{}", target.acct()))
    }
    .await;
    let response = match done {
        Ok(profile) => see_other(&profile),
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
            Path(acct): Path<String>,
            Form(form): Form<ActionForm>,
        ) -> Response {
            act(state, me, acct, form, $action).await
        }
    };
}

action_handler!(
    /// `POST /@{acct}/follow`
    follow,
    Action::Follow
);
action_handler!(
    /// `POST /@{acct}/unfollow`
    unfollow,
    Action::Unfollow
);
action_handler!(
    /// `POST /@{acct}/block`
    block,
    Action::Block
);
action_handler!(
    /// `POST /@{acct}/unblock`
    unblock,
    Action::Unblock
);
action_handler!(
    /// `POST /@{acct}/mute`
    mute,
    Action::Mute
);
action_handler!(
    /// `POST /@{acct}/unmute`
    unmute,
    Action::Unmute
);
