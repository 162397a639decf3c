//! `/api/staffroom/v1/schools`: listing, showing, creating and changing schools.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use staffroom_domain::directory::school::{self, SchoolChange, SchoolDetails, SchoolFilter};
use staffroom_domain::directory::{InspectionGrade, Phase, Region};
use staffroom_domain::{Error as DomainError, Result as DomainResult};

use super::entities::{self, SchoolEntity};
use super::{Filters, actor_changed, editor, emptied, page_of};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::form::{FormOrJson, Id};
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The filters of `GET /schools`.
const FILTERS: &[&str] = &[
    "phase",
    "region",
    "local_authority",
    "inspection_grade",
    "trust_id",
    "urn",
    "origin",
];

/// `GET /api/staffroom/v1/schools?phase=&region=&local_authority=&inspection_grade=&trust_id=&urn=&origin=`
pub async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    pagination: Pagination,
) -> ApiResult<Response> {
    let filters = Filters::read(query.as_deref(), FILTERS)?;
    let filter = SchoolFilter {
        phase: filters.term("phase", Phase::parse)?,
        region: filters.term("region", Region::parse)?,
        local_authority: filters.get("local_authority").map(str::to_owned),
        inspection_grade: filters.term("inspection_grade", InspectionGrade::parse)?,
        trust_id: filters.id("trust_id")?,
        urn: filters.term("urn", school::check_urn)?,
        origin: filters.origin()?,
    };
    let found = school::list(state.db(), &filter, pagination.page).await?;
    Ok(page_of(
        &state,
        &pagination,
        &found,
        |s| s.id(),
        entities::school,
    ))
}

/// `GET /api/staffroom/v1/schools/{id}`
pub async fn show(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<SchoolEntity>> {
    let found = school::get(state.db(), id).await?;
    Ok(Json(entities::school(state.urls(), &found)))
}

fn date(value: &str) -> DomainResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| DomainError::Invalid {
        field: "inspection_date",
        reason: "must be a date, YYYY-MM-DD".to_owned(),
    })
}

/// A new school.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolForm {
    urn: String,
    name: String,
    phase: String,
    #[serde(default, rename = "type")]
    school_type: String,
    region: Option<String>,
    #[serde(default)]
    local_authority: String,
    inspection_grade: Option<String>,
    inspection_date: Option<String>,
    trust_id: Option<Id>,
    #[serde(default)]
    website: String,
}

/// `POST /api/staffroom/v1/schools` (instance admins, or admins of its trust)
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<SchoolForm>,
) -> ApiResult<Json<SchoolEntity>> {
    let editor = editor(&auth)?;
    let details = SchoolDetails {
        urn: form.urn,
        name: form.name,
        phase: Phase::parse(&form.phase)?,
        school_type: form.school_type,
        region: emptied(form.region, Region::parse)?.flatten(),
        local_authority: form.local_authority,
        inspection_grade: emptied(form.inspection_grade, InspectionGrade::parse)?
            .flatten()
            .unwrap_or(InspectionGrade::NotYetInspected),
        inspection_date: emptied(form.inspection_date, date)?.flatten(),
        trust_id: form.trust_id.map(|id| id.parse("trust_id")).transpose()?,
        website: form.website,
    };
    let created = school::create(state.db(), editor, details).await?;
    // The trust's actor lists its schools: its followers hear of the new one.
    if let Some(trust) = &created.trust {
        actor_changed(&state, &trust.account).await?;
    }
    Ok(Json(entities::school(state.urls(), &created)))
}

/// Changes to a school; what is left out stays, an empty value goes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolChangeForm {
    name: Option<String>,
    phase: Option<String>,
    #[serde(rename = "type")]
    school_type: Option<String>,
    region: Option<String>,
    local_authority: Option<String>,
    inspection_grade: Option<String>,
    inspection_date: Option<String>,
    /// An id, or an empty string for none.
    trust_id: Option<Id>,
    website: Option<String>,
}

/// `PATCH /api/staffroom/v1/schools/{id}` (instance admins, admins of its trust)
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathId(id): PathId,
    FormOrJson(form): FormOrJson<SchoolChangeForm>,
) -> ApiResult<Json<SchoolEntity>> {
    let editor = editor(&auth)?;
    let trust_id = match form.trust_id {
        None => None,
        Some(Id::Text(text)) if text.trim().is_empty() => Some(None),
        Some(id) => Some(Some(id.parse("trust_id")?)),
    };
    let change = SchoolChange {
        name: form.name,
        phase: form.phase.as_deref().map(Phase::parse).transpose()?,
        school_type: form.school_type,
        region: emptied(form.region, Region::parse)?,
        local_authority: form.local_authority,
        inspection_grade: emptied(form.inspection_grade, InspectionGrade::parse)?
            .map(|g| g.unwrap_or(InspectionGrade::NotYetInspected)),
        inspection_date: emptied(form.inspection_date, date)?,
        trust_id,
        website: form.website,
    };
    let before = school::get(state.db(), id).await?.trust;
    let updated = school::update(state.db(), editor, id, change).await?;
    actor_changed(&state, &updated.account).await?;
    // A school that moved changes the lists of both trusts.
    let after = &updated.trust;
    if before.as_ref().map(|t| t.account.id) != after.as_ref().map(|t| t.account.id) {
        for trust in before.iter().chain(after) {
            actor_changed(&state, &trust.account).await?;
        }
    }
    Ok(Json(entities::school(state.urls(), &updated)))
}
