//! A person's data as the CSV files Mastodon exports, so that another server can
//! import them: the accounts they follow, block and mute, the servers they block,
//! their bookmarks and their lists. Every account is written as `user@domain`, this instance's own with its
//! domain.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::entities::{
    account_domain_blocks, accounts, blocks, bookmarks, follows, list_accounts, lists, mutes, posts,
};
use crate::graph::domain_block;
use crate::{Error, Result};

/// One of the files of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    /// `following_accounts.csv`: the accounts followed (accepted follows).
    Following,
    /// `blocked_accounts.csv`: one blocked account a line, no header.
    Blocks,
    /// `muted_accounts.csv`: the mutes in force.
    Mutes,
    /// `blocked_domains.csv`: one blocked server's domain a line, no header.
    DomainBlocks,
    /// `bookmarks.csv`: one bookmarked post's URI a line, no header.
    Bookmarks,
    /// `lists.csv`: a list's title and one of its members a line, no header.
    Lists,
}

impl File {
    /// Every file, in the order the export page lists them.
    pub const ALL: [Self; 6] = [
        Self::Following,
        Self::Blocks,
        Self::Mutes,
        Self::DomainBlocks,
        Self::Bookmarks,
        Self::Lists,
    ];

    /// The file's name, without `.csv`, as Mastodon names it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Following => "following_accounts",
            Self::Blocks => "blocked_accounts",
            Self::Mutes => "muted_accounts",
            Self::DomainBlocks => "blocked_domains",
            Self::Bookmarks => "bookmarks",
            Self::Lists => "lists",
        }
    }

    /// The file named `name` (without `.csv`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|file| file.name() == name)
    }
}

/// How this instance's own accounts and posts are named in the files.
pub trait LocalNames {
    /// The instance's domain, as in `user@domain`.
    fn domain(&self) -> &str;
    /// The ActivityPub id of the local post `id` written by `username`.
    fn post_uri(&self, username: &str, id: i64) -> String;
}

/// How many rows each file of `account_id`'s export holds at `now`.
pub async fn counts(
    db: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<(File, u64)>> {
    let mut counted = Vec::with_capacity(File::ALL.len());
    for file in File::ALL {
        let count = match file {
            File::Following => following(account_id).count(db).await?,
            File::Blocks => {
                blocks::Entity::find()
                    .filter(blocks::Column::AccountId.eq(account_id))
                    .count(db)
                    .await?
            }
            File::Mutes => muting(account_id, now).count(db).await?,
            File::DomainBlocks => {
                account_domain_blocks::Entity::find()
                    .filter(account_domain_blocks::Column::AccountId.eq(account_id))
                    .count(db)
                    .await?
            }
            File::Bookmarks => {
                bookmarks::Entity::find()
                    .filter(bookmarks::Column::AccountId.eq(account_id))
                    .count(db)
                    .await?
            }
            File::Lists => {
                list_accounts::Entity::find()
                    .filter(list_accounts::Column::ListId.in_subquery(owned_lists(account_id)))
                    .count(db)
                    .await?
            }
        };
        counted.push((file, count));
    }
    Ok(counted)
}

/// The accepted follows of `account_id`.
fn following(account_id: i64) -> sea_orm::Select<follows::Entity> {
    follows::Entity::find()
        .filter(follows::Column::FollowerId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
}

/// The mutes of `account_id` in force at `now`.
pub(crate) fn muting(account_id: i64, now: DateTime<Utc>) -> sea_orm::Select<mutes::Entity> {
    mutes::Entity::find()
        .filter(mutes::Column::AccountId.eq(account_id))
        .filter(
            sea_orm::Condition::any()
                .add(mutes::Column::ExpiresAt.is_null())
                .add(mutes::Column::ExpiresAt.gt(now)),
        )
}

/// The ids of the lists of `account_id`, as a subquery.
fn owned_lists(account_id: i64) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(lists::Column::Id)
        .from(lists::Entity)
        .and_where(lists::Column::AccountId.eq(account_id))
        .to_owned()
}

/// The `user@domain` addresses of the accounts `ids`, by id, this instance's own
/// with `local_domain`.
pub(crate) async fn addresses(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
    local_domain: &str,
) -> Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String, Option<String>)> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(ids))
        .select_only()
        .column(accounts::Column::Id)
        .column(accounts::Column::Username)
        .column(accounts::Column::Domain)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, username, domain)| {
            let domain = domain.unwrap_or_else(|| local_domain.to_owned());
            (id, format!("{username}@{domain}"))
        })
        .collect())
}

/// The ActivityPub ids of the posts `ids`, by id: a remote post's own, a local
/// one's made by `names`.
pub(crate) async fn post_uris(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
    names: &impl LocalNames,
) -> Result<HashMap<i64, String>> {
    let found: Vec<(i64, Option<String>, i64)> = posts::Entity::find()
        .filter(posts::Column::Id.is_in(ids))
        .select_only()
        .column(posts::Column::Id)
        .column(posts::Column::Uri)
        .column(posts::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    let authors: HashMap<i64, String> = accounts::Entity::find()
        .filter(accounts::Column::Id.is_in(found.iter().map(|p| p.2).collect::<Vec<_>>()))
        .select_only()
        .column(accounts::Column::Id)
        .column(accounts::Column::Username)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(found
        .into_iter()
        .filter_map(|(id, uri, author)| {
            let uri = match (uri, authors.get(&author)) {
                (Some(uri), _) => uri,
                (None, Some(username)) => names.post_uri(username, id),
                (None, None) => return None,
            };
            Some((id, uri))
        })
        .collect())
}

/// `file` of `account_id`'s export at `now`, as CSV text, oldest row first.
pub async fn csv(
    db: &impl ConnectionTrait,
    account_id: i64,
    file: File,
    names: &impl LocalNames,
    now: DateTime<Utc>,
) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write = |record: &[&str]| {
        writer
            .write_record(record)
            .map_err(|e| Error::Internal(format!("writing CSV: {e}")))
    };
    match file {
        File::Following => {
            let rows: Vec<(i64, bool)> = following(account_id)
                .order_by_asc(follows::Column::Id)
                .select_only()
                .column(follows::Column::TargetId)
                .column(follows::Column::Notify)
                .into_tuple()
                .all(db)
                .await?;
            let names = addresses(db, rows.iter().map(|r| r.0).collect(), names.domain()).await?;
            write(&[
                "Account address",
                "Show boosts",
                "Notify on new posts",
                "Languages",
            ])?;
            for (target, notify) in rows {
                if let Some(address) = names.get(&target) {
                    write(&[address, "true", bool_text(notify), ""])?;
                }
            }
        }
        File::Blocks => {
            let targets: Vec<i64> = blocks::Entity::find()
                .filter(blocks::Column::AccountId.eq(account_id))
                .order_by_asc(blocks::Column::Id)
                .select_only()
                .column(blocks::Column::TargetId)
                .into_tuple()
                .all(db)
                .await?;
            let names = addresses(db, targets.clone(), names.domain()).await?;
            for target in targets {
                if let Some(address) = names.get(&target) {
                    write(&[address])?;
                }
            }
        }
        File::Mutes => {
            let rows: Vec<(i64, bool)> = muting(account_id, now)
                .order_by_asc(mutes::Column::Id)
                .select_only()
                .column(mutes::Column::TargetId)
                .column(mutes::Column::Notifications)
                .into_tuple()
                .all(db)
                .await?;
            let names = addresses(db, rows.iter().map(|r| r.0).collect(), names.domain()).await?;
            write(&["Account address", "Hide notifications"])?;
            for (target, hidden) in rows {
                if let Some(address) = names.get(&target) {
                    write(&[address, bool_text(hidden)])?;
                }
            }
        }
        File::DomainBlocks => {
            for domain in domain_block::domains(db, account_id).await? {
                write(&[&domain])?;
            }
        }
        File::Bookmarks => {
            let post_ids: Vec<i64> = bookmarks::Entity::find()
                .filter(bookmarks::Column::AccountId.eq(account_id))
                .order_by_asc(bookmarks::Column::Id)
                .select_only()
                .column(bookmarks::Column::PostId)
                .into_tuple()
                .all(db)
                .await?;
            let uris = post_uris(db, post_ids.clone(), names).await?;
            for post_id in post_ids {
                if let Some(uri) = uris.get(&post_id) {
                    write(&[uri])?;
                }
            }
        }
        File::Lists => {
            let owned: Vec<(i64, String)> = lists::Entity::find()
                .filter(lists::Column::AccountId.eq(account_id))
                .order_by_asc(lists::Column::Id)
                .select_only()
                .column(lists::Column::Id)
                .column(lists::Column::Title)
                .into_tuple()
                .all(db)
                .await?;
            let members: Vec<(i64, i64)> = list_accounts::Entity::find()
                .filter(list_accounts::Column::ListId.is_in(owned.iter().map(|l| l.0)))
                .order_by_asc(list_accounts::Column::Id)
                .select_only()
                .column(list_accounts::Column::ListId)
                .column(list_accounts::Column::AccountId)
                .into_tuple()
                .all(db)
                .await?;
            let names =
                addresses(db, members.iter().map(|m| m.1).collect(), names.domain()).await?;
            for (list_id, title) in &owned {
                for (_, member) in members.iter().filter(|m| m.0 == *list_id) {
                    if let Some(address) = names.get(member) {
                        write(&[title, address])?;
                    }
                }
            }
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("writing CSV: {e}")))
}

/// `followers.csv` of `account_id`'s archive: the accounts following it
/// (accepted follows), under `Account address`, oldest first.
pub async fn followers_csv(
    db: &impl ConnectionTrait,
    account_id: i64,
    names: &impl LocalNames,
) -> Result<String> {
    let followers: Vec<i64> = follows::Entity::find()
        .filter(follows::Column::TargetId.eq(account_id))
        .filter(follows::Column::Accepted.eq(true))
        .order_by_asc(follows::Column::Id)
        .select_only()
        .column(follows::Column::FollowerId)
        .into_tuple()
        .all(db)
        .await?;
    let addresses = addresses(db, followers.clone(), names.domain()).await?;
    let mut text = String::from("Account address\n");
    for follower in followers {
        if let Some(address) = addresses.get(&follower) {
            text.push_str(address);
            text.push('\n');
        }
    }
    Ok(text)
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}
