//! Publishing scheduled posts at their time (see
//! [`staffroom_domain::posts::scheduled`]): each due post is claimed by one
//! process and published as its author would publish it then, to the same
//! places and with the same notifications. A post refused at its time (its
//! author moved away meanwhile, the post it answers is gone) is dropped, with a
//! warning in the log, as Mastodon drops it.

use chrono::Utc;
use staffroom_domain::accounts::account;
use staffroom_domain::posts::scheduled;

use crate::context::Data;
use crate::error::Error;
use crate::publish::{self, Draft};

/// Publishes the scheduled posts that are due; how many were published.
pub async fn publish_due(data: &Data) -> Result<usize, Error> {
    let due = scheduled::claim_due(&data.db, Utc::now()).await?;
    let mut published = 0;
    for post in due {
        let result = match account::get(&data.db, post.account_id).await {
            Ok(author) => {
                let draft = &post.draft;
                let new = Draft {
                    text: draft.text.clone(),
                    visibility: draft.visibility(),
                    spoiler_text: draft.spoiler_text.clone(),
                    sensitive: false,
                    language: draft.language.clone(),
                    in_reply_to_id: draft.in_reply_to_id,
                    media_ids: draft.media_ids.clone(),
                    poll: draft.poll.clone(),
                    event: None,
                    article: None,
                    local_only: draft.local_only,
                };
                publish::create_post(data, &author, new).await.map(|_| ())
            }
            Err(e) => Err(e.into()),
        };
        match result {
            Ok(()) => published += 1,
            Err(e) => {
                tracing::warn!(error = %e, scheduled = post.id, "a scheduled post was refused at its time and dropped");
            }
        }
        scheduled::finish(&data.db, post.id).await?;
    }
    Ok(published)
}
