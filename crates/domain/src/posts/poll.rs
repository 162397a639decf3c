//! Polls: a post's question with two to four options, how long it runs, whether
//! several options may be chosen and whether its counts stay hidden until it ends;
//! the votes cast in it, here or (for a poll of this instance) from other servers;
//! and the end of a poll, which its voters and its author hear of.
//!
//! A local poll's counts are recounted from its votes after each vote. Another
//! server's poll keeps the counts that server last sent: a vote cast here on it is
//! remembered (so it is not cast twice and the voter sees their choice) but
//! counted only once its server says so.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::post::Post;
use crate::accounts::account::Account;
use crate::entities::{poll_votes, polls, posts};
use crate::notifications::recipients;
use crate::visibility::post::{Viewer, find_visible, is_visible};
use crate::{Error, Result};

/// The fewest options a poll may have.
pub const MIN_OPTIONS: usize = 2;
/// The most options a poll may have (Mastodon's default).
pub const MAX_OPTIONS: usize = 4;
/// The most characters of one option.
pub const MAX_OPTION_CHARS: usize = 50;
/// The shortest a poll may run, in seconds (five minutes).
pub const MIN_EXPIRATION: i64 = 300;
/// The longest a poll may run, in seconds (a month, as Mastodon counts it).
pub const MAX_EXPIRATION: i64 = 2_629_746;
/// The most options kept of another server's poll.
const MAX_REMOTE_OPTIONS: usize = 20;
/// The most characters kept of another server's option.
const MAX_REMOTE_OPTION_CHARS: usize = 200;
/// The most polls ended in one round of [`end_due`].
const ENDED_PER_ROUND: u64 = 100;

/// One option of a poll and how many chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollOption {
    pub title: String,
    pub votes_count: u64,
}

/// A post's poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// The post it belongs to (a poll has no id of its own).
    pub post_id: i64,
    /// When it ends; `None` for another server's poll that never does.
    pub expires_at: Option<DateTime<Utc>>,
    pub multiple: bool,
    /// Whether the counts stay hidden until it ends.
    pub hide_totals: bool,
    pub options: Vec<PollOption>,
    /// Votes cast, one per option chosen.
    pub votes_count: u64,
    /// People who voted, when known (another server may not say).
    pub voters_count: Option<u64>,
}

impl Poll {
    /// Whether it has ended at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// Whether its counts may be shown at `now` to someone (its author sees them
    /// always).
    pub fn totals_shown(&self, now: DateTime<Utc>, to_author: bool) -> bool {
        !self.hide_totals || to_author || self.expired(now)
    }
}

/// One option as stored in `polls.options`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredOption {
    title: String,
    votes: i64,
}

impl From<polls::Model> for Poll {
    fn from(row: polls::Model) -> Self {
        let options: Vec<StoredOption> = serde_json::from_str(&row.options).unwrap_or_default();
        Self {
            post_id: row.post_id,
            expires_at: row.expires_at,
            multiple: row.multiple,
            hide_totals: row.hide_totals,
            options: options
                .into_iter()
                .map(|o| PollOption {
                    title: o.title,
                    votes_count: u64::try_from(o.votes).unwrap_or(0),
                })
                .collect(),
            votes_count: u64::try_from(row.votes_count).unwrap_or(0),
            voters_count: row.voters_count.and_then(|n| u64::try_from(n).ok()),
        }
    }
}

fn stored(options: &[PollOption]) -> String {
    let options: Vec<StoredOption> = options
        .iter()
        .map(|o| StoredOption {
            title: o.title.clone(),
            votes: i64::try_from(o.votes_count).unwrap_or(i64::MAX),
        })
        .collect();
    serde_json::to_string(&options).unwrap_or_else(|_| "[]".to_owned())
}

/// A poll as its local author asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPoll {
    pub options: Vec<String>,
    /// Seconds from now.
    pub expires_in: i64,
    pub multiple: bool,
    pub hide_totals: bool,
}

/// Whether `new` is a poll Staffroom runs: two to four options, each of one to
/// 50 characters and each once, running five minutes to a month.
pub fn check(new: &NewPoll) -> Result<()> {
    if new.options.len() < MIN_OPTIONS {
        return Err(Error::invalid(
            "poll",
            format!("must have at least {MIN_OPTIONS} options"),
        ));
    }
    if new.options.len() > MAX_OPTIONS {
        return Err(Error::invalid(
            "poll",
            format!("may have at most {MAX_OPTIONS} options"),
        ));
    }
    for (i, option) in new.options.iter().enumerate() {
        let option = option.trim();
        if option.is_empty() {
            return Err(Error::invalid("poll", "options must not be blank"));
        }
        if option.chars().count() > MAX_OPTION_CHARS {
            return Err(Error::invalid(
                "poll",
                format!("options must be at most {MAX_OPTION_CHARS} characters"),
            ));
        }
        if new.options[..i].iter().any(|o| o.trim() == option) {
            return Err(Error::invalid(
                "poll",
                "options must differ from each other",
            ));
        }
    }
    if new.expires_in < MIN_EXPIRATION {
        return Err(Error::invalid(
            "poll",
            format!("must run at least {MIN_EXPIRATION} seconds (expires_in)"),
        ));
    }
    if new.expires_in > MAX_EXPIRATION {
        return Err(Error::invalid(
            "poll",
            format!("may run at most {MAX_EXPIRATION} seconds (expires_in)"),
        ));
    }
    Ok(())
}

/// Stores the poll `new` (checked with [`check`]) of the new local post `post_id`.
pub(crate) async fn create(
    db: &impl ConnectionTrait,
    post_id: i64,
    new: &NewPoll,
    now: DateTime<Utc>,
) -> Result<()> {
    check(new)?;
    let options: Vec<PollOption> = new
        .options
        .iter()
        .map(|title| PollOption {
            title: title.trim().to_owned(),
            votes_count: 0,
        })
        .collect();
    polls::ActiveModel {
        post_id: Set(post_id),
        expires_at: Set(Some(now + TimeDelta::seconds(new.expires_in))),
        multiple: Set(new.multiple),
        hide_totals: Set(new.hide_totals),
        options: Set(stored(&options)),
        votes_count: Set(0),
        voters_count: Set(Some(0)),
        ended_told_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Another server's poll as its `Question` says, already read by the federation
/// layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePoll {
    /// Each option's title and count, in order.
    pub options: Vec<(String, u64)>,
    pub multiple: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub voters_count: Option<u64>,
}

/// Stores (or refreshes) the poll of the remote post `post_id`. An option list
/// that changed drops the votes cast here, as they named other options.
pub(crate) async fn upsert_remote(
    db: &impl ConnectionTrait,
    post_id: i64,
    poll: &RemotePoll,
) -> Result<()> {
    let options: Vec<PollOption> = poll
        .options
        .iter()
        .take(MAX_REMOTE_OPTIONS)
        .map(|(title, votes)| PollOption {
            title: title.chars().take(MAX_REMOTE_OPTION_CHARS).collect(),
            votes_count: *votes,
        })
        .collect();
    let votes_count: u64 = options.iter().map(|o| o.votes_count).sum();
    let existing = get(db, post_id).await?;
    let row = polls::ActiveModel {
        post_id: Set(post_id),
        expires_at: Set(poll.expires_at),
        multiple: Set(poll.multiple),
        hide_totals: Set(false),
        options: Set(stored(&options)),
        votes_count: Set(i64::try_from(votes_count).unwrap_or(i64::MAX)),
        voters_count: Set(poll.voters_count.and_then(|n| i64::try_from(n).ok())),
        ended_told_at: Set(None),
    };
    match existing {
        None => {
            row.insert(db).await?;
        }
        Some(existing) => {
            let same_options = existing.options.len() == options.len()
                && existing
                    .options
                    .iter()
                    .zip(&options)
                    .all(|(a, b)| a.title == b.title);
            if !same_options {
                poll_votes::Entity::delete_many()
                    .filter(poll_votes::Column::PostId.eq(post_id))
                    .exec(db)
                    .await?;
            }
            let mut row = row;
            // Whether its end was told is this instance's own record.
            row.ended_told_at = sea_orm::ActiveValue::NotSet;
            row.update(db).await?;
        }
    }
    Ok(())
}

/// The poll of post `post_id`, if it has one.
pub async fn get(db: &impl ConnectionTrait, post_id: i64) -> Result<Option<Poll>> {
    Ok(polls::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .map(Poll::from))
}

/// The polls of the posts `ids` that have one, by post id.
pub async fn of_posts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Poll>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(polls::Entity::find()
        .filter(polls::Column::PostId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.post_id, Poll::from(row)))
        .collect())
}

/// The options `account_id` chose in the polls of the posts `ids`, by post id
/// (posts they did not vote on are left out).
pub async fn own_votes(
    db: &impl ConnectionTrait,
    account_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<usize>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i32)> = poll_votes::Entity::find()
        .filter(poll_votes::Column::AccountId.eq(account_id))
        .filter(poll_votes::Column::PostId.is_in(ids.iter().copied()))
        .select_only()
        .column(poll_votes::Column::PostId)
        .column(poll_votes::Column::Choice)
        .order_by_asc(poll_votes::Column::Choice)
        .into_tuple()
        .all(db)
        .await?;
    let mut votes: HashMap<i64, Vec<usize>> = HashMap::new();
    for (post_id, choice) in rows {
        votes
            .entry(post_id)
            .or_default()
            .push(usize::try_from(choice).unwrap_or(0));
    }
    Ok(votes)
}

/// A vote cast here: the post, its poll as it now is, and the options chosen.
#[derive(Debug, Clone)]
pub struct Cast {
    pub post: Post,
    pub poll: Poll,
    /// The indexes chosen, in order, each once.
    pub choices: Vec<usize>,
}

/// `voter` (a local account) votes for the options `choices` (indexes from 0) in
/// the poll of post `post_id`. Refused when the voter cannot see the post
/// (`NotFound`), when it has ended, when the voter has already voted, when a
/// choice names no option, or when several are chosen in a single-choice poll.
/// Its author may vote too, as on Mastodon.
pub async fn vote(
    db: &impl ConnectionTrait,
    voter: &Account,
    post_id: i64,
    choices: &[i64],
    now: DateTime<Utc>,
) -> Result<Cast> {
    let post = find_visible(db, post_id, Viewer::Account(voter.id)).await?;
    let poll = get(db, post_id).await?.ok_or(Error::NotFound("poll"))?;
    if poll.expired(now) {
        return Err(Error::invalid("poll", "has already ended"));
    }
    if choices.is_empty() {
        return Err(Error::invalid("choices", "must name at least one option"));
    }
    let mut chosen: Vec<usize> = Vec::with_capacity(choices.len());
    for choice in choices {
        let index = usize::try_from(*choice)
            .ok()
            .filter(|i| *i < poll.options.len())
            .ok_or_else(|| {
                Error::invalid(
                    "choices",
                    format!(
                        "must be option numbers from 0 to {}",
                        poll.options.len().saturating_sub(1)
                    ),
                )
            })?;
        if !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    if !poll.multiple && chosen.len() > 1 {
        return Err(Error::invalid(
            "choices",
            "may name only one option: this poll allows a single choice",
        ));
    }
    if has_voted(db, post_id, voter.id).await? {
        return Err(Error::invalid("poll", "already has your vote"));
    }
    insert_votes(db, post_id, voter.id, &chosen, None, now).await?;
    let poll = if post.local {
        recount(db, post_id).await?
    } else {
        poll
    };
    Ok(Cast {
        post,
        poll,
        choices: chosen,
    })
}

async fn has_voted(db: &impl ConnectionTrait, post_id: i64, account_id: i64) -> Result<bool> {
    Ok(poll_votes::Entity::find()
        .filter(poll_votes::Column::PostId.eq(post_id))
        .filter(poll_votes::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .is_some())
}

async fn insert_votes(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_id: i64,
    choices: &[usize],
    uri: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let rows = choices.iter().map(|choice| poll_votes::ActiveModel {
        post_id: Set(post_id),
        account_id: Set(account_id),
        choice: Set(i32::try_from(*choice).unwrap_or(i32::MAX)),
        uri: Set(uri.map(str::to_owned)),
        created_at: Set(now),
    });
    poll_votes::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                poll_votes::Column::PostId,
                poll_votes::Column::AccountId,
                poll_votes::Column::Choice,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The accounts that voted in the poll of `post_id`, each once.
async fn voters(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<i64>> {
    Ok(poll_votes::Entity::find()
        .filter(poll_votes::Column::PostId.eq(post_id))
        .select_only()
        .column(poll_votes::Column::AccountId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?)
}

/// Counts the votes of the local poll of `post_id` afresh and stores the counts.
async fn recount(db: &impl ConnectionTrait, post_id: i64) -> Result<Poll> {
    let mut poll = get(db, post_id).await?.ok_or(Error::NotFound("poll"))?;
    let per_choice: Vec<(i32, i64)> = poll_votes::Entity::find()
        .filter(poll_votes::Column::PostId.eq(post_id))
        .select_only()
        .column(poll_votes::Column::Choice)
        .column_as(Expr::col(poll_votes::Column::AccountId).count(), "n")
        .group_by(poll_votes::Column::Choice)
        .into_tuple()
        .all(db)
        .await?;
    let voters = voters(db, post_id).await?;
    for (i, option) in poll.options.iter_mut().enumerate() {
        option.votes_count = per_choice
            .iter()
            .find(|(choice, _)| usize::try_from(*choice).ok() == Some(i))
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
    }
    poll.votes_count = poll.options.iter().map(|o| o.votes_count).sum();
    poll.voters_count = Some(voters.len() as u64);
    polls::ActiveModel {
        post_id: Set(post_id),
        options: Set(stored(&poll.options)),
        votes_count: Set(i64::try_from(poll.votes_count).unwrap_or(i64::MAX)),
        voters_count: Set(Some(i64::try_from(voters.len()).unwrap_or(i64::MAX))),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(poll)
}

/// A vote from another server: the remote account `voter_id` chose the option
/// titled `title` in the poll of the local post `post_id`, in the note `uri`.
/// Counted once per person and option; ignored (false) when the poll is not a
/// local one, has ended, has no such option, is single-choice and already has
/// their vote, or is not theirs to see.
pub async fn receive_vote(
    db: &impl ConnectionTrait,
    post_id: i64,
    voter_id: i64,
    title: &str,
    uri: &str,
    now: DateTime<Utc>,
) -> Result<Option<Poll>> {
    let Some(post) = posts::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .map(Post::from)
    else {
        return Ok(None);
    };
    let Some(poll) = get(db, post_id).await? else {
        return Ok(None);
    };
    if !post.local || poll.expired(now) || !is_visible(db, &post, Viewer::Account(voter_id)).await?
    {
        return Ok(None);
    }
    let Some(choice) = poll.options.iter().position(|o| o.title == title.trim()) else {
        return Ok(None);
    };
    let earlier = own_votes(db, voter_id, &[post_id])
        .await?
        .remove(&post_id)
        .unwrap_or_default();
    if earlier.contains(&choice) || (!poll.multiple && !earlier.is_empty()) {
        return Ok(None);
    }
    insert_votes(db, post_id, voter_id, &[choice], Some(uri), now).await?;
    Ok(Some(recount(db, post_id).await?))
}

/// Tells the people concerned of each poll that ended by `now` and was not told
/// yet: its local voters and, for a local poll, its author. The posts whose polls
/// ended (other servers hear of the local ones' end too).
pub async fn end_due(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Post>> {
    let due: Vec<i64> = polls::Entity::find()
        .filter(polls::Column::ExpiresAt.lte(now))
        .filter(polls::Column::EndedToldAt.is_null())
        .select_only()
        .column(polls::Column::PostId)
        .order_by_asc(polls::Column::ExpiresAt)
        .limit(ENDED_PER_ROUND)
        .into_tuple()
        .all(db)
        .await?;
    let mut ended = Vec::new();
    for post_id in due {
        // Claimed by the process whose update takes it, so no one is told twice.
        let claimed = polls::Entity::update_many()
            .col_expr(polls::Column::EndedToldAt, Expr::value(now))
            .filter(polls::Column::PostId.eq(post_id))
            .filter(polls::Column::EndedToldAt.is_null())
            .exec(db)
            .await?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let Some(post) = posts::Entity::find_by_id(post_id)
            .one(db)
            .await?
            .map(Post::from)
        else {
            continue;
        };
        // Only local people are told (`tell` leaves the others out).
        let voters = voters(db, post_id).await?;
        recipients::poll_ended(db, &post, &voters, now).await?;
        ended.push(post);
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(options: &[&str], expires_in: i64) -> NewPoll {
        NewPoll {
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            expires_in,
            multiple: false,
            hide_totals: false,
        }
    }

    #[test]
    fn polls_are_checked_against_the_limits() {
        assert!(check(&new(&["Yes", "No"], 300)).is_ok());
        assert!(check(&new(&["a", "b", "c", "d"], MAX_EXPIRATION)).is_ok());
        for (poll, wanted) in [
            (new(&["Only"], 300), "at least 2 options"),
            (new(&["a", "b", "c", "d", "e"], 300), "at most 4 options"),
            (new(&["a", &"x".repeat(51)], 300), "at most 50 characters"),
            (new(&["a", " "], 300), "must not be blank"),
            (new(&["a", "a"], 300), "differ"),
            (new(&["a", "b"], 299), "at least 300 seconds"),
            (new(&["a", "b"], MAX_EXPIRATION + 1), "at most"),
        ] {
            let refused = check(&poll).unwrap_err().to_string();
            assert!(refused.contains(wanted), "{refused} should say {wanted}");
        }
    }

    #[test]
    fn hidden_totals_show_once_the_poll_ends_or_to_its_author() {
        let now = Utc::now();
        let mut poll = Poll {
            post_id: 1,
            expires_at: Some(now + TimeDelta::minutes(5)),
            multiple: false,
            hide_totals: true,
            options: Vec::new(),
            votes_count: 0,
            voters_count: Some(0),
        };
        assert!(!poll.totals_shown(now, false));
        assert!(poll.totals_shown(now, true));
        poll.expires_at = Some(now - TimeDelta::minutes(1));
        assert!(poll.totals_shown(now, false));
    }
}
