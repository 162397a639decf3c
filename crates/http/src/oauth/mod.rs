//! `/oauth/...`: authorization (sign-in and consent pages), tokens and their
//! revocation.

pub mod authorize;
pub mod revoke;
pub mod token;

use serde::Serialize;

/// The OAuth 2 error shape (RFC 6749 §5.2), which Mastodon also uses here.
#[derive(Debug, Serialize)]
pub struct OauthError {
    pub error: &'static str,
    pub error_description: String,
}
