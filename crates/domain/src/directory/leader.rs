//! Leader profiles: a person's role, school, trust and interests, and whether an
//! admin of the trust confirmed that they belong to it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use super::{Editor, LeaderRole, OrgRef, Origin, Region};
use crate::accounts::account::{self, Account, AccountKind};
use crate::entities::{leader_profiles, schools, trusts};
use crate::page::Page;
use crate::{Error, Result};

/// The most areas of interest on a profile.
pub const MAX_INTERESTS: usize = 10;
/// The most characters of one area of interest.
pub const MAX_INTEREST_CHARS: usize = 60;

/// A leader profile, local or remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    pub account: Account,
    pub role: LeaderRole,
    pub school: Option<OrgRef>,
    pub trust: Option<OrgRef>,
    pub interests: Vec<String>,
    /// When the membership of the trust was confirmed; `None` while it is not.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Leader {
    /// The leader's id (their account's).
    pub fn id(&self) -> i64 {
        self.account.id
    }

    /// Whether an admin of the trust confirmed the membership.
    pub fn is_confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }

    /// Where the leader works: their school's region, or else their trust's.
    pub fn region(&self) -> Option<Region> {
        self.school
            .as_ref()
            .and_then(|s| s.region)
            .or_else(|| self.trust.as_ref().and_then(|t| t.region))
    }
}

/// What a profile says; it replaces what was there.
#[derive(Debug, Clone)]
pub struct LeaderDetails {
    pub role: LeaderRole,
    pub school_id: Option<i64>,
    /// When `None` and the school belongs to a trust, that trust.
    pub trust_id: Option<i64>,
    pub interests: Vec<String>,
}

fn check_interests(interests: &[String]) -> Result<Vec<String>> {
    if interests.len() > MAX_INTERESTS {
        return Err(Error::invalid(
            "interests",
            format!("has too many entries: at most {MAX_INTERESTS}"),
        ));
    }
    let mut kept: Vec<String> = Vec::new();
    for interest in interests {
        let interest = interest.trim();
        if interest.chars().count() > MAX_INTEREST_CHARS {
            return Err(Error::invalid(
                "interests",
                format!("entries have at most {MAX_INTEREST_CHARS} characters"),
            ));
        }
        if !interest.is_empty() && !kept.iter().any(|k| k.eq_ignore_ascii_case(interest)) {
            kept.push(interest.to_owned());
        }
    }
    Ok(kept)
}

/// Refuses unless `editor` is the leader `account_id` or an instance admin.
async fn require_leader_or_admin(
    db: &impl ConnectionTrait,
    editor: Editor,
    account_id: i64,
) -> Result<()> {
    if editor == Editor::Account(account_id) || super::is_instance_admin(db, editor).await? {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the leader themself or an admin of this instance may change this profile"
                .to_owned(),
        ))
    }
}

/// Sets the leader profile of the local person `account_id`: they themself, or an
/// instance admin. A new school or trust needs confirming again.
pub async fn set(
    db: &impl ConnectionTrait,
    editor: Editor,
    account_id: i64,
    details: LeaderDetails,
) -> Result<Leader> {
    require_leader_or_admin(db, editor, account_id).await?;
    let person = account::get(db, account_id).await?;
    if !person.is_local() || person.kind != AccountKind::Person {
        return Err(Error::invalid("id", "must name a person of this instance"));
    }
    let interests = check_interests(&details.interests)?;
    let school = match details.school_id {
        Some(id) => Some(
            schools::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::invalid("school_id", "does not name a school"))?,
        ),
        None => None,
    };
    let trust_id = details
        .trust_id
        .or_else(|| school.as_ref().and_then(|s| s.trust_id));
    if let Some(id) = trust_id
        && trusts::Entity::find_by_id(id).one(db).await?.is_none()
    {
        return Err(Error::invalid("trust_id", "does not name a trust"));
    }
    let school_id = school.map(|s| s.account_id);
    let now = Utc::now();
    let existing = leader_profiles::Entity::find_by_id(account_id)
        .one(db)
        .await?;
    let keeps_confirmation = existing
        .as_ref()
        .is_some_and(|e| e.school_id == school_id && e.trust_id == trust_id);
    let mut row = leader_profiles::ActiveModel {
        account_id: Set(account_id),
        role: Set(details.role.as_str().to_owned()),
        school_id: Set(school_id),
        trust_id: Set(trust_id),
        interests: Set(serde_json::to_string(&interests).unwrap_or_else(|_| "[]".into())),
        updated_at: Set(now),
        ..Default::default()
    };
    if !keeps_confirmation {
        row.confirmed_at = Set(None);
        row.confirmed_by = Set(None);
    }
    if existing.is_some() {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    get(db, account_id).await
}

/// Removes the leader profile of the local person `account_id` (they themself, or
/// an instance admin); true if there was one.
pub async fn remove(db: &impl ConnectionTrait, editor: Editor, account_id: i64) -> Result<bool> {
    require_leader_or_admin(db, editor, account_id).await?;
    if !account::get(db, account_id).await?.is_local() {
        return Err(Error::Forbidden(
            "a leader of another server changes their profile there".to_owned(),
        ));
    }
    let removed = leader_profiles::Entity::delete_by_id(account_id)
        .exec(db)
        .await?;
    Ok(removed.rows_affected > 0)
}

/// Confirms (or withdraws the confirmation of) the membership of the local leader
/// `account_id` in their trust: an admin of that trust, or an instance admin.
pub async fn confirm(
    db: &impl ConnectionTrait,
    editor: Editor,
    account_id: i64,
    confirmed: bool,
) -> Result<Leader> {
    let leader = get(db, account_id).await?;
    if !leader.account.is_local() {
        return Err(Error::Forbidden(
            "a leader of another server is confirmed on their own server".to_owned(),
        ));
    }
    let Some(trust) = leader.trust.as_ref().filter(|t| t.account.is_local()) else {
        return Err(Error::invalid(
            "trust_id",
            "the profile names no trust of this instance to confirm (a trust of another server confirms its members there)",
        ));
    };
    super::require_trust_editor(db, editor, trust.account.id, &trust.name).await?;
    let by = match editor {
        Editor::Account(id) => Some(id),
        Editor::Operator => None,
    };
    leader_profiles::ActiveModel {
        account_id: Set(account_id),
        confirmed_at: Set(confirmed.then(Utc::now)),
        confirmed_by: Set(by.filter(|_| confirmed)),
        ..Default::default()
    }
    .update(db)
    .await?;
    get(db, account_id).await
}

/// The leader profile of the account `account_id`.
pub async fn get(db: &impl ConnectionTrait, account_id: i64) -> Result<Leader> {
    find(db, account_id)
        .await?
        .ok_or(Error::NotFound("leader profile"))
}

/// The leader profile of the account `account_id`, if it has one.
pub async fn find(db: &impl ConnectionTrait, account_id: i64) -> Result<Option<Leader>> {
    let Some(row) = leader_profiles::Entity::find_by_id(account_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(with_refs(db, vec![row]).await?.pop())
}

async fn with_refs(
    db: &impl ConnectionTrait,
    rows: Vec<leader_profiles::Model>,
) -> Result<Vec<Leader>> {
    let accounts = super::accounts_by_id(db, rows.iter().map(|r| r.account_id)).await?;
    let refs = super::org_refs(
        db,
        rows.iter()
            .flat_map(|r| r.school_id.into_iter().chain(r.trust_id)),
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(Leader {
                account: accounts.get(&row.account_id)?.clone(),
                role: LeaderRole::from_stored(&row.role),
                school: row.school_id.and_then(|id| refs.get(&id).cloned()),
                trust: row.trust_id.and_then(|id| refs.get(&id).cloned()),
                interests: serde_json::from_str(&row.interests).unwrap_or_default(),
                confirmed_at: row.confirmed_at,
                updated_at: row.updated_at,
            })
        })
        .collect())
}

/// Which leaders a listing shows.
#[derive(Debug, Clone, Default)]
pub struct LeaderFilter {
    pub role: Option<LeaderRole>,
    /// Leaders whose school (or, without a school, whose trust) is in the region.
    pub region: Option<Region>,
    pub school_id: Option<i64>,
    pub trust_id: Option<i64>,
    pub confirmed: Option<bool>,
    pub origin: Origin,
    /// Leaders whose display name or username contains this, in any case.
    pub name: Option<String>,
}

fn in_region(region: Region) -> Condition {
    let schools_there: SimpleExpr = leader_profiles::Column::SchoolId.in_subquery(
        Query::select()
            .column(schools::Column::AccountId)
            .from(schools::Entity)
            .and_where(schools::Column::Region.eq(region.as_str()))
            .to_owned(),
    );
    let trusts_there: SimpleExpr = leader_profiles::Column::TrustId.in_subquery(
        Query::select()
            .column(trusts::Column::AccountId)
            .from(trusts::Entity)
            .and_where(trusts::Column::Region.eq(region.as_str()))
            .to_owned(),
    );
    Condition::any().add(schools_there).add(
        Condition::all()
            .add(leader_profiles::Column::SchoolId.is_null())
            .add(trusts_there),
    )
}

/// A page of leaders (of discoverable accounts, not disabled), newest profiles
/// first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &LeaderFilter,
    page: Page,
) -> Result<Vec<Leader>> {
    use crate::entities::accounts;
    let mut query = leader_profiles::Entity::find().filter(
        leader_profiles::Column::AccountId.in_subquery(
            Query::select()
                .column(accounts::Column::Id)
                .from(accounts::Entity)
                .and_where(accounts::Column::Discoverable.eq(true))
                .to_owned(),
        ),
    );
    // People whose accounts are disabled are not listed.
    query = query.filter(
        leader_profiles::Column::AccountId.not_in_subquery(
            Query::select()
                .column(crate::entities::users::Column::AccountId)
                .from(crate::entities::users::Entity)
                .and_where(crate::entities::users::Column::Disabled.eq(true))
                .to_owned(),
        ),
    );
    if let Some(role) = filter.role {
        query = query.filter(leader_profiles::Column::Role.eq(role.as_str()));
    }
    if let Some(region) = filter.region {
        query = query.filter(in_region(region));
    }
    if let Some(id) = filter.school_id {
        query = query.filter(leader_profiles::Column::SchoolId.eq(id));
    }
    if let Some(id) = filter.trust_id {
        query = query.filter(leader_profiles::Column::TrustId.eq(id));
    }
    match filter.confirmed {
        Some(true) => query = query.filter(leader_profiles::Column::ConfirmedAt.is_not_null()),
        Some(false) => query = query.filter(leader_profiles::Column::ConfirmedAt.is_null()),
        None => {}
    }
    if let Some(name) = filter.name.as_deref().filter(|n| !n.trim().is_empty()) {
        query = query.filter(
            leader_profiles::Column::AccountId.in_subquery(
                Query::select()
                    .column(accounts::Column::Id)
                    .from(accounts::Entity)
                    .cond_where(
                        Condition::any()
                            .add(super::contains_text(accounts::Column::DisplayName, name))
                            .add(super::contains_text(accounts::Column::Username, name)),
                    )
                    .to_owned(),
            ),
        );
    }
    query = query.filter(super::of_origin(
        leader_profiles::Column::AccountId,
        filter.origin,
    ));
    let mut rows = page
        .apply(query, leader_profiles::Column::AccountId)
        .all(db)
        .await?;
    page.finish(&mut rows);
    with_refs(db, rows).await
}
