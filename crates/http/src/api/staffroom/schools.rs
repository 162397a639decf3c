//! `/api/staffroom/v1/schools`: listing, showing, creating and changing schools.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use staffroom_domain::directory::school::{self, SchoolChange, SchoolDetails, SchoolFilter};
use staffroom_domain::directory::{InspectionGrade, Phase, Region};
use staffroom_domain::{Error as DomainError, Result as DomainResult};

use utoipa::ToSchema;

use super::entities::{self, SchoolEntity};
use super::openapi::{self, DirectoryWriteRefusals, ErrorBody, PageCursors, SchoolFilters};
use super::{Filters, actor_changed, editor, emptied, page_of};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::form::{FormOrJson, Id};
use crate::pagination::Pagination;
use crate::path_id::PathId;

/// The filters of `GET /schools`.
pub(super) const FILTERS: &[&str] = &[
    "phase",
    "region",
    "local_authority",
    "inspection_grade",
    "trust_id",
    "urn",
    "origin",
];

/// `GET /api/staffroom/v1/schools?phase=&region=&local_authority=&inspection_grade=&trust_id=&urn=&origin=`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/schools",
    operation_id = "listSchools",
    summary = "List schools.",
    params(PageCursors, SchoolFilters),
    responses(
        (status = 200, description = "A page of schools.", body = Vec<SchoolEntity>, headers(("Link" = String, description = "The next (older) and previous (newer) pages."))),
        (status = 400, description = "An unknown filter or a bad value; the message names it.", body = ErrorBody),
    ),
)]
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
        name: None,
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
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/schools/{id}",
    operation_id = "showSchool",
    summary = "Show a school.",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    responses(
        (status = 200, description = "The school.", body = SchoolEntity),
        (status = 404, description = "No such school.", body = ErrorBody),
    ),
)]
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
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewSchool)]
pub struct SchoolForm {
    #[schema(pattern = "^[0-9]{6}$")]
    urn: String,
    #[schema(max_length = 200)]
    name: String,
    #[schema(schema_with = openapi::phase)]
    phase: String,
    #[serde(default, rename = "type")]
    #[schema(max_length = 100)]
    school_type: String,
    #[schema(schema_with = openapi::region)]
    region: Option<String>,
    #[serde(default)]
    #[schema(max_length = 100)]
    local_authority: String,
    #[schema(schema_with = openapi::inspection_grade)]
    inspection_grade: Option<String>,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    inspection_date: Option<String>,
    #[schema(value_type = Option<String>)]
    trust_id: Option<Id>,
    #[serde(default)]
    #[schema(max_length = 2048)]
    website: String,
}

/// `POST /api/staffroom/v1/schools` (instance admins, or admins of its trust)
#[utoipa::path(
    post,
    path = "/api/staffroom/v1/schools",
    operation_id = "createSchool",
    summary = "Create a school (instance admins, or admins of the trust it joins).",
    request_body(content = SchoolForm, content_type = "application/json"),
    responses(
        (status = 200, description = "The new school.", body = SchoolEntity),
        (status = 409, description = "A school of this instance has the URN already; the message names it.", body = ErrorBody),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
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

/// Changes to a school; what is left out stays, an empty value goes. The URN
/// does not change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SchoolChange)]
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
    #[schema(value_type = Option<String>)]
    trust_id: Option<Id>,
    website: Option<String>,
}

/// `PATCH /api/staffroom/v1/schools/{id}` (instance admins, admins of its trust)
#[utoipa::path(
    patch,
    path = "/api/staffroom/v1/schools/{id}",
    operation_id = "updateSchool",
    summary = "Change a school (instance admins, admins of its trust).",
    params(("id" = String, Path, description = "The record's id (its account's id).")),
    request_body(content = SchoolChangeForm, content_type = "application/json"),
    responses(
        (status = 200, description = "The school as it now is.", body = SchoolEntity),
        DirectoryWriteRefusals,
    ),
    security(("bearer" = ["write"])),
)]
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
