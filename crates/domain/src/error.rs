//! The domain's error: what went wrong, in the product's terms.

use sea_orm::DbErr;

/// What a use case can fail with. The outer layers map each kind to their own
/// answer (an HTTP status, an exit code); internal causes are for logs only.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist (or must not be seen by the asker).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change clashes with what is already stored, such as a taken username.
    #[error("{0}")]
    Conflict(String),
    /// An input is not acceptable; `field` names it.
    #[error("{field} {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The asker may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// Something that should not fail did (key generation, hashing, a task panic).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

/// The result of a domain use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;
