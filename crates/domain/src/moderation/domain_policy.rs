//! Which servers this instance federates with: in the open mode, all but those
//! blocked; in the allowlist mode, only those allowed. A rule for a domain covers its
//! subdomains.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::domain_policies;
use crate::{Error, Result};

/// How the instance federates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FederationMode {
    /// With every server except those blocked.
    #[default]
    Open,
    /// Only with the servers allowed (and every fetch must be signed).
    Allowlist,
}

impl FederationMode {
    pub const NAMES: [&'static str; 2] = ["open", "allowlist"];

    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Allowlist => "allowlist",
        }
    }
}

impl fmt::Display for FederationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for FederationMode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "open" => Ok(Self::Open),
            "allowlist" => Ok(Self::Allowlist),
            _ => Err(()),
        }
    }
}

/// What a rule does to a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Block,
    Allow,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Self::Block => "block",
            Self::Allow => "allow",
        }
    }
}

/// A rule for one domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRule {
    pub domain: String,
    pub policy: Policy,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// The SHA-256 of `domain` in hex, as the public list of blocked servers gives
/// it beside (or instead of) the name.
pub fn digest(domain: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(domain.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `domain` as rules store it: lower-cased, without a trailing dot, checked for shape.
pub fn normalize(domain: &str) -> Result<String> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let (host, port) = match domain.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain.as_str(), None),
    };
    let valid = !host.is_empty()
        && port.is_none_or(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
        && domain.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if valid {
        Ok(domain)
    } else {
        Err(Error::invalid("domain", "is not a domain name"))
    }
}

/// Sets the rule for `domain` (replacing any earlier one).
pub async fn set(
    db: &impl ConnectionTrait,
    domain: &str,
    policy: Policy,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<DomainRule> {
    let domain = normalize(domain)?;
    domain_policies::Entity::delete_by_id(domain.clone())
        .exec(db)
        .await?;
    let row = domain_policies::ActiveModel {
        domain: Set(domain),
        policy: Set(policy.name().to_owned()),
        reason: Set(reason.trim().chars().take(1_000).collect()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(rule(row))
}

/// Removes the rule for `domain`; true if there was one.
pub async fn remove(db: &impl ConnectionTrait, domain: &str) -> Result<bool> {
    let domain = normalize(domain)?;
    Ok(domain_policies::Entity::delete_by_id(domain)
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Every rule, by domain.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<DomainRule>> {
    Ok(domain_policies::Entity::find()
        .order_by_asc(domain_policies::Column::Domain)
        .all(db)
        .await?
        .into_iter()
        .map(rule)
        .collect())
}

fn rule(row: domain_policies::Model) -> DomainRule {
    DomainRule {
        policy: if row.policy == "allow" {
            Policy::Allow
        } else {
            Policy::Block
        },
        domain: row.domain,
        reason: row.reason,
        created_at: row.created_at,
    }
}

/// `domain` and each domain it is a subdomain of, port dropped: `a.b.org` gives
/// `a.b.org`, `b.org`, `org`.
fn candidates(domain: &str) -> Vec<String> {
    let lower = domain.trim_end_matches('.').to_ascii_lowercase();
    let host = lower.split(':').next().unwrap_or_default().to_owned();
    let mut out = vec![lower.clone()];
    let mut rest = host.as_str();
    loop {
        if !out.iter().any(|c| c == rest) {
            out.push(rest.to_owned());
        }
        match rest.split_once('.') {
            Some((_, parent)) => rest = parent,
            None => break,
        }
    }
    out
}

/// Whether this instance federates with `domain` (host, with a port if any) in `mode`.
pub async fn permits(
    db: &impl ConnectionTrait,
    mode: FederationMode,
    domain: &str,
) -> Result<bool> {
    let rules = domain_policies::Entity::find()
        .filter(domain_policies::Column::Domain.is_in(candidates(domain)))
        .all(db)
        .await?;
    let blocked = rules.iter().any(|r| r.policy == "block");
    let allowed = rules.iter().any(|r| r.policy == "allow");
    Ok(match mode {
        FederationMode::Open => !blocked,
        FederationMode::Allowlist => allowed && !blocked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalised_and_checked() {
        assert_eq!(
            normalize(" Example.ORG. ").unwrap_or_default(),
            "example.org"
        );
        assert_eq!(
            normalize("localhost:8080").unwrap_or_default(),
            "localhost:8080"
        );
        assert!(normalize("").is_err());
        assert!(normalize("exa mple.org").is_err());
        assert!(normalize("https://example.org").is_err());
    }

    #[test]
    fn a_rule_covers_subdomains() {
        assert_eq!(
            candidates("a.b.example.org"),
            vec!["a.b.example.org", "b.example.org", "example.org", "org"]
        );
        assert_eq!(
            candidates("localhost:8080"),
            vec!["localhost:8080", "localhost"]
        );
    }
}
