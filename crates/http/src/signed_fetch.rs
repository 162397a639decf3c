//! Who fetches an ActivityPub document: anonymous, or the checked signer of the
//! request. In authorized-fetch mode (and always in allowlist mode) an unsigned fetch
//! gets 401; a signer from a server the instance does not federate with gets 403.
//! Handlers take [`SignedViewer`] (a document URL) or [`PageOrDocument`] (a URL
//! that is also a web page).

use std::collections::BTreeMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Uri};
use staffroom_domain::visibility::post::Viewer;
use staffroom_federation::{ErrorKind, signed_fetch};

use crate::error::{ApiError, ApiResult};
use crate::{AppState, activity_json};

/// The viewer a fetch of an ActivityPub document speaks for, its signature
/// checked before the handler runs.
#[derive(Debug, Clone, Copy)]
pub struct SignedViewer(pub Viewer);

impl FromRequestParts<AppState> for SignedViewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        viewer(state, &parts.method, &parts.uri, &parts.headers)
            .await
            .map(Self)
    }
}

/// What a request to a URL that is both a web page and an ActivityPub document
/// asks for: the page (nothing is checked), or the document, for the viewer its
/// signature speaks for.
#[derive(Debug, Clone, Copy)]
pub enum PageOrDocument {
    Page,
    Document(Viewer),
}

impl PageOrDocument {
    /// Reads what the request of `method`, `uri` and `headers` asks for.
    pub async fn read(
        state: &AppState,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> ApiResult<Self> {
        if !activity_json::wanted(headers) {
            return Ok(Self::Page);
        }
        viewer(state, method, uri, headers)
            .await
            .map(Self::Document)
    }
}

impl FromRequestParts<AppState> for PageOrDocument {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Self::read(state, &parts.method, &parts.uri, &parts.headers).await
    }
}

/// The viewer a fetch of an ActivityPub document speaks for.
async fn viewer(
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
        Ok(None) if data.authorized_fetch => Err(ApiError::unauthorized(
            "this instance answers signed fetches only",
        )),
        Ok(None) => Ok(Viewer::Anonymous),
        Err(e) => {
            tracing::info!(error = %e, "a signed fetch was refused");
            Err(match e.kind() {
                ErrorKind::Forbidden => {
                    ApiError::forbidden("this instance does not federate with your server")
                }
                ErrorKind::Internal => ApiError::internal(),
                _ => ApiError::unauthorized("the signature cannot be verified"),
            })
        }
    }
}
