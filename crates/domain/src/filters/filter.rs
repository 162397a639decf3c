//! A person's filters, their keywords and their posts: made, changed and deleted
//! within limits (filters per person, keywords and posts per filter, lengths).
//! Nobody else ever sees or changes them: another's filter is not found.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{filter_keywords, filter_statuses, filters};
use crate::{Error, Result, id};

/// The most filters one person may have.
pub const MAX_FILTERS: u64 = 100;
/// The most keywords one filter may hold.
pub const MAX_KEYWORDS: u64 = 50;
/// The most posts one filter may hold.
pub const MAX_STATUSES: u64 = 200;
/// The longest title.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest keyword.
pub const MAX_KEYWORD_CHARS: usize = 100;
/// The longest a filter may last, when it expires at all (a year).
pub const MAX_EXPIRES_IN_SECONDS: i64 = 366 * 24 * 3600;

/// Where a filter applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// The home timeline and lists.
    Home,
    Notifications,
    /// The public and hashtag timelines.
    Public,
    /// A post's thread.
    Thread,
    /// An account's posts.
    Account,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Self::Home,
        Self::Notifications,
        Self::Public,
        Self::Thread,
        Self::Account,
    ];

    /// Mastodon's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Notifications => "notifications",
            Self::Public => "public",
            Self::Thread => "thread",
            Self::Account => "account",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What a filter does to the posts it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Shown behind a warning naming the filter.
    Warn,
    /// Left out.
    Hide,
    /// Media blurred (told to the app like a warning).
    Blur,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Self::Warn => "warn",
            Self::Hide => "hide",
            Self::Blur => "blur",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "warn" => Some(Self::Warn),
            "hide" => Some(Self::Hide),
            "blur" => Some(Self::Blur),
            _ => None,
        }
    }
}

/// A keyword of a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    pub id: i64,
    pub filter_id: i64,
    pub keyword: String,
    /// Whether it matches whole words only.
    pub whole_word: bool,
}

impl From<filter_keywords::Model> for Keyword {
    fn from(row: filter_keywords::Model) -> Self {
        Self {
            id: row.id,
            filter_id: row.filter_id,
            keyword: row.keyword,
            whole_word: row.whole_word,
        }
    }
}

/// A post a filter names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilteredPost {
    pub id: i64,
    pub filter_id: i64,
    pub post_id: i64,
}

impl From<filter_statuses::Model> for FilteredPost {
    fn from(row: filter_statuses::Model) -> Self {
        Self {
            id: row.id,
            filter_id: row.filter_id,
            post_id: row.post_id,
        }
    }
}

/// A filter with its keywords and posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    pub contexts: Vec<Context>,
    pub action: Action,
    pub expires_at: Option<DateTime<Utc>>,
    pub keywords: Vec<Keyword>,
    pub statuses: Vec<FilteredPost>,
}

impl Filter {
    /// Whether it still applies at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }
}

fn parse_contexts(stored: &str) -> Vec<Context> {
    stored.split(',').filter_map(Context::from_name).collect()
}

fn join_contexts(contexts: &[Context]) -> String {
    contexts
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// A keyword as it is given: checked and trimmed.
fn check_keyword(keyword: &str) -> Result<String> {
    let keyword = keyword.trim();
    if keyword.is_empty() {
        return Err(Error::invalid("keyword", "must not be empty"));
    }
    if keyword.chars().count() > MAX_KEYWORD_CHARS {
        return Err(Error::invalid(
            "keyword",
            format!("is too long: use at most {MAX_KEYWORD_CHARS} characters"),
        ));
    }
    Ok(keyword.to_owned())
}

fn check_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::invalid("title", "must not be empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            "title",
            format!("is too long: use at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    Ok(title.to_owned())
}

fn check_contexts(contexts: &[Context]) -> Result<Vec<Context>> {
    let mut unique: Vec<Context> = Vec::new();
    for context in contexts {
        if !unique.contains(context) {
            unique.push(*context);
        }
    }
    if unique.is_empty() {
        return Err(Error::invalid("context", "must name at least one context"));
    }
    Ok(unique)
}

/// When a filter lasting `seconds` from `now` expires (`None`: never).
pub fn expiry(seconds: Option<i64>, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    match seconds {
        None => Ok(None),
        Some(s) if s <= 0 || s > MAX_EXPIRES_IN_SECONDS => Err(Error::invalid(
            "expires_in",
            format!("must be between 1 and {MAX_EXPIRES_IN_SECONDS} seconds"),
        )),
        Some(s) => Ok(Some(now + TimeDelta::seconds(s))),
    }
}

/// A new filter.
#[derive(Debug, Clone)]
pub struct NewFilter {
    pub title: String,
    pub contexts: Vec<Context>,
    pub action: Action,
    pub expires_at: Option<DateTime<Utc>>,
    /// Keywords and whether each matches whole words only.
    pub keywords: Vec<(String, bool)>,
}

/// What a change to a filter's keyword says.
#[derive(Debug, Clone, Default)]
pub struct KeywordChange {
    /// The keyword changed; `None` adds one.
    pub id: Option<i64>,
    pub keyword: Option<String>,
    pub whole_word: Option<bool>,
    /// Deletes the keyword `id`.
    pub destroy: bool,
}

/// A change to a filter; `None` keeps what was there.
#[derive(Debug, Clone, Default)]
pub struct FilterChange {
    pub title: Option<String>,
    pub contexts: Option<Vec<Context>>,
    pub action: Option<Action>,
    /// `Some(None)` makes it last for ever.
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub keywords: Vec<KeywordChange>,
}

/// Every filter of `account_id` (expired ones too), oldest first, with their
/// keywords and posts: three queries.
pub async fn list(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<Filter>> {
    let rows = filters::Entity::find()
        .filter(filters::Column::AccountId.eq(account_id))
        .order_by_asc(filters::Column::Id)
        .all(db)
        .await?;
    with_parts(db, rows).await
}

/// The filters of `rows` with their keywords and posts.
async fn with_parts(db: &impl ConnectionTrait, rows: Vec<filters::Model>) -> Result<Vec<Filter>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut keywords: HashMap<i64, Vec<Keyword>> = HashMap::new();
    for row in filter_keywords::Entity::find()
        .filter(filter_keywords::Column::FilterId.is_in(ids.clone()))
        .order_by_asc(filter_keywords::Column::Id)
        .all(db)
        .await?
    {
        keywords.entry(row.filter_id).or_default().push(row.into());
    }
    let mut statuses: HashMap<i64, Vec<FilteredPost>> = HashMap::new();
    for row in filter_statuses::Entity::find()
        .filter(filter_statuses::Column::FilterId.is_in(ids))
        .order_by_asc(filter_statuses::Column::Id)
        .all(db)
        .await?
    {
        statuses.entry(row.filter_id).or_default().push(row.into());
    }
    Ok(rows
        .into_iter()
        .map(|row| Filter {
            id: row.id,
            account_id: row.account_id,
            title: row.title,
            contexts: parse_contexts(&row.context),
            action: Action::from_name(&row.action).unwrap_or(Action::Warn),
            expires_at: row.expires_at,
            keywords: keywords.remove(&row.id).unwrap_or_default(),
            statuses: statuses.remove(&row.id).unwrap_or_default(),
        })
        .collect())
}

/// The filter `id` of `account_id`; `NotFound` for anyone else's.
pub async fn get(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<Filter> {
    let row = filters::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.account_id == account_id)
        .ok_or(Error::NotFound("filter"))?;
    with_parts(db, vec![row])
        .await?
        .pop()
        .ok_or(Error::NotFound("filter"))
}

/// Makes a filter for `account_id`.
pub async fn create(db: &impl ConnectionTrait, account_id: i64, new: NewFilter) -> Result<Filter> {
    let title = check_title(&new.title)?;
    let contexts = check_contexts(&new.contexts)?;
    if new.keywords.len() as u64 > MAX_KEYWORDS {
        return Err(Error::invalid(
            "keywords",
            format!("are too many: at most {MAX_KEYWORDS} a filter"),
        ));
    }
    let keywords = new
        .keywords
        .iter()
        .map(|(k, whole)| check_keyword(k).map(|k| (k, *whole)))
        .collect::<Result<Vec<_>>>()?;
    let count = filters::Entity::find()
        .filter(filters::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    if count >= MAX_FILTERS {
        return Err(Error::invalid(
            "filter",
            format!("cannot be made: at most {MAX_FILTERS} filters a person"),
        ));
    }
    let now = Utc::now();
    let row = filters::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        title: Set(title),
        context: Set(join_contexts(&contexts)),
        action: Set(new.action.name().to_owned()),
        expires_at: Set(new.expires_at),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    for (keyword, whole_word) in keywords {
        insert_keyword(db, row.id, keyword, whole_word).await?;
    }
    get(db, account_id, row.id).await
}

async fn insert_keyword(
    db: &impl ConnectionTrait,
    filter_id: i64,
    keyword: String,
    whole_word: bool,
) -> Result<Keyword> {
    Ok(filter_keywords::ActiveModel {
        id: Set(id::new_id(Utc::now())),
        filter_id: Set(filter_id),
        keyword: Set(keyword),
        whole_word: Set(whole_word),
    }
    .insert(db)
    .await?
    .into())
}

/// Changes the filter `id` of `account_id`, its keywords with it.
pub async fn update(
    db: &impl ConnectionTrait,
    account_id: i64,
    id: i64,
    change: FilterChange,
) -> Result<Filter> {
    let existing = get(db, account_id, id).await?;
    let mut row = filters::ActiveModel {
        id: Set(existing.id),
        ..Default::default()
    };
    if let Some(title) = &change.title {
        row.title = Set(check_title(title)?);
    }
    if let Some(contexts) = &change.contexts {
        row.context = Set(join_contexts(&check_contexts(contexts)?));
    }
    if let Some(action) = change.action {
        row.action = Set(action.name().to_owned());
    }
    if let Some(expires_at) = change.expires_at {
        row.expires_at = Set(expires_at);
    }
    let mut kept = existing.keywords.len() as u64;
    for one in &change.keywords {
        match (one.id, one.destroy) {
            (None, false) => kept += 1,
            (Some(_), true) => kept = kept.saturating_sub(1),
            _ => {}
        }
        if let Some(keyword) = &one.keyword {
            check_keyword(keyword)?;
        }
        if let Some(kid) = one.id
            && !existing.keywords.iter().any(|k| k.id == kid)
        {
            return Err(Error::NotFound("keyword"));
        }
    }
    if kept > MAX_KEYWORDS {
        return Err(Error::invalid(
            "keywords",
            format!("are too many: at most {MAX_KEYWORDS} a filter"),
        ));
    }
    if row.is_changed() {
        row.update(db).await?;
    }
    for one in change.keywords {
        match one.id {
            Some(kid) if one.destroy => {
                filter_keywords::Entity::delete_by_id(kid).exec(db).await?;
            }
            Some(kid) => {
                let mut keyword = filter_keywords::ActiveModel {
                    id: Set(kid),
                    ..Default::default()
                };
                if let Some(text) = &one.keyword {
                    keyword.keyword = Set(check_keyword(text)?);
                }
                if let Some(whole) = one.whole_word {
                    keyword.whole_word = Set(whole);
                }
                if keyword.is_changed() {
                    keyword.update(db).await?;
                }
            }
            None if one.destroy => {}
            None => {
                let text = one
                    .keyword
                    .as_deref()
                    .ok_or_else(|| Error::invalid("keyword", "must not be empty"))?;
                insert_keyword(db, id, check_keyword(text)?, one.whole_word.unwrap_or(true))
                    .await?;
            }
        }
    }
    get(db, account_id, id).await
}

/// Deletes the filter `id` of `account_id`.
pub async fn delete(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<()> {
    let found = get(db, account_id, id).await?;
    filters::Entity::delete_by_id(found.id).exec(db).await?;
    Ok(())
}

/// Adds `keyword` to the filter `filter_id` of `account_id`.
pub async fn add_keyword(
    db: &impl ConnectionTrait,
    account_id: i64,
    filter_id: i64,
    keyword: &str,
    whole_word: bool,
) -> Result<Keyword> {
    let found = get(db, account_id, filter_id).await?;
    if found.keywords.len() as u64 >= MAX_KEYWORDS {
        return Err(Error::invalid(
            "keywords",
            format!("are too many: at most {MAX_KEYWORDS} a filter"),
        ));
    }
    insert_keyword(db, found.id, check_keyword(keyword)?, whole_word).await
}

/// The keyword `id` of one of `account_id`'s filters.
pub async fn get_keyword(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<Keyword> {
    let row = filter_keywords::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("keyword"))?;
    get(db, account_id, row.filter_id)
        .await
        .map_err(|_| Error::NotFound("keyword"))?;
    Ok(row.into())
}

/// Changes the keyword `id` of one of `account_id`'s filters.
pub async fn update_keyword(
    db: &impl ConnectionTrait,
    account_id: i64,
    id: i64,
    keyword: Option<&str>,
    whole_word: Option<bool>,
) -> Result<Keyword> {
    let found = get_keyword(db, account_id, id).await?;
    let mut row = filter_keywords::ActiveModel {
        id: Set(found.id),
        ..Default::default()
    };
    if let Some(text) = keyword {
        row.keyword = Set(check_keyword(text)?);
    }
    if let Some(whole) = whole_word {
        row.whole_word = Set(whole);
    }
    if row.is_changed() {
        row.update(db).await?;
    }
    get_keyword(db, account_id, id).await
}

/// Deletes the keyword `id` of one of `account_id`'s filters.
pub async fn delete_keyword(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<()> {
    let found = get_keyword(db, account_id, id).await?;
    filter_keywords::Entity::delete_by_id(found.id)
        .exec(db)
        .await?;
    Ok(())
}

/// Adds the post `post_id` to the filter `filter_id` of `account_id` (the caller
/// has checked they may see it); adding it again changes nothing.
pub async fn add_status(
    db: &impl ConnectionTrait,
    account_id: i64,
    filter_id: i64,
    post_id: i64,
) -> Result<FilteredPost> {
    let found = get(db, account_id, filter_id).await?;
    if let Some(already) = found.statuses.iter().find(|s| s.post_id == post_id) {
        return Ok(already.clone());
    }
    if found.statuses.len() as u64 >= MAX_STATUSES {
        return Err(Error::invalid(
            "statuses",
            format!("are too many: at most {MAX_STATUSES} a filter"),
        ));
    }
    filter_statuses::Entity::insert(filter_statuses::ActiveModel {
        id: Set(id::new_id(Utc::now())),
        filter_id: Set(found.id),
        post_id: Set(post_id),
    })
    .on_conflict(
        OnConflict::columns([
            filter_statuses::Column::FilterId,
            filter_statuses::Column::PostId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let row = filter_statuses::Entity::find()
        .filter(filter_statuses::Column::FilterId.eq(found.id))
        .filter(filter_statuses::Column::PostId.eq(post_id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("status"))?;
    Ok(row.into())
}

/// The filtered post `id` of one of `account_id`'s filters.
pub async fn get_status(
    db: &impl ConnectionTrait,
    account_id: i64,
    id: i64,
) -> Result<FilteredPost> {
    let row = filter_statuses::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("status"))?;
    get(db, account_id, row.filter_id)
        .await
        .map_err(|_| Error::NotFound("status"))?;
    Ok(row.into())
}

/// Takes the filtered post `id` out of one of `account_id`'s filters.
pub async fn delete_status(db: &impl ConnectionTrait, account_id: i64, id: i64) -> Result<()> {
    let found = get_status(db, account_id, id).await?;
    filter_statuses::Entity::delete_by_id(found.id)
        .exec(db)
        .await?;
    Ok(())
}
