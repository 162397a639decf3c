//! Sending mail: the worker that claims queued mails from the database and hands
//! them to the SMTP server the configuration names, with `lettre`. The mails
//! themselves are written by `staffroom_http::mail` and queued by the domain; this
//! module knows only the transport, which is why it lives with the configuration.

use std::time::Duration;

use chrono::Utc;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use staffroom_domain::Database;
use staffroom_domain::delivery::mail::{self, Outcome, QueuedMail};
use tokio::sync::watch;

use crate::config::{Smtp, SmtpTls};

/// How often the queue is looked at when it was empty.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How many mails one round claims.
const BATCH: u64 = 10;
/// How long a claim holds, after which another worker may take the mail over.
const LEASE: Duration = Duration::from_secs(5 * 60);
/// How long one conversation with the SMTP server may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// What the instance would mail if it had an SMTP server, for the log at start.
pub(crate) const MAILS: &str =
    "address confirmations, password resets and password-change notices, approval notices";

/// The worker that sends queued mails.
pub(crate) struct MailWorker {
    db: Database,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The host part of Message-IDs.
    domain: String,
}

impl MailWorker {
    /// A worker sending through `smtp` as the instance called `title` at `domain`.
    pub(crate) fn new(
        db: Database,
        smtp: &Smtp,
        title: &str,
        domain: &str,
    ) -> Result<Self, String> {
        let host = domain.split(':').next().unwrap_or(domain).to_owned();
        let builder = match smtp.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
                .map_err(|e| e.to_string())?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)
                .map_err(|e| e.to_string())?,
        };
        let mut builder = builder
            .port(smtp.port)
            .hello_name(ClientId::Domain(host.clone()))
            .timeout(Some(SMTP_TIMEOUT));
        if let Some((user, password)) = &smtp.login {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let address = smtp.from.parse().map_err(|_| {
            format!(
                "smtp_from {:?} is not an address mail can come from",
                smtp.from
            )
        })?;
        Ok(Self {
            db,
            transport: builder.build(),
            from: Mailbox::new(Some(title.to_owned()), address),
            domain: host,
        })
    }

    /// Sends due mails until `stopped` says to stop, between mails.
    pub(crate) async fn run(self, mut stopped: watch::Receiver<bool>) {
        loop {
            if *stopped.borrow() {
                break;
            }
            let claimed = match mail::claim(&self.db, BATCH, LEASE, Utc::now()).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "the mail queue could not be read");
                    Vec::new()
                }
            };
            if claimed.is_empty() {
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = tokio::time::sleep(POLL_EVERY) => continue,
                }
            }
            let mut queue = claimed.into_iter();
            for queued in queue.by_ref() {
                self.send(&queued).await;
                if *stopped.borrow() {
                    break;
                }
            }
            for untried in queue {
                if let Err(e) = mail::release(&self.db, &untried).await {
                    tracing::warn!(error = %e, "a claimed mail could not be given back");
                }
            }
        }
    }

    /// Sends one mail and records how it went. Neither the body nor its links are
    /// ever logged.
    async fn send(&self, queued: &QueuedMail) {
        let result = match self.message(queued) {
            Ok(message) => self
                .transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (e.is_permanent(), e.to_string())),
            Err(reason) => Err((true, reason)),
        };
        let now = Utc::now();
        let recorded = match result {
            Ok(()) => {
                tracing::info!(id = queued.id, subject = %queued.mail.subject, "mail sent");
                mail::sent(&self.db, queued).await
            }
            Err((permanent, error)) => {
                match mail::failed(&self.db, queued, &error, permanent, now).await {
                    Ok(Outcome::RetryAt(at)) => {
                        tracing::warn!(id = queued.id, %error, retry_at = %at, "mail not sent");
                        Ok(())
                    }
                    Ok(Outcome::GivenUp) => {
                        tracing::warn!(id = queued.id, %error, "mail not sent, and given up");
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
        };
        if let Err(e) = recorded {
            tracing::warn!(id = queued.id, error = %e, "a mail's outcome could not be recorded");
        }
    }

    fn message(&self, queued: &QueuedMail) -> Result<Message, String> {
        let to: Mailbox = queued
            .mail
            .to
            .parse()
            .map_err(|_| "the recipient's address cannot be used".to_owned())?;
        let id = staffroom_domain::access::credentials::random_code(24);
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(queued.mail.subject.clone())
            .message_id(Some(format!("<{id}@{}>", self.domain)))
            .multipart(MultiPart::alternative_plain_html(
                queued.mail.text.clone(),
                queued.mail.html.clone(),
            ))
            .map_err(|e| e.to_string())
    }
}
