//! `/settings/two_factor`: the signed-in person turns two-factor sign-in on (a fresh
//! secret shown as a QR code and as text, on only once they typed a right code from
//! their app; then ten recovery codes, shown this once) or off (with their password
//! and a code). A notice goes to their address either way.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::Utc;
use serde::Deserialize;
use staffroom_domain::Error;
use staffroom_domain::access::credentials::MAX_PASSWORD_CHARS;
use staffroom_domain::access::two_factor::{self, Setup};
use staffroom_domain::access::user::User;

use super::layout::Section;
use super::session::{SignedIn, TWO_FACTOR_SETTINGS, must_set_up_two_factor};
use super::{render, render_again, see_other};
use crate::AppState;
use crate::error::PageError;
use crate::mail::{self, Instance};

/// The path that turns two-factor sign-in off.
pub const DISABLE_TWO_FACTOR: &str = "/settings/two_factor/disable";

/// A secret on offer, as the page shows it.
struct Offer {
    secret: String,
    /// The QR code of the `otpauth://` address, as an SVG data URL.
    qr: String,
}

/// `templates/settings_two_factor.html`
#[derive(Template)]
#[template(path = "settings_two_factor.html")]
struct TwoFactorPage<'a> {
    layout: super::Layout<'a>,
    csrf: &'a str,
    /// Whether two-factor sign-in is on.
    enabled: bool,
    /// The set-up form's secret, while it is off.
    offer: Option<Offer>,
    /// The recovery codes just made (shown once).
    recovery_codes: Vec<String>,
    codes_left: u64,
    /// Whether the instance requires it of this person before anything else.
    required: bool,
    /// Whether it was just turned off.
    turned_off: bool,
    error: Option<String>,
    max_password: usize,
}

/// The QR code of `text` as an SVG data URL (no HTML is made here: the page shows
/// it as an image).
fn qr_data_url(text: &str) -> Result<String, PageError> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| Error::Internal(format!("the QR code could not be made: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

fn offer(state: &AppState, user: &User, secret: Option<&str>) -> Result<Offer, PageError> {
    let issuer = &state.settings().title;
    let setup: Setup = match secret {
        Some(secret) => two_factor::setup_of(secret, issuer, user)?,
        None => two_factor::new_setup(issuer, user)?,
    };
    Ok(Offer {
        qr: qr_data_url(&setup.url)?,
        secret: setup.secret,
    })
}

impl<'a> TwoFactorPage<'a> {
    async fn of(state: &'a AppState, me: &'a SignedIn) -> Result<Self, PageError> {
        let user = &me.user;
        let (offer, codes_left) = if user.two_factor {
            let left = two_factor::recovery_codes_left(state.db(), user.account.id).await?;
            (None, left)
        } else {
            (Some(offer(state, user, None)?), 0)
        };
        Ok(Self {
            layout: me.browser.layout(state, Section::Settings),
            csrf: me.browser.csrf_token(),
            enabled: user.two_factor,
            offer,
            recovery_codes: Vec::new(),
            codes_left,
            required: must_set_up_two_factor(state, user),
            turned_off: false,
            error: None,
            max_password: MAX_PASSWORD_CHARS,
        })
    }
}

fn answer(state: &AppState, page: Result<TwoFactorPage<'_>, PageError>) -> Response {
    match page.and_then(|page| render(&page)) {
        Ok(html) => html.into_response(),
        Err(error) => error.page(state),
    }
}

/// `GET /settings/two_factor[?off]`
pub async fn show(State(state): State<AppState>, me: SignedIn, uri: axum::http::Uri) -> Response {
    let page = TwoFactorPage::of(&state, &me).await.map(|mut page| {
        page.turned_off = uri.query() == Some("off");
        page
    });
    let response = answer(&state, page);
    me.respond(response)
}

#[derive(Debug, Deserialize)]
pub struct EnableForm {
    secret: Option<String>,
    code: Option<String>,
    authenticity_token: Option<String>,
}

/// `POST /settings/two_factor`: turns it on if the code is right for the secret
/// offered, and shows the recovery codes.
pub async fn enable(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<EnableForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let secret = form.secret.unwrap_or_default();
    let code = form.code.unwrap_or_default();
    let db = state.db();
    let now = Utc::now();
    let response = match two_factor::enable(db, me.account().id, &secret, &code, now).await {
        Ok(codes) => {
            let mut user = me.user.clone();
            user.two_factor = true;
            if state.settings().sends_mail
                && let Err(e) = mail::queue(
                    db,
                    mail::two_factor_changed(Instance::of(&state), &user, true),
                    now,
                )
                .await
            {
                tracing::error!(error = %e, "a two-factor notice could not be queued");
            }
            let page = TwoFactorPage {
                layout: me.browser.layout(&state, Section::Settings),
                csrf: me.browser.csrf_token(),
                enabled: true,
                offer: None,
                codes_left: codes.len() as u64,
                recovery_codes: codes,
                required: false,
                turned_off: false,
                error: None,
                max_password: MAX_PASSWORD_CHARS,
            };
            answer(&state, Ok(page))
        }
        Err(Error::Conflict(_)) => see_other(TWO_FACTOR_SETTINGS),
        Err(Error::Invalid { field, .. }) => {
            let error = PageError::invalid(
                "Two-factor sign-in",
                "The code is not right: type the six digits your app shows now.",
            );
            let again = if field == "secret" {
                None
            } else {
                Some(secret.as_str())
            };
            match (
                TwoFactorPage::of(&state, &me).await,
                offer(&state, &me.user, again),
            ) {
                (Ok(mut page), Ok(offer)) => {
                    page.offer = Some(offer);
                    page.error = Some(error.message().to_owned());
                    render_again(&state, &page, &error)
                }
                (Err(failure), _) | (_, Err(failure)) => failure.page(&state),
            }
        }
        Err(e) => PageError::from(e).page(&state),
    };
    me.respond(response)
}

#[derive(Debug, Deserialize)]
pub struct DisableForm {
    password: Option<String>,
    code: Option<String>,
    authenticity_token: Option<String>,
}

/// `POST /settings/two_factor/disable`: turns it off, given the password and a
/// code.
pub async fn disable(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<DisableForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let password = form.password.unwrap_or_default();
    let code = form.code.unwrap_or_default();
    let db = state.db();
    let now = Utc::now();
    let outcome = if password.chars().count() > MAX_PASSWORD_CHARS || code.chars().count() > 32 {
        Err(Error::Invalid {
            field: "password",
            reason: "is too long".into(),
        })
    } else {
        two_factor::disable(db, &me.user, &password, &code, now).await
    };
    let response = match outcome {
        Ok(()) => {
            let mut user = me.user.clone();
            user.two_factor = false;
            if state.settings().sends_mail
                && let Err(e) = mail::queue(
                    db,
                    mail::two_factor_changed(Instance::of(&state), &user, false),
                    now,
                )
                .await
            {
                tracing::error!(error = %e, "a two-factor notice could not be queued");
            }
            see_other(&format!("{TWO_FACTOR_SETTINGS}?off"))
        }
        Err(Error::Invalid { field, .. }) => {
            let message = if field == "password" {
                "The password is not right."
            } else {
                "The code is not right: type the code your app shows now, or a recovery code."
            };
            let error = PageError::invalid("Two-factor sign-in", message);
            match TwoFactorPage::of(&state, &me).await {
                Ok(mut page) => {
                    page.error = Some(error.message().to_owned());
                    render_again(&state, &page, &error)
                }
                Err(failure) => failure.page(&state),
            }
        }
        Err(e) => PageError::from(e).page(&state),
    };
    me.respond(response)
}

#[derive(Debug, Deserialize)]
pub struct RecoveryCodesForm {
    proof: Option<String>,
    authenticity_token: Option<String>,
}

/// `POST /settings/two_factor/recovery_codes`: ten new recovery codes, shown
/// once, the old ones no longer working; given the password or a current code.
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<RecoveryCodesForm>,
) -> Response {
    if let Some(refused) = me.csrf_refusal(&state, form.authenticity_token.as_deref()) {
        return refused;
    }
    let proof = form.proof.unwrap_or_default();
    let outcome = if proof.chars().count() > MAX_PASSWORD_CHARS {
        Err(Error::Invalid {
            field: "proof",
            reason: "is too long".into(),
        })
    } else {
        two_factor::regenerate_recovery_codes(state.db(), &me.user, &proof, Utc::now()).await
    };
    let response = match outcome {
        Ok(codes) => match TwoFactorPage::of(&state, &me).await {
            Ok(mut page) => {
                page.recovery_codes = codes;
                render(&page)
                    .map(IntoResponse::into_response)
                    .unwrap_or_else(|error| error.page(&state))
            }
            Err(failure) => failure.page(&state),
        },
        Err(Error::Invalid { .. }) => {
            let error = PageError::invalid(
                "Two-factor sign-in",
                "Type your password, or the code your app shows now.",
            );
            match TwoFactorPage::of(&state, &me).await {
                Ok(mut page) => {
                    page.error = Some(error.message().to_owned());
                    render_again(&state, &page, &error)
                }
                Err(failure) => failure.page(&state),
            }
        }
        Err(e) => PageError::from(e).page(&state),
    };
    me.respond(response)
}
