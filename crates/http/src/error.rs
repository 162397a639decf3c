//! Errors become responses here, and only here: for the API the Mastodon
//! `{"error": ...}` shape, for the instance's own pages the error page, each with the
//! status that fits. A server-side cause is logged, never sent. This is the one
//! place that picks status codes, so the OAuth redirect back to an app is here too.

use askama::Template;
use axum::Json;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use staffroom_domain::Error as DomainError;

use crate::AppState;
use crate::pages::layout::Layout;

/// An error answer of the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Record not found")
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(Body {
                error: &self.message,
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
    /// An error page with `status` chosen elsewhere (the CSRF check of forms).
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

    /// A form whose fields have problems, shown again with them.
    pub fn invalid(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, title, message)
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

/// A template that could not be rendered (a value's `Display` failed).
impl From<askama::Error> for PageError {
    fn from(err: askama::Error) -> Self {
        tracing::error!(cause = %err, "a page could not be rendered");
        Self::internal()
    }
}

/// The result of a page handler.
pub type PageResult<T> = Result<T, PageError>;

/// `302 Found` to `location`: how OAuth 2 sends the browser back to an app, with a
/// code or with an error (RFC 6749 §4.1.2).
pub fn found(location: HeaderValue) -> Response {
    (StatusCode::FOUND, [(LOCATION, location)]).into_response()
}
