//! Mastodon API entities: the JSON apps expect, built from domain types. Every key the
//! Mastodon documentation lists is present; nullable ones are sent as `null`.

pub mod account;
pub mod filter;
pub mod instance;
pub mod media_attachment;
pub mod poll;
pub mod relationship;
pub mod report;
pub mod scheduled_status;
pub mod status;

use chrono::{DateTime, Utc};

pub use account::Account;

/// A time as Mastodon writes it: `2026-01-02T03:04:05.000Z`.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A day as Mastodon writes it: `2026-01-02`.
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_have_milliseconds_and_a_z() {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single();
        assert_eq!(
            at.map(timestamp).as_deref(),
            Some("2026-01-02T03:04:05.000Z")
        );
        assert_eq!(at.map(date).as_deref(), Some("2026-01-02"));
    }
}
