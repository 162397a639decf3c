//! Reading the files other servers export (Mastodon's `following_accounts.csv`,
//! `blocked_accounts.csv`, `muted_accounts.csv`, `blocked_domains.csv`,
//! `bookmarks.csv` and `lists.csv`, or
//! a plain list of `user@domain` addresses, one a line). A file is taken whole or
//! not at all: a mistake anywhere rejects it, with what is wrong and where.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::export::LocalNames;
use crate::entities::{blocks, bookmarks, follows, mutes};
use crate::graph::domain_block;
use crate::{Error, Result};

/// The largest file taken, in bytes.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The most accounts one file may hold.
pub const MAX_ROWS: usize = 10_000;

/// What a file lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Accounts to follow.
    Following,
    /// Accounts to block.
    Blocks,
    /// Accounts to mute.
    Mutes,
    /// Servers to block, by domain.
    DomainBlocks,
    /// Posts to bookmark, by URL.
    Bookmarks,
    /// Lists to make or add to, and an account for each.
    Lists,
}

impl Kind {
    /// Every kind, as the import form offers them.
    pub const ALL: [Self; 6] = [
        Self::Following,
        Self::Blocks,
        Self::Mutes,
        Self::DomainBlocks,
        Self::Bookmarks,
        Self::Lists,
    ];

    /// The kind's name in the import form.
    pub fn name(self) -> &'static str {
        match self {
            Self::Following => "following",
            Self::Blocks => "blocks",
            Self::Mutes => "mutes",
            Self::DomainBlocks => "domain_blocks",
            Self::Bookmarks => "bookmarks",
            Self::Lists => "lists",
        }
    }

    /// Whether a file of this kind may replace what is there. Lists are only added
    /// to, as on Mastodon: a file of lists names no list to take away.
    pub fn replaceable(self) -> bool {
        self != Self::Lists
    }

    /// The kind named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The columns a file of this kind may have after `Account address`.
    fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Following => &["Show boosts", "Notify on new posts", "Languages"],
            Self::Blocks => &[],
            Self::Mutes => &["Hide notifications"],
            Self::DomainBlocks | Self::Bookmarks | Self::Lists => &[],
        }
    }
}

/// One row of a file: an account, or a post for bookmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `user@domain`, as written; for bookmarks, the post's URL; for domain
    /// blocks, the domain.
    pub address: String,
    /// Lists: the title of the list the account goes into.
    pub list: Option<String>,
    /// Following: be told of each new post (`Notify on new posts`, false if absent).
    pub notify: bool,
    /// Mutes: hide their notifications too (`Hide notifications`, true if absent).
    pub hide_notifications: bool,
}

/// The column holding the account, which a file with a header starts with.
const ADDRESS_COLUMN: &str = "Account address";

/// The rows of `bytes`, a file of `kind`, each account once; or why the file is
/// refused: too large, not CSV, a header with a column `kind` does not have, an
/// address that is not `user@domain`, a yes/no that is neither, no rows or more
/// than [`MAX_ROWS`].
pub fn parse(kind: Kind, bytes: &[u8]) -> Result<Vec<Row>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(refused(format!(
            "is larger than {} MiB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    match kind {
        Kind::Following | Kind::Blocks | Kind::Mutes => parse_accounts(kind, reader),
        Kind::DomainBlocks | Kind::Bookmarks | Kind::Lists => parse_headless(kind, reader),
    }
}

/// The rows of a file of accounts to follow, block or mute.
fn parse_accounts(kind: Kind, mut reader: csv::Reader<&[u8]>) -> Result<Vec<Row>> {
    let mut records = reader.records();
    let Some(first) = records.next() else {
        return Err(refused("holds no accounts"));
    };
    let first = first.map_err(not_csv)?;
    // Which column each value is, when the file has a header.
    let header: Option<Vec<String>> = if first
        .get(0)
        .is_some_and(|cell| cell.trim_start_matches('\u{feff}') == ADDRESS_COLUMN)
    {
        let names: Vec<String> = first.iter().skip(1).map(str::to_owned).collect();
        if let Some(unknown) = names.iter().find(|n| !kind.columns().contains(&n.as_str())) {
            return Err(refused(format!(
                "has a column “{unknown}” that a list of {} does not have",
                kind.name()
            )));
        }
        Some(names)
    } else {
        None
    };
    let mut rows: Vec<Row> = Vec::new();
    let first_line = if header.is_some() { 2 } else { 1 };
    let data = header
        .is_none()
        .then_some(Ok(first))
        .into_iter()
        .chain(records);
    for (n, record) in data.enumerate() {
        let line = n + first_line;
        let record = record.map_err(not_csv)?;
        let address = record.get(0).unwrap_or_default().trim_start_matches('@');
        if address.is_empty() && record.len() <= 1 {
            continue;
        }
        if !is_address(address) {
            return Err(refused(format!(
                "line {line}: “{address}” is not an account address (user@domain)"
            )));
        }
        let value = |column: &str| -> Result<Option<bool>> {
            let Some(index) = header
                .as_ref()
                .and_then(|names| names.iter().position(|n| n == column))
            else {
                return Ok(None);
            };
            match record.get(index + 1).unwrap_or_default() {
                "" => Ok(None),
                v if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
                v if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
                other => Err(refused(format!(
                    "line {line}: “{other}” under “{column}” is neither true nor false"
                ))),
            }
        };
        let row = Row {
            address: address.to_owned(),
            list: None,
            notify: value("Notify on new posts")?.unwrap_or(false),
            hide_notifications: value("Hide notifications")?.unwrap_or(true),
        };
        push(&mut rows, row)?;
    }
    if rows.is_empty() {
        return Err(refused("holds no accounts"));
    }
    Ok(rows)
}

/// The rows of a file of domain blocks (one domain a line), of bookmarks (one post
/// URL a line) or of lists (a list's title and an account address a line), none
/// with a header, as Mastodon writes them.
fn parse_headless(kind: Kind, mut reader: csv::Reader<&[u8]>) -> Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 1;
        let record = record.map_err(not_csv)?;
        let first = record.get(0).unwrap_or_default();
        if first.is_empty() && record.len() <= 1 {
            continue;
        }
        let row = if kind == Kind::DomainBlocks {
            let domain = first.trim_start_matches('\u{feff}');
            if record.len() > 1 || !domain_block::is_domain(domain) {
                return Err(refused(format!(
                    "line {line}: “{domain}” is not a server's domain"
                )));
            }
            Row {
                address: domain.to_ascii_lowercase(),
                list: None,
                notify: false,
                hide_notifications: false,
            }
        } else if kind == Kind::Bookmarks {
            let url = first.trim_start_matches('\u{feff}');
            if record.len() > 1 || !is_post_url(url) {
                return Err(refused(format!(
                    "line {line}: “{url}” is not the address of a post (https://…)"
                )));
            }
            Row {
                address: url.to_owned(),
                list: None,
                notify: false,
                hide_notifications: false,
            }
        } else {
            let title = first.trim_start_matches('\u{feff}');
            let address = record.get(1).unwrap_or_default().trim_start_matches('@');
            if title.is_empty() || record.len() != 2 {
                return Err(refused(format!(
                    "line {line}: a line of a list file is a list's title, then an account"
                )));
            }
            if !is_address(address) {
                return Err(refused(format!(
                    "line {line}: “{address}” is not an account address (user@domain)"
                )));
            }
            Row {
                address: address.to_owned(),
                list: Some(title.to_owned()),
                notify: false,
                hide_notifications: false,
            }
        };
        push(&mut rows, row)?;
    }
    if rows.is_empty() {
        return Err(refused(match kind {
            Kind::Bookmarks => "holds no posts",
            Kind::DomainBlocks => "holds no domains",
            _ => "holds no accounts",
        }));
    }
    Ok(rows)
}

/// Adds `row` to `rows` unless it repeats one, or refuses the file past
/// [`MAX_ROWS`].
fn push(rows: &mut Vec<Row>, row: Row) -> Result<()> {
    if rows
        .iter()
        .any(|r| r.list == row.list && r.address.eq_ignore_ascii_case(&row.address))
    {
        return Ok(());
    }
    if rows.len() == MAX_ROWS {
        return Err(refused(format!(
            "holds more than {MAX_ROWS} rows; split it into smaller files"
        )));
    }
    rows.push(row);
    Ok(())
}

/// Whether `url` may be a post's address: an absolute http or https URL.
fn is_post_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty() && !rest.starts_with('/') && !rest.chars().any(char::is_whitespace)
    })
}

/// The accounts `account_id` follows (or has asked to), blocks or mutes at `now`,
/// as `kind` says: (account id, `user@domain`), this instance's own with the
/// domain of `names`; for bookmarks, (post id, the post's URI); for domain
/// blocks, (0, the domain). What an import that replaces the list takes away
/// from. Lists have none.
pub async fn current(
    db: &impl ConnectionTrait,
    account_id: i64,
    kind: Kind,
    names: &impl LocalNames,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String)>> {
    let ids: Vec<i64> = match kind {
        Kind::Following => {
            follows::Entity::find()
                .filter(follows::Column::FollowerId.eq(account_id))
                .select_only()
                .column(follows::Column::TargetId)
                .into_tuple()
                .all(db)
                .await?
        }
        Kind::Blocks => {
            blocks::Entity::find()
                .filter(blocks::Column::AccountId.eq(account_id))
                .select_only()
                .column(blocks::Column::TargetId)
                .into_tuple()
                .all(db)
                .await?
        }
        Kind::Mutes => {
            super::export::muting(account_id, now)
                .select_only()
                .column(mutes::Column::TargetId)
                .into_tuple()
                .all(db)
                .await?
        }
        Kind::Bookmarks => {
            let posts: Vec<i64> = bookmarks::Entity::find()
                .filter(bookmarks::Column::AccountId.eq(account_id))
                .select_only()
                .column(bookmarks::Column::PostId)
                .into_tuple()
                .all(db)
                .await?;
            let mut known: Vec<(i64, String)> = super::export::post_uris(db, posts, names)
                .await?
                .into_iter()
                .collect();
            known.sort();
            return Ok(known);
        }
        Kind::DomainBlocks => {
            let domains = domain_block::domains(db, account_id).await?;
            return Ok(domains.into_iter().map(|domain| (0, domain)).collect());
        }
        Kind::Lists => return Ok(Vec::new()),
    };
    let mut known: Vec<(i64, String)> = super::export::addresses(db, ids, names.domain())
        .await?
        .into_iter()
        .collect();
    known.sort();
    Ok(known)
}

/// Whether `address` is `user@domain`.
fn is_address(address: &str) -> bool {
    let Some((user, domain)) = address.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !domain.is_empty()
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

fn refused(reason: impl Into<String>) -> Error {
    Error::invalid("file", reason)
}

fn not_csv(e: csv::Error) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    refused(format!(
        "is not a CSV file this server can read (line {line})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mastodon_following_file_is_read() {
        let rows = parse(
            Kind::Following,
            b"Account address,Show boosts,Notify on new posts,Languages\n\
              alice@example.org,true,true,\nbob@example.net,true,false,en\n",
        )
        .unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].address, "alice@example.org");
        assert!(rows[0].notify);
        assert!(!rows[1].notify);
    }

    #[test]
    fn a_plain_list_is_read_and_repeats_are_dropped() {
        let rows = parse(Kind::Blocks, b"a@x.org\n@b@y.org\na@x.org\n\n").unwrap_or_default();
        let addresses: Vec<&str> = rows.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addresses, ["a@x.org", "b@y.org"]);
    }

    #[test]
    fn unknown_columns_bad_addresses_and_too_many_rows_are_refused() {
        let wrong_kind = parse(
            Kind::Following,
            b"Account address,Hide notifications\na@x.org,true\n",
        );
        assert!(wrong_kind.is_err_and(|e| e.to_string().contains("Hide notifications")));
        let not_address = parse(Kind::Mutes, b"Name,Email\nAlice,a@x.org\n");
        assert!(not_address.is_err_and(|e| e.to_string().contains("line 1")));
        let many: String = (0..=MAX_ROWS).map(|n| format!("u{n}@x.org\n")).collect();
        let too_many = parse(Kind::Blocks, many.as_bytes());
        assert!(too_many.is_err_and(|e| e.to_string().contains("more than")));
        assert!(parse(Kind::Blocks, b"").is_err());
    }

    #[test]
    fn bookmarks_and_lists_files_are_read() {
        let rows = parse(
            Kind::Bookmarks,
            b"https://a.example/users/x/statuses/1\nhttps://a.example/users/x/statuses/1\n",
        )
        .unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert!(parse(Kind::Bookmarks, b"alice@example.org\n").is_err());
        let rows = parse(
            Kind::Lists,
            b"Heads,a@x.org\nHeads,b@x.org\n\"Deputies, all\",a@x.org\n",
        )
        .unwrap_or_default();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].list.as_deref(), Some("Deputies, all"));
        assert!(parse(Kind::Lists, b"a@x.org\n").is_err());
        let rows = parse(Kind::DomainBlocks, b"Spam.Example\nspam.example\n").unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].address, "spam.example");
        assert!(parse(Kind::DomainBlocks, b"https://spam.example/\n").is_err());
    }
}
