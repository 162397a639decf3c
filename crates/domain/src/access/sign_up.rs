//! Signing up: someone asks for an account, and the instance's registration mode
//! decides whether they get one, and whether they may use it at once. Every problem
//! with the application is reported at once, field by field, and nothing is stored
//! unless all is well.
//!
//! When new people confirm their address by mail, a sign-up does not tell
//! whether an address is registered: one already in use is not refused but
//! answered as a new one ([`SignedUp::AddressInUse`]), after the same work (a
//! key pair made, the password hashed), and its owner is told by mail instead.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};

use crate::access::invite::{self, Invite};
use crate::access::registration::RegistrationMode;
use crate::access::user::{self, NewUser, Role, User};
use crate::accounts::keys::KeyPair;
use crate::{Error, access::credentials, accounts::account};

/// The most characters of the reason someone gives for joining.
pub const MAX_REASON_CHARS: usize = 1000;
/// The most characters of an invite code worth looking up.
const MAX_INVITE_CODE_CHARS: usize = 64;
/// The most characters of a locale tag.
const MAX_LOCALE_CHARS: usize = 16;

/// What someone sends to sign up.
#[derive(Debug, Clone, Default)]
pub struct Application {
    pub username: String,
    pub email: String,
    pub password: String,
    /// Whether they accepted the instance's rules.
    pub agreement: bool,
    pub locale: Option<String>,
    /// Why they want to join (read by the administrator who approves them).
    pub reason: Option<String>,
    pub invite_code: Option<String>,
}

/// What is wrong with one field of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// It is missing or empty.
    Blank,
    /// It does not have an acceptable form.
    Invalid,
    /// It is too long.
    TooLong,
    /// It is too short.
    TooShort,
    /// Another account has it already.
    Taken,
    /// It is reserved for the instance.
    Reserved,
    /// It must be accepted (the agreement).
    NotAccepted,
}

/// A problem with one field, with a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub problem: Problem,
    pub description: String,
}

/// Why a sign-up was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// The instance takes no sign-ups.
    #[error("registrations are closed")]
    Closed,
    /// Fields have problems; nothing was stored.
    #[error("the application has problems")]
    Invalid(Vec<FieldProblem>),
    /// Something else failed.
    #[error(transparent)]
    Failed(#[from] Error),
}

fn problem(field: &'static str, problem: Problem, description: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        problem,
        description: description.into(),
    }
}

/// A field check's refusal as a field problem.
fn from_check(field: &'static str, err: Error) -> Result<FieldProblem, Refusal> {
    match err {
        Error::Invalid { reason, .. } => {
            let kind = if reason.starts_with("must not be empty") {
                Problem::Blank
            } else if reason.starts_with("is too long") {
                Problem::TooLong
            } else if reason.starts_with("is too short") {
                Problem::TooShort
            } else if reason.starts_with("is reserved") {
                Problem::Reserved
            } else {
                Problem::Invalid
            };
            Ok(problem(field, kind, reason))
        }
        other => Err(Refusal::Failed(other)),
    }
}

/// What [`check`] found: the problems, the invite the application brings when
/// it brings a usable one, and the user who already has its address when
/// that is not to be told.
struct Checked {
    problems: Vec<FieldProblem>,
    invite: Option<Invite>,
    address_owner: Option<User>,
}

/// Checks every field of `application`. An address already in use is a
/// problem unless `hide_address_in_use`; then its owner is returned instead.
async fn check(
    db: &impl ConnectionTrait,
    mode: RegistrationMode,
    application: &Application,
    hide_address_in_use: bool,
    now: DateTime<Utc>,
) -> Result<Checked, Refusal> {
    let mut problems = Vec::new();
    let mut address_owner = None;
    let Application {
        username,
        email,
        password,
        ..
    } = application;
    if username.trim().is_empty() {
        problems.push(problem("username", Problem::Blank, "can't be blank"));
    } else if let Err(e) = account::check_username(username) {
        problems.push(from_check("username", e)?);
    } else if account::find_local(db, username).await?.is_some() {
        problems.push(problem("username", Problem::Taken, "is already taken"));
    } else if account::find_deleted_local(db, username).await?.is_some() {
        problems.push(problem(
            "username",
            Problem::Reserved,
            "belonged to an account that was deleted, and is not given again",
        ));
    }
    if email.trim().is_empty() {
        problems.push(problem("email", Problem::Blank, "can't be blank"));
    } else if let Err(e) = user::check_email(email) {
        problems.push(from_check("email", e)?);
    } else if let Some(owner) = user::find_by_email(db, email).await? {
        if hide_address_in_use {
            address_owner = Some(owner);
        } else {
            problems.push(problem("email", Problem::Taken, "is already in use"));
        }
    }
    if password.is_empty() {
        problems.push(problem("password", Problem::Blank, "can't be blank"));
    } else if let Err(e) = credentials::check_strength(password, username, email) {
        problems.push(from_check("password", e)?);
    }
    if !application.agreement {
        problems.push(problem(
            "agreement",
            Problem::NotAccepted,
            "must be accepted",
        ));
    }
    if let Some(reason) = &application.reason
        && reason.chars().count() > MAX_REASON_CHARS
    {
        problems.push(problem(
            "reason",
            Problem::TooLong,
            format!("is too long: use at most {MAX_REASON_CHARS} characters"),
        ));
    }
    if let Some(locale) = &application.locale
        && locale.chars().count() > MAX_LOCALE_CHARS
    {
        problems.push(problem("locale", Problem::Invalid, "is not a locale"));
    }
    let code = application
        .invite_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let invite = match code {
        Some(code) if code.chars().count() > MAX_INVITE_CODE_CHARS => {
            problems.push(problem("invite_code", Problem::Invalid, "is not valid"));
            None
        }
        Some(code) => match invite::find_usable(db, code, now).await {
            Ok(invite) => Some(invite),
            Err(Error::NotFound(_)) => {
                problems.push(problem(
                    "invite_code",
                    Problem::Invalid,
                    "is not valid, has expired or has been used up",
                ));
                None
            }
            Err(e) => return Err(e.into()),
        },
        None if mode.needs_invite() => {
            problems.push(problem(
                "invite_code",
                Problem::Blank,
                "is needed: this instance takes new members by invitation",
            ));
            None
        }
        None => None,
    };
    Ok(Checked {
        problems,
        invite,
        address_owner,
    })
}

/// What a sign-up that was not refused did.
#[derive(Debug)]
pub enum SignedUp {
    /// The new user.
    Created(User),
    /// Nothing: the address is already `owner`'s, and the instance confirms
    /// addresses by mail, so the applicant is answered as for a new sign-up
    /// (their mail would go to the owner anyway) and the owner is to be told.
    AddressInUse {
        /// Who has the address.
        owner: User,
        /// Whether a new sign-up would now wait for approval, so that the
        /// answer is the one a new sign-up would get.
        would_need_approval: bool,
    },
}

/// Signs `application` up under registration mode `mode`. The new user may sign in at
/// once, except in approval mode without an invite (then they wait for an
/// administrator) and when `confirm_email` (then they first follow the link mailed
/// to them, see [`crate::access::account_token`]). An invite's use is counted in the same transaction that creates
/// the user, so two people cannot share its last use. With `confirm_email`, an
/// address already in use is [`SignedUp::AddressInUse`] rather than refused
/// (see the module's description).
pub async fn sign_up(
    db: &(impl ConnectionTrait + TransactionTrait),
    mode: RegistrationMode,
    confirm_email: bool,
    application: Application,
    now: DateTime<Utc>,
) -> Result<SignedUp, Refusal> {
    if !mode.accepts_sign_ups() {
        return Err(Refusal::Closed);
    }
    let Checked {
        problems,
        invite,
        address_owner,
    } = check(db, mode, &application, confirm_email, now).await?;
    if !problems.is_empty() {
        return Err(Refusal::Invalid(problems));
    }
    let keys = KeyPair::generate().await?;
    if let Some(owner) = address_owner {
        // The work a new sign-up does, so that the answer takes as long.
        drop(keys);
        credentials::hash_password(application.password).await?;
        return Ok(SignedUp::AddressInUse {
            owner,
            would_need_approval: mode.needs_approval() && invite.is_none(),
        });
    }
    let txn = crate::database::begin_write(db)
        .await
        .map_err(Error::from)?;
    if let Some(invite) = &invite
        && invite::redeem(&txn, invite, now).await.is_err()
    {
        return Err(Refusal::Invalid(vec![problem(
            "invite_code",
            Problem::Invalid,
            "has just been used up",
        )]));
    }
    let new = NewUser {
        display_name: application.username.clone(),
        username: application.username,
        email: application.email,
        role: Role::User,
        password: application.password,
        approved: !mode.needs_approval() || invite.is_some(),
        confirmed: !confirm_email,
        invite_id: invite.map(|i| i.id),
        sign_up_reason: application.reason.map(|r| r.trim().to_owned()),
        keys,
    };
    let user = match user::create(&txn, new).await {
        Ok(user) => user,
        // Someone else took the name or the address a moment ago.
        Err(Error::Conflict(message)) => {
            let field = if message.contains("username") {
                "username"
            } else {
                "email"
            };
            return Err(Refusal::Invalid(vec![problem(
                field,
                Problem::Taken,
                "is already taken",
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    txn.commit().await.map_err(Error::from)?;
    Ok(SignedUp::Created(user))
}
