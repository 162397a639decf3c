//! `/api/staffroom/v1/...`: Staffroom's own API, for what Mastodon's API has no
//! words for: the directory (trusts, schools, leaders), challenges, hashtag feeds
//! between instances, and groups. It is described by the OpenAPI document it
//! serves at `/api/staffroom/v1/openapi.json`.
//!
//! The routes are declared once, in [`routes!`], which makes both the router and
//! the list of (method, path) pairs that a test compares with the document.

pub mod announcements;
pub mod challenges;
pub mod entities;
pub mod groups;
pub mod hashtag_feeds;
pub mod leaders;
pub mod schools;
pub mod trusts;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use staffroom_domain::directory::{Editor, Origin};

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

/// Where the API lives.
#[cfg(test)]
const PREFIX: &str = "/api/staffroom/v1";

/// The OpenAPI document of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Declares the routes: each path (below [`PREFIX`]) with its methods and handlers.
macro_rules! routes {
    ($($path:literal => { $($method:ident: $handler:path),+ $(,)? }),+ $(,)?) => {
        /// Every (method, path) this API serves, paths in full.
        #[cfg(test)]
        const ROUTES: &[(&str, &str)] = &[$($((stringify!($method), concat!("/api/staffroom/v1", $path)),)+)+];

        /// The router of this API.
        pub fn router() -> Router<AppState> {
            Router::new()
                $(.route(
                    concat!("/api/staffroom/v1", $path),
                    axum::routing::MethodRouter::new()$(.$method($handler))+,
                ))+
        }
    };
}

routes! {
    "/openapi.json" => { get: openapi },
    "/trusts" => { get: trusts::list, post: trusts::create },
    "/trusts/{id}" => { get: trusts::show, patch: trusts::update },
    "/trusts/{id}/admins" => { get: trusts::admins, post: trusts::add_admin },
    "/trusts/{id}/admins/{account_id}" => { delete: trusts::remove_admin },
    "/trusts/{id}/statuses" => { post: announcements::create },
    "/schools" => { get: schools::list, post: schools::create },
    "/schools/{id}" => { get: schools::show, patch: schools::update },
    "/schools/{id}/statuses" => { post: announcements::create },
    "/leaders" => { get: leaders::list },
    "/leaders/{id}" => { get: leaders::show, put: leaders::set, delete: leaders::remove },
    "/leaders/{id}/confirmation" => { post: leaders::confirm, delete: leaders::unconfirm },
    "/challenges" => { post: challenges::create },
    "/challenges/current" => { get: challenges::current },
    "/challenges/past" => { get: challenges::past },
    "/challenges/{id}" => { get: challenges::show, patch: challenges::update, delete: challenges::delete },
    "/hashtag_feeds/subscriptions" => { get: hashtag_feeds::subscriptions, post: hashtag_feeds::subscribe },
    "/hashtag_feeds/subscriptions/{id}" => { delete: hashtag_feeds::unsubscribe },
    "/hashtag_feeds/{name}" => { get: hashtag_feeds::show },
    "/groups" => { get: groups::list, post: groups::create },
    "/groups/{id}" => { get: groups::show, patch: groups::update },
    "/groups/{id}/members" => { get: groups::members },
    "/groups/{id}/members/{account_id}" => { delete: groups::remove_member },
    "/groups/{id}/requests" => { get: groups::requests },
    "/groups/{id}/requests/{account_id}/approve" => { post: groups::approve },
    "/groups/{id}/requests/{account_id}/reject" => { post: groups::reject },
    "/groups/{id}/moderators/{account_id}" => { post: groups::add_moderator, delete: groups::remove_moderator },
    "/groups/{id}/bans/{account_id}" => { post: groups::ban, delete: groups::unban },
    "/groups/{id}/join" => { post: groups::join },
    "/groups/{id}/leave" => { post: groups::leave },
    "/groups/{id}/posts/{status_id}" => { delete: groups::remove_post },
}

/// `GET /api/staffroom/v1/openapi.json`
pub async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI)
}

/// The id of a record in the path; 404 when it is not a number.
#[derive(Debug, Clone, Copy)]
pub struct RecordId(pub i64);

impl axum::extract::FromRequestParts<AppState> for RecordId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(id) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::not_found())?;
        id.parse().map(Self).map_err(|_| ApiError::not_found())
    }
}

/// A page of `found` rendered by `render`, with the `Link` header of its ids.
fn page_of<T, E: serde::Serialize>(
    state: &AppState,
    pagination: &crate::pagination::Pagination,
    found: &[T],
    id: impl Fn(&T) -> i64,
    render: impl Fn(&staffroom_federation::LocalUrls, &T) -> E,
) -> axum::response::Response {
    let items: Vec<E> = found
        .iter()
        .map(|item| render(state.urls(), item))
        .collect();
    pagination.respond(
        &state.urls().origin(),
        &items,
        found.first().map(&id),
        found.last().map(&id),
    )
}

/// Tells the followers of the local `account` that its actor changed (its
/// directory record is part of it).
async fn actor_changed(
    state: &AppState,
    account: &staffroom_domain::accounts::account::Account,
) -> ApiResult<()> {
    let document = crate::users::actor(state, account).await?;
    staffroom_federation::publish::actor_updated(&state.federation(), account, document).await?;
    Ok(())
}

/// The person a write request speaks for, once its token allows writing.
fn editor(auth: &Auth) -> ApiResult<Editor> {
    auth.require(&["write", "write:accounts"])?;
    Ok(Editor::Account(auth.account()?.id))
}

/// The filters of a listing, read from its query string: each known filter once,
/// the page cursors beside them, anything else refused naming it.
pub(crate) struct Filters {
    pairs: Vec<(String, String)>,
}

/// The page cursors, read by [`crate::pagination::Pagination`].
const CURSORS: [&str; 4] = ["max_id", "since_id", "min_id", "limit"];

impl Filters {
    /// Reads `query`, accepting only `known` filters.
    pub(crate) fn read(query: Option<&str>, known: &[&str]) -> ApiResult<Self> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            if CURSORS.contains(&name.as_ref()) {
                continue;
            }
            if !known.contains(&name.as_ref()) {
                return Err(ApiError::bad_request(format!(
                    "unknown filter '{name}': the filters here are {}",
                    known.join(", ")
                )));
            }
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(ApiError::bad_request(format!(
                    "the filter '{name}' is given twice"
                )));
            }
            if !value.is_empty() {
                pairs.push((name.into_owned(), value.into_owned()));
            }
        }
        Ok(Self { pairs })
    }

    /// The value of the filter `name`, if given.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The filter `name` read with `parse` (a domain vocabulary); 400 naming it
    /// when the value is not one.
    pub(crate) fn term<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> staffroom_domain::Result<T>,
    ) -> ApiResult<Option<T>> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => parse(value).map(Some).map_err(|e| match e {
                staffroom_domain::Error::Invalid { reason, .. } => {
                    ApiError::bad_request(format!("filter '{name}' {reason}"))
                }
                other => other.into(),
            }),
        }
    }

    /// The filter `name` as an id.
    pub(crate) fn id(&self, name: &str) -> ApiResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad_request(format!("filter '{name}' must be an id"))),
        }
    }

    /// The filter `name` as a boolean.
    pub(crate) fn flag(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => crate::params::flag(name, Some(value)).map(Some),
        }
    }

    /// `origin=local|remote`.
    pub(crate) fn origin(&self) -> ApiResult<Origin> {
        match self.get("origin") {
            None => Ok(Origin::Any),
            Some("local") => Ok(Origin::Local),
            Some("remote") => Ok(Origin::Remote),
            Some(other) => Err(ApiError::bad_request(format!(
                "filter 'origin' must be local or remote, not '{other}'"
            ))),
        }
    }
}

/// A text that is present but may be emptied: `Some("")` removes the value.
pub(crate) fn emptied<T>(
    value: Option<String>,
    parse: impl Fn(&str) -> staffroom_domain::Result<T>,
) -> staffroom_domain::Result<Option<Option<T>>> {
    match value {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(Some(None)),
        Some(text) => parse(&text).map(|v| Some(Some(v))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_in_the_openapi_document() {
        let document: serde_json::Value =
            serde_json::from_str(OPENAPI).unwrap_or_else(|e| panic!("the document parses: {e}"));
        assert!(
            document["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.")),
            "an OpenAPI 3 document"
        );
        let paths = document["paths"].as_object().cloned().unwrap_or_default();
        for (method, path) in ROUTES {
            let documented = path
                .strip_prefix(PREFIX)
                .and_then(|relative| paths.get(*path).or_else(|| paths.get(relative)))
                .and_then(|item| item.get(method.to_ascii_lowercase()));
            assert!(documented.is_some(), "{method} {path} is not documented");
        }
        // And nothing is documented that is not served.
        for (path, item) in &paths {
            for method in item
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_else(Vec::new)
            {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    let full = format!("{PREFIX}{path}");
                    assert!(
                        ROUTES
                            .iter()
                            .any(|(m, p)| m.eq_ignore_ascii_case(&method)
                                && (*p == full || p == path)),
                        "{method} {path} is documented but not served"
                    );
                }
            }
        }
    }
}
