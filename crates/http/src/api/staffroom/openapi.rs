//! The OpenAPI document of this API, generated from the code: each handler's
//! `#[utoipa::path]` (its method, path, parameters, body, answers and scopes) and
//! the `ToSchema` of the entities and forms it takes and gives. What it says of
//! the whole API (its description, the bearer token, the shared parameters and
//! the error shape) is here. It is served at `/api/staffroom/v1/openapi.json`, and
//! a copy is checked in at `docs/api/staffroom-v1.openapi.json`.

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use staffroom_domain::directory::{InspectionGrade, LeaderRole, Phase, Region, TrustKind};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{AuthorizationCode, Flow, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr, Required, Server};
use utoipa::{IntoParams, IntoResponses, Modify, ToSchema};

/// Where the API lives: its paths in the document are below it.
pub const PREFIX: &str = "/api/staffroom/v1";

const DESCRIPTION: &str = "Staffroom's own API, for what Mastodon's API has no words for: the \
directory of trusts, schools and school leaders known to this instance (its own and those of \
other servers), challenges, hashtag feeds between instances, and groups. Lists of the directory \
are newest first and paged with max_id, since_id, min_id and limit (at most 40) as in the \
Mastodon API, with a Link header; an unknown query parameter is refused with 400 naming it. \
Errors have Mastodon's shape, {\"error\": \"...\"}.";

/// What the document says of the whole API.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "Staffroom API", version = "1", description = DESCRIPTION),
    components(schemas(ErrorBody)),
    modifiers(&BearerToken)
)]
pub struct Document;

/// The document of the routes `api` declares, its paths below [`PREFIX`].
pub fn generate(api: utoipa_axum::router::OpenApiRouter<crate::AppState>) -> OpenApi {
    let mut document = api.into_openapi();
    document.paths.paths = std::mem::take(&mut document.paths.paths)
        .into_iter()
        .map(|(path, item)| match path.strip_prefix(PREFIX) {
            Some(relative) => (relative.to_owned(), item),
            None => (path, item),
        })
        .collect();
    document.servers = Some(vec![Server::new(PREFIX)]);
    document
}

/// The document as JSON, as it is served and checked in.
pub fn to_json(document: &OpenApi) -> String {
    let mut json = serde_json::to_string_pretty(document).unwrap_or_default();
    json.push('\n');
    json
}

/// The answer of `GET /api/staffroom/v1/openapi.json`.
pub fn respond(document: &OpenApi) -> Response {
    ([(CONTENT_TYPE, "application/json")], to_json(document)).into_response()
}

/// The Mastodon access token the write routes ask for, with its scopes.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, document: &mut OpenApi) {
        let scopes = Scopes::from_iter([
            ("read", "Read"),
            ("write", "Write"),
            ("admin:read", "Read what administrators see"),
            ("admin:write", "Do what administrators do"),
        ]);
        let flow = Flow::AuthorizationCode(AuthorizationCode::new(
            "/oauth/authorize",
            "/oauth/token",
            scopes,
        ));
        let scheme = SecurityScheme::OAuth2(OAuth2::with_description(
            [flow],
            "A Mastodon API access token (Authorization: Bearer).",
        ));
        document
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", scheme);
    }
}

/// Mastodon's error shape, as `crate::error` writes it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: String,
}

/// The refusals of a route of the directory that writes.
#[derive(Debug, IntoResponses)]
#[allow(dead_code)]
pub enum DirectoryWriteRefusals {
    /// No valid token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token lacks the write scope, or the account may not do this.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such record.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// A value is not acceptable.
    #[response(status = 422)]
    Unprocessable(ErrorBody),
}

/// The refusals of a route that changes a group.
#[derive(Debug, IntoResponses)]
#[allow(dead_code)]
pub enum GroupModeratorRefusals {
    /// No valid token.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The token may not write, or the account may not do this (moderators only).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such group (or a closed group the asker may not see).
    #[response(status = 404)]
    NotFound(ErrorBody),
}

/// A Mastodon `Status` entity (see the Mastodon API documentation).
#[derive(Debug, ToSchema)]
#[schema(as = Status)]
pub struct MastodonStatus {}

/// A Mastodon `Account` entity (see the Mastodon API documentation).
#[derive(Debug, ToSchema)]
#[schema(as = Account)]
pub struct MastodonAccount {}

/// Done: an empty object.
#[derive(Debug, ToSchema)]
#[schema(as = Empty)]
pub struct Done {}

/// The page cursors of a list of the directory or of a group's members, read
/// by [`crate::pagination::Pagination`].
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct PageCursors {
    /// Records older than this id.
    max_id: Option<String>,
    /// Records newer than this id.
    since_id: Option<String>,
    /// The records just newer than this id.
    min_id: Option<String>,
    /// How many at most (20 when left out).
    #[param(minimum = 1, maximum = 40)]
    limit: Option<u32>,
}

/// The page of a list paged by position, read by [`crate::params::OffsetPage`].
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct OffsetParams {
    /// How many to skip.
    #[param(minimum = 0)]
    offset: Option<u64>,
    /// How many at most (20 when left out).
    #[param(minimum = 1, maximum = 40)]
    limit: Option<u64>,
}

/// The filters of `GET /trusts` (a test checks them against those the handler
/// reads).
pub struct TrustFilters;

impl IntoParams for TrustFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        query([
            ("kind", "The kind of trust.", trust_kind()),
            ("region", "The region.", region()),
            ("origin", ORIGIN, origin()),
        ])
    }
}

/// The filters of `GET /schools`.
pub struct SchoolFilters;

impl IntoParams for SchoolFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        query([
            ("phase", "The phase.", phase()),
            ("region", "The region.", region()),
            (
                "local_authority",
                "The local authority's name (any case).",
                text(),
            ),
            (
                "inspection_grade",
                "The latest inspection's grade.",
                inspection_grade(),
            ),
            ("trust_id", "The trust's id.", text()),
            ("urn", "The URN.", urn()),
            ("origin", ORIGIN, origin()),
        ])
    }
}

/// The filters of `GET /leaders`.
pub struct LeaderFilters;

impl IntoParams for LeaderFilters {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        query([
            ("role", "The role.", leader_role()),
            (
                "region",
                "The region of their school, or of their trust when they name no school.",
                region(),
            ),
            ("school_id", "The school's id.", text()),
            ("trust_id", "The trust's id.", text()),
            (
                "confirmed",
                "Whether the trust confirmed the membership.",
                schema(ObjectBuilder::new().schema_type(Type::Boolean).build()),
            ),
            ("origin", ORIGIN, origin()),
        ])
    }
}

/// What the `origin` filter does.
const ORIGIN: &str = "Only this instance's records, or only other servers'.";

/// Optional query parameters, each with its name, description and schema.
fn query<const N: usize>(params: [(&str, &str, RefOr<Schema>); N]) -> Vec<Parameter> {
    params
        .into_iter()
        .map(|(name, description, schema)| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(schema))
                .build()
        })
        .collect()
}

/// Any string.
fn text() -> RefOr<Schema> {
    schema(ObjectBuilder::new().schema_type(Type::String).build())
}

/// A school's URN: six digits.
fn urn() -> RefOr<Schema> {
    schema(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9]{6}$"))
            .build(),
    )
}

/// A string that is one of `names`.
fn one_of<'a>(names: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names))
        .build()
}

/// A string that is one of `names`, or null.
fn one_of_or_null<'a>(names: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(names.into_iter().map(Some).chain([None])))
        .build()
}

fn schema(object: Object) -> RefOr<Schema> {
    RefOr::T(Schema::Object(object))
}

/// The kinds of trust, as the domain names them.
pub fn trust_kind() -> RefOr<Schema> {
    schema(one_of(TrustKind::ALL.iter().map(|v| v.as_str())))
}

/// The regions.
pub fn region() -> RefOr<Schema> {
    schema(one_of(Region::ALL.iter().map(|v| v.as_str())))
}

/// A region, or null.
pub fn region_or_null() -> RefOr<Schema> {
    schema(one_of_or_null(Region::ALL.iter().map(|v| v.as_str())))
}

/// The phases of a school.
pub fn phase() -> RefOr<Schema> {
    schema(one_of(Phase::ALL.iter().map(|v| v.as_str())))
}

/// The grades of an inspection.
pub fn inspection_grade() -> RefOr<Schema> {
    schema(one_of(InspectionGrade::ALL.iter().map(|v| v.as_str())))
}

/// The roles of a leader.
pub fn leader_role() -> RefOr<Schema> {
    schema(one_of(LeaderRole::ALL.iter().map(|v| v.as_str())))
}

/// `local` or `remote`, as [`super::Filters::origin`] reads it.
pub fn origin() -> RefOr<Schema> {
    schema(one_of(["local", "remote"]))
}

/// A group's policy.
pub fn group_policy() -> RefOr<Schema> {
    schema(one_of(
        [
            staffroom_domain::communities::group::Policy::Open,
            staffroom_domain::communities::group::Policy::Closed,
        ]
        .map(|p| p.name()),
    ))
}

/// The state of a subscription to a hashtag feed.
pub fn feed_state() -> RefOr<Schema> {
    schema(one_of(["subscribed", "requested"]))
}

/// The visibilities an announcement may have (`public` when left out).
pub fn announcement_visibility() -> RefOr<Schema> {
    let mut visibility = one_of(["public", "unlisted", "private"]);
    visibility.default = Some("public".into());
    schema(visibility)
}
