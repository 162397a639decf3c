//! Trusts: multi-academy trusts, networks, associations and local authorities, each
//! an organisation account that schools and leaders belong to.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use super::{Editor, Origin, Region, TrustKind};
use crate::accounts::account::{self, Account, AccountKind, ProfileField};
use crate::entities::{trust_admins, trusts};
use crate::page::Page;
use crate::{Error, Result};

/// A trust, local or remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    /// Its account (the trust's id is the account's).
    pub account: Account,
    pub name: String,
    /// The trust's username here, or on its own server.
    pub slug: String,
    pub kind: TrustKind,
    pub website: Option<String>,
    pub region: Option<Region>,
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Trust {
    /// The trust's id (its account's).
    pub fn id(&self) -> i64 {
        self.account.id
    }

    fn from_rows(row: trusts::Model, account: Account) -> Self {
        Self {
            account,
            name: row.name,
            slug: row.slug,
            kind: TrustKind::from_stored(&row.kind),
            website: row.website,
            region: row.region.as_deref().map(Region::from_stored),
            description: row.description,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }

    /// The profile fields the trust's account shows.
    pub fn profile_fields(&self) -> Vec<ProfileField> {
        profile_fields(self.kind, self.region, self.website.as_deref())
    }
}

fn profile_fields(
    kind: TrustKind,
    region: Option<Region>,
    website: Option<&str>,
) -> Vec<ProfileField> {
    let mut fields = vec![super::field("Kind", kind.label())];
    if let Some(region) = region {
        fields.push(super::field("Region", region.label()));
    }
    if let Some(website) = website {
        fields.push(super::field("Website", website));
    }
    fields
}

/// What makes a new trust.
#[derive(Debug, Clone)]
pub struct NewTrust {
    pub name: String,
    /// Its username; made from the name when `None`.
    pub slug: Option<String>,
    pub kind: TrustKind,
    pub website: String,
    pub region: Option<Region>,
    pub description: String,
}

/// What changes on a trust; `None` keeps what is there (an empty website removes it).
#[derive(Debug, Clone, Default)]
pub struct TrustChange {
    pub name: Option<String>,
    pub kind: Option<TrustKind>,
    pub website: Option<String>,
    pub region: Option<Option<Region>>,
    pub description: Option<String>,
}

/// A username made from `name`: lower-case letters and digits joined by dashes, at
/// most as long as a username may be.
pub fn slug_from(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(account::MAX_USERNAME_CHARS).collect();
    slug.trim_end_matches('-').to_owned()
}

/// `base`, or when a local account has it, `base-2`, `base-3` ... (cut to fit a
/// username): the first that is free.
async fn free_slug(db: &impl ConnectionTrait, base: &str) -> Result<String> {
    const MAX_TRIES: usize = 100;
    for n in 1..=MAX_TRIES {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            let suffix = format!("-{n}");
            let kept: String = base
                .chars()
                .take(account::MAX_USERNAME_CHARS - suffix.len())
                .collect();
            format!("{}{suffix}", kept.trim_end_matches('-'))
        };
        if account::find_local(db, &candidate).await?.is_none() {
            return Ok(candidate);
        }
    }
    Err(Error::Conflict(format!(
        "the name '{base}' and its numbered variants are taken: choose a slug"
    )))
}

/// Creates a local trust with its account (instance admins only).
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    editor: Editor,
    new: NewTrust,
) -> Result<Trust> {
    super::require_instance_admin(db, editor).await?;
    let txn = crate::database::begin_write(db).await?;
    let trust = insert(&txn, new, Utc::now()).await?;
    txn.commit().await?;
    Ok(trust)
}

/// Inserts a local trust inside the caller's transaction (no permission check).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    new: NewTrust,
    now: DateTime<Utc>,
) -> Result<Trust> {
    let name = super::required_text("name", &new.name, super::MAX_NAME_CHARS)?;
    let slug = match new.slug {
        Some(slug) => slug.trim().to_owned(),
        None => free_slug(db, &slug_from(&name)).await?,
    };
    account::check_username(&slug).map_err(|e| match e {
        Error::Invalid { reason, .. } => Error::Invalid {
            field: "slug",
            reason,
        },
        other => other,
    })?;
    let website = super::website(&new.website)?;
    let description = super::optional_text(
        "description",
        &new.description,
        super::MAX_DESCRIPTION_CHARS,
    )?
    .unwrap_or_default();
    if account::find_local(db, &slug).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the name '{slug}' is already taken"
        )));
    }
    let fields = profile_fields(new.kind, new.region, website.as_deref());
    let account = super::insert_org_account(db, &slug, &name, &description, &fields, now).await?;
    let row = trusts::ActiveModel {
        account_id: Set(account.id),
        name: Set(name),
        slug: Set(slug),
        kind: Set(new.kind.as_str().to_owned()),
        website: Set(website),
        region: Set(new.region.map(|r| r.as_str().to_owned())),
        description: Set(description),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(Trust::from_rows(row, account))
}

/// Changes the local trust `id` (its admins and instance admins only).
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    editor: Editor,
    id: i64,
    change: TrustChange,
) -> Result<Trust> {
    let trust = get(db, id).await?;
    if !trust.account.is_local() {
        return Err(Error::Forbidden(
            "a trust of another server is changed on its own server".to_owned(),
        ));
    }
    super::require_trust_editor(db, editor, id, &trust.name).await?;
    let name = match change.name {
        Some(name) => super::required_text("name", &name, super::MAX_NAME_CHARS)?,
        None => trust.name,
    };
    let website = match change.website {
        Some(website) => super::website(&website)?,
        None => trust.website,
    };
    let description = match change.description {
        Some(text) => super::optional_text("description", &text, super::MAX_DESCRIPTION_CHARS)?
            .unwrap_or_default(),
        None => trust.description,
    };
    let kind = change.kind.unwrap_or(trust.kind);
    let region = change.region.unwrap_or(trust.region);
    let now = Utc::now();
    let txn = crate::database::begin_write(db).await?;
    let fields = profile_fields(kind, region, website.as_deref());
    let account = super::update_org_account(&txn, id, &name, &description, &fields, now).await?;
    let row = trusts::ActiveModel {
        account_id: Set(id),
        name: Set(name),
        kind: Set(kind.as_str().to_owned()),
        website: Set(website),
        region: Set(region.map(|r| r.as_str().to_owned())),
        description: Set(description),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(Trust::from_rows(row, account))
}

/// The trust `id`.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Trust> {
    let row = trusts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("trust"))?;
    let account = account::get(db, id).await?;
    Ok(Trust::from_rows(row, account))
}

/// The local trust whose username is `slug`, if any.
pub async fn find_local(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Trust>> {
    match account::find_local(db, slug).await? {
        Some(account) if account.kind == AccountKind::Organization => {
            match trusts::Entity::find_by_id(account.id).one(db).await? {
                Some(row) => Ok(Some(Trust::from_rows(row, account))),
                None => Ok(None),
            }
        }
        _ => Ok(None),
    }
}

/// The local trust called `name` (any case), if any.
pub async fn find_local_by_name(db: &impl ConnectionTrait, name: &str) -> Result<Option<Trust>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let rows = trusts::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(trusts::Column::Name))).eq(name.trim().to_lowercase()),
        )
        .filter(super::of_origin(trusts::Column::AccountId, Origin::Local))
        .all(db)
        .await?;
    match rows.into_iter().next() {
        Some(row) => {
            let account = account::get(db, row.account_id).await?;
            Ok(Some(Trust::from_rows(row, account)))
        }
        None => Ok(None),
    }
}

/// Which trusts a listing shows.
#[derive(Debug, Clone, Default)]
pub struct TrustFilter {
    pub kind: Option<TrustKind>,
    pub region: Option<Region>,
    pub origin: Origin,
}

/// A page of trusts, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &TrustFilter,
    page: Page,
) -> Result<Vec<Trust>> {
    let mut query = trusts::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(trusts::Column::Kind.eq(kind.as_str()));
    }
    if let Some(region) = filter.region {
        query = query.filter(trusts::Column::Region.eq(region.as_str()));
    }
    query = query.filter(super::of_origin(trusts::Column::AccountId, filter.origin));
    let mut rows = page.apply(query, trusts::Column::AccountId).all(db).await?;
    page.finish(&mut rows);
    let accounts = super::accounts_by_id(db, rows.iter().map(|r| r.account_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let account = accounts.get(&row.account_id)?.clone();
            Some(Trust::from_rows(row, account))
        })
        .collect())
}

/// Makes the local account `account_id` an admin of the local trust `trust_id`
/// (the trust's admins and instance admins only).
pub async fn add_admin(
    db: &impl ConnectionTrait,
    editor: Editor,
    trust_id: i64,
    account_id: i64,
) -> Result<()> {
    let trust = get(db, trust_id).await?;
    if !trust.account.is_local() {
        return Err(Error::Forbidden(
            "a trust of another server is changed on its own server".to_owned(),
        ));
    }
    super::require_trust_editor(db, editor, trust_id, &trust.name).await?;
    let person = account::get(db, account_id).await?;
    if !person.is_local() || person.kind != AccountKind::Person {
        return Err(Error::invalid(
            "account_id",
            "must name a person of this instance",
        ));
    }
    let exists = trust_admins::Entity::find_by_id((trust_id, account_id))
        .one(db)
        .await?
        .is_some();
    if !exists {
        trust_admins::ActiveModel {
            trust_id: Set(trust_id),
            account_id: Set(account_id),
            created_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Removes the account `account_id` from the admins of the local trust
/// `trust_id` (the trust's admins and instance admins); true if it was one.
pub async fn remove_admin(
    db: &impl ConnectionTrait,
    editor: Editor,
    trust_id: i64,
    account_id: i64,
) -> Result<bool> {
    let trust = get(db, trust_id).await?;
    super::require_trust_editor(db, editor, trust_id, &trust.name).await?;
    let removed = trust_admins::Entity::delete_by_id((trust_id, account_id))
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0)
}

/// The admins of the trust `trust_id`.
pub async fn admins(db: &impl ConnectionTrait, trust_id: i64) -> Result<Vec<Account>> {
    let ids: Vec<i64> = trust_admins::Entity::find()
        .filter(trust_admins::Column::TrustId.eq(trust_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.account_id)
        .collect();
    account::get_many(db, &ids).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_usernames_made_from_names() {
        assert_eq!(
            slug_from("Greenhill Learning Trust"),
            "greenhill-learning-trust"
        );
        assert_eq!(slug_from("  St. Mary's (C of E) "), "st-mary-s-c-of-e");
        let long = slug_from("The Very Long Name of a Multi Academy Trust in Yorkshire");
        assert!(long.len() <= account::MAX_USERNAME_CHARS && !long.ends_with('-'));
        assert!(account::check_username(&long).is_ok(), "{long}");
    }
}
