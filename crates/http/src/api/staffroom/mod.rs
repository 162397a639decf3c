//! `/api/staffroom/v1/...`: Staffroom's own API, for what Mastodon's API has no
//! words for: the directory (trusts, schools, leaders), challenges, hashtag feeds
//! between instances, and groups. It is described by the OpenAPI document it
//! serves at `/api/staffroom/v1/openapi.json`.
//!
//! The routes are declared once, in [`api`]: each handler's `#[utoipa::path]`
//! names its method and path, which make both the router and the document
//! ([`openapi`]).

pub mod announcements;
pub mod articles;
pub mod challenges;
pub mod entities;
pub mod events;
pub mod groups;
pub mod hashtag_feeds;
pub mod leaders;
pub mod openapi;
pub mod schools;
pub mod trusts;

use axum::Router;
use axum::response::Response;
use staffroom_domain::directory::{Editor, Origin};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

/// Every route of this API, each path's handlers together.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::Document::openapi())
        .routes(routes!(document))
        .routes(routes!(trusts::list, trusts::create))
        .routes(routes!(trusts::show, trusts::update))
        .routes(routes!(trusts::admins, trusts::add_admin))
        .routes(routes!(trusts::remove_admin))
        .routes(routes!(announcements::create_for_trust))
        .routes(routes!(schools::list, schools::create))
        .routes(routes!(schools::show, schools::update))
        .routes(routes!(announcements::create_for_school))
        .routes(routes!(leaders::list))
        .routes(routes!(leaders::show, leaders::set, leaders::remove))
        .routes(routes!(leaders::confirm, leaders::unconfirm))
        .routes(routes!(challenges::create))
        .routes(routes!(challenges::current))
        .routes(routes!(challenges::past))
        .routes(routes!(
            challenges::show,
            challenges::update,
            challenges::delete
        ))
        .routes(routes!(
            hashtag_feeds::subscriptions,
            hashtag_feeds::subscribe
        ))
        .routes(routes!(hashtag_feeds::unsubscribe))
        .routes(routes!(hashtag_feeds::show))
        .routes(routes!(groups::list, groups::create))
        .routes(routes!(groups::show, groups::update))
        .routes(routes!(groups::members))
        .routes(routes!(groups::remove_member))
        .routes(routes!(groups::requests))
        .routes(routes!(groups::approve))
        .routes(routes!(groups::reject))
        .routes(routes!(groups::add_moderator, groups::remove_moderator))
        .routes(routes!(groups::ban, groups::unban))
        .routes(routes!(groups::join))
        .routes(routes!(groups::leave))
        .routes(routes!(groups::remove_post))
        .routes(routes!(events::list, events::create))
        .routes(routes!(articles::list, articles::create))
        .routes(routes!(articles::show, articles::edit, articles::delete))
        .routes(routes!(articles::hide_comment))
        .routes(routes!(articles::unhide_comment))
        .routes(routes!(events::show, events::edit))
        .routes(routes!(events::rsvp))
        .routes(routes!(events::participants))
        .routes(routes!(events::approve))
        .routes(routes!(events::reject))
}

/// Every route of this API.
pub fn routes() -> Router<AppState> {
    let (router, _) = api().split_for_parts();
    router
}

/// `GET /api/staffroom/v1/openapi.json`
#[utoipa::path(
    get,
    path = "/api/staffroom/v1/openapi.json",
    operation_id = "openapi",
    summary = "This document.",
    responses(
        (status = 200, description = "The OpenAPI document.", body = serde_json::Value),
    ),
)]
pub async fn document() -> Response {
    openapi::respond(&openapi::generate(api()))
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
pub(crate) async fn actor_changed(
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
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// The checked-in copy of the document, for readers and for review.
    const CHECKED_IN: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/api/staffroom-v1.openapi.json"
    );

    /// The (method, path) pairs `router` serves, read from its debug description:
    /// axum has no other way to list them. Should that description change, this
    /// reads nothing and the test fails.
    fn served(router: &Router<AppState>) -> BTreeSet<(String, String)> {
        let text = format!("{router:?}");
        let text = &text[..text.find("fallback_router").unwrap_or(text.len())];
        let mut methods: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut paths: BTreeMap<&str, &str> = BTreeMap::new();
        for part in text.split("RouteId(").skip(1) {
            let Some((id, rest)) = part.split_once(')') else {
                continue;
            };
            if let Some(path) = rest.strip_prefix(": \"") {
                paths.insert(id, path.split('"').next().unwrap_or_default());
            } else if let Some((_, allowed)) = rest.split_once("allow_header: Bytes(b\"") {
                let allowed = allowed.split('"').next().unwrap_or_default();
                methods.insert(
                    id,
                    allowed
                        .split(',')
                        .filter(|m| *m != "HEAD")
                        .map(str::to_ascii_lowercase)
                        .collect(),
                );
            }
        }
        paths
            .iter()
            .flat_map(|(id, path)| {
                methods
                    .get(id)
                    .into_iter()
                    .flatten()
                    .map(|method| (method.clone(), (*path).to_owned()))
            })
            .collect()
    }

    /// The (method, path) pairs `document` describes, paths in full.
    fn documented(document: &serde_json::Value) -> BTreeSet<(String, String)> {
        let mut found = BTreeSet::new();
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    found.insert((method.clone(), format!("{}{path}", openapi::PREFIX)));
                }
            }
        }
        found
    }

    fn document() -> serde_json::Value {
        serde_json::to_value(openapi::generate(api())).unwrap()
    }

    #[test]
    fn every_route_is_in_the_openapi_document_and_every_documented_route_is_served() {
        let document = document();
        assert!(
            document["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.")),
            "an OpenAPI 3 document"
        );
        assert_eq!(document["servers"][0]["url"], openapi::PREFIX);
        let served = served(&routes());
        assert!(served.len() > 40, "the routes are read: {served:?}");
        let documented = documented(&document);
        let undocumented: Vec<_> = served.difference(&documented).collect();
        assert!(
            undocumented.is_empty(),
            "served but not documented: {undocumented:?}"
        );
        let unserved: Vec<_> = documented.difference(&served).collect();
        assert!(
            unserved.is_empty(),
            "documented but not served: {unserved:?}"
        );
    }

    #[test]
    fn the_checked_in_document_is_the_generated_one() {
        let generated = openapi::to_json(&openapi::generate(api()));
        if std::env::var_os("STAFFROOM_WRITE_OPENAPI").is_some() {
            std::fs::write(CHECKED_IN, &generated).unwrap();
        }
        let checked_in = std::fs::read_to_string(CHECKED_IN).unwrap_or_default();
        assert!(
            checked_in == generated,
            "docs/api/staffroom-v1.openapi.json is not the document the code generates: \
             refresh it with `STAFFROOM_WRITE_OPENAPI=1 cargo test -p staffroom-http --lib \
             api::staffroom`, and review the difference"
        );
    }

    /// The query parameters the listing at `path` documents, but the page cursors.
    fn filters_of(document: &serde_json::Value, path: &str) -> BTreeSet<String> {
        document["paths"][path]["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .filter(|name| !CURSORS.contains(name))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_documented_filters_are_the_ones_read() {
        let document = document();
        for (path, known) in [
            ("/trusts", trusts::FILTERS),
            ("/schools", schools::FILTERS),
            ("/leaders", leaders::FILTERS),
        ] {
            let known: BTreeSet<String> = known.iter().map(|f| (*f).to_owned()).collect();
            assert_eq!(filters_of(&document, path), known, "the filters of {path}");
        }
        let cursors: BTreeSet<&str> = document["paths"]["/trusts"]["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["name"].as_str())
            .filter(|name| CURSORS.contains(name))
            .collect();
        assert_eq!(cursors, CURSORS.into_iter().collect(), "the page cursors");
    }
}
