//! Hashtags: stored once each by normalised name, attached to posts, and followed
//! by people who want their posts at home.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use crate::entities::{post_tags, posts, tag_follows, tags};
use crate::page::Page;
use crate::posts::compose::{MAX_TAG_CHARS, is_hashtag, normalize_tag};
use crate::timelines::home_feed;
use crate::visibility::timeline::listed;
use crate::{Error, Result, id};

/// Attaches the tags `names` (normalised here again) to post `post_id`, creating
/// the tags it is the first to use.
pub async fn attach(
    db: &impl ConnectionTrait,
    post_id: i64,
    names: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut names: Vec<String> = names
        .iter()
        .map(|n| normalize_tag(n))
        .filter(|n| !n.is_empty() && n.chars().count() <= MAX_TAG_CHARS)
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Ok(());
    }
    let new_tags = names.iter().map(|name| tags::ActiveModel {
        id: Set(id::new_id(now)),
        name: Set(name.clone()),
        created_at: Set(now),
    });
    tags::Entity::insert_many(new_tags)
        .on_conflict(
            OnConflict::column(tags::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let ids: Vec<i64> = tags::Entity::find()
        .filter(tags::Column::Name.is_in(names))
        .select_only()
        .column(tags::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let links = ids.into_iter().map(|tag_id| post_tags::ActiveModel {
        post_id: Set(post_id),
        tag_id: Set(tag_id),
    });
    post_tags::Entity::insert_many(links)
        .on_conflict(
            OnConflict::columns([post_tags::Column::PostId, post_tags::Column::TagId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The names of the tags on post `post_id`, sorted.
pub async fn of_post(db: &impl ConnectionTrait, post_id: i64) -> Result<Vec<String>> {
    let ids: Vec<i64> = post_tags::Entity::find()
        .filter(post_tags::Column::PostId.eq(post_id))
        .select_only()
        .column(post_tags::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    let mut names: Vec<String> = tags::Entity::find()
        .filter(tags::Column::Id.is_in(ids))
        .select_only()
        .column(tags::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    names.sort();
    Ok(names)
}

/// A hashtag as apps see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub id: i64,
    /// Normalised (lower case).
    pub name: String,
}

/// The tag called `name` (normalised here), if anyone has used or followed it.
pub async fn find(db: &impl ConnectionTrait, name: &str) -> Result<Option<Tag>> {
    Ok(tags::Entity::find()
        .filter(tags::Column::Name.eq(normalize_tag(name)))
        .one(db)
        .await?
        .map(|row| Tag {
            id: row.id,
            name: row.name,
        }))
}

/// The tag called `name`, created if new; `Invalid` for a name that is no hashtag.
pub async fn find_or_create(
    db: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Tag> {
    let normalized = normalize_tag(name);
    if !is_hashtag(&normalized) {
        return Err(Error::invalid("name", "is not a valid hashtag"));
    }
    tags::Entity::insert(tags::ActiveModel {
        id: Set(id::new_id(now)),
        name: Set(normalized.clone()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(tags::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    find(db, &normalized).await?.ok_or(Error::NotFound("tag"))
}

/// `account_id` follows `tag`: its public posts join the account's home timeline.
pub async fn follow(
    db: &impl ConnectionTrait,
    account_id: i64,
    tag: &Tag,
    now: DateTime<Utc>,
) -> Result<()> {
    let count = tag_follows::Entity::find()
        .filter(tag_follows::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    if count >= MAX_FOLLOWED_TAGS {
        return Err(Error::invalid(
            "tag",
            format!("cannot be followed: at most {MAX_FOLLOWED_TAGS} hashtags can be"),
        ));
    }
    tag_follows::Entity::insert(tag_follows::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        tag_id: Set(tag.id),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([tag_follows::Column::AccountId, tag_follows::Column::TagId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    home_feed::add_tag(db, account_id, tag.id).await
}

/// The most hashtags one account may follow.
pub const MAX_FOLLOWED_TAGS: u64 = 1_000;

/// `account_id` stops following `tag`.
pub async fn unfollow(db: &impl ConnectionTrait, account_id: i64, tag: &Tag) -> Result<()> {
    tag_follows::Entity::delete_many()
        .filter(tag_follows::Column::AccountId.eq(account_id))
        .filter(tag_follows::Column::TagId.eq(tag.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether `account_id` follows `tag`.
pub async fn is_followed(db: &impl ConnectionTrait, account_id: i64, tag: &Tag) -> Result<bool> {
    Ok(tag_follows::Entity::find()
        .filter(tag_follows::Column::AccountId.eq(account_id))
        .filter(tag_follows::Column::TagId.eq(tag.id))
        .count(db)
        .await?
        > 0)
}

/// A page of the tags `account_id` follows, newest follow first: (follow id, tag).
pub async fn followed(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: Page,
) -> Result<Vec<(i64, Tag)>> {
    let query = tag_follows::Entity::find().filter(tag_follows::Column::AccountId.eq(account_id));
    let mut rows: Vec<(i64, i64)> = page
        .apply(query, tag_follows::Column::Id)
        .select_only()
        .column(tag_follows::Column::Id)
        .column(tag_follows::Column::TagId)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    let ids: Vec<i64> = rows.iter().map(|(_, tag_id)| *tag_id).collect();
    let names: std::collections::HashMap<i64, String> = tags::Entity::find()
        .filter(tags::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row.name))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(follow_id, tag_id)| {
            names.get(&tag_id).map(|name| {
                (
                    follow_id,
                    Tag {
                        id: tag_id,
                        name: name.clone(),
                    },
                )
            })
        })
        .collect())
}

/// One day of a tag's use: posts and distinct authors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayOfUse {
    /// Midnight UTC of the day.
    pub day: DateTime<Utc>,
    pub uses: u64,
    pub accounts: u64,
}

/// How `tag` was used on each of the last seven days up to `now`, today first.
pub async fn history(
    db: &impl ConnectionTrait,
    tag: &Tag,
    now: DateTime<Utc>,
) -> Result<Vec<DayOfUse>> {
    let today = now.date_naive().and_time(chrono::NaiveTime::MIN).and_utc();
    let days: Vec<DateTime<Utc>> = (0..7).map(|n| today - chrono::TimeDelta::days(n)).collect();
    let since = days[6];
    let tagged = sea_orm::sea_query::Query::select()
        .column(post_tags::Column::PostId)
        .from(post_tags::Entity)
        .and_where(post_tags::Column::TagId.eq(tag.id))
        .to_owned();
    let rows: Vec<(i64, DateTime<Utc>)> = posts::Entity::find()
        .filter(posts::Column::Id.in_subquery(tagged))
        .filter(posts::Column::Id.gte(id::first_id_at(since)))
        .filter(posts::Column::CreatedAt.gte(since))
        .select_only()
        .column(posts::Column::AccountId)
        .column(posts::Column::CreatedAt)
        .limit(HISTORY_ROWS)
        .into_tuple()
        .all(db)
        .await?;
    Ok(days
        .into_iter()
        .map(|day| {
            let end = day + chrono::TimeDelta::days(1);
            let on_day: Vec<i64> = rows
                .iter()
                .filter(|(_, at)| *at >= day && *at < end)
                .map(|(account, _)| *account)
                .collect();
            let mut accounts = on_day.clone();
            accounts.sort_unstable();
            accounts.dedup();
            DayOfUse {
                day,
                uses: on_day.len() as u64,
                accounts: accounts.len() as u64,
            }
        })
        .collect())
}

/// The most posts read to sum up a tag's week (the counts stop there).
const HISTORY_ROWS: u64 = 50_000;

/// Tags whose name starts with `query` (normalised), shortest first, at most `limit`.
pub async fn search(db: &impl ConnectionTrait, query: &str, limit: u64) -> Result<Vec<Tag>> {
    use sea_orm::QueryOrder;
    use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
    let query = normalize_tag(query.trim());
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let pattern = LikeExpr::new(format!(
        "{}%",
        crate::accounts::account::like_escaped(&query)
    ))
    .escape('\\');
    let rows = tags::Entity::find()
        .filter(Expr::col(tags::Column::Name).like(pattern))
        .order_by_asc(tags::Column::Name)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Tag {
            id: row.id,
            name: row.name,
        })
        .collect())
}

/// The most public posts read to find the week's trending tags.
const TRENDING_ROWS: u64 = 20_000;

/// The tags of the week: those used in the public posts of the last seven days
/// (those listed in public timelines: none of silenced accounts) by
/// the most people (then the most posts), at most `limit`, offset by `offset`.
/// The newest posts are read first, and at most 20,000 of them.
pub async fn trending(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    offset: u64,
    limit: u64,
) -> Result<Vec<Tag>> {
    use sea_orm::QueryOrder;
    let since = now - chrono::TimeDelta::days(7);
    let recent: Vec<(i64, i64)> = listed(posts::Entity::find(), None)
        .filter(posts::Column::Id.gte(id::first_id_at(since)))
        .select_only()
        .column(posts::Column::Id)
        .column(posts::Column::AccountId)
        .order_by_desc(posts::Column::Id)
        .limit(TRENDING_ROWS)
        .into_tuple()
        .all(db)
        .await?;
    if recent.is_empty() {
        return Ok(Vec::new());
    }
    let authors: std::collections::HashMap<i64, i64> = recent.iter().copied().collect();
    let mut links: Vec<(i64, i64)> = Vec::new();
    for chunk in recent.chunks(1_000) {
        let found: Vec<(i64, i64)> = post_tags::Entity::find()
            .filter(post_tags::Column::PostId.is_in(chunk.iter().map(|(id, _)| *id)))
            .select_only()
            .column(post_tags::Column::TagId)
            .column(post_tags::Column::PostId)
            .into_tuple()
            .all(db)
            .await?;
        links.extend(found);
    }
    let mut uses: std::collections::HashMap<i64, (std::collections::HashSet<i64>, u64)> =
        std::collections::HashMap::new();
    for (tag_id, post_id) in links {
        let entry = uses.entry(tag_id).or_default();
        if let Some(author) = authors.get(&post_id) {
            entry.0.insert(*author);
        }
        entry.1 += 1;
    }
    let mut ranked: Vec<(i64, usize, u64)> = uses
        .into_iter()
        .map(|(tag_id, (people, posts))| (tag_id, people.len(), posts))
        .collect();
    ranked.sort_by(|a, b| (b.1, b.2, a.0).cmp(&(a.1, a.2, b.0)));
    let wanted: Vec<i64> = ranked
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(tag_id, _, _)| tag_id)
        .collect();
    let mut found: std::collections::HashMap<i64, Tag> = tags::Entity::find()
        .filter(tags::Column::Id.is_in(wanted.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.id,
                Tag {
                    id: row.id,
                    name: row.name,
                },
            )
        })
        .collect();
    Ok(wanted.iter().filter_map(|id| found.remove(id)).collect())
}
