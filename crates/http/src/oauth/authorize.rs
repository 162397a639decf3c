//! `/oauth/authorize`: the browser half of the authorization-code flow. The request
//! is checked (the app, its redirect URI, the scopes, PKCE); someone not signed in
//! gets the sign-in form first; then a consent page names the app and what it asks
//! for, and approving it sends the browser back to the app with a single-use code
//! (or shows the code, for apps registered with the out-of-band URI).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderValue;
use axum::response::Response;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::access::authorization_code::{self, Approval, Challenge, ChallengeMethod};
use staffroom_domain::access::oauth::{self, App, Scopes};
use staffroom_domain::access::user::User;

use crate::AppState;
use crate::browser::Browser;
use crate::error::{PageError, PageResult, found};
use crate::pages::{Layout, render, sign_in};

/// The redirect URI of apps that cannot receive a redirect: the code is shown instead.
pub const OOB_URI: &str = "urn:ietf:wg:oauth:2.0:oob";
/// The most characters of the `state` an app may send (it comes back unchanged).
const MAX_STATE_CHARS: usize = 2000;

/// The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3), in
/// the query of `GET` and repeated in the consent form's `POST`. Mastodon's `lang`
/// is accepted and passed over: the pages are in English only for now.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuthorizeParams {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    force_login: Option<String>,
}

impl AuthorizeParams {
    /// The parameters that make the request, by name (not `force_login` or `lang`).
    fn request_pairs(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("response_type", &self.response_type),
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect_uri),
            ("scope", &self.scope),
            ("state", &self.state),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| (name, v)))
    }

    fn force_login(&self) -> bool {
        matches!(
            self.force_login.as_deref(),
            Some("true" | "1" | "yes" | "on")
        )
    }

    /// This request's path without `force_login`: where signing in leads back to.
    fn path(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.request_pairs() {
            query.append_pair(name, value);
        }
        format!("/oauth/authorize?{}", query.finish())
    }
}

/// `templates/authorize.html`: who asks, for what, for whom; Authorize or Deny.
#[derive(Template)]
#[template(path = "authorize.html")]
struct ConsentPage<'a> {
    layout: Layout<'a>,
    app: &'a str,
    website: Option<&'a str>,
    username: &'a str,
    scopes: Vec<ScopeShown<'a>>,
    /// Whether the app is shown the code rather than sent to `redirect_uri`.
    out_of_band: bool,
    redirect_uri: &'a str,
    csrf: &'a str,
    /// The request, repeated in the form's hidden fields.
    request: Vec<(&'static str, &'a str)>,
    /// The same request with `force_login`, to sign in as someone else.
    switch_account: String,
}

/// A scope the app asks for, and what it lets the app do.
struct ScopeShown<'a> {
    name: &'a str,
    description: String,
}

/// `templates/authorization_code.html`: the code of an out-of-band app.
#[derive(Template)]
#[template(path = "authorization_code.html")]
struct CodePage<'a> {
    layout: Layout<'a>,
    app: &'a str,
    code: &'a str,
}

/// A request that passed every check.
struct Checked {
    app: App,
    redirect_uri: String,
    scopes: Scopes,
    state: Option<String>,
    challenge: Option<Challenge>,
}

/// Why a request cannot go on.
enum Refusal {
    /// The app or its redirect URI is wrong: the browser must not be sent anywhere.
    Page(&'static str),
    /// Anything else goes back to the app (RFC 6749 §4.1.2.1).
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
    Failed(staffroom_domain::Error),
}

/// Checks the request: the app first, then its redirect URI (both answered with a
/// page), then the rest (answered by sending the browser back with an error).
async fn check(state: &AppState, params: &AuthorizeParams) -> Result<Checked, Refusal> {
    let client_id = params.client_id.as_deref().ok_or(Refusal::Page(
        "The request names no app (client_id is missing).",
    ))?;
    let app = match oauth::find_app_by_client_id(state.db(), client_id).await {
        Ok(app) => app,
        Err(staffroom_domain::Error::NotFound(_)) => {
            return Err(Refusal::Page(
                "The app that sent you here is not registered on this instance (unknown client_id).",
            ));
        }
        Err(e) => return Err(Refusal::Failed(e)),
    };
    let redirect_uri = match params.redirect_uri.as_deref() {
        Some(uri) if app.redirect_uris.iter().any(|r| r == uri) => uri.to_owned(),
        Some(_) => {
            return Err(Refusal::Page(
                "The app asked to send you back to an address it did not register (redirect_uri).",
            ));
        }
        None if app.redirect_uris.len() == 1 => app.redirect_uris[0].clone(),
        None => {
            return Err(Refusal::Page(
                "The app registered several redirect URIs and did not say which to use.",
            ));
        }
    };
    let state_param = params.state.clone();
    let refuse = |error: &'static str, description: String| Refusal::Redirect {
        redirect_uri: redirect_uri.clone(),
        error,
        description,
        state: state_param.clone(),
    };
    if params
        .state
        .as_ref()
        .is_some_and(|s| s.chars().count() > MAX_STATE_CHARS)
    {
        return Err(refuse(
            "invalid_request",
            format!("The state is too long: at most {MAX_STATE_CHARS} characters."),
        ));
    }
    match params.response_type.as_deref() {
        Some("code") => {}
        Some(_) => {
            return Err(refuse(
                "unsupported_response_type",
                "Only the response type 'code' is supported.".into(),
            ));
        }
        None => {
            return Err(refuse(
                "invalid_request",
                "response_type is required.".into(),
            ));
        }
    }
    let scopes = match params.scope.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => Scopes::parse(text).map_err(|e| refuse("invalid_scope", e.to_string()))?,
        None => app.scopes.clone(),
    };
    if !app.scopes.covers(&scopes) {
        return Err(refuse(
            "invalid_scope",
            "The requested scope is not one the app registered for.".into(),
        ));
    }
    let challenge = match (
        params.code_challenge.as_deref(),
        params.code_challenge_method.as_deref(),
    ) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge_method was given without a code_challenge.".into(),
            ));
        }
        (Some(value), method) => {
            // RFC 7636 §4.3: without a method, the challenge is plain.
            let method =
                ChallengeMethod::from_name(method.unwrap_or("plain")).ok_or_else(|| {
                    refuse(
                        "invalid_request",
                        "code_challenge_method must be S256 or plain.".into(),
                    )
                })?;
            Some(
                Challenge::new(value, method)
                    .map_err(|e| refuse("invalid_request", e.to_string()))?,
            )
        }
    };
    Ok(Checked {
        app,
        redirect_uri,
        scopes,
        state: params.state.clone(),
        challenge,
    })
}

/// `redirect_uri` with `pairs` added to its query (a query it has already stays).
fn redirect_back(state: &AppState, redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return PageError::bad_request(
            "Cannot go back to the app",
            "The app's redirect URI cannot be read.",
        )
        .page(state);
    };
    {
        let mut query = url.query_pairs_mut();
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
    }
    match HeaderValue::from_str(url.as_str()) {
        Ok(location) => found(location),
        Err(_) => PageError::bad_request(
            "Cannot go back to the app",
            "The app's redirect URI cannot be used.",
        )
        .page(state),
    }
}

/// The answer to a refused request.
fn refused(state: &AppState, refusal: Refusal) -> Response {
    match refusal {
        Refusal::Page(message) => {
            PageError::bad_request("This app's request cannot be answered", message).page(state)
        }
        Refusal::Redirect {
            redirect_uri,
            error,
            description,
            ..
        } if redirect_uri == OOB_URI => PageError::bad_request(
            "This app's request cannot be answered",
            format!("{description} ({error})"),
        )
        .page(state),
        Refusal::Redirect {
            redirect_uri,
            error,
            description,
            state: app_state,
        } => {
            let mut pairs = vec![
                ("error", error),
                ("error_description", description.as_str()),
            ];
            if let Some(app_state) = app_state.as_deref() {
                pairs.push(("state", app_state));
            }
            redirect_back(state, &redirect_uri, &pairs)
        }
        Refusal::Failed(e) => PageError::from(e).page(state),
    }
}

/// What a scope lets an app do, in words.
fn describe(scope: &str) -> String {
    match scope {
        "read" => "read all of your account's data".into(),
        "write" => "change all of your account's data: post, follow, favourite and more".into(),
        "follow" => "follow, block and mute accounts for you".into(),
        "push" => "receive your notifications as push messages".into(),
        "profile" => "see who you are (your profile only)".into(),
        "admin:read" => "read the whole instance's data (for administrators)".into(),
        "admin:write" => "change the whole instance's data (for administrators)".into(),
        "admin:read:accounts" => "read accounts as the moderators see them".into(),
        "admin:write:accounts" => "silence, disable and suspend accounts".into(),
        "admin:read:reports" => "read the reports made to the moderators".into(),
        "admin:write:reports" => "resolve the reports made to the moderators".into(),
        other => match other.split_once(':') {
            Some(("read", what)) => format!("read your {what}"),
            Some(("write", what)) => format!("change your {what}"),
            _ => other.to_owned(),
        },
    }
}

/// The consent page: who asks, for what, for whom; Authorize or Deny.
fn consent_page(
    state: &AppState,
    browser: Browser,
    params: &AuthorizeParams,
    request: &Checked,
    user: &User,
) -> PageResult<Response> {
    let page = ConsentPage {
        layout: Layout::new(state),
        app: &request.app.name,
        website: request.app.website.as_deref(),
        username: &user.account.username,
        scopes: request
            .scopes
            .iter()
            .map(|scope| ScopeShown {
                name: scope,
                description: describe(scope),
            })
            .collect(),
        out_of_band: request.redirect_uri == OOB_URI,
        redirect_uri: &request.redirect_uri,
        csrf: browser.csrf_token(),
        request: params.request_pairs().collect(),
        switch_account: format!("{}&force_login=true", params.path()),
    };
    let html = render(&page)?;
    Ok(browser.respond(html))
}

/// `GET /oauth/authorize`: the sign-in form when nobody is signed in (or the app
/// asks with `force_login`), the consent page otherwise.
pub async fn show(
    State(state): State<AppState>,
    browser: Browser,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    let request = match check(&state, &params).await {
        Ok(request) => request,
        Err(refusal) => return refused(&state, refusal),
    };
    let page = match browser.user.clone() {
        Some(user) if !params.force_login() => {
            consent_page(&state, browser, &params, &request, &user)
        }
        _ => sign_in::page(&state, browser, Some(&params.path()), "", None),
    };
    page.unwrap_or_else(|error| error.page(&state))
}

/// The consent form as sent.
#[derive(Debug, Deserialize)]
pub struct ConsentForm {
    #[serde(flatten)]
    params: AuthorizeParams,
    decision: Option<String>,
    authenticity_token: Option<String>,
}

/// `POST /oauth/authorize`: the answer of the consent page. Approving issues a code
/// and sends the browser back to the app with it (or shows it, out of band);
/// denying sends it back with `error=access_denied`.
pub async fn decide(
    State(state): State<AppState>,
    browser: Browser,
    Form(form): Form<ConsentForm>,
) -> Response {
    if let Some(refused) = browser.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let params = &form.params;
    let request = match check(&state, params).await {
        Ok(request) => request,
        Err(refusal) => return refused(&state, refusal),
    };
    let Some(user) = browser.user.clone() else {
        let error = PageError::unauthorized("Sign in", "Please sign in again.");
        return sign_in::page(&state, browser, Some(&params.path()), "", Some(error))
            .unwrap_or_else(|error| error.page(&state));
    };
    if form.decision.as_deref() != Some("approve") {
        return refused(
            &state,
            Refusal::Redirect {
                redirect_uri: request.redirect_uri,
                error: "access_denied",
                description: "The person using the app denied the request.".into(),
                state: request.state,
            },
        );
    }
    let approval = Approval {
        app_id: request.app.id,
        account_id: user.account.id,
        redirect_uri: request.redirect_uri.clone(),
        scopes: request.scopes,
        challenge: request.challenge,
    };
    let code = match authorization_code::issue(state.db(), approval, Utc::now()).await {
        Ok(code) => code,
        Err(e) => return PageError::from(e).page(&state),
    };
    if request.redirect_uri == OOB_URI {
        let page = CodePage {
            layout: Layout::new(&state),
            app: &request.app.name,
            code: &code,
        };
        return match render(&page) {
            Ok(html) => browser.respond(html),
            Err(error) => error.page(&state),
        };
    }
    let mut pairs = vec![("code", code.as_str())];
    if let Some(app_state) = request.state.as_deref() {
        pairs.push(("state", app_state));
    }
    browser.respond(redirect_back(&state, &request.redirect_uri, &pairs))
}
