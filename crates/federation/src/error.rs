//! The federation layer's error: what went wrong with another server's request or
//! answer, in terms the HTTP layer can map to a status.

use activitypub_federation::error::Error as ProtocolError;
use staffroom_domain::Error as DomainError;

/// An error while receiving, fetching or sending.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the ActivityPub library: signatures, fetches, parsing.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// From a domain use case.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The activity is well-formed but not acceptable here.
    #[error("{0}")]
    Refused(String),
}

/// An id that is not a URL (one of ours that cannot be parsed is a bug, reported
/// as the library's own parse error).
impl From<url::ParseError> for Error {
    fn from(error: url::ParseError) -> Self {
        Self::Protocol(error.into())
    }
}

/// How the HTTP layer should answer an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed (400).
    BadRequest,
    /// The sender could not be authenticated: bad or missing signature, digest, or a
    /// key that cannot be fetched (401).
    Unauthorized,
    /// The request is refused by policy (403).
    Forbidden,
    /// Something failed on our side (500).
    Internal,
}

impl Error {
    /// What kind of answer this error deserves.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Protocol(e) => match e {
                ProtocolError::ParseReceivedActivity { .. } => ErrorKind::BadRequest,
                ProtocolError::UrlVerificationError(_)
                | ProtocolError::DomainResolveError(_)
                | ProtocolError::ResolveInternalIpError(..) => ErrorKind::Forbidden,
                ProtocolError::SerializeOutgoingActivity(..)
                | ProtocolError::ActivityQueueError(_)
                | ProtocolError::StopActivityQueue(_)
                | ProtocolError::IoError(_) => ErrorKind::Internal,
                // Signatures, digests, and the fetches that get the signer's key.
                _ => ErrorKind::Unauthorized,
            },
            Self::Domain(e) => match e {
                DomainError::Invalid { .. } | DomainError::NotFound(_) => ErrorKind::BadRequest,
                DomainError::Forbidden(_) | DomainError::Conflict(_) => ErrorKind::Forbidden,
                DomainError::Database(_) | DomainError::Internal(_) => ErrorKind::Internal,
            },
            Self::Refused(_) => ErrorKind::Forbidden,
        }
    }
}
