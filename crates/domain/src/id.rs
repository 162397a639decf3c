//! Time-ordered ids: the milliseconds since the Unix epoch in the high bits and a
//! sequence number in the low 16, so that a newer row has a larger id and ids sort by
//! time as numbers and (at equal length) as strings, as Mastodon clients expect.

use std::sync::atomic::{AtomicU16, Ordering};

use chrono::{DateTime, Utc};

static SEQUENCE: AtomicU16 = AtomicU16::new(0);

/// A new id for a row created at `at`.
pub fn new_id(at: DateTime<Utc>) -> i64 {
    let millis = at.timestamp_millis().max(0);
    let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    (millis << 16) | i64::from(sequence)
}

/// The smallest id a row created at `at` can have: the lower bound for "since then".
pub fn first_id_at(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis().max(0) << 16
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn later_rows_get_larger_ids() {
        let now = Utc::now();
        let a = new_id(now);
        let b = new_id(now + TimeDelta::milliseconds(1));
        assert!(b > a);
        assert!(first_id_at(now) <= a);
        assert!(a < first_id_at(now + TimeDelta::milliseconds(1)));
    }

    #[test]
    fn ids_made_in_the_same_millisecond_differ() {
        let now = Utc::now();
        let ids: std::collections::HashSet<i64> = (0..1000).map(|_| new_id(now)).collect();
        assert_eq!(ids.len(), 1000);
    }
}
