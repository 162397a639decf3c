//! What the instance's staff do: approving sign-ups, disabling and enabling people,
//! giving roles, deleting accounts, making invites, setting rules for other
//! servers, silencing accounts, suspending people here and remote accounts, handling reports,
//! subscribing to other instances' hashtag feeds and featuring challenges. Each
//! use case checks who may do it and writes it to the [`audit`] log in the same
//! transaction, whether it comes from the web pages, the admin API or the command
//! line, so that the rule and the record live in one place.
//!
//! Moderators (and administrators) approve sign-ups, disable people, silence and
//! suspend accounts, handle reports and read the log; administrators alone give
//! roles, delete accounts, make invites, set the rules for other servers, choose
//! the other instances' hashtag feeds the instance subscribes to and feature
//! challenges (what the instance brings in and puts forward, as its rules for
//! other servers do). The operator at the command line may do everything.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionSession, TransactionTrait};

use super::audit;
use super::domain_policy::{self, DomainRule, Policy};
use super::local_suspension;
use super::report::{self, Report};
use super::silence;
use super::suspension::{self, Suspension};
use crate::access::invite::{self, Invite, NewInvite};
use crate::access::user::{self, Role, User};
use crate::accounts::account::Account;
use crate::accounts::deletion::{self, Farewell};
use crate::communities::challenge::{self, Challenge, ChallengeChange, NewChallenge};
use crate::database::begin_write;
use crate::directory::Editor;
use crate::media::MediaStore;
use crate::{Error, Result};

/// Who acts for the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staff {
    /// The operator at the command line, who may do everything.
    Operator,
    /// A signed-in account, whose role says what it may do.
    Account(i64),
}

/// What a member of staff does, by the role it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// Sign-ups, disabling people, silences, suspensions, reports, the audit log.
    Moderate,
    /// Roles, deleting accounts, invites, rules for other servers, hashtag feeds,
    /// challenges.
    Administer,
}

impl Duty {
    fn role(self) -> Role {
        match self {
            Self::Moderate => Role::Moderator,
            Self::Administer => Role::Admin,
        }
    }
}

impl Staff {
    /// Who `self` is to the rules of the directory and of challenges.
    fn editor(self) -> Editor {
        match self {
            Self::Operator => Editor::Operator,
            Self::Account(id) => Editor::Account(id),
        }
    }
}

/// How the log names `staff`: a username, or "the operator".
const OPERATOR: &str = "the operator";

/// Checks that `staff` may do `duty`; the user acting, `None` for the operator.
/// `Forbidden` for an account without the role, or disabled.
pub async fn require(db: &impl ConnectionTrait, staff: Staff, duty: Duty) -> Result<Option<User>> {
    let Staff::Account(account_id) = staff else {
        return Ok(None);
    };
    let user = user::require_role(db, account_id, duty.role()).await?;
    if user.disabled || user.account.suspended {
        return Err(Error::Forbidden(
            "a disabled or suspended account may not do this".into(),
        ));
    }
    Ok(Some(user))
}

/// Whether `staff` may do `duty` (for what a page offers).
pub async fn may(db: &impl ConnectionTrait, staff: Staff, duty: Duty) -> Result<bool> {
    match require(db, staff, duty).await {
        Ok(_) => Ok(true),
        Err(Error::Forbidden(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Does `work` for `staff` with `duty` in one write transaction, and writes
/// `action` on the target `work` names (with its detail) to the log.
macro_rules! as_staff {
    ($db:expr, $staff:expr, $duty:expr, $now:expr, $action:expr, |$txn:ident| $work:expr) => {{
        let $txn = begin_write($db).await?;
        let actor = require(&$txn, $staff, $duty).await?;
        let (done, target, detail) = $work;
        let (account_id, name) = match &actor {
            Some(user) => (Some(user.account.id), user.account.username.as_str()),
            None => (None, OPERATOR),
        };
        audit::record(&$txn, account_id, name, $action, &target, &detail, $now).await?;
        $txn.commit().await?;
        Ok(done)
    }};
}

/// Approves `username`, who signed up while sign-ups needed approval.
pub async fn approve_user(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    username: &str,
    now: DateTime<Utc>,
) -> Result<User> {
    as_staff!(
        db,
        staff,
        Duty::Moderate,
        now,
        "approved the sign-up of",
        |txn| {
            let done = user::approve(&txn, username).await?;
            let target = done.account.username.clone();
            (done, target, String::new())
        }
    )
}

/// Disables `username` (they can no longer sign in), or enables them again. Staff
/// cannot disable themselves, nor a moderator disable an administrator.
pub async fn set_disabled(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    username: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<User> {
    let action = if disabled { "disabled" } else { "enabled" };
    as_staff!(db, staff, Duty::Moderate, now, action, |txn| {
        let target = user::find_by_username(&txn, username).await?;
        if let Staff::Account(id) = staff {
            if id == target.account.id {
                return Err(Error::Forbidden(
                    "you cannot disable or enable your own account".into(),
                ));
            }
            let acting = user::get(&txn, id).await?;
            if target.role > acting.role {
                return Err(Error::Forbidden(format!(
                    "only an administrator may do this to an {}",
                    target.role.name()
                )));
            }
        }
        let done = user::set_disabled(&txn, username, disabled).await?;
        let target = done.account.username.clone();
        (done, target, String::new())
    })
}

/// Gives `username` the role `role`. An administrator cannot change their own
/// role, so an instance always keeps the administrator who acts.
pub async fn set_role(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    username: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<User> {
    as_staff!(db, staff, Duty::Administer, now, "gave a role to", |txn| {
        let target = user::find_by_username(&txn, username).await?;
        if staff == Staff::Account(target.account.id) {
            return Err(Error::Forbidden("you cannot change your own role".into()));
        }
        let done = user::set_role(&txn, username, role).await?;
        let target = done.account.username.clone();
        (done, target, role.name().to_owned())
    })
}

/// Deletes the local account `username` and everything of it (see
/// [`deletion`]), queuing `farewell` for other servers in the same
/// transaction; its files leave `store` once that is committed. Staff delete
/// their own account from their settings, not here.
pub async fn delete_user(
    db: &(impl ConnectionTrait + TransactionTrait),
    store: &MediaStore,
    staff: Staff,
    username: &str,
    farewell: Option<Farewell>,
    now: DateTime<Utc>,
) -> Result<()> {
    let erased: Result<deletion::Leftovers> = as_staff!(
        db,
        staff,
        Duty::Administer,
        now,
        "deleted the account of",
        |txn| {
            let target = user::find_by_username(&txn, username).await?;
            if staff == Staff::Account(target.account.id) {
                return Err(Error::Forbidden(
                    "delete your own account from your settings".into(),
                ));
            }
            let leftovers = deletion::erase(&txn, target.account.id, farewell, now).await?;
            (leftovers, target.account.username, String::new())
        }
    );
    deletion::remove_files(store, erased?).await;
    Ok(())
}

/// Makes an invite: used at most `max_uses` times (`None`: no limit), until
/// `expires_at` (`None`: never).
pub async fn create_invite(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    max_uses: Option<i32>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Invite> {
    as_staff!(db, staff, Duty::Administer, now, "made an invite", |txn| {
        let created_by = match staff {
            Staff::Account(id) => Some(id),
            Staff::Operator => None,
        };
        let done = invite::create(
            &txn,
            NewInvite {
                created_by,
                max_uses,
                expires_at,
            },
        )
        .await?;
        let detail = match (max_uses, expires_at) {
            (None, None) => "no limit".to_owned(),
            (Some(uses), None) => format!("{uses} uses"),
            (None, Some(at)) => format!("until {}", at.format("%Y-%m-%d %H:%M UTC")),
            (Some(uses), Some(at)) => {
                format!("{uses} uses until {}", at.format("%Y-%m-%d %H:%M UTC"))
            }
        };
        let target = format!("invite {}", done.id);
        (done, target, detail)
    })
}

/// Sets the rule for `domain` (a block, or its place on the allowlist).
pub async fn set_domain_rule(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    domain: &str,
    policy: Policy,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<DomainRule> {
    let action = match policy {
        Policy::Block => "blocked the server",
        Policy::Allow => "allowed the server",
    };
    as_staff!(db, staff, Duty::Administer, now, action, |txn| {
        let done = domain_policy::set(&txn, domain, policy, reason, now).await?;
        let target = done.domain.clone();
        (done, target, reason.trim().to_owned())
    })
}

/// Removes the rule for `domain`; whether there was one.
pub async fn remove_domain_rule(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    as_staff!(
        db,
        staff,
        Duty::Administer,
        now,
        "removed the rule for",
        |txn| {
            let done = domain_policy::remove(&txn, domain).await?;
            if !done {
                return Err(Error::NotFound("domain rule"));
            }
            (done, domain_policy::normalize(domain)?, String::new())
        }
    )
}

/// Suspends the remote account `account` (`user@domain` or its actor id),
/// removing what it brought.
pub async fn suspend(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    account: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Suspension> {
    as_staff!(db, staff, Duty::Moderate, now, "suspended", |txn| {
        let done = suspension::suspend(&txn, account, reason, now).await?;
        let target = done.acct.clone();
        (done, target, reason.trim().to_owned())
    })
}

/// Suspends the person `account_id` of this instance (see
/// [`local_suspension`]): nothing of them is shown, their apps and sessions are
/// signed out, and their account is deleted after [`local_suspension::RETENTION`]
/// unless the suspension is lifted. Staff cannot suspend themselves, nor a
/// moderator an administrator.
pub async fn suspend_person(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    account_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Account> {
    as_staff!(db, staff, Duty::Moderate, now, "suspended", |txn| {
        check_rank(&txn, staff, account_id, "suspend or unsuspend").await?;
        let done = local_suspension::suspend(&txn, account_id, reason, now).await?;
        let target = done.username.clone();
        (done, target, reason.trim().to_owned())
    })
}

/// Lifts the suspension of the person `account_id` of this instance: everything
/// of them shows again. `NotFound` when they are not suspended.
pub async fn unsuspend_person(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Account> {
    as_staff!(
        db,
        staff,
        Duty::Moderate,
        now,
        "lifted the suspension of",
        |txn| {
            check_rank(&txn, staff, account_id, "suspend or unsuspend").await?;
            let done = local_suspension::unsuspend(&txn, account_id).await?;
            let target = done.username.clone();
            (done, target, String::new())
        }
    )
}

/// Checks that `staff` may `act` on the person `account_id`: not themselves,
/// and a moderator not on an administrator.
async fn check_rank(
    db: &impl ConnectionTrait,
    staff: Staff,
    account_id: i64,
    act: &str,
) -> Result<()> {
    let Staff::Account(id) = staff else {
        return Ok(());
    };
    if id == account_id {
        return Err(Error::Forbidden(format!(
            "you cannot {act} your own account"
        )));
    }
    let acting = user::get(db, id).await?;
    if let Ok(target) = user::get(db, account_id).await
        && target.role > acting.role
    {
        return Err(Error::Forbidden(format!(
            "only an administrator may do this to an {}",
            target.role.name()
        )));
    }
    Ok(())
}

/// Lifts the suspension of `account`; `NotFound` when it is not suspended.
pub async fn lift_suspension(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    account: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    as_staff!(
        db,
        staff,
        Duty::Moderate,
        now,
        "lifted the suspension of",
        |txn| {
            if !suspension::lift(&txn, account).await? {
                return Err(Error::NotFound("suspension"));
            }
            (
                (),
                account.trim().trim_start_matches('@').to_owned(),
                String::new(),
            )
        }
    )
}

/// Marks the report `id` resolved, or with `resolved: false` open again.
pub async fn set_report_resolved(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    id: i64,
    resolved: bool,
    now: DateTime<Utc>,
) -> Result<Report> {
    let action = if resolved { "resolved" } else { "reopened" };
    as_staff!(db, staff, Duty::Moderate, now, action, |txn| {
        let by = match staff {
            Staff::Account(id) => Some(id),
            Staff::Operator => None,
        };
        let done = report::set_resolved(&txn, id, by, resolved, now).await?;
        (done, format!("report {id}"), String::new())
    })
}

/// Silences the account `account_id` (local or remote), or with `silenced: false`
/// lifts the silence: its posts leave the public and hashtag timelines of those
/// who do not follow it. Staff cannot silence themselves, nor a moderator an
/// administrator.
pub async fn set_silenced(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    account_id: i64,
    silenced: bool,
    now: DateTime<Utc>,
) -> Result<Account> {
    let action = if silenced { "silenced" } else { "unsilenced" };
    as_staff!(db, staff, Duty::Moderate, now, action, |txn| {
        if let Staff::Account(id) = staff {
            if id == account_id {
                return Err(Error::Forbidden(
                    "you cannot silence or unsilence your own account".into(),
                ));
            }
            let acting = user::get(&txn, id).await?;
            if let Ok(target) = user::get(&txn, account_id).await
                && target.role > acting.role
            {
                return Err(Error::Forbidden(format!(
                    "only an administrator may do this to an {}",
                    target.role.name()
                )));
            }
        }
        let done = silence::set(&txn, account_id, silenced, now).await?;
        let target = done.acct();
        (done, target, String::new())
    })
}

/// Features the challenge `new`.
pub async fn create_challenge(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    new: NewChallenge,
    now: DateTime<Utc>,
) -> Result<Challenge> {
    as_staff!(
        db,
        staff,
        Duty::Administer,
        now,
        "featured the challenge",
        |txn| {
            let done = challenge::create(&txn, staff.editor(), new, now).await?;
            let (target, detail) = challenge_entry(&done);
            (done, target, detail)
        }
    )
}

/// Changes the challenge `id` (its hashtag and feed stay); a change of `ends_at`
/// to `now` ends it.
pub async fn update_challenge(
    db: &(impl ConnectionTrait + TransactionTrait),
    staff: Staff,
    id: i64,
    change: ChallengeChange,
    now: DateTime<Utc>,
) -> Result<Challenge> {
    let action = if change.ends_at == Some(now) {
        "ended the challenge"
    } else {
        "changed the challenge"
    };
    as_staff!(db, staff, Duty::Administer, now, action, |txn| {
        let done = challenge::update(&txn, staff.editor(), id, change, now).await?;
        let (target, detail) = challenge_entry(&done);
        (done, target, detail)
    })
}

/// How the log names a challenge, and what it says of it: its hashtag, dates and
/// feed.
fn challenge_entry(done: &Challenge) -> (String, String) {
    let target = format!("challenge {} \"{}\"", done.id, done.title);
    let mut detail = format!(
        "#{} from {} to {}",
        done.hashtag,
        done.starts_at.format("%Y-%m-%d %H:%M UTC"),
        done.ends_at.format("%Y-%m-%d %H:%M UTC")
    );
    if let Some(host) = &done.feed_host {
        detail.push_str(&format!(", gathered on {host}"));
    }
    (target, detail)
}

/// What an administrator does to the instance's subscriptions to other
/// instances' hashtag feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedChange {
    Subscribe,
    Unsubscribe,
}

/// Subscribes the instance to another instance's hashtag feed, or ends a
/// subscription, for `staff` (administrators). The change is federation's to
/// make (it finds the feed over the network and sends the `Follow` or its
/// `Undo`), so it cannot share the log's transaction: `staff` is checked before
/// `change` runs, and the log is written once it succeeded, naming the feed that
/// `change` gives back with its outcome.
pub async fn change_feed_subscription<T, E>(
    db: &impl ConnectionTrait,
    staff: Staff,
    what: FeedChange,
    now: DateTime<Utc>,
    change: impl Future<Output = std::result::Result<(T, String), E>>,
) -> std::result::Result<T, E>
where
    E: From<Error>,
{
    let actor = require(db, staff, Duty::Administer).await?;
    let (done, feed) = change.await?;
    let action = match what {
        FeedChange::Subscribe => "subscribed to the hashtag feed",
        FeedChange::Unsubscribe => "unsubscribed from the hashtag feed",
    };
    let (account_id, name) = match &actor {
        Some(user) => (Some(user.account.id), user.account.username.as_str()),
        None => (None, OPERATOR),
    };
    audit::record(db, account_id, name, action, &feed, "", now).await?;
    Ok(done)
}
