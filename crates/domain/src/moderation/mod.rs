//! Keeping the instance safe: reports to the moderators, silenced accounts,
//! suspended people of this instance, suspended remote accounts, the rules for other servers (blocks, the
//! allowlist), and what the instance's staff do, each checked and written to the
//! audit log.

pub mod audit;
pub mod domain_policy;
pub mod local_suspension;
pub mod report;
pub mod silence;
pub mod staff;
pub mod suspension;
