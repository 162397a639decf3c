//! Events: a post's residential, school visit or conference, with its title,
//! description, start and end in a time zone, place (an address, an online link
//! or both), capacity, organiser (the post's author) and how people join (freely,
//! on the organiser's approval, or on another site); and the answers people give
//! (going, interested, not going), with a waiting list once it is full.
//!
//! An event is a post, so who may see it, answer it, reply to it or delete it
//! follows the post's rules. A local event keeps its participants here and counts
//! them; another server's event keeps the count that server last sent, and a
//! person here who asks to go waits until that server accepts them.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::post::{Post, Visibility};
use crate::accounts::account::Account;
use crate::entities::{event_participations, events, posts};
use crate::html::escape;
use crate::visibility::post::{Viewer, find_visible, is_visible};
use crate::{Error, Result};

/// The most characters of a title.
pub const MAX_TITLE_CHARS: usize = 200;
/// The most characters of a description.
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// The most characters of a place's name, of an address, or of a link.
pub const MAX_PLACE_CHARS: usize = 500;
/// The most people an event may take.
pub const MAX_CAPACITY: i64 = 100_000;
/// The longest an event may last (a residential, a conference): 31 days.
pub const MAX_DAYS: i64 = 31;
/// The most events listed at once.
pub const MAX_PAGE: u64 = 100;
/// How long before an event those going are reminded of it.
pub const REMINDER_BEFORE: TimeDelta = TimeDelta::hours(24);
/// The most characters kept of another server's title or place.
const MAX_REMOTE_CHARS: usize = 500;
/// The most events reminded in one round of [`remind_due`].
const REMINDED_PER_ROUND: u64 = 100;

/// How people join an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinMode {
    /// Anyone who can see it may go (until it is full).
    Free,
    /// The organiser approves each person.
    Restricted,
    /// Places are booked on another site (`external_url`).
    External,
}

impl JoinMode {
    /// The name used in the API and by Mobilizon (`joinMode`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Restricted => "restricted",
            Self::External => "external",
        }
    }

    /// The mode called `name` (Mobilizon's `invite` is read as restricted).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "free" => Some(Self::Free),
            "restricted" | "invite" => Some(Self::Restricted),
            "external" => Some(Self::External),
            _ => None,
        }
    }
}

/// Where a person stands with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Going,
    Interested,
    NotGoing,
    /// Asked to go when it was full: goes when a place frees up.
    Waiting,
    /// Asked to go: waits for the organiser (or the event's server) to accept.
    Pending,
    /// The organiser (or the event's server) declined.
    Rejected,
}

impl Status {
    /// The name used in the API and stored.
    pub fn name(self) -> &'static str {
        match self {
            Self::Going => "going",
            Self::Interested => "interested",
            Self::NotGoing => "not_going",
            Self::Waiting => "waiting",
            Self::Pending => "pending",
            Self::Rejected => "rejected",
        }
    }

    /// The status called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Going,
            Self::Interested,
            Self::NotGoing,
            Self::Waiting,
            Self::Pending,
            Self::Rejected,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }

    /// Whether the person asked to go (and has not been turned away).
    pub fn wants_to_go(self) -> bool {
        matches!(self, Self::Going | Self::Waiting | Self::Pending)
    }
}

/// What a person answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Going,
    Interested,
    NotGoing,
}

impl Answer {
    /// The answer called `name` (`going`, `interested`, `not_going`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "going" => Some(Self::Going),
            "interested" => Some(Self::Interested),
            "not_going" => Some(Self::NotGoing),
            _ => None,
        }
    }
}

/// A post's event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub post_id: i64,
    pub title: String,
    /// Sanitised HTML.
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// An IANA time zone name; times are shown in it.
    pub timezone: String,
    pub place_name: Option<String>,
    pub address: Option<String>,
    pub online_url: Option<String>,
    /// How many may go; `None` for no limit.
    pub capacity: Option<u64>,
    pub join_mode: JoinMode,
    /// Where places are booked, for [`JoinMode::External`].
    pub external_url: Option<String>,
    /// How many are going (for another server's event, as it last said).
    pub participant_count: u64,
}

impl From<events::Model> for Event {
    fn from(row: events::Model) -> Self {
        Self {
            post_id: row.post_id,
            title: row.title,
            description: row.description,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            timezone: row.timezone,
            place_name: row.place_name,
            address: row.address,
            online_url: row.online_url,
            capacity: row.capacity.and_then(|c| u64::try_from(c).ok()),
            join_mode: JoinMode::from_name(&row.join_mode).unwrap_or(JoinMode::Free),
            external_url: row.external_url,
            participant_count: u64::try_from(row.participant_count).unwrap_or(0),
        }
    }
}

impl Event {
    /// Whether it has ended at `now`.
    pub fn ended(&self, now: DateTime<Utc>) -> bool {
        self.ends_at <= now
    }

    /// Places left, when it has a capacity.
    pub fn remaining(&self) -> Option<u64> {
        self.capacity
            .map(|c| c.saturating_sub(self.participant_count))
    }

    /// Its time zone (UTC when the name is unknown).
    pub fn tz(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }

    /// When it runs, in its time zone: `Thu 4 March 2027, 09:00–16:00 (Europe/London)`,
    /// or with both dates when it ends on another day.
    pub fn when(&self) -> String {
        let tz = self.tz();
        let start = self.starts_at.with_timezone(&tz);
        let end = self.ends_at.with_timezone(&tz);
        let day = "%a %-d %B %Y";
        if start.date_naive() == end.date_naive() {
            format!(
                "{}, {}–{} ({})",
                start.format(day),
                start.format("%H:%M"),
                end.format("%H:%M"),
                tz.name()
            )
        } else {
            format!(
                "{}, {} – {}, {} ({})",
                start.format(day),
                start.format("%H:%M"),
                end.format(day),
                end.format("%H:%M"),
                tz.name()
            )
        }
    }

    /// Where it happens, as text: the place's name and address, and `Online`
    /// when it has a link.
    pub fn place_text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(name) = self.place_name.as_deref() {
            parts.push(name);
        }
        if let Some(address) = self.address.as_deref() {
            parts.push(address);
        }
        if self.online_url.is_some() {
            parts.push("Online");
        }
        parts.join(", ")
    }

    /// The text of its post, as HTML: the title, when, where (the online link
    /// linked), the description, and a link to `page`, its event page.
    pub fn status_html(&self, page: &str) -> String {
        let mut html = format!("<p><strong>{}</strong></p>", escape(&self.title));
        html.push_str(&format!("<p>When: {}", escape(&self.when())));
        let mut place: Vec<String> = Vec::new();
        if let Some(name) = self.place_name.as_deref() {
            place.push(escape(name));
        }
        if let Some(address) = self.address.as_deref() {
            place.push(escape(address));
        }
        if let Some(online) = self.online_url.as_deref() {
            place.push(format!(
                "online at <a href=\"{0}\" rel=\"nofollow noopener noreferrer\">{0}</a>",
                escape(online)
            ));
        }
        if !place.is_empty() {
            html.push_str(&format!("<br>Where: {}", place.join(", ")));
        }
        html.push_str("</p>");
        html.push_str(&self.description);
        html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(page)));
        html
    }
}

/// An event as its local organiser asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    /// Plain text; paragraphs separated by blank lines.
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// An IANA time zone name.
    pub timezone: String,
    pub place_name: Option<String>,
    pub address: Option<String>,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
    pub join_mode: JoinMode,
    pub external_url: Option<String>,
}

/// Whether `name` is a time zone known here (IANA names, such as `Europe/London`).
pub fn known_timezone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

/// Reads `local`, a date and time without zone as a form gives it
/// (`2027-03-04T09:00`), in the time zone called `timezone`.
pub fn local_time(local: &str, timezone: &str) -> Result<DateTime<Utc>> {
    let tz: Tz = timezone
        .parse()
        .map_err(|_| Error::invalid("timezone", "is not a known time zone"))?;
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| Error::invalid("time", "must be a date and time such as 2027-03-04T09:00"))?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| Error::invalid("time", "does not exist in that time zone"))
}

fn check_link(field: &'static str, link: Option<&str>) -> Result<()> {
    if let Some(link) = link {
        if link.chars().count() > MAX_PLACE_CHARS {
            return Err(Error::invalid(
                field,
                format!("is too long: use at most {MAX_PLACE_CHARS} characters"),
            ));
        }
        let lower = link.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://"))
            || link.chars().any(char::is_whitespace)
        {
            return Err(Error::invalid(field, "must be a web address (https://...)"));
        }
    }
    Ok(())
}

/// Whether `new` is an event Staffroom runs at `now`: a title, a description of
/// at most 5,000 characters, a known time zone, an end after its start (at most
/// 31 days after) and not yet past, a place or an online link, a capacity from 1
/// to 100,000, and a booking link for one booked elsewhere.
pub fn check(new: &NewEvent, now: DateTime<Utc>) -> Result<()> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Error::invalid("title", "must not be blank"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            "title",
            format!("is too long: use at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    if new.description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::invalid(
            "description",
            format!("is too long: use at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    if new.timezone.parse::<Tz>().is_err() {
        return Err(Error::invalid(
            "timezone",
            "is not a known time zone (such as Europe/London)",
        ));
    }
    if new.ends_at <= new.starts_at {
        return Err(Error::invalid("ends_at", "must be after starts_at"));
    }
    if new.ends_at - new.starts_at > TimeDelta::days(MAX_DAYS) {
        return Err(Error::invalid(
            "ends_at",
            format!("must be at most {MAX_DAYS} days after starts_at"),
        ));
    }
    if new.ends_at <= now {
        return Err(Error::invalid("ends_at", "is already past"));
    }
    for (field, value) in [("place_name", &new.place_name), ("address", &new.address)] {
        if value
            .as_deref()
            .is_some_and(|v| v.chars().count() > MAX_PLACE_CHARS)
        {
            return Err(Error::invalid(
                field,
                format!("is too long: use at most {MAX_PLACE_CHARS} characters"),
            ));
        }
    }
    check_link("online_url", new.online_url.as_deref())?;
    check_link("external_url", new.external_url.as_deref())?;
    if new.place_name.is_none() && new.address.is_none() && new.online_url.is_none() {
        return Err(Error::invalid(
            "place",
            "is missing: give a place's name, an address or an online link",
        ));
    }
    if let Some(capacity) = new.capacity
        && !(1..=MAX_CAPACITY).contains(&capacity)
    {
        return Err(Error::invalid(
            "capacity",
            format!("must be from 1 to {MAX_CAPACITY}"),
        ));
    }
    if new.join_mode == JoinMode::External && new.external_url.is_none() {
        return Err(Error::invalid(
            "external_url",
            "is needed when places are booked elsewhere (join_mode external)",
        ));
    }
    Ok(())
}

/// `new` (checked with [`check`]) as the event of post `post_id`, not yet stored.
pub(crate) fn prepare(post_id: i64, new: &NewEvent) -> Event {
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    Event {
        post_id,
        title: new.title.trim().to_owned(),
        description: crate::html::paragraphs(&new.description),
        // Whole seconds, as other servers and calendars write times.
        starts_at: new.starts_at.with_nanosecond(0).unwrap_or(new.starts_at),
        ends_at: new.ends_at.with_nanosecond(0).unwrap_or(new.ends_at),
        timezone: new.timezone.clone(),
        place_name: trimmed(&new.place_name),
        address: trimmed(&new.address),
        online_url: trimmed(&new.online_url),
        capacity: new.capacity.and_then(|c| u64::try_from(c).ok()),
        join_mode: new.join_mode,
        external_url: trimmed(&new.external_url),
        participant_count: 0,
    }
}

fn row_of(event: &Event) -> events::ActiveModel {
    events::ActiveModel {
        post_id: Set(event.post_id),
        title: Set(event.title.clone()),
        description: Set(event.description.clone()),
        starts_at: Set(event.starts_at),
        ends_at: Set(event.ends_at),
        timezone: Set(event.timezone.clone()),
        place_name: Set(event.place_name.clone()),
        address: Set(event.address.clone()),
        online_url: Set(event.online_url.clone()),
        capacity: Set(event.capacity.and_then(|c| i64::try_from(c).ok())),
        join_mode: Set(event.join_mode.name().to_owned()),
        external_url: Set(event.external_url.clone()),
        participant_count: Set(i64::try_from(event.participant_count).unwrap_or(i64::MAX)),
        reminded_at: Set(None),
    }
}

/// Stores `event`, made by [`prepare`], for its new local post.
pub(crate) async fn create(db: &impl ConnectionTrait, event: &Event) -> Result<()> {
    row_of(event).insert(db).await?;
    Ok(())
}

/// Changes the local event of post `id`, organised by `author`, to `new`
/// (checked as a new event is): its title, description, times, place,
/// capacity and join mode, and its post's text with them. Who answered stays;
/// the post as it now is, for its `Update`.
pub async fn edit_local(
    db: &impl ConnectionTrait,
    author: &Account,
    id: i64,
    new: &NewEvent,
    links: &(dyn super::compose::Links + Sync),
) -> Result<Post> {
    let existing = posts::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == author.id && row.local)
        .ok_or(Error::NotFound("event"))?;
    let before = get(db, id).await?.ok_or(Error::NotFound("event"))?;
    let now = Utc::now();
    check(new, now)?;
    let mut event = prepare(id, new);
    event.participant_count = before.participant_count;
    let mut changed = row_of(&event);
    // A new start is reminded of again.
    if event.starts_at == before.starts_at {
        changed.reminded_at = sea_orm::ActiveValue::NotSet;
    }
    changed.update(db).await?;
    let mut row: posts::ActiveModel = existing.into();
    row.content = Set(event.status_html(&links.event(id)));
    row.source = Set(Some(new.description.clone()));
    row.edited_at = Set(Some(now));
    Ok(Post::from(row.update(db).await?))
}

/// Another server's event as its `Event` says, already read by the federation
/// layer (its description cleaned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteEvent {
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub timezone: Option<String>,
    pub place_name: Option<String>,
    pub address: Option<String>,
    pub online_url: Option<String>,
    pub capacity: Option<u64>,
    pub join_mode: JoinMode,
    pub external_url: Option<String>,
    pub participant_count: u64,
}

impl RemoteEvent {
    /// As an [`Event`] of post `post_id`: cut to what is kept, its end an hour
    /// after its start when it has none, its time zone UTC when unknown.
    pub fn to_event(&self, post_id: i64) -> Event {
        let cut = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| v.chars().take(MAX_REMOTE_CHARS).collect::<String>())
        };
        Event {
            post_id,
            title: self.title.trim().chars().take(MAX_REMOTE_CHARS).collect(),
            description: self.description.clone(),
            starts_at: self.starts_at,
            ends_at: self
                .ends_at
                .filter(|end| *end > self.starts_at)
                .unwrap_or(self.starts_at + TimeDelta::hours(1)),
            timezone: self
                .timezone
                .as_deref()
                .filter(|tz| tz.parse::<Tz>().is_ok())
                .unwrap_or("UTC")
                .to_owned(),
            place_name: cut(&self.place_name),
            address: cut(&self.address),
            online_url: cut(&self.online_url),
            capacity: self.capacity.filter(|c| *c > 0),
            join_mode: self.join_mode,
            external_url: cut(&self.external_url),
            participant_count: self.participant_count,
        }
    }
}

/// Stores (or refreshes) the event of the remote post `post_id`.
pub(crate) async fn upsert_remote(
    db: &impl ConnectionTrait,
    post_id: i64,
    remote: &RemoteEvent,
) -> Result<()> {
    let event = remote.to_event(post_id);
    let mut row = row_of(&event);
    if events::Entity::find_by_id(post_id).one(db).await?.is_some() {
        // Whether those going were reminded is this instance's own record.
        row.reminded_at = sea_orm::ActiveValue::NotSet;
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// The event of post `post_id`, if it has one.
pub async fn get(db: &impl ConnectionTrait, post_id: i64) -> Result<Option<Event>> {
    Ok(events::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .map(Event::from))
}

/// The events of the posts `ids` that have one, by post id.
pub async fn of_posts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<HashMap<i64, Event>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(events::Entity::find()
        .filter(events::Column::PostId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.post_id, Event::from(row)))
        .collect())
}

/// How many people stand where, for an event of this instance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub going: u64,
    pub interested: u64,
    pub waiting: u64,
    pub pending: u64,
}

/// The counts of the participations of `post_id`.
pub async fn counts(db: &impl ConnectionTrait, post_id: i64) -> Result<Counts> {
    let rows: Vec<(String, i64)> = event_participations::Entity::find()
        .filter(event_participations::Column::PostId.eq(post_id))
        .select_only()
        .column(event_participations::Column::Status)
        .column_as(
            Expr::col(event_participations::Column::AccountId).count(),
            "n",
        )
        .group_by(event_participations::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts = Counts::default();
    for (status, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        match Status::from_name(&status) {
            Some(Status::Going) => counts.going = n,
            Some(Status::Interested) => counts.interested = n,
            Some(Status::Waiting) => counts.waiting = n,
            Some(Status::Pending) => counts.pending = n,
            _ => {}
        }
    }
    Ok(counts)
}

/// Where `account_id` stands with the events of the posts `ids`, by post id
/// (events they never answered are left out).
pub async fn own_statuses(
    db: &impl ConnectionTrait,
    account_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, Status>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(event_participations::Entity::find()
        .filter(event_participations::Column::AccountId.eq(account_id))
        .filter(event_participations::Column::PostId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| Status::from_name(&row.status).map(|s| (row.post_id, s)))
        .collect())
}

/// One person's participation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub post_id: i64,
    pub account_id: i64,
    pub status: Status,
    /// The id of the `Join` that carries it between servers.
    pub uri: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<event_participations::Model> for Participation {
    fn from(row: event_participations::Model) -> Self {
        Self {
            post_id: row.post_id,
            account_id: row.account_id,
            status: Status::from_name(&row.status).unwrap_or(Status::NotGoing),
            uri: row.uri,
            updated_at: row.updated_at,
        }
    }
}

async fn participation(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_id: i64,
) -> Result<Option<Participation>> {
    Ok(
        event_participations::Entity::find_by_id((post_id, account_id))
            .one(db)
            .await?
            .map(Participation::from),
    )
}

/// The participations of `post_id` with the status `status`, the earliest first.
pub async fn participants(
    db: &impl ConnectionTrait,
    post_id: i64,
    status: Status,
    limit: u64,
) -> Result<Vec<Participation>> {
    Ok(event_participations::Entity::find()
        .filter(event_participations::Column::PostId.eq(post_id))
        .filter(event_participations::Column::Status.eq(status.name()))
        .order_by_asc(event_participations::Column::UpdatedAt)
        .order_by_asc(event_participations::Column::AccountId)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(Participation::from)
        .collect())
}

/// The participation that the `Join` `uri` carries, if any.
pub async fn find_by_uri(db: &impl ConnectionTrait, uri: &str) -> Result<Option<Participation>> {
    Ok(event_participations::Entity::find()
        .filter(event_participations::Column::Uri.eq(uri))
        .one(db)
        .await?
        .map(Participation::from))
}

async fn set_status(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_id: i64,
    status: Status,
    uri: Option<Option<String>>,
    now: DateTime<Utc>,
) -> Result<()> {
    let existing = participation(db, post_id, account_id).await?;
    let mut row = event_participations::ActiveModel {
        post_id: Set(post_id),
        account_id: Set(account_id),
        status: Set(status.name().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(uri) = uri {
        row.uri = Set(uri);
    }
    if existing.is_some() {
        row.update(db).await?;
    } else {
        row.created_at = Set(now);
        if row.uri.is_not_set() {
            row.uri = Set(None);
        }
        row.insert(db).await?;
    }
    Ok(())
}

/// Counts those going to the local event `post_id` afresh and stores the count.
async fn recount(db: &impl ConnectionTrait, post_id: i64) -> Result<Event> {
    let going = counts(db, post_id).await?.going;
    events::Entity::update_many()
        .col_expr(
            events::Column::ParticipantCount,
            Expr::value(i64::try_from(going).unwrap_or(i64::MAX)),
        )
        .filter(events::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    get(db, post_id).await?.ok_or(Error::NotFound("event"))
}

/// Moves people from the waiting list of the local event `post_id` to going while
/// places are free; those moved, in order.
async fn promote(
    db: &impl ConnectionTrait,
    post_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Participation>> {
    let event = recount(db, post_id).await?;
    let free = match event.remaining() {
        Some(0) => return Ok(Vec::new()),
        Some(free) => free,
        None => MAX_CAPACITY as u64,
    };
    let moved = participants(db, post_id, Status::Waiting, free).await?;
    for one in &moved {
        set_status(db, post_id, one.account_id, Status::Going, None, now).await?;
    }
    if !moved.is_empty() {
        recount(db, post_id).await?;
    }
    Ok(moved
        .into_iter()
        .map(|p| Participation {
            status: Status::Going,
            updated_at: now,
            ..p
        })
        .collect())
}

/// What an answer changed.
#[derive(Debug, Clone)]
pub struct Change {
    pub post: Post,
    /// The event as it now is.
    pub event: Event,
    /// Where the person stood before.
    pub before: Option<Status>,
    /// Where they stand now.
    pub after: Status,
    /// The `Join` id of their participation.
    pub uri: Option<String>,
    /// Others moved from the waiting list to going by it.
    pub promoted: Vec<Participation>,
}

/// Where someone who asks to go to the local `event` lands: pending when the
/// organiser approves each person, waiting when it is full, going otherwise.
async fn landing(
    db: &impl ConnectionTrait,
    event: &Event,
    post: &Post,
    account_id: i64,
) -> Result<Status> {
    if event.join_mode == JoinMode::Restricted && account_id != post.account_id {
        return Ok(Status::Pending);
    }
    let going = counts(db, event.post_id).await?.going;
    Ok(match event.capacity {
        Some(capacity) if going >= capacity => Status::Waiting,
        _ => Status::Going,
    })
}

/// `who` (a local account) answers the event of post `post_id`. Refused when they
/// cannot see the post (`NotFound`), when it has ended, when they ask to go to an
/// event booked elsewhere, or when its organiser declined them. For another
/// server's event, going waits for that server (pending) and carries the `Join`
/// id `join_uri`.
pub async fn respond(
    db: &impl ConnectionTrait,
    who: &Account,
    post_id: i64,
    answer: Answer,
    join_uri: &str,
    now: DateTime<Utc>,
) -> Result<Change> {
    let post = find_visible(db, post_id, Viewer::Account(who.id)).await?;
    let event = get(db, post_id).await?.ok_or(Error::NotFound("event"))?;
    if event.ended(now) {
        return Err(Error::invalid("event", "has already ended"));
    }
    let before = participation(db, post_id, who.id).await?;
    let before_status = before.as_ref().map(|p| p.status);
    if before_status == Some(Status::Rejected) {
        return Err(Error::Forbidden(
            "the organiser has declined your participation".into(),
        ));
    }
    if answer == Answer::Going && event.join_mode == JoinMode::External {
        return Err(Error::invalid(
            "rsvp",
            format!(
                "cannot be given here: places are booked at {}",
                event
                    .external_url
                    .as_deref()
                    .unwrap_or("the organiser's site")
            ),
        ));
    }
    let uri = before.as_ref().and_then(|p| p.uri.clone());
    let (after, uri) = match answer {
        Answer::Going if before_status.is_some_and(Status::wants_to_go) => {
            (before_status.unwrap_or(Status::Going), uri)
        }
        Answer::Going if post.local => (landing(db, &event, &post, who.id).await?, None),
        Answer::Going => (Status::Pending, Some(join_uri.to_owned())),
        Answer::Interested => (Status::Interested, uri),
        Answer::NotGoing => (Status::NotGoing, uri),
    };
    set_status(db, post_id, who.id, after, Some(uri.clone()), now).await?;
    if post.local {
        tell_of_request(db, &post, who.id, before_status, after, now).await?;
    }
    let (event, promoted) = if post.local {
        let promoted = promote(db, post_id, now).await?;
        (recount(db, post_id).await?, promoted)
    } else {
        (event, Vec::new())
    };
    Ok(Change {
        post,
        event,
        before: before_status,
        after,
        uri,
        promoted,
    })
}

/// A `Join` (`uri`) from the remote account `account_id` to the local event of
/// post `post_id`: they land as [`respond`] says for someone here. Refused when
/// they cannot see it, when it ended, when it is booked elsewhere or when they
/// were declined.
pub async fn receive_join(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_id: i64,
    uri: &str,
    now: DateTime<Utc>,
) -> Result<Change> {
    let post = find_visible(db, post_id, Viewer::Account(account_id)).await?;
    if !post.local {
        return Err(Error::NotFound("event"));
    }
    let event = get(db, post_id).await?.ok_or(Error::NotFound("event"))?;
    if event.ended(now) {
        return Err(Error::invalid("event", "has already ended"));
    }
    if event.join_mode == JoinMode::External {
        return Err(Error::invalid("event", "is booked elsewhere"));
    }
    let before = participation(db, post_id, account_id)
        .await?
        .map(|p| p.status);
    if before == Some(Status::Rejected) {
        return Err(Error::Forbidden("declined by the organiser".into()));
    }
    let after = match before {
        Some(status) if status.wants_to_go() => status,
        _ => landing(db, &event, &post, account_id).await?,
    };
    set_status(
        db,
        post_id,
        account_id,
        after,
        Some(Some(uri.to_owned())),
        now,
    )
    .await?;
    tell_of_request(db, &post, account_id, before, after, now).await?;
    let event = recount(db, post_id).await?;
    Ok(Change {
        post,
        event,
        before,
        after,
        uri: Some(uri.to_owned()),
        promoted: Vec::new(),
    })
}

/// A `Leave` from the remote account `account_id`: they no longer go to the local
/// event of post `post_id`. Who moved up from the waiting list.
pub async fn receive_leave(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Participation>> {
    if participation(db, post_id, account_id).await?.is_none() {
        return Ok(Vec::new());
    }
    set_status(db, post_id, account_id, Status::NotGoing, None, now).await?;
    promote(db, post_id, now).await
}

/// The organiser `organiser` approves (or declines) the request of `account_id`
/// to go to their event `post_id`: approved, they go (or wait when it is full).
/// Only a pending or waiting request can be decided.
pub async fn decide(
    db: &impl ConnectionTrait,
    organiser: &Account,
    post_id: i64,
    account_id: i64,
    approve: bool,
    now: DateTime<Utc>,
) -> Result<Change> {
    let post = find_visible(db, post_id, Viewer::Account(organiser.id)).await?;
    if post.account_id != organiser.id || !post.local {
        return Err(Error::Forbidden(
            "only the event's organiser may approve participants".into(),
        ));
    }
    let event = get(db, post_id).await?.ok_or(Error::NotFound("event"))?;
    let found = participation(db, post_id, account_id)
        .await?
        .ok_or(Error::NotFound("participation"))?;
    if !matches!(found.status, Status::Pending | Status::Waiting) {
        return Err(Error::invalid(
            "participation",
            "is not waiting for a decision",
        ));
    }
    let after = if !approve {
        Status::Rejected
    } else if found.status == Status::Waiting {
        // Approving someone on the waiting list lets them in over capacity.
        Status::Going
    } else {
        let going = counts(db, post_id).await?.going;
        match event.capacity {
            Some(capacity) if going >= capacity => Status::Waiting,
            _ => Status::Going,
        }
    };
    set_status(db, post_id, account_id, after, None, now).await?;
    tell_of_decision(db, post_id, account_id, organiser.id, approve, now).await?;
    let event = recount(db, post_id).await?;
    Ok(Change {
        post,
        event,
        before: Some(found.status),
        after,
        uri: found.uri,
        promoted: Vec::new(),
    })
}

/// The server of another server's event answers the `Join` `uri` of a person
/// here: accepted, they go; refused, they are declined. Only the event's
/// organiser (`from_account_id`) may answer. The participation, when it was ours.
pub async fn answered(
    db: &impl ConnectionTrait,
    uri: &str,
    from_account_id: i64,
    accepted: bool,
    now: DateTime<Utc>,
) -> Result<Option<Participation>> {
    let Some(found) = find_by_uri(db, uri).await? else {
        return Ok(None);
    };
    let post = posts::Entity::find_by_id(found.post_id)
        .one(db)
        .await?
        .map(Post::from)
        .ok_or(Error::NotFound("event"))?;
    if post.local || post.account_id != from_account_id {
        return Err(Error::Forbidden(
            "only the event's organiser may answer a participation".into(),
        ));
    }
    let status = if accepted {
        Status::Going
    } else {
        Status::Rejected
    };
    set_status(db, found.post_id, found.account_id, status, None, now).await?;
    if found.status == Status::Pending {
        tell_of_decision(
            db,
            found.post_id,
            found.account_id,
            from_account_id,
            accepted,
            now,
        )
        .await?;
    }
    Ok(Some(Participation { status, ..found }))
}

/// The organiser of the local event `post` hears that `account_id` asks to go
/// (now pending, and not before).
async fn tell_of_request(
    db: &impl ConnectionTrait,
    post: &Post,
    account_id: i64,
    before: Option<Status>,
    after: Status,
    now: DateTime<Utc>,
) -> Result<()> {
    if after != Status::Pending || before == Some(Status::Pending) {
        return Ok(());
    }
    crate::notifications::recipients::tell(
        db,
        post.account_id,
        account_id,
        crate::notifications::notification::Kind::EventRequest,
        Some(post.id),
        now,
    )
    .await
}

/// `account_id` (when they are someone here) hears that the organiser
/// `organiser_id` of the event of post `post_id` accepted them (`accepted`) or
/// declined them.
async fn tell_of_decision(
    db: &impl ConnectionTrait,
    post_id: i64,
    account_id: i64,
    organiser_id: i64,
    accepted: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::notifications::notification::Kind;
    let kind = if accepted {
        Kind::EventAccepted
    } else {
        Kind::EventRejected
    };
    crate::notifications::recipients::tell(db, account_id, organiser_id, kind, Some(post_id), now)
        .await
}

/// Upcoming (not yet ended) events that `viewer` may see, the soonest first;
/// only public ones unless `viewer` is someone, and only those of `organiser`
/// when one is named, or of this instance when `local_only`.
pub async fn upcoming(
    db: &impl ConnectionTrait,
    viewer: Viewer,
    organiser: Option<i64>,
    local_only: bool,
    now: DateTime<Utc>,
    offset: u64,
    limit: u64,
) -> Result<Vec<(Post, Event)>> {
    let limit = Ord::min(limit, MAX_PAGE);
    let mut found: Vec<(Post, Event)> = Vec::new();
    let mut skipped = 0;
    let mut from = 0;
    let batch = 200;
    loop {
        let mut query = events::Entity::find()
            .filter(events::Column::EndsAt.gt(now))
            .order_by_asc(events::Column::StartsAt)
            .order_by_asc(events::Column::PostId)
            .offset(from)
            .limit(batch);
        if organiser.is_some() || local_only {
            let mut ids = sea_orm::sea_query::Query::select();
            ids.column(posts::Column::Id).from(posts::Entity);
            if let Some(organiser) = organiser {
                ids.and_where(posts::Column::AccountId.eq(organiser));
            }
            if local_only {
                ids.and_where(posts::Column::Local.eq(true));
            }
            query = query.filter(events::Column::PostId.in_subquery(ids.to_owned()));
        }
        let rows = query.all(db).await?;
        let fetched = rows.len() as u64;
        let ids: Vec<i64> = rows.iter().map(|r| r.post_id).collect();
        let mut posts_by_id: HashMap<i64, Post> = posts::Entity::find()
            .filter(posts::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.id, Post::from(row)))
            .collect();
        for row in rows {
            let Some(post) = posts_by_id.remove(&row.post_id) else {
                continue;
            };
            let listed = match viewer {
                Viewer::Anonymous => post.visibility == Visibility::Public,
                _ => {
                    post.visibility != Visibility::Unlisted
                        || organiser.is_some()
                        || matches!(viewer, Viewer::Account(id) if id == post.account_id)
                }
            };
            if !listed || !is_visible(db, &post, viewer).await? {
                continue;
            }
            if skipped < offset {
                skipped += 1;
                continue;
            }
            found.push((post, Event::from(row)));
            if found.len() as u64 >= limit {
                return Ok(found);
            }
        }
        if fetched < batch {
            return Ok(found);
        }
        from += batch;
    }
}

/// Events that start within a day of `now` whose local participants going were
/// not yet reminded: each is marked reminded and returned with the local
/// accounts going.
pub async fn remind_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<(Event, i64, Vec<i64>)>> {
    let due = events::Entity::find()
        .filter(events::Column::RemindedAt.is_null())
        .filter(events::Column::StartsAt.gt(now))
        .filter(events::Column::StartsAt.lte(now + REMINDER_BEFORE))
        .order_by_asc(events::Column::StartsAt)
        .limit(REMINDED_PER_ROUND)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(due.len());
    for row in due {
        let marked = events::Entity::update_many()
            .col_expr(events::Column::RemindedAt, Expr::value(now))
            .filter(events::Column::PostId.eq(row.post_id))
            .filter(events::Column::RemindedAt.is_null())
            .exec(db)
            .await?;
        if marked.rows_affected == 0 {
            // Another process reminded them.
            continue;
        }
        let Some(post) = posts::Entity::find_by_id(row.post_id).one(db).await? else {
            continue;
        };
        let local_ids = sea_orm::sea_query::Query::select()
            .column(crate::entities::accounts::Column::Id)
            .from(crate::entities::accounts::Entity)
            .and_where(crate::entities::accounts::Column::Domain.is_null())
            .to_owned();
        let going: Vec<i64> = event_participations::Entity::find()
            .filter(event_participations::Column::PostId.eq(row.post_id))
            .filter(event_participations::Column::Status.eq(Status::Going.name()))
            .filter(event_participations::Column::AccountId.in_subquery(local_ids))
            .select_only()
            .column(event_participations::Column::AccountId)
            .into_tuple()
            .all(db)
            .await?;
        out.push((Event::from(row), post.account_id, going));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_event() -> NewEvent {
        let start = Utc::now() + TimeDelta::days(10);
        NewEvent {
            title: "Spring residential".into(),
            description: "Two days on curriculum.".into(),
            starts_at: start,
            ends_at: start + TimeDelta::hours(30),
            timezone: "Europe/London".into(),
            place_name: Some("Kenn Centre".into()),
            address: None,
            online_url: None,
            capacity: Some(20),
            join_mode: JoinMode::Free,
            external_url: None,
        }
    }

    #[test]
    fn events_are_refused_with_reasons() {
        let now = Utc::now();
        assert!(check(&new_event(), now).is_ok());
        let cases: Vec<(NewEvent, &str)> = vec![
            (
                NewEvent {
                    title: " ".into(),
                    ..new_event()
                },
                "title must not be blank",
            ),
            (
                NewEvent {
                    timezone: "Mars/Olympus".into(),
                    ..new_event()
                },
                "known time zone",
            ),
            (
                NewEvent {
                    ends_at: new_event().starts_at,
                    ..new_event()
                },
                "after starts_at",
            ),
            (
                NewEvent {
                    place_name: None,
                    ..new_event()
                },
                "place is missing",
            ),
            (
                NewEvent {
                    capacity: Some(0),
                    ..new_event()
                },
                "capacity",
            ),
            (
                NewEvent {
                    online_url: Some("javascript:alert(1)".into()),
                    ..new_event()
                },
                "web address",
            ),
            (
                NewEvent {
                    join_mode: JoinMode::External,
                    ..new_event()
                },
                "external_url",
            ),
        ];
        for (event, wanted) in cases {
            let refused = check(&event, now).unwrap_err().to_string();
            assert!(refused.contains(wanted), "{refused} should say {wanted}");
        }
    }

    #[test]
    fn times_are_shown_in_the_events_time_zone() {
        let start = local_time("2027-07-01T09:00", "Europe/London").unwrap();
        assert_eq!(start.to_rfc3339(), "2027-07-01T08:00:00+00:00");
        let mut event = prepare(
            1,
            &NewEvent {
                starts_at: start,
                ends_at: start + TimeDelta::hours(7),
                ..new_event()
            },
        );
        assert_eq!(event.when(), "Thu 1 July 2027, 09:00–16:00 (Europe/London)");
        event.ends_at = start + TimeDelta::hours(31);
        assert_eq!(
            event.when(),
            "Thu 1 July 2027, 09:00 – Fri 2 July 2027, 16:00 (Europe/London)"
        );
        let html = event.status_html("https://a.example/events/1");
        assert!(html.starts_with("<p><strong>Spring residential</strong></p><p>When: "));
        assert!(html.contains("Where: Kenn Centre"));
        assert!(html.ends_with(
            "<p><a href=\"https://a.example/events/1\">https://a.example/events/1</a></p>"
        ));
    }
}
