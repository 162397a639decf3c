//! Errors become responses here, and only here: for the API the Mastodon
//! `{"error": ...}` shape, for the instance's own pages the error page, each with the
//! status that fits. A server-side cause is logged, never sent.
//!
//! Every status code the instance answers with is chosen in this file: handlers
//! call the named constructors of [`ApiError`], of [`OauthError`] (RFC 6749's
//! shape, for the OAuth endpoints), of [`PageError`] (the pages), or the helpers at
//! the end for the few answers that are none of these (plain text for browsers and
//! files, `202 Accepted` from an inbox, the OAuth redirect back to an app).

use askama::Template;
use axum::Json;
use axum::extract::multipart::MultipartError;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use staffroom_domain::Error as DomainError;
use staffroom_federation::ErrorKind;

use crate::AppState;
use crate::pages::layout::Layout;

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    /// More about the error, beside `error` (what each field of a form got wrong).
    details: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a serde_json::Value>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            details: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: no valid credentials (token, signature) came with the request.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403: the credentials are good, but do not allow this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Record not found")
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    /// 410: what was here was deleted for good (a deleted account's WebFinger).
    pub fn gone() -> Self {
        Self::new(StatusCode::GONE, "Gone")
    }

    /// 405: the path exists, the method does not.
    pub fn method_not_allowed() -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
    }

    /// 413: the body, or a file in it, is larger than allowed.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    /// 422: the request is understood, but a value in it is not acceptable
    /// (Mastodon's `Validation failed: ...`).
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 429: too many requests, or connections, for now.
    pub fn too_many_requests(message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, message)
    }

    /// 500: something failed on this side; the cause is logged by the caller.
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }

    /// A multipart body that cannot be read, with the status axum gives the reason
    /// (413 when it is too large).
    pub fn multipart(e: &MultipartError) -> Self {
        Self::new(e.status(), format!("Validation failed: {}", e.body_text()))
    }

    /// A request to the streaming API that is not a WebSocket handshake, with the
    /// status axum gives the reason.
    pub fn not_a_websocket(rejection: &WebSocketUpgradeRejection) -> Self {
        Self::new(rejection.status(), rejection.body_text())
    }

    /// An activity an inbox refused, by the kind of the reason.
    pub fn refused_activity(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::BadRequest => Self::bad_request("the activity cannot be read"),
            ErrorKind::Unauthorized => Self::unauthorized("the signature cannot be verified"),
            ErrorKind::Forbidden => Self::forbidden("the activity is refused"),
            ErrorKind::Internal => Self::internal(),
        }
    }

    /// The same error, with `details` beside its message.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Whether the body, or a file in it, was too large.
    pub fn is_too_large(&self) -> bool {
        self.status == StatusCode::PAYLOAD_TOO_LARGE
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(Body {
                error: &self.message,
                details: self.details.as_ref(),
            }),
        )
            .into_response()
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound(_) => Self::not_found(),
            DomainError::Conflict(message) => Self::new(StatusCode::CONFLICT, message),
            DomainError::Invalid { field, reason } => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Validation failed: {field} {reason}"),
            ),
            DomainError::Forbidden(message) => Self::new(StatusCode::FORBIDDEN, message),
            DomainError::Database(cause) => {
                tracing::error!(%cause, "database error while answering a request");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
            DomainError::Internal(cause) => {
                tracing::error!(%cause, "internal error while answering a request");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
        }
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

impl From<staffroom_federation::Error> for ApiError {
    fn from(err: staffroom_federation::Error) -> Self {
        use staffroom_federation::ErrorKind;
        match err {
            staffroom_federation::Error::Domain(domain) => domain.into(),
            other => match other.kind() {
                ErrorKind::Internal => {
                    tracing::error!(error = %other, "federation failed while answering a request");
                    Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
                }
                _ => Self::new(StatusCode::UNPROCESSABLE_ENTITY, other.to_string()),
            },
        }
    }
}

// The pages' errors.

/// An error answer of the instance's own web pages: a page that says what went
/// wrong, with the status that fits. A form shown again because of what was sent (a
/// wrong password, a sign-up with problems) is sent with its error's status too.
/// A server-side cause is logged, never shown.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    title: String,
    message: String,
}

/// The error page: `templates/error.html`.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout<'a>,
    title: &'a str,
    message: &'a str,
}

impl PageError {
    /// An error page with `status`, one of this file's (such as [`EXPIRED_FORM`]).
    pub fn new(status: StatusCode, title: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            title: title.into(),
            message: message.into(),
        }
    }

    /// A request that cannot be answered as it is, such as an app's request that
    /// names no app.
    pub fn bad_request(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, title, message)
    }

    /// A form that needs someone to sign in (again): a wrong password, a session
    /// that ended.
    pub fn unauthorized(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, title, message)
    }

    /// Something this person, or everyone, may not do here.
    pub fn forbidden(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, title, message)
    }

    /// Nothing at this address, or nothing this person may see.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is nothing to see at this address.",
        )
    }

    /// Nothing at this address, said in the page's own words (a link that no
    /// longer works).
    pub fn not_found_with(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, title, message)
    }

    /// What was here is gone for good (a deleted account).
    pub fn gone(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::GONE, title, message)
    }

    /// A form whose fields have problems, shown again with them.
    pub fn invalid(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, title, message)
    }

    /// `error` of a form titled `title`, to be shown again with it: a mistake in
    /// what was sent keeps its status and message under the form's title.
    pub fn from_form(title: impl Into<String>, error: impl Into<PageError>) -> Self {
        let mut error = error.into();
        if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND {
            error.title = title.into();
        }
        error
    }

    /// A failure on the server's side (its cause already logged).
    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "The page could not be shown. Please try again in a moment.",
        )
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What went wrong, as a sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error page of `state`'s instance, with the error's status.
    pub fn page(self, state: &AppState) -> Response {
        let page = ErrorPage {
            layout: Layout::new(state),
            title: &self.title,
            message: &self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(cause) => {
                tracing::error!(%cause, "the error page could not be rendered");
                (self.status, self.message).into_response()
            }
        }
    }
}

impl From<DomainError> for PageError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound(_) => Self::not_found(),
            DomainError::Conflict(message) => Self::new(StatusCode::CONFLICT, "Conflict", message),
            DomainError::Invalid { field, reason } => {
                Self::invalid("Cannot be done", format!("The {field} {reason}."))
            }
            DomainError::Forbidden(message) => Self::forbidden("Not allowed", message),
            DomainError::Database(cause) => {
                tracing::error!(%cause, "database error while showing a page");
                Self::internal()
            }
            DomainError::Internal(cause) => {
                tracing::error!(%cause, "internal error while showing a page");
                Self::internal()
            }
        }
    }
}

/// The errors of what pages share with the API (finding a local person, signing a
/// browser in): the same status, shown as a page. A 5xx was logged when it was made.
impl From<ApiError> for PageError {
    fn from(err: ApiError) -> Self {
        if err.status == StatusCode::NOT_FOUND {
            Self::not_found()
        } else if err.status.is_server_error() {
            Self::internal()
        } else {
            let title = err.status.canonical_reason().unwrap_or("Error");
            Self::new(err.status, title, err.message)
        }
    }
}

/// What the federation crate's use cases refuse (writing, editing, deleting a
/// post), shown as the API would answer it.
impl From<staffroom_federation::Error> for PageError {
    fn from(err: staffroom_federation::Error) -> Self {
        ApiError::from(err).into()
    }
}

/// A template that could not be rendered (a value's `Display` failed).
impl From<askama::Error> for PageError {
    fn from(err: askama::Error) -> Self {
        tracing::error!(cause = %err, "a page could not be rendered");
        Self::internal()
    }
}

/// The result of a page handler.
pub type PageResult<T> = Result<T, PageError>;

// OAuth's errors.

/// An error of the OAuth endpoints, in RFC 6749's shape (§5.2), which Mastodon
/// also uses there: `{"error": "invalid_grant", "error_description": "..."}`.
#[derive(Debug)]
pub struct OauthError {
    status: StatusCode,
    body: OauthErrorBody,
}

#[derive(Debug, Serialize)]
struct OauthErrorBody {
    error: &'static str,
    error_description: String,
}

impl OauthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            body: OauthErrorBody {
                error,
                error_description: description.into(),
            },
        }
    }

    /// 400 `invalid_request`: a parameter is missing.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// 401 `invalid_client`: the client's credentials are missing or wrong.
    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    /// 400 `invalid_grant`: the code, or the password, does not hold.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    /// 400 `invalid_scope`: the scopes asked for cannot be granted.
    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_scope", description)
    }

    /// 400 `unsupported_grant_type`.
    pub fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    /// 403 `unauthorized_client`: the client may not do this.
    pub fn unauthorized_client(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "unauthorized_client", description)
    }
}

impl IntoResponse for OauthError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

// Answers that are not the API's errors.

/// `202 Accepted`, empty: an inbox took an activity, to be applied.
pub fn accepted() -> Response {
    StatusCode::ACCEPTED.into_response()
}

/// `410 Gone` with `document` (an ActivityPub `Tombstone`): what was here was
/// deleted for good, and other servers should drop their copies.
pub fn gone_document(document: Response) -> Response {
    (StatusCode::GONE, document).into_response()
}

/// `404 Not found` in plain text, for what is not the API (pages, files).
pub fn plain_not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found\n").into_response()
}

/// `405 Method not allowed` in plain text, for what is not the API.
pub fn plain_method_not_allowed() -> Response {
    (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n").into_response()
}

/// `500 Internal server error` in plain text, for what is not the API (files).
pub fn plain_internal_error() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, "Internal server error\n").into_response()
}

/// `429 Too many requests` saying `message` in plain text, for the sign-in and
/// sign-up pages.
pub fn plain_too_many_requests(message: &'static str) -> Response {
    (StatusCode::TOO_MANY_REQUESTS, message).into_response()
}

/// The status of the page that says a form's CSRF check failed.
pub const EXPIRED_FORM: StatusCode = StatusCode::FORBIDDEN;

/// `302 Found` to `location`: how OAuth 2 sends the browser back to an app, with a
/// code or with an error (RFC 6749 §4.1.2).
pub fn found(location: HeaderValue) -> Response {
    (StatusCode::FOUND, [(LOCATION, location)]).into_response()
}
