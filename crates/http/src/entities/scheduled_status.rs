//! The Mastodon `ScheduledStatus` entity.

use serde::Serialize;
use staffroom_domain::posts::scheduled::Scheduled;

use super::media_attachment::MediaAttachment;
use super::timestamp;
use staffroom_federation::LocalUrls;

/// A post waiting for its time, as Mastodon apps read it.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduledStatus {
    pub id: String,
    pub scheduled_at: String,
    pub params: Params,
    pub media_attachments: Vec<MediaAttachment>,
}

/// What the post will be, in the names of `POST /api/v1/statuses`.
#[derive(Debug, Clone, Serialize)]
pub struct Params {
    pub text: String,
    pub poll: Option<Poll>,
    pub media_ids: Option<Vec<String>>,
    pub sensitive: Option<bool>,
    pub spoiler_text: Option<String>,
    pub visibility: String,
    pub in_reply_to_id: Option<String>,
    pub language: Option<String>,
    pub application_id: Option<String>,
    pub scheduled_at: Option<String>,
    pub idempotency: Option<String>,
    pub with_rate_limit: bool,
}

/// The poll asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Poll {
    pub options: Vec<String>,
    pub expires_in: String,
    pub multiple: bool,
    pub hide_totals: bool,
}

impl ScheduledStatus {
    /// The entity of `scheduled`.
    pub fn new(urls: &LocalUrls, scheduled: &Scheduled) -> Self {
        let draft = &scheduled.draft;
        Self {
            id: scheduled.id.to_string(),
            scheduled_at: timestamp(scheduled.scheduled_at),
            params: Params {
                text: draft.text.clone(),
                poll: draft.poll.as_ref().map(|poll| Poll {
                    options: poll.options.clone(),
                    expires_in: poll.expires_in.to_string(),
                    multiple: poll.multiple,
                    hide_totals: poll.hide_totals,
                }),
                media_ids: (!draft.media_ids.is_empty())
                    .then(|| draft.media_ids.iter().map(i64::to_string).collect()),
                sensitive: Some(!draft.spoiler_text.is_empty()),
                spoiler_text: (!draft.spoiler_text.is_empty()).then(|| draft.spoiler_text.clone()),
                visibility: draft.visibility().name().to_owned(),
                in_reply_to_id: draft.in_reply_to_id.map(|id| id.to_string()),
                language: draft.language.clone(),
                application_id: draft.application_id.map(|id| id.to_string()),
                scheduled_at: None,
                idempotency: None,
                with_rate_limit: false,
            },
            media_attachments: scheduled
                .media
                .iter()
                .map(|medium| MediaAttachment::new(urls, medium))
                .collect(),
        }
    }
}
