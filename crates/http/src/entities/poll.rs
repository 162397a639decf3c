//! The Mastodon `Poll` entity.

use chrono::{DateTime, Utc};
use serde::Serialize;
use staffroom_domain::posts::poll::Poll as DomainPoll;

use super::timestamp;

/// A poll as Mastodon apps read it.
#[derive(Debug, Clone, Serialize)]
pub struct Poll {
    pub id: String,
    pub expires_at: Option<String>,
    pub expired: bool,
    pub multiple: bool,
    pub votes_count: u64,
    pub voters_count: Option<u64>,
    pub options: Vec<PollOption>,
    pub emojis: Vec<serde_json::Value>,
    /// Only for a signed-in reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voted: Option<bool>,
    /// Only for a signed-in reader: the indexes they chose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_votes: Option<Vec<usize>>,
}

/// One option; its count is `null` while the poll hides its totals.
#[derive(Debug, Clone, Serialize)]
pub struct PollOption {
    pub title: String,
    pub votes_count: Option<u64>,
}

impl Poll {
    /// The entity of `poll` at `now`, for a reader who chose `own_votes` (`None`
    /// for a visitor) and who is (`by_author`) or is not its author.
    pub fn new(
        poll: &DomainPoll,
        now: DateTime<Utc>,
        own_votes: Option<Vec<usize>>,
        by_author: bool,
    ) -> Self {
        let shown = poll.totals_shown(now, by_author);
        Self {
            id: poll.post_id.to_string(),
            expires_at: poll.expires_at.map(timestamp),
            expired: poll.expired(now),
            multiple: poll.multiple,
            votes_count: poll.votes_count,
            voters_count: poll.voters_count,
            options: poll
                .options
                .iter()
                .map(|option| PollOption {
                    title: option.title.clone(),
                    votes_count: shown.then_some(option.votes_count),
                })
                .collect(),
            emojis: Vec::new(),
            voted: own_votes.as_ref().map(|votes| !votes.is_empty()),
            own_votes,
        }
    }
}
