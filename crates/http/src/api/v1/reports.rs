//! `POST /api/v1/reports`: a person reports an account (and some of its posts)
//! to the moderators, and may have it forwarded to the account's server.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use staffroom_domain::moderation::report::{Category, NewReport};
use staffroom_federation::reports;

use super::accounts::target;
use crate::AppState;
use crate::auth::Auth;
use crate::entities::report::{Report, report_entity};
use crate::error::{ApiError, ApiResult};
use crate::form::{FormOrJson, Id};
use crate::params::loose_flag;

#[derive(Debug, Deserialize)]
pub struct NewReportForm {
    account_id: Option<Id>,
    #[serde(default, alias = "status_ids[]")]
    status_ids: Vec<Id>,
    comment: Option<String>,
    forward: Option<serde_json::Value>,
    category: Option<String>,
    /// The instance has no numbered rules: accepted and not kept.
    #[serde(default, alias = "rule_ids[]")]
    #[allow(dead_code)]
    rule_ids: Vec<Id>,
}

fn invalid(message: String) -> ApiError {
    ApiError::unprocessable(message)
}

/// `POST /api/v1/reports`
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    FormOrJson(form): FormOrJson<NewReportForm>,
) -> ApiResult<Json<Report>> {
    auth.require(&["write:reports", "write"])?;
    let me = auth.account()?;
    let account_id = form
        .account_id
        .ok_or_else(|| invalid("Validation failed: account_id is missing".into()))?;
    let target = target(&state, account_id.parse("account_id")?).await?;
    let category = match form.category.as_deref() {
        None | Some("") => Category::Other,
        Some(name) => Category::from_name(name).ok_or_else(|| {
            invalid(format!(
                "Validation failed: category must be spam, legal, violation or other, not '{name}'"
            ))
        })?,
    };
    let forward = match &form.forward {
        Some(value) => loose_flag("forward", value)?,
        None => false,
    };
    let new = NewReport {
        target,
        post_ids: Id::parse_all(&form.status_ids, "status_ids")?,
        comment: form.comment.unwrap_or_default(),
        category,
        forward,
    };
    let made = reports::report(&state.federation(), me, new).await?;
    Ok(Json(report_entity(state.db(), state.urls(), &made).await?))
}
