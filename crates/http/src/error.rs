//! Errors become responses here, and only here: the Mastodon `{"error": ...}` shape
//! with the status that fits. A server-side cause is logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use staffroom_domain::Error as DomainError;

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
