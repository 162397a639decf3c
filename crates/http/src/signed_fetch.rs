//! Who fetches an ActivityPub document: anonymous, or the checked signer of the
//! request. In authorized-fetch mode (and always in allowlist mode) an unsigned fetch
//! gets 401; a signer from a server the instance does not federate with gets 403.

use std::collections::BTreeMap;

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use staffroom_domain::visibility::post::Viewer;
use staffroom_federation::{ErrorKind, signed_fetch};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// The viewer a fetch of an ActivityPub document speaks for.
pub async fn viewer(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> ApiResult<Viewer> {
    let by_name: BTreeMap<String, String> = headers
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let data = state.federation();
    match signed_fetch::signer(method.as_str(), path, by_name, &data).await {
        Ok(Some(actor)) => Ok(Viewer::Account(actor.account.id)),
        Ok(None) if data.authorized_fetch => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this instance answers signed fetches only",
        )),
        Ok(None) => Ok(Viewer::Anonymous),
        Err(e) => {
            tracing::info!(error = %e, "a signed fetch was refused");
            Err(match e.kind() {
                ErrorKind::Forbidden => ApiError::new(
                    StatusCode::FORBIDDEN,
                    "this instance does not federate with your server",
                ),
                ErrorKind::Internal => {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
                }
                _ => ApiError::new(StatusCode::UNAUTHORIZED, "the signature cannot be verified"),
            })
        }
    }
}
