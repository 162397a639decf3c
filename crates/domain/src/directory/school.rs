//! Schools: each with its unique reference number (URN), phase, region, local
//! authority, latest inspection and trust, and an organisation account of its own.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use super::{Editor, InspectionGrade, OrgRef, Origin, Phase, Region};
use crate::accounts::account::{self, Account, ProfileField};
use crate::entities::schools;
use crate::page::Page;
use crate::{Error, Result};

/// A school, local or remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    /// Its account (the school's id is the account's).
    pub account: Account,
    /// Six digits.
    pub urn: String,
    pub name: String,
    pub phase: Phase,
    /// The type of establishment, as the register names it ("Academy converter").
    pub school_type: String,
    pub region: Option<Region>,
    pub local_authority: Option<String>,
    pub inspection_grade: InspectionGrade,
    pub inspection_date: Option<NaiveDate>,
    pub trust: Option<OrgRef>,
    pub website: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl School {
    /// The school's id (its account's).
    pub fn id(&self) -> i64 {
        self.account.id
    }
}

/// The username of the local school with `urn`.
pub fn username_for(urn: &str) -> String {
    format!("school-{urn}")
}

/// Checks a URN: exactly six digits.
pub fn check_urn(urn: &str) -> Result<String> {
    let urn = urn.trim();
    if urn.len() == 6 && urn.bytes().all(|b| b.is_ascii_digit()) {
        Ok(urn.to_owned())
    } else {
        Err(Error::invalid("urn", "must be six digits"))
    }
}

/// What makes a new school, or replaces one's details.
#[derive(Debug, Clone)]
pub struct SchoolDetails {
    pub urn: String,
    pub name: String,
    pub phase: Phase,
    pub school_type: String,
    pub region: Option<Region>,
    pub local_authority: String,
    pub inspection_grade: InspectionGrade,
    pub inspection_date: Option<NaiveDate>,
    pub trust_id: Option<i64>,
    pub website: String,
}

/// What changes on a school; `None` keeps what is there (`Some(None)` removes it).
#[derive(Debug, Clone, Default)]
pub struct SchoolChange {
    pub name: Option<String>,
    pub phase: Option<Phase>,
    pub school_type: Option<String>,
    pub region: Option<Option<Region>>,
    pub local_authority: Option<String>,
    pub inspection_grade: Option<InspectionGrade>,
    pub inspection_date: Option<Option<NaiveDate>>,
    pub trust_id: Option<Option<i64>>,
    pub website: Option<String>,
}

/// The checked details of a school, as stored.
struct Checked {
    urn: String,
    name: String,
    school_type: String,
    local_authority: Option<String>,
    website: Option<String>,
    trust: Option<OrgRef>,
}

impl Checked {
    /// The school these details make, with its account.
    fn into_school(
        self,
        account: Account,
        details: &SchoolDetails,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> School {
        School {
            account,
            urn: self.urn,
            name: self.name,
            phase: details.phase,
            school_type: self.school_type,
            region: details.region,
            local_authority: self.local_authority,
            inspection_grade: details.inspection_grade,
            inspection_date: details.inspection_date,
            trust: self.trust,
            website: self.website,
            created_at,
            updated_at,
        }
    }
}

async fn check(db: &impl ConnectionTrait, details: &SchoolDetails) -> Result<Checked> {
    let urn = check_urn(&details.urn)?;
    let name = super::required_text("name", &details.name, super::MAX_NAME_CHARS)?;
    let school_type =
        super::optional_text("type", &details.school_type, super::MAX_SHORT_TEXT_CHARS)?
            .unwrap_or_default();
    let local_authority = super::optional_text(
        "local_authority",
        &details.local_authority,
        super::MAX_SHORT_TEXT_CHARS,
    )?;
    let website = super::website(&details.website)?;
    let trust = match details.trust_id {
        Some(id) => Some(trust_ref(db, id).await?),
        None => None,
    };
    Ok(Checked {
        urn,
        name,
        school_type,
        local_authority,
        website,
        trust,
    })
}

/// The local trust `id` for a school to belong to.
async fn trust_ref(db: &impl ConnectionTrait, id: i64) -> Result<OrgRef> {
    let found = super::trust::get(db, id).await.map_err(|e| match e {
        Error::NotFound(_) => Error::invalid("trust_id", "does not name a trust"),
        other => other,
    })?;
    if !found.account.is_local() {
        return Err(Error::invalid(
            "trust_id",
            "must name a trust of this instance",
        ));
    }
    Ok(OrgRef {
        name: found.name,
        region: found.region,
        local_authority: None,
        account: found.account,
    })
}

fn profile_fields(school: &School) -> Vec<ProfileField> {
    let mut fields = vec![
        super::field("URN", &school.urn),
        super::field("Phase", school.phase.label()),
    ];
    let place = match (&school.local_authority, school.region) {
        (Some(la), Some(region)) => Some(format!("{la}, {}", region.label())),
        (Some(la), None) => Some(la.clone()),
        (None, Some(region)) => Some(region.label().to_owned()),
        (None, None) => None,
    };
    if let Some(place) = place {
        fields.push(super::field("Local authority", &place));
    }
    let inspection = match school.inspection_date {
        Some(date) => format!(
            "{} ({})",
            school.inspection_grade.label(),
            date.format("%-d %B %Y")
        ),
        None => school.inspection_grade.label().to_owned(),
    };
    fields.push(super::field("Inspection", &inspection));
    if let Some(trust) = &school.trust {
        fields.push(super::field("Trust", &trust.name));
    }
    fields
}

/// The local school with `urn`, if any.
pub async fn find_local_by_urn(db: &impl ConnectionTrait, urn: &str) -> Result<Option<School>> {
    let Some(account) = account::find_local(db, &username_for(urn)).await? else {
        return Ok(None);
    };
    match schools::Entity::find_by_id(account.id).one(db).await? {
        Some(_) => get(db, account.id).await.map(Some),
        None => Ok(None),
    }
}

/// Refuses a URN another local school has, naming that school.
async fn check_urn_free(db: &impl ConnectionTrait, urn: &str) -> Result<()> {
    if let Some(existing) = find_local_by_urn(db, urn).await? {
        return Err(Error::Conflict(format!(
            "URN {urn} belongs to {} already",
            existing.name
        )));
    }
    if account::find_local(db, &username_for(urn)).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the name '{}' is already taken",
            username_for(urn)
        )));
    }
    Ok(())
}

/// Creates a local school with its account: instance admins, or admins of the
/// trust it belongs to.
pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    editor: Editor,
    details: SchoolDetails,
) -> Result<School> {
    match details.trust_id {
        Some(trust_id) if !super::is_instance_admin(db, editor).await? => {
            let trust = trust_ref(db, trust_id).await?;
            super::require_trust_editor(db, editor, trust_id, &trust.name).await?;
        }
        Some(_) => {}
        None => super::require_instance_admin(db, editor).await?,
    }
    let txn = crate::database::begin_write(db).await?;
    let school = insert(&txn, details, Utc::now()).await?;
    txn.commit().await?;
    Ok(school)
}

/// Inserts a local school inside the caller's transaction (no permission check).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    details: SchoolDetails,
    now: DateTime<Utc>,
) -> Result<School> {
    let checked = check(db, &details).await?;
    check_urn_free(db, &checked.urn).await?;
    let username = username_for(&checked.urn);
    let account = super::insert_org_account(db, &username, &checked.name, "", &[], now)
        .await
        .map_err(|e| match e {
            // Another school took the URN at the same moment.
            Error::Conflict(_) => Error::Conflict(format!(
                "URN {} belongs to another school already",
                checked.urn
            )),
            other => other,
        })?;
    let school = checked.into_school(account, &details, now, now);
    row(&school).insert(db).await?;
    let account = super::update_org_account(
        db,
        school.id(),
        &school.name,
        "",
        &profile_fields(&school),
        now,
    )
    .await?;
    Ok(School { account, ..school })
}

fn row(school: &School) -> schools::ActiveModel {
    schools::ActiveModel {
        account_id: Set(school.id()),
        urn: Set(school.urn.clone()),
        name: Set(school.name.clone()),
        phase: Set(school.phase.as_str().to_owned()),
        school_type: Set(school.school_type.clone()),
        region: Set(school.region.map(|r| r.as_str().to_owned())),
        local_authority: Set(school.local_authority.clone()),
        inspection_grade: Set(school.inspection_grade.as_str().to_owned()),
        inspection_date: Set(school.inspection_date),
        trust_id: Set(school.trust.as_ref().map(|t| t.account.id)),
        website: Set(school.website.clone()),
        created_at: Set(school.created_at),
        updated_at: Set(school.updated_at),
    }
}

/// Changes the local school `id`: instance admins, or admins of its trust (and of
/// the trust it moves to).
pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    editor: Editor,
    id: i64,
    change: SchoolChange,
) -> Result<School> {
    let school = get(db, id).await?;
    if !school.account.is_local() {
        return Err(Error::Forbidden(
            "a school of another server is changed on its own server".to_owned(),
        ));
    }
    let admin = super::is_instance_admin(db, editor).await?;
    if !admin {
        match &school.trust {
            Some(trust) => {
                super::require_trust_editor(db, editor, trust.account.id, &trust.name).await?;
            }
            None => super::require_instance_admin(db, editor).await?,
        }
    }
    let details = SchoolDetails {
        urn: school.urn.clone(),
        name: change.name.unwrap_or_else(|| school.name.clone()),
        phase: change.phase.unwrap_or(school.phase),
        school_type: change
            .school_type
            .unwrap_or_else(|| school.school_type.clone()),
        region: change.region.unwrap_or(school.region),
        local_authority: change
            .local_authority
            .unwrap_or_else(|| school.local_authority.clone().unwrap_or_default()),
        inspection_grade: change.inspection_grade.unwrap_or(school.inspection_grade),
        inspection_date: change.inspection_date.unwrap_or(school.inspection_date),
        trust_id: change
            .trust_id
            .unwrap_or_else(|| school.trust.as_ref().map(|t| t.account.id)),
        website: change
            .website
            .unwrap_or_else(|| school.website.clone().unwrap_or_default()),
    };
    if let Some(new_trust) = details.trust_id
        && !admin
        && Some(new_trust) != school.trust.as_ref().map(|t| t.account.id)
    {
        let target = trust_ref(db, new_trust).await?;
        super::require_trust_editor(db, editor, new_trust, &target.name).await?;
    }
    let txn = crate::database::begin_write(db).await?;
    let updated = overwrite(&txn, school, details, Utc::now()).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Replaces the details of the local school `school` inside the caller's
/// transaction (no permission check; the URN stays).
pub(crate) async fn overwrite(
    db: &impl ConnectionTrait,
    school: School,
    details: SchoolDetails,
    now: DateTime<Utc>,
) -> Result<School> {
    let checked = check(db, &details).await?;
    let id = school.id();
    let updated = checked.into_school(school.account, &details, school.created_at, now);
    row(&updated).update(db).await?;
    let account =
        super::update_org_account(db, id, &updated.name, "", &profile_fields(&updated), now)
            .await?;
    Ok(School { account, ..updated })
}

/// The school `id`.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<School> {
    let row = schools::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("school"))?;
    Ok(with_refs(db, vec![row]).await?.remove(0))
}

/// Rows with their accounts and trusts.
async fn with_refs(db: &impl ConnectionTrait, rows: Vec<schools::Model>) -> Result<Vec<School>> {
    let accounts = super::accounts_by_id(db, rows.iter().map(|r| r.account_id)).await?;
    let trusts = super::org_refs(db, rows.iter().filter_map(|r| r.trust_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let account = accounts.get(&row.account_id)?.clone();
            Some(School {
                account,
                trust: row.trust_id.and_then(|id| trusts.get(&id).cloned()),
                urn: row.urn,
                name: row.name,
                phase: Phase::from_stored(&row.phase),
                school_type: row.school_type,
                region: row.region.as_deref().map(Region::from_stored),
                local_authority: row.local_authority,
                inspection_grade: InspectionGrade::from_stored(&row.inspection_grade),
                inspection_date: row.inspection_date,
                website: row.website,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect())
}

/// Which schools a listing shows.
#[derive(Debug, Clone, Default)]
pub struct SchoolFilter {
    pub phase: Option<Phase>,
    pub region: Option<Region>,
    /// The local authority's name, any case.
    pub local_authority: Option<String>,
    pub inspection_grade: Option<InspectionGrade>,
    pub trust_id: Option<i64>,
    pub urn: Option<String>,
    pub origin: Origin,
    /// Schools whose name contains this, in any case.
    pub name: Option<String>,
}

/// A page of schools, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &SchoolFilter,
    page: Page,
) -> Result<Vec<School>> {
    let mut query = schools::Entity::find();
    if let Some(phase) = filter.phase {
        query = query.filter(schools::Column::Phase.eq(phase.as_str()));
    }
    if let Some(region) = filter.region {
        query = query.filter(schools::Column::Region.eq(region.as_str()));
    }
    if let Some(la) = &filter.local_authority {
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(schools::Column::LocalAuthority)))
                .eq(la.trim().to_lowercase()),
        );
    }
    if let Some(grade) = filter.inspection_grade {
        query = query.filter(schools::Column::InspectionGrade.eq(grade.as_str()));
    }
    if let Some(trust_id) = filter.trust_id {
        query = query.filter(schools::Column::TrustId.eq(trust_id));
    }
    if let Some(urn) = &filter.urn {
        query = query.filter(schools::Column::Urn.eq(urn.trim()));
    }
    if let Some(name) = filter.name.as_deref().filter(|n| !n.trim().is_empty()) {
        query = query.filter(super::contains_text(schools::Column::Name, name));
    }
    query = query.filter(super::of_origin(schools::Column::AccountId, filter.origin));
    let mut rows = page
        .apply(query, schools::Column::AccountId)
        .all(db)
        .await?;
    page.finish(&mut rows);
    with_refs(db, rows).await
}
