//! Keeping the instance safe: reports to the moderators, suspended remote accounts,
//! and the rules for other servers (blocks, the allowlist).

pub mod domain_policy;
pub mod report;
pub mod suspension;
