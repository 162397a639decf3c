//! `staffroom admin domain block|allow|remove|list`: the rules for other servers.

use std::io::Write;

use chrono::Utc;
use staffroom_domain::moderation::domain_policy::{self, FederationMode, Policy};
use staffroom_domain::moderation::staff::{self, Staff};
use staffroom_domain::{Database, Error};

use crate::config::Config;
use crate::failure::Failure;

/// `admin domain block` and `admin domain allow`
pub async fn set_domain_rule(
    db: &Database,
    config: &Config,
    domain: &str,
    policy: Policy,
    reason: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let rule = staff::set_domain_rule(db, Staff::Operator, domain, policy, reason, Utc::now())
        .await
        .map_err(Failure::failed)?;
    let verb = match policy {
        Policy::Block => "blocked",
        Policy::Allow => "allowed",
    };
    let _ = writeln!(out, "{} is {verb} (with its subdomains).", rule.domain);
    if policy == Policy::Allow && config.federation_mode == FederationMode::Open {
        let _ = writeln!(
            out,
            "Note: federation_mode is 'open', so every server not blocked is allowed anyway."
        );
    }
    Ok(())
}

/// `admin domain remove`
pub async fn remove_domain_rule(
    db: &Database,
    domain: &str,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    match staff::remove_domain_rule(db, Staff::Operator, domain, Utc::now()).await {
        Ok(_) => {
            let _ = writeln!(
                out,
                "The rule for {} is removed.",
                domain.trim().to_ascii_lowercase()
            );
            Ok(())
        }
        Err(Error::NotFound(_)) => Err(Failure::failed(format!("there is no rule for '{domain}'"))),
        Err(other) => Err(Failure::failed(other)),
    }
}

/// `admin domain list`
pub async fn list_domain_rules(
    db: &Database,
    config: &Config,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let rules = domain_policy::list(db).await.map_err(Failure::failed)?;
    let _ = writeln!(out, "federation_mode: {}", config.federation_mode);
    if rules.is_empty() {
        let _ = writeln!(out, "No domain rules.");
    }
    for rule in rules {
        let _ = writeln!(
            out,
            "{:<6} {} {}",
            rule.policy.name(),
            rule.domain,
            rule.reason
        );
    }
    Ok(())
}
