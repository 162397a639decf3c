//! Authorization codes of the OAuth code flow: what a person approved on the consent
//! page, waiting (ten minutes at most) for the app to exchange it for a token. A code
//! is kept only as its SHA-256 hash, works once, and is bound to the app, the account,
//! the redirect URI, the scopes and the PKCE challenge it was issued with.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::access::oauth::{self, App, IssuedToken, Scopes};
use crate::entities::oauth_authorization_codes as codes;
use crate::{Error, Result, access::credentials, id};

/// How long a code may wait for its exchange.
pub const LIFETIME: TimeDelta = TimeDelta::minutes(10);
/// How many characters a code has (about 256 bits).
const CODE_CHARS: usize = 43;
/// The fewest and most characters of a PKCE verifier and challenge (RFC 7636 §4.1).
const PKCE_CHARS: std::ops::RangeInclusive<usize> = 43..=128;

/// How a PKCE challenge was derived from its verifier (RFC 7636 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeMethod {
    /// The challenge is the base64url SHA-256 of the verifier.
    S256,
    /// The challenge is the verifier itself.
    Plain,
}

impl ChallengeMethod {
    /// The method called `name` (`S256` or `plain`), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "S256" => Some(Self::S256),
            "plain" => Some(Self::Plain),
            _ => None,
        }
    }

    /// The method's name as RFC 7636 spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::S256 => "S256",
            Self::Plain => "plain",
        }
    }
}

/// A PKCE challenge sent with the authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub value: String,
    pub method: ChallengeMethod,
}

impl Challenge {
    /// Checks the challenge's shape: 43 to 128 characters of the unreserved set.
    pub fn new(value: &str, method: ChallengeMethod) -> Result<Self> {
        if !is_pkce_text(value) {
            return Err(Error::invalid(
                "code_challenge",
                "must be 43 to 128 letters, digits, '-', '.', '_' or '~'",
            ));
        }
        Ok(Self {
            value: value.to_owned(),
            method,
        })
    }

    /// Whether `verifier` is the one this challenge was made from.
    pub fn is_met_by(&self, verifier: &str) -> bool {
        if !is_pkce_text(verifier) {
            return false;
        }
        let derived = match self.method {
            ChallengeMethod::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
            ChallengeMethod::Plain => verifier.to_owned(),
        };
        credentials::constant_time_eq(derived.as_bytes(), self.value.as_bytes())
    }
}

fn is_pkce_text(text: &str) -> bool {
    PKCE_CHARS.contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// What a person approved.
#[derive(Debug, Clone)]
pub struct Approval {
    pub app_id: i64,
    pub account_id: i64,
    /// Exactly the URI the request named (one the app registered).
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub challenge: Option<Challenge>,
}

/// Issues a fresh code for `approval`; its text is known only now.
pub async fn issue(
    db: &impl ConnectionTrait,
    approval: Approval,
    now: DateTime<Utc>,
) -> Result<String> {
    // Codes nobody exchanged are of no use once expired.
    codes::Entity::delete_many()
        .filter(codes::Column::ExpiresAt.lt(now - LIFETIME))
        .exec(db)
        .await?;
    let code = credentials::random_code(CODE_CHARS);
    codes::ActiveModel {
        id: Set(id::new_id(now)),
        code_hash: Set(oauth::hash(&code)),
        app_id: Set(approval.app_id),
        account_id: Set(approval.account_id),
        redirect_uri: Set(approval.redirect_uri),
        scopes: Set(approval.scopes.to_string()),
        code_challenge: Set(approval.challenge.as_ref().map(|c| c.value.clone())),
        code_challenge_method: Set(approval
            .challenge
            .as_ref()
            .map(|c| c.method.name().to_owned())),
        created_at: Set(now),
        expires_at: Set(now + LIFETIME),
        used_at: Set(None),
        token_id: Set(None),
    }
    .insert(db)
    .await?;
    Ok(code)
}

/// What an app presents to exchange a code.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    pub app: &'a App,
    pub code: &'a str,
    pub redirect_uri: Option<&'a str>,
    pub code_verifier: Option<&'a str>,
}

/// Exchanges a code for an access token with the code's scopes. Every refusal is
/// `Forbidden` with a reason the app may read. A code presented a second time is
/// refused, and the token issued for it the first time is revoked (RFC 6749 §4.1.2).
pub async fn exchange(
    db: &(impl ConnectionTrait + TransactionTrait),
    exchange: Exchange<'_>,
    now: DateTime<Utc>,
) -> Result<IssuedToken> {
    let invalid = |reason: &str| Error::Forbidden(reason.to_owned());
    let row = codes::Entity::find()
        .filter(codes::Column::CodeHash.eq(oauth::hash(exchange.code)))
        .one(db)
        .await?
        .ok_or_else(|| invalid("The authorization code is invalid."))?;
    if row.app_id != exchange.app.id {
        return Err(invalid(
            "The authorization code was issued to another client.",
        ));
    }
    if row.used_at.is_some() {
        revoke_issued(db, &row, now).await?;
        return Err(invalid("The authorization code has already been used."));
    }
    if row.expires_at <= now {
        return Err(invalid("The authorization code has expired."));
    }
    if exchange.redirect_uri != Some(row.redirect_uri.as_str()) {
        return Err(invalid(
            "The redirect_uri does not match the one of the authorization request.",
        ));
    }
    if let (Some(value), Some(method)) = (&row.code_challenge, &row.code_challenge_method) {
        let challenge = Challenge {
            value: value.clone(),
            method: ChallengeMethod::from_name(method).unwrap_or(ChallengeMethod::S256),
        };
        match exchange.code_verifier {
            Some(verifier) if challenge.is_met_by(verifier) => {}
            Some(_) => {
                return Err(invalid(
                    "The code_verifier does not match the code_challenge.",
                ));
            }
            None => return Err(invalid("The code_verifier is required.")),
        }
    }
    let scopes = Scopes::parse(&row.scopes)?;
    let txn = crate::database::begin_write(db).await?;
    // Only one exchange may mark the code used, however many race for it.
    let marked = codes::Entity::update_many()
        .col_expr(codes::Column::UsedAt, Expr::value(now))
        .filter(codes::Column::Id.eq(row.id))
        .filter(codes::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        txn.rollback().await?;
        revoke_issued(db, &row, now).await?;
        return Err(invalid("The authorization code has already been used."));
    }
    let issued = oauth::issue_token(&txn, exchange.app, Some(row.account_id), scopes, now).await?;
    codes::Entity::update_many()
        .col_expr(codes::Column::TokenId, Expr::value(issued.id))
        .filter(codes::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(issued)
}

/// Revokes the token issued for the code `row`, if any: a code presented twice may
/// have been stolen.
async fn revoke_issued(
    db: &impl ConnectionTrait,
    row: &codes::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let fresh = codes::Entity::find_by_id(row.id).one(db).await?;
    if let Some(token_id) = fresh.and_then(|r| r.token_id) {
        oauth::revoke_by_id(db, token_id, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s256_challenge_is_met_by_its_verifier_only() {
        // The example of RFC 7636, appendix B.
        let challenge = Challenge::new(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ChallengeMethod::S256,
        )
        .unwrap();
        assert!(challenge.is_met_by("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!challenge.is_met_by("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK"));
        assert!(!challenge.is_met_by("short"));
    }

    #[test]
    fn a_plain_challenge_is_the_verifier() {
        let verifier = "a".repeat(43) + "-._~";
        let challenge = Challenge::new(&verifier, ChallengeMethod::Plain).unwrap();
        assert!(challenge.is_met_by(&verifier));
        assert!(!challenge.is_met_by(&"b".repeat(47)));
        assert!(Challenge::new("too short", ChallengeMethod::Plain).is_err());
        assert!(Challenge::new(&"a/".repeat(30), ChallengeMethod::S256).is_err());
    }
}
