//! `grant_type=client_credentials`: an app's own token, which speaks for no
//! account (apps use it to register accounts, for one).

use staffroom_domain::access::oauth::{App, Scopes};

use super::{Granted, issue_token};
use crate::AppState;

/// A token of `app` itself, with `scopes`.
pub(super) async fn grant(state: &AppState, app: &App, scopes: Scopes) -> Granted {
    issue_token(state, app, None, scopes).await
}
