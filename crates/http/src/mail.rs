//! The mails the instance sends, written here because they hold links to its pages:
//! each has a plain-text and an HTML part (the askama templates
//! `templates/mail/mail.txt` and `mail.html`), names the instance, and says how
//! long its link lasts. They are queued in the database
//! (`staffroom_domain::delivery::mail`) and sent by the server's mail worker.

use askama::Template;
use chrono::{DateTime, Utc};
use staffroom_domain::access::account_token::{self, Purpose};
use staffroom_domain::access::browser_session::Device;
use staffroom_domain::access::sign_in_address::{self, Seen};
use staffroom_domain::access::user::{self, User};
use staffroom_domain::delivery::mail::{self, NewMail};
use staffroom_domain::{Database, Error};
use staffroom_federation::LocalUrls;

use crate::AppState;

/// Who sends: the instance's name and its URLs.
#[derive(Debug, Clone, Copy)]
pub struct Instance<'a> {
    pub title: &'a str,
    pub urls: &'a LocalUrls,
}

impl<'a> Instance<'a> {
    /// The instance `state` serves.
    pub fn of(state: &'a AppState) -> Self {
        Self {
            title: &state.settings().title,
            urls: state.urls(),
        }
    }
}

/// The path of the page that confirms an address (`?token=`).
pub const CONFIRMATION: &str = "/auth/confirmation";
/// The path of the page that asks for a reset link.
pub const NEW_PASSWORD: &str = "/auth/password/new";
/// The path of the page that sets a new password with a reset link (`?token=`).
pub const EDIT_PASSWORD: &str = "/auth/password/edit";

/// The path of the page that confirms a new address (`?token=`).
pub const CONFIRM_NEW_EMAIL: &str = "/settings/email/confirm";
/// The path of the page that lists and ends signed-in browsers.
pub const SESSIONS: &str = "/settings/sessions";

/// The link that confirms an address with `token`.
pub fn confirmation_link(urls: &LocalUrls, token: &str) -> String {
    urls.absolute(&format!("{CONFIRMATION}?token={token}"))
}

/// The link that sets a new password with the reset `token`.
pub fn reset_link(urls: &LocalUrls, token: &str) -> String {
    urls.absolute(&format!("{EDIT_PASSWORD}?token={token}"))
}

/// What one mail says; both parts are rendered from it.
struct Content<'a> {
    site: &'a str,
    site_url: String,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    /// The button, as (label, URL).
    link: Option<(String, String)>,
    after_link: Vec<String>,
}

#[derive(Template)]
#[template(path = "mail/mail.txt")]
struct TextPart<'a> {
    site: &'a str,
    site_url: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    link: &'a Option<(String, String)>,
    after_link: &'a [String],
}

#[derive(Template)]
#[template(path = "mail/mail.html")]
struct HtmlPart<'a> {
    site: &'a str,
    site_url: &'a str,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    link: &'a Option<(String, String)>,
    after_link: &'a [String],
}

impl<'a> Content<'a> {
    fn new(instance: Instance<'a>, subject: String, name: &str) -> Self {
        Self {
            site: instance.title,
            site_url: instance.urls.absolute("/"),
            subject,
            greeting: format!("Hello {name},"),
            paragraphs: Vec::new(),
            link: None,
            after_link: Vec::new(),
        }
    }

    fn to(self, address: &str) -> Result<NewMail, Error> {
        let rendered =
            |e: askama::Error| Error::Internal(format!("a mail could not be written: {e}"));
        let text = TextPart {
            site: self.site,
            site_url: &self.site_url,
            greeting: &self.greeting,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after_link: &self.after_link,
        }
        .render()
        .map_err(rendered)?;
        let html = HtmlPart {
            site: self.site,
            site_url: &self.site_url,
            subject: &self.subject,
            greeting: &self.greeting,
            paragraphs: &self.paragraphs,
            link: &self.link,
            after_link: &self.after_link,
        }
        .render()
        .map_err(rendered)?;
        Ok(NewMail {
            to: address.to_owned(),
            subject: self.subject,
            text,
            html,
        })
    }
}

/// How long a link of `purpose` lasts, in words.
fn lasts(purpose: Purpose) -> String {
    let hours = purpose.lifetime().num_hours();
    if hours == 1 {
        "one hour".to_owned()
    } else if hours % 24 == 0 {
        format!("{} days", hours / 24)
    } else {
        format!("{hours} hours")
    }
}

/// The mail that asks `user` to confirm their address with `token`.
pub fn confirm_email(instance: Instance<'_>, user: &User, token: &str) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Confirm your email address for {}", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "You signed up as {} on {}. Confirm that this address is yours to start using your account.",
        user.account.username, instance.title
    ));
    content.link = Some((
        "Confirm your email address".to_owned(),
        confirmation_link(instance.urls, token),
    ));
    content.after_link.push(format!(
        "The link works once and lasts {}. If you did not sign up, ignore this mail: nothing happens without the link.",
        lasts(Purpose::ConfirmEmail)
    ));
    content.to(&user.email)
}

/// The mail with a link that lets `user` set a new password with `token`.
pub fn reset_password(instance: Instance<'_>, user: &User, token: &str) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Reset your password on {}", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "Someone asked to reset the password of {} on {}. If it was you, choose a new one here:",
        user.account.username, instance.title
    ));
    content.link = Some((
        "Choose a new password".to_owned(),
        reset_link(instance.urls, token),
    ));
    content.after_link.push(format!(
        "The link works once and lasts {}. Setting a new password signs you out everywhere. If you did not ask, ignore this mail: your password stays as it is.",
        lasts(Purpose::ResetPassword)
    ));
    content.to(&user.email)
}

/// The notice to `user` that someone tried to sign up with their address, with
/// a link that resets their password (`token`) in case it was them who forgot
/// they had an account.
pub fn sign_up_with_your_address(
    instance: Instance<'_>,
    user: &User,
    token: &str,
) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!(
            "Someone tried to sign up on {} with your address",
            instance.title
        ),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "Someone tried to make a new account on {} with this email address. It already belongs to your account, {}, so no new account was made.",
        instance.title, user.account.username
    ));
    content.paragraphs.push(
        "If it was you and you have forgotten your password, choose a new one here:".to_owned(),
    );
    content.link = Some((
        "Choose a new password".to_owned(),
        reset_link(instance.urls, token),
    ));
    content.after_link.push(format!(
        "The link works once and lasts {}. If it was not you, ignore this mail: your account stays as it is.",
        lasts(Purpose::ResetPassword)
    ));
    content.to(&user.email)
}

/// The notice to `user` that their password was changed.
pub fn password_changed(instance: Instance<'_>, user: &User) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Your password on {} was changed", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "The password of {} on {} was just changed.",
        user.account.username, instance.title
    ));
    content.paragraphs.push(
        "If it was not you, someone else knows your password: ask for a reset link now, and tell the instance's administrators.".to_owned(),
    );
    content.link = Some((
        "Reset your password".to_owned(),
        instance.urls.absolute(NEW_PASSWORD),
    ));
    content.to(&user.email)
}

/// The notice to `user` that two-factor sign-in was turned on (`enabled`) or off
/// for their account.
pub fn two_factor_changed(
    instance: Instance<'_>,
    user: &User,
    enabled: bool,
) -> Result<NewMail, Error> {
    let (now, subject) = if enabled {
        ("on", "Two-factor sign-in is on")
    } else {
        ("off", "Two-factor sign-in is off")
    };
    let mut content = Content::new(
        instance,
        format!("{subject} for your account on {}", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "Two-factor sign-in was just turned {now} for {} on {}.",
        user.account.username, instance.title
    ));
    content.paragraphs.push(
        "If it was not you, someone else may be able to sign in as you: reset your password now, and tell the instance's administrators.".to_owned(),
    );
    content.link = Some((
        "Reset your password".to_owned(),
        instance.urls.absolute(NEW_PASSWORD),
    ));
    content.to(&user.email)
}

/// The mail to `new_email` that confirms it as `user`'s address with `token`.
pub fn confirm_new_email(
    instance: Instance<'_>,
    user: &User,
    new_email: &str,
    token: &str,
) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Confirm your new email address for {}", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "You asked to use this address for {} on {}. Until you confirm it, mail keeps going to your old address and you sign in with it.",
        user.account.username, instance.title
    ));
    content.link = Some((
        "Confirm your new address".to_owned(),
        instance
            .urls
            .absolute(&format!("{CONFIRM_NEW_EMAIL}?token={token}")),
    ));
    content.after_link.push(format!(
        "The link works once and lasts {}. If you did not ask for this, ignore this mail: nothing changes without the link.",
        lasts(Purpose::ChangeEmail)
    ));
    content.to(new_email)
}

/// The notice to the address `user` had that it was replaced by `new_email`.
pub fn email_changed(
    instance: Instance<'_>,
    user: &User,
    old_email: &str,
    new_email: &str,
) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Your email address on {} has changed", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "The email address of {} on {} is now {new_email}. Mail will no longer come to this address.",
        user.account.username, instance.title
    ));
    content.paragraphs.push(
        "If it was not you, someone else can sign in as you: tell the instance's administrators now.".to_owned(),
    );
    content.to(old_email)
}

/// The notice to `user` of a sign-in from an `address` they had never signed in
/// from, with the browser's `user_agent` when it gave one.
pub fn new_sign_in(
    instance: Instance<'_>,
    user: &User,
    address: &str,
    user_agent: Option<&str>,
    at: DateTime<Utc>,
) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("A new sign-in to your account on {}", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "Someone signed in as {} on {} from an address not seen before for your account.",
        user.account.username, instance.title
    ));
    content.paragraphs.push(format!(
        "Address: {address}. Browser: {}. Time: {} UTC.",
        user_agent.unwrap_or("not given"),
        at.format("%Y-%m-%d %H:%M")
    ));
    content.paragraphs.push(
        "If it was you, there is nothing to do. If it was not, end that session, change your password and turn on two-factor sign-in:".to_owned(),
    );
    content.link = Some((
        "Your signed-in browsers and apps".to_owned(),
        instance.urls.absolute(SESSIONS),
    ));
    content.to(&user.email)
}

/// The notice to the address `user` had that their account was deleted.
pub fn account_deleted(instance: Instance<'_>, user: &User) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Your account on {} is deleted", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "The account {} on {} has been deleted, with its posts, media, follows and settings. Other servers that knew it have been told.",
        user.account.username, instance.title
    ));
    content.paragraphs.push(
        "This is the last mail this address receives from us: it was removed with the account."
            .to_owned(),
    );
    content.to(&user.email)
}

/// The notice to `moderator` that `applicant` signed up and waits for approval.
pub fn approval_needed(
    instance: Instance<'_>,
    moderator: &User,
    applicant: &User,
    reason: Option<&str>,
) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!(
            "{} asks to join {}",
            applicant.account.username, instance.title
        ),
        &moderator.account.username,
    );
    content.paragraphs.push(format!(
        "{} <{}> signed up on {} and waits for approval.",
        applicant.account.username, applicant.email, instance.title
    ));
    content.paragraphs.push(match reason {
        Some(reason) => format!("Their reason for joining: {reason}"),
        None => "They gave no reason for joining.".to_owned(),
    });
    content.after_link.push(format!(
        "An administrator approves them with: staffroom admin approve-user {}",
        applicant.account.username
    ));
    content.to(&moderator.email)
}

/// The notice to `user` that an administrator approved their account.
pub fn approved(instance: Instance<'_>, user: &User) -> Result<NewMail, Error> {
    let mut content = Content::new(
        instance,
        format!("Welcome to {}", instance.title),
        &user.account.username,
    );
    content.paragraphs.push(format!(
        "An administrator of {} approved your account {}: you can sign in now.",
        instance.title, user.account.username
    ));
    content.link = Some((
        "Sign in".to_owned(),
        instance.urls.absolute("/auth/sign_in"),
    ));
    content.to(&user.email)
}

/// Queues `mail` (built by one of this file's functions).
pub async fn queue(
    db: &Database,
    mail: Result<NewMail, Error>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    mail::enqueue(db, mail?, now).await.map(|_| ())
}

/// What follows a sign-up on an instance that sends mail: the link that confirms
/// `user`'s address, and, when they wait for approval, a notice to each moderator
/// and administrator with the `reason` they gave.
pub(crate) async fn after_sign_up(
    state: &AppState,
    user: &User,
    reason: Option<&str>,
) -> Result<(), Error> {
    if !state.settings().sends_mail {
        return Ok(());
    }
    let db = state.db();
    let now = Utc::now();
    let instance = Instance::of(state);
    if !user.confirmed {
        let token = account_token::issue(db, user.account.id, Purpose::ConfirmEmail, now).await?;
        queue(db, confirm_email(instance, user, &token), now).await?;
    }
    if !user.approved {
        for moderator in user::staff(db).await? {
            queue(db, approval_needed(instance, &moderator, user, reason), now).await?;
        }
    }
    Ok(())
}

/// What follows a sign-up with an address that is already `owner`'s: they are
/// told, with a link to reset their password (none to a disabled or
/// unapproved account, which could not use it).
pub(crate) async fn after_sign_up_with_address_in_use(
    state: &AppState,
    owner: &User,
) -> Result<(), Error> {
    if !state.settings().sends_mail || owner.disabled || !owner.approved {
        return Ok(());
    }
    let db = state.db();
    let now = Utc::now();
    let token = account_token::issue(db, owner.account.id, Purpose::ResetPassword, now).await?;
    queue(
        db,
        sign_up_with_your_address(Instance::of(state), owner, &token),
        now,
    )
    .await
}

/// What follows a browser's sign-in: the address is remembered, and a sign-in
/// from an address never seen for `user` (who signed in before) is told to them.
pub(crate) async fn after_sign_in(
    state: &AppState,
    user: &User,
    device: &Device,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let db = state.db();
    let address = device.address.as_deref();
    let seen = sign_in_address::record(db, user.account.id, address, now).await?;
    if seen == Seen::New && state.settings().sends_mail {
        let notice = new_sign_in(
            Instance::of(state),
            user,
            address.unwrap_or_default(),
            device.user_agent.as_deref(),
            now,
        );
        queue(db, notice, now).await?;
    }
    Ok(())
}

/// What follows the deletion of `user`'s account, on an instance that sends
/// mail: a last notice to the address it had.
pub(crate) async fn after_deletion(state: &AppState, user: &User) -> Result<(), Error> {
    if !state.settings().sends_mail {
        return Ok(());
    }
    let now = Utc::now();
    queue(state.db(), account_deleted(Instance::of(state), user), now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_has_both_parts_with_the_link_and_the_instance() {
        let urls = LocalUrls::new("staff.example.org", true).unwrap();
        let instance = Instance {
            title: "North & South",
            urls: &urls,
        };
        let mut content = Content::new(instance, "Subject".into(), "alice");
        content.link = Some(("Go".into(), reset_link(&urls, "abc")));
        let mail = content.to("alice@example.org").unwrap();
        let link = "https://staff.example.org/auth/password/edit?token=abc";
        assert!(mail.text.contains(link), "{}", mail.text);
        assert!(mail.text.contains("North & South"), "{}", mail.text);
        assert!(
            mail.html.contains(&format!("href=\"{link}\"")),
            "{}",
            mail.html
        );
        assert!(mail.html.contains("North &amp; South"), "{}", mail.html);
    }
}
