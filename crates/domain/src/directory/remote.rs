//! Trusts, schools and leaders of other servers, as their actors describe them (the
//! federation layer reads the documents; this module keeps what they say, within
//! limits). Their accounts are already stored by [`crate::accounts::remote::upsert`].

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, Set};

use super::{InspectionGrade, LeaderRole, Phase, Region, TrustKind};
use crate::accounts::account::{self, AccountKind};
use crate::entities::{accounts, leader_profiles, schools, trusts};
use crate::{Error, Result};

/// What a remote trust's actor says of it.
#[derive(Debug, Clone, Default)]
pub struct RemoteTrust {
    pub name: String,
    pub kind: String,
    pub website: Option<String>,
    pub region: Option<String>,
    pub description: String,
}

/// What a remote school's actor says of it.
#[derive(Debug, Clone, Default)]
pub struct RemoteSchool {
    pub urn: String,
    pub name: String,
    pub phase: String,
    pub school_type: String,
    pub region: Option<String>,
    pub local_authority: Option<String>,
    pub inspection_grade: Option<String>,
    pub inspection_date: Option<String>,
    /// Its trust, when this instance knows the account the actor names.
    pub trust: Option<i64>,
    pub website: Option<String>,
}

/// What a remote person's actor says of their work.
#[derive(Debug, Clone, Default)]
pub struct RemoteLeader {
    pub role: String,
    /// Their school and trust, when this instance knows the accounts the actor
    /// names.
    pub school: Option<i64>,
    pub trust: Option<i64>,
    pub interests: Vec<String>,
    pub confirmed: bool,
}

/// On a second insert of the same key, every column but the key and `created_at`
/// takes the new value.
fn replacing<C: ColumnTrait + sea_orm::sea_query::IntoIden + Copy>(
    key: C,
    columns: impl Iterator<Item = C>,
) -> OnConflict {
    OnConflict::column(key)
        .update_columns(columns.filter(|c| {
            let name = c.into_iden().to_string();
            name != key.into_iden().to_string() && name != "created_at"
        }))
        .to_owned()
}

/// `value` cut to `max` characters.
fn cut(value: &str, max: usize) -> String {
    value.trim().chars().take(max).collect()
}

fn cut_option(value: Option<&str>, max: usize) -> Option<String> {
    value.map(|v| cut(v, max)).filter(|v| !v.is_empty())
}

/// The server of the remote account `account_id`; a local account is refused.
async fn remote_account(db: &impl ConnectionTrait, account_id: i64) -> Result<String> {
    account::get(db, account_id).await?.domain.ok_or_else(|| {
        Error::Forbidden("a local account is not described by other servers".to_owned())
    })
}

async fn mark_organization(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    accounts::ActiveModel {
        id: Set(account_id),
        kind: Set(AccountKind::Organization.as_str().to_owned()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The trust or school (a row of `E`) of the account `id` another actor names:
/// its id, and whether it lives on `server` (the naming actor's).
async fn known_org<E>(
    db: &impl ConnectionTrait,
    id: Option<i64>,
    server: &str,
) -> Result<Option<(i64, bool)>>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i64>,
{
    let Some(id) = id else {
        return Ok(None);
    };
    let Some(account) = accounts::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if E::find_by_id(account.id).one(db).await?.is_none() {
        return Ok(None);
    }
    Ok(Some((
        account.id,
        account.domain.as_deref() == Some(server),
    )))
}

/// Keeps what the remote actor `account_id` says of itself as a trust.
pub async fn store_trust(
    db: &impl ConnectionTrait,
    account_id: i64,
    trust: RemoteTrust,
) -> Result<()> {
    remote_account(db, account_id).await?;
    let name = cut(&trust.name, super::MAX_NAME_CHARS);
    if name.is_empty() {
        return Err(Error::invalid("name", "must not be empty"));
    }
    mark_organization(db, account_id).await?;
    let account = account::get(db, account_id).await?;
    let now = Utc::now();
    let row = trusts::ActiveModel {
        account_id: Set(account_id),
        name: Set(name),
        slug: Set(cut(&account.username, 64)),
        kind: Set(TrustKind::parse(&trust.kind)
            .unwrap_or(TrustKind::Other)
            .as_str()
            .to_owned()),
        website: Set(cut_option(
            trust.website.as_deref(),
            super::MAX_WEBSITE_CHARS,
        )),
        region: Set(trust
            .region
            .and_then(|r| Region::parse(&r).ok())
            .map(|r| r.as_str().to_owned())),
        description: Set(cut(&trust.description, super::MAX_DESCRIPTION_CHARS)),
        updated_at: Set(now),
        created_at: Set(now),
    };
    trusts::Entity::insert(row)
        .on_conflict(replacing(trusts::Column::AccountId, trusts::Column::iter()))
        .exec(db)
        .await?;
    Ok(())
}

/// Keeps what the remote actor `account_id` says of itself as a school; its trust
/// is linked when this instance knows it.
pub async fn store_school(
    db: &impl ConnectionTrait,
    account_id: i64,
    school: RemoteSchool,
) -> Result<()> {
    let server = remote_account(db, account_id).await?;
    let urn = super::school::check_urn(&school.urn)?;
    let name = cut(&school.name, super::MAX_NAME_CHARS);
    if name.is_empty() {
        return Err(Error::invalid("name", "must not be empty"));
    }
    mark_organization(db, account_id).await?;
    // A school belongs to a trust of its own server: no server may put its
    // schools into another's trust.
    let trust_id = match known_org::<trusts::Entity>(db, school.trust, &server).await? {
        Some((id, true)) => Some(id),
        _ => None,
    };
    let now = Utc::now();
    let row = schools::ActiveModel {
        account_id: Set(account_id),
        urn: Set(urn),
        name: Set(name),
        phase: Set(Phase::parse(&school.phase)
            .unwrap_or(Phase::Post16)
            .as_str()
            .to_owned()),
        school_type: Set(cut(&school.school_type, super::MAX_SHORT_TEXT_CHARS)),
        region: Set(school
            .region
            .and_then(|r| Region::parse(&r).ok())
            .map(|r| r.as_str().to_owned())),
        local_authority: Set(cut_option(
            school.local_authority.as_deref(),
            super::MAX_SHORT_TEXT_CHARS,
        )),
        inspection_grade: Set(school
            .inspection_grade
            .and_then(|g| InspectionGrade::parse(&g).ok())
            .unwrap_or(InspectionGrade::NotYetInspected)
            .as_str()
            .to_owned()),
        inspection_date: Set(school
            .inspection_date
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())),
        trust_id: Set(trust_id),
        website: Set(cut_option(
            school.website.as_deref(),
            super::MAX_WEBSITE_CHARS,
        )),
        updated_at: Set(now),
        created_at: Set(now),
    };
    schools::Entity::insert(row)
        .on_conflict(replacing(
            schools::Column::AccountId,
            schools::Column::iter(),
        ))
        .exec(db)
        .await?;
    Ok(())
}

/// Keeps the leader profile the remote person `account_id` carries; their school
/// and trust are linked when this instance knows them.
pub async fn store_leader(
    db: &impl ConnectionTrait,
    account_id: i64,
    leader: RemoteLeader,
) -> Result<()> {
    let server = remote_account(db, account_id).await?;
    let school = known_org::<schools::Entity>(db, leader.school, &server).await?;
    let trust = known_org::<trusts::Entity>(db, leader.trust, &server).await?;
    let (school_id, trust_id) = (school.map(|(id, _)| id), trust.map(|(id, _)| id));
    // A membership is confirmed by the trust's admins, on the trust's server: the
    // leader's server may say so only of a trust of its own.
    let confirmable = matches!(trust, Some((_, true)));
    let interests: Vec<String> = leader
        .interests
        .iter()
        .map(|i| cut(i, super::leader::MAX_INTEREST_CHARS))
        .filter(|i| !i.is_empty())
        .take(super::leader::MAX_INTERESTS)
        .collect();
    let now = Utc::now();
    let existing = leader_profiles::Entity::find_by_id(account_id)
        .one(db)
        .await?;
    let confirmed_at = match (&existing, leader.confirmed && confirmable) {
        (Some(row), true) if row.confirmed_at.is_some() => row.confirmed_at,
        (_, true) => Some(now),
        (_, false) => None,
    };
    let row = leader_profiles::ActiveModel {
        account_id: Set(account_id),
        role: Set(LeaderRole::parse(&leader.role)
            .unwrap_or(LeaderRole::Other)
            .as_str()
            .to_owned()),
        school_id: Set(school_id),
        trust_id: Set(trust_id),
        interests: Set(serde_json::to_string(&interests).unwrap_or_else(|_| "[]".into())),
        confirmed_at: Set(confirmed_at),
        confirmed_by: Set(None),
        updated_at: Set(now),
    };
    if existing.is_some() {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    Ok(())
}

/// Forgets the directory record of the remote actor `account_id` (its actor no
/// longer describes a trust, school or leader).
pub async fn forget(db: &impl ConnectionTrait, account_id: i64) -> Result<()> {
    remote_account(db, account_id).await?;
    leader_profiles::Entity::delete_by_id(account_id)
        .exec(db)
        .await?;
    schools::Entity::delete_by_id(account_id).exec(db).await?;
    trusts::Entity::delete_by_id(account_id).exec(db).await?;
    Ok(())
}
