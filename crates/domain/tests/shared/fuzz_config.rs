//! What the fuzz tests of every crate share (this file is included by path in
//! `crates/domain/tests/fuzz.rs` and `crates/federation/tests/fuzz.rs`, so that
//! nothing of it reaches a production build).

use proptest::test_runner::Config;

/// The case count: `PROPTEST_CASES` when set, else 256; failures are not kept in
/// files (a finding becomes a regression test instead).
pub fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}
