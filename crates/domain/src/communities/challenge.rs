//! Challenges: a featured prompt discussed under a hashtag between two dates ("this
//! month: raising the aspirations of disadvantaged pupils, #ambitionfeed"), run by a
//! trust or network. The current ones are shown to apps as announcements, which
//! each person may dismiss.

use chrono::{DateTime, Utc};
use pulldown_cmark::{Event, Options, Parser, Tag, html};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    RelationTrait, Set,
};

use crate::directory::{self, Editor};
use crate::entities::{accounts, challenge_dismissals, challenges, post_tags, posts};
use crate::posts::compose::{is_hashtag, normalize_tag};
use crate::visibility::timeline::listed;
use crate::{Error, Result, id, moderation::domain_policy, posts::tag};

/// The most characters of a challenge's title.
pub const MAX_TITLE_CHARS: usize = 200;
/// The most characters of a challenge's description (Markdown).
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// The most characters of the name of who runs a challenge.
pub const MAX_RUN_BY_CHARS: usize = 200;
/// The most past challenges one page lists.
pub const MAX_PAGE: u64 = 40;

/// A challenge as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub id: i64,
    pub title: String,
    /// As written, in Markdown.
    pub description: String,
    /// Normalised, without `#`.
    pub hashtag: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The trust or network that runs it.
    pub run_by: String,
    /// The trust of the directory that runs it, whose admins may change it.
    pub trust_id: Option<i64>,
    /// The instance whose feed of the hashtag the discussion gathers around, when
    /// it is not this one.
    pub feed_host: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<challenges::Model> for Challenge {
    fn from(row: challenges::Model) -> Self {
        Self {
            id: row.id,
            title: row.title,
            description: row.description,
            hashtag: row.hashtag,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            run_by: row.run_by,
            trust_id: row.trust_id,
            feed_host: row.feed_host,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

impl Challenge {
    /// The description as HTML: Markdown rendered, any HTML typed in it shown as
    /// text, links only to web and mail addresses.
    pub fn description_html(&self) -> String {
        render_markdown(&self.description)
    }

    /// Whether the challenge runs at `now`.
    pub fn is_current(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

/// `markdown` as HTML, with raw HTML escaped and unsafe link targets dropped.
pub fn render_markdown(markdown: &str) -> String {
    let safe_target = |url: &str| {
        let lower = url.trim().to_ascii_lowercase();
        ["https://", "http://", "mailto:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
    };
    let events =
        Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_target(&dest_url) => Event::Start(Tag::Link {
                link_type,
                dest_url: "".into(),
                title,
                id,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => Event::Text(dest_url),
            Event::End(pulldown_cmark::TagEnd::Image) => Event::Text("".into()),
            other => other,
        });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// A date or time as an administrator types it for `field`: RFC 3339
/// (`2026-11-01T09:00:00Z`) or a day (`2026-11-01`), which starts at midnight UTC,
/// or, for the end of a challenge (`is_end`), ends at the following midnight.
pub fn parse_when(value: &str, field: &'static str, is_end: bool) -> Result<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at.with_timezone(&Utc));
    }
    match chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(day) => {
            let day = if is_end {
                day.succ_opt().unwrap_or(day)
            } else {
                day
            };
            Ok(day.and_time(chrono::NaiveTime::MIN).and_utc())
        }
        Err(_) => Err(Error::invalid(
            field,
            "must be a date (2026-11-01) or a time (2026-11-01T09:00:00Z)",
        )),
    }
}

/// What a new challenge is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChallenge {
    pub title: String,
    pub description: String,
    /// With or without `#`, any case.
    pub hashtag: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Who runs it; when empty, the name of `trust_id`.
    pub run_by: String,
    /// The trust that runs it: its admins may feature and change it.
    pub trust_id: Option<i64>,
    pub feed_host: Option<String>,
}

fn check_length(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("is too long: use at most {max} characters"),
        ));
    }
    Ok(())
}

/// Refuses unless `editor` may feature or change a challenge run by the trust
/// `trust_id` (its admins, and instance admins), or by no trust (instance admins).
async fn require_organiser(
    db: &impl ConnectionTrait,
    editor: Editor,
    trust_id: Option<i64>,
) -> Result<()> {
    let allowed = match trust_id {
        Some(trust_id) => directory::may_edit_trust(db, editor, trust_id).await?,
        None => directory::is_instance_admin(db, editor).await?,
    };
    if allowed {
        Ok(())
    } else if trust_id.is_some() {
        Err(Error::Forbidden(
            "only an admin of its trust or of this instance may do this".into(),
        ))
    } else {
        Err(Error::Forbidden(
            "only an admin of this instance may feature a challenge for no trust".into(),
        ))
    }
}

/// Creates the challenge `new` for `editor` (an instance admin, or an admin of the
/// trust that runs it). Its hashtag is made known here, so that its feed exists
/// before anyone uses it.
pub async fn create(
    db: &impl ConnectionTrait,
    editor: Editor,
    mut new: NewChallenge,
    now: DateTime<Utc>,
) -> Result<Challenge> {
    if let Some(trust_id) = new.trust_id {
        let trust = directory::trust::get(db, trust_id).await?;
        if !trust.account.is_local() {
            return Err(Error::invalid("trust_id", "is a trust of another instance"));
        }
        if new.run_by.trim().is_empty() {
            new.run_by = trust.name;
        }
    }
    require_organiser(db, editor, new.trust_id).await?;
    check_length("title", &new.title, MAX_TITLE_CHARS)?;
    check_length("description", &new.description, MAX_DESCRIPTION_CHARS)?;
    check_length("run_by", &new.run_by, MAX_RUN_BY_CHARS)?;
    let hashtag = normalize_tag(new.hashtag.trim());
    if !is_hashtag(&hashtag) {
        return Err(Error::invalid("hashtag", "is not a valid hashtag"));
    }
    if new.ends_at <= new.starts_at {
        return Err(Error::invalid("ends_at", "must be after starts_at"));
    }
    let feed_host = match new.feed_host.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(host) => Some(
            domain_policy::normalize(host)
                .map_err(|_| Error::invalid("feed_host", "is not a domain name"))?,
        ),
    };
    tag::find_or_create(db, &hashtag, now).await?;
    let row = challenges::ActiveModel {
        id: Set(id::new_id(now)),
        title: Set(new.title.trim().to_owned()),
        description: Set(new.description),
        hashtag: Set(hashtag),
        starts_at: Set(new.starts_at),
        ends_at: Set(new.ends_at),
        run_by: Set(new.run_by.trim().to_owned()),
        feed_host: Set(feed_host),
        trust_id: Set(new.trust_id),
        created_by: Set(match editor {
            Editor::Account(id) => Some(id),
            Editor::Operator => None,
        }),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let inserted = challenges::Entity::insert(row)
        .exec_with_returning(db)
        .await?;
    Ok(inserted.into())
}

/// What an edit of a challenge changes: each field given replaces the stored
/// one. The hashtag and the instance hosting its feed stay as they were: the
/// discussion already gathers under them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChallengeChange {
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub run_by: Option<String>,
}

/// Edits the challenge `id` for `editor` (an instance admin, or an admin of its
/// trust); to end it early, set `ends_at` to now.
pub async fn update(
    db: &impl ConnectionTrait,
    editor: Editor,
    id: i64,
    change: ChallengeChange,
    now: DateTime<Utc>,
) -> Result<Challenge> {
    use sea_orm::ActiveModelTrait;
    let current = get(db, id).await?;
    require_organiser(db, editor, current.trust_id).await?;
    let mut row = challenges::ActiveModel {
        id: Set(id),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(title) = change.title {
        check_length("title", &title, MAX_TITLE_CHARS)?;
        row.title = Set(title.trim().to_owned());
    }
    if let Some(description) = change.description {
        check_length("description", &description, MAX_DESCRIPTION_CHARS)?;
        row.description = Set(description);
    }
    if let Some(run_by) = change.run_by {
        check_length("run_by", &run_by, MAX_RUN_BY_CHARS)?;
        row.run_by = Set(run_by.trim().to_owned());
    }
    let starts_at = change.starts_at.unwrap_or(current.starts_at);
    let ends_at = change.ends_at.unwrap_or(current.ends_at);
    if ends_at <= starts_at {
        return Err(Error::invalid("ends_at", "must be after starts_at"));
    }
    row.starts_at = Set(starts_at);
    row.ends_at = Set(ends_at);
    Ok(row.update(db).await?.into())
}

/// Removes the challenge `id` for `editor` (an instance admin, or an admin of its
/// trust); the posts under its hashtag stay.
pub async fn delete(db: &impl ConnectionTrait, editor: Editor, id: i64) -> Result<()> {
    let current = get(db, id).await?;
    require_organiser(db, editor, current.trust_id).await?;
    let deleted = challenges::Entity::delete_by_id(id).exec(db).await?;
    if deleted.rows_affected == 0 {
        return Err(Error::NotFound("challenge"));
    }
    Ok(())
}

/// The challenge `id`.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Challenge> {
    challenges::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Challenge::from)
        .ok_or(Error::NotFound("challenge"))
}

/// The challenges running at `now`, the latest started first.
pub async fn current(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Challenge>> {
    Ok(challenges::Entity::find()
        .filter(challenges::Column::StartsAt.lte(now))
        .filter(challenges::Column::EndsAt.gt(now))
        .order_by_desc(challenges::Column::StartsAt)
        .limit(MAX_PAGE)
        .all(db)
        .await?
        .into_iter()
        .map(Challenge::from)
        .collect())
}

/// The challenges that start after `now`, the soonest first.
pub async fn upcoming(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<Challenge>> {
    Ok(challenges::Entity::find()
        .filter(challenges::Column::StartsAt.gt(now))
        .order_by_asc(challenges::Column::StartsAt)
        .limit(MAX_PAGE)
        .all(db)
        .await?
        .into_iter()
        .map(Challenge::from)
        .collect())
}

/// Challenges that ended before `now`, the latest ended first, skipping `offset`.
pub async fn past(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    offset: u64,
    limit: u64,
) -> Result<Vec<Challenge>> {
    Ok(challenges::Entity::find()
        .filter(challenges::Column::EndsAt.lte(now))
        .order_by_desc(challenges::Column::EndsAt)
        .order_by_desc(challenges::Column::Id)
        .offset(offset)
        .limit(limit.clamp(1, MAX_PAGE))
        .all(db)
        .await?
        .into_iter()
        .map(Challenge::from)
        .collect())
}

/// How one instance took part in a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// `None` for this instance.
    pub domain: Option<String>,
    /// Public posts with the hashtag written while the challenge ran.
    pub posts: u64,
    /// The people who wrote them.
    pub participants: u64,
}

/// Who took part in `challenge`, instance by instance (this one first, then the
/// most active), counting the public posts with its hashtag written while it ran
/// that this instance knows and lists in public timelines.
pub async fn participation(
    db: &impl ConnectionTrait,
    challenge: &Challenge,
) -> Result<Vec<Participation>> {
    let Some(tag) = tag::find(db, &challenge.hashtag).await? else {
        return Ok(Vec::new());
    };
    let tagged = post_tags::Entity::find()
        .filter(post_tags::Column::TagId.eq(tag.id))
        .select_only()
        .column(post_tags::Column::PostId)
        .into_query();
    let rows: Vec<(Option<String>, i64, i64)> = listed(posts::Entity::find(), None)
        .join(sea_orm::JoinType::InnerJoin, posts::Relation::Account.def())
        .filter(posts::Column::Id.in_subquery(tagged))
        .filter(posts::Column::CreatedAt.gte(challenge.starts_at))
        .filter(posts::Column::CreatedAt.lt(challenge.ends_at))
        .select_only()
        .column(accounts::Column::Domain)
        .column_as(posts::Column::Id.count(), "posts")
        .column_as(
            Expr::cust("COUNT(DISTINCT posts.account_id)"),
            "participants",
        )
        .group_by(accounts::Column::Domain)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<Participation> = rows
        .into_iter()
        .map(|(domain, posts, participants)| Participation {
            domain,
            posts: u64::try_from(posts).unwrap_or(0),
            participants: u64::try_from(participants).unwrap_or(0),
        })
        .collect();
    out.sort_by(|a, b| {
        (a.domain.is_some(), std::cmp::Reverse(a.posts), &a.domain).cmp(&(
            b.domain.is_some(),
            std::cmp::Reverse(b.posts),
            &b.domain,
        ))
    });
    Ok(out)
}

/// The person `account_id` has read the announcement of `challenge_id`.
pub async fn dismiss(db: &impl ConnectionTrait, account_id: i64, challenge_id: i64) -> Result<()> {
    get(db, challenge_id).await?;
    challenge_dismissals::Entity::insert(challenge_dismissals::ActiveModel {
        account_id: Set(account_id),
        challenge_id: Set(challenge_id),
    })
    .on_conflict(
        OnConflict::columns([
            challenge_dismissals::Column::AccountId,
            challenge_dismissals::Column::ChallengeId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Which of `challenge_ids` the person `account_id` has dismissed.
pub async fn dismissed(
    db: &impl ConnectionTrait,
    account_id: i64,
    challenge_ids: &[i64],
) -> Result<Vec<i64>> {
    Ok(challenge_dismissals::Entity::find()
        .filter(challenge_dismissals::Column::AccountId.eq(account_id))
        .filter(challenge_dismissals::Column::ChallengeId.is_in(challenge_ids.iter().copied()))
        .select_only()
        .column(challenge_dismissals::Column::ChallengeId)
        .into_tuple()
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_at_midnight_and_an_end_day_is_included() {
        let start = parse_when("2026-11-01", "starts_at", false).unwrap();
        let end = parse_when("2026-11-30", "ends_at", true).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-12-01T00:00:00+00:00");
        let exact = parse_when("2026-11-01T09:30:00+01:00", "starts_at", false).unwrap();
        assert_eq!(exact.to_rfc3339(), "2026-11-01T08:30:00+00:00");
        assert!(parse_when("next week", "starts_at", false).is_err());
    }

    #[test]
    fn markdown_is_rendered_without_raw_html_or_script_links() {
        let html = render_markdown(
            "**Raise** aspirations: [guide](https://example.org/g) <script>x</script> [bad](javascript:alert(1))",
        );
        assert!(html.contains("<strong>Raise</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.org/g">guide</a>"#),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
