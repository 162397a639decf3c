//! Reading the account lists other servers export (Mastodon's
//! `following_accounts.csv`, `blocked_accounts.csv` and `muted_accounts.csv`, or a
//! plain list of `user@domain` addresses, one a line). A file is taken whole or not
//! at all: a mistake anywhere rejects it, with what is wrong and where.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::{blocks, follows, mutes};
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
}

impl Kind {
    /// Every kind, as the import form offers them.
    pub const ALL: [Self; 3] = [Self::Following, Self::Blocks, Self::Mutes];

    /// The kind's name in the import form.
    pub fn name(self) -> &'static str {
        match self {
            Self::Following => "following",
            Self::Blocks => "blocks",
            Self::Mutes => "mutes",
        }
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
        }
    }
}

/// One account of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `user@domain`, as written.
    pub address: String,
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
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
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
            notify: value("Notify on new posts")?.unwrap_or(false),
            hide_notifications: value("Hide notifications")?.unwrap_or(true),
        };
        if rows
            .iter()
            .any(|r| r.address.eq_ignore_ascii_case(&row.address))
        {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(refused(format!(
                "holds more than {MAX_ROWS} accounts; split it into smaller files"
            )));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(refused("holds no accounts"));
    }
    Ok(rows)
}

/// The accounts `account_id` follows (or has asked to), blocks or mutes at `now`,
/// as `kind` says: (account id, `user@domain`), this instance's own with
/// `local_domain`. What an import that replaces the list takes away from.
pub async fn current(
    db: &impl ConnectionTrait,
    account_id: i64,
    kind: Kind,
    local_domain: &str,
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
    };
    let mut known: Vec<(i64, String)> = super::export::addresses(db, ids, local_domain)
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
}
