//! Servers a person blocks for themself: the posts of their accounts stay out of
//! that person's timelines (the rule is `visibility::timeline::excluded_accounts`)
//! and their notifications ([`not_from_blocked_servers`]), and the block ends
//! their accounts' follows of that person (the federation crate tells their
//! servers). Nobody else is affected, unlike the instance's domain rules.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::{account_domain_blocks, accounts};
use crate::{Error, Result, id};

/// `domain` lower-cased, or why it cannot be a server's domain.
fn checked(domain: &str) -> Result<String> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if valid {
        Ok(domain)
    } else {
        Err(Error::invalid("domain", "is not a server's domain"))
    }
}

/// `domain` as blocks store it (lower-case, no final dot), or `Invalid` when
/// it cannot be a server's domain.
pub fn normalised(domain: &str) -> Result<String> {
    checked(domain)
}

/// Whether `domain` is written as a server's domain.
pub fn is_domain(domain: &str) -> bool {
    checked(domain).is_ok()
}

/// `account_id` blocks `domain` for themself; blocking it again changes nothing.
pub async fn block(
    db: &impl ConnectionTrait,
    account_id: i64,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let domain = checked(domain)?;
    account_domain_blocks::Entity::insert(account_domain_blocks::ActiveModel {
        id: Set(id::new_id(now)),
        account_id: Set(account_id),
        domain: Set(domain),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            account_domain_blocks::Column::AccountId,
            account_domain_blocks::Column::Domain,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// `account_id` lifts its block of `domain`.
pub async fn unblock(db: &impl ConnectionTrait, account_id: i64, domain: &str) -> Result<()> {
    account_domain_blocks::Entity::delete_many()
        .filter(account_domain_blocks::Column::AccountId.eq(account_id))
        .filter(account_domain_blocks::Column::Domain.eq(domain.trim().to_ascii_lowercase()))
        .exec(db)
        .await?;
    Ok(())
}

/// The most servers one person blocks.
pub const MAX_DOMAIN_BLOCKS: u64 = 10_000;

/// A page of the domains `account_id` blocks, newest block first, each with
/// the id of its block (the page's cursor).
pub async fn page(
    db: &impl ConnectionTrait,
    account_id: i64,
    page: crate::page::Page,
) -> Result<Vec<(i64, String)>> {
    let query = account_domain_blocks::Entity::find()
        .filter(account_domain_blocks::Column::AccountId.eq(account_id));
    let mut rows: Vec<(i64, String)> = page
        .apply(query, account_domain_blocks::Column::Id)
        .select_only()
        .column(account_domain_blocks::Column::Id)
        .column(account_domain_blocks::Column::Domain)
        .into_tuple()
        .all(db)
        .await?;
    page.finish(&mut rows);
    Ok(rows)
}

/// `account_id` blocks `domain` for themself, within [`MAX_DOMAIN_BLOCKS`]
/// (`Invalid` beyond); blocking it again changes nothing.
pub async fn block_within_limit(
    db: &impl ConnectionTrait,
    account_id: i64,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    use sea_orm::PaginatorTrait;
    let held = account_domain_blocks::Entity::find()
        .filter(account_domain_blocks::Column::AccountId.eq(account_id))
        .count(db)
        .await?;
    if held >= MAX_DOMAIN_BLOCKS {
        return Err(Error::invalid(
            "domain",
            format!("cannot be blocked: you block {MAX_DOMAIN_BLOCKS} servers already"),
        ));
    }
    block(db, account_id, domain, now).await
}

/// The domains `account_id` blocks, oldest block first.
pub async fn domains(db: &impl ConnectionTrait, account_id: i64) -> Result<Vec<String>> {
    Ok(account_domain_blocks::Entity::find()
        .filter(account_domain_blocks::Column::AccountId.eq(account_id))
        .order_by_asc(account_domain_blocks::Column::Id)
        .select_only()
        .column(account_domain_blocks::Column::Domain)
        .into_tuple()
        .all(db)
        .await?)
}

/// The accounts of the servers `viewer` blocks, as a subquery.
pub fn accounts_blocked(viewer: i64) -> SelectStatement {
    let blocked = Query::select()
        .column(account_domain_blocks::Column::Domain)
        .from(account_domain_blocks::Entity)
        .and_where(account_domain_blocks::Column::AccountId.eq(viewer))
        .to_owned();
    Query::select()
        .column(accounts::Column::Id)
        .from(accounts::Entity)
        .and_where(accounts::Column::Domain.in_subquery(blocked))
        .to_owned()
}

/// The condition on a column holding the account something came from (a
/// notification's `from_account_id`, say) that leaves out the accounts of the
/// servers `viewer` blocks; rows from no account stay.
pub fn not_from_blocked_servers(column: impl ColumnTrait, viewer: i64) -> Condition {
    Condition::any()
        .add(column.is_null())
        .add(column.not_in_subquery(accounts_blocked(viewer)))
}
