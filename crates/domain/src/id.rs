//! Time-ordered ids, unique across every process sharing a database: the
//! milliseconds since the Unix epoch in the high bits, then the process's node
//! number (see [`crate::id_node`]) and a sequence in the low 16, so that a newer row
//! has a larger id and ids sort by time as numbers and (at equal length) as
//! strings, as Mastodon clients expect.
//!
//! The generator is the one piece of process state the domain keeps, on purpose:
//! ids are minted deep inside use cases over any connection or transaction, and
//! the node it carries *is* the process's identity. Its uniqueness across
//! processes comes from the node lease in the database, not from the process.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

/// Bits of an id that number the process that made it.
const NODE_BITS: u32 = 4;
/// Bits of an id that count the ids a process made in one millisecond.
const SEQUENCE_BITS: u32 = 16 - NODE_BITS;
/// How many processes may share one database: each holds one node number.
pub const MAX_NODES: u16 = 1 << NODE_BITS;
const MAX_SEQUENCE: u16 = (1 << SEQUENCE_BITS) - 1;
/// A moment at most this far behind the clock counts as now: ids for it come
/// from the strictly increasing sequence.
const PRESENT: TimeDelta = TimeDelta::seconds(10);

/// The state of this process's ids.
#[derive(Debug)]
struct Generator {
    node: u16,
    /// The millisecond of the newest id made for a present moment, and how many
    /// more were made in it.
    last_millis: i64,
    sequence: u16,
    /// A wrapping counter for ids of past moments (a remote post's date).
    past: u16,
}

static GENERATOR: Mutex<Generator> = Mutex::new(Generator {
    node: 0,
    last_millis: 0,
    sequence: 0,
    past: 0,
});

fn generator() -> std::sync::MutexGuard<'static, Generator> {
    // The state stays consistent whatever panicked while holding it.
    GENERATOR
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn compose(millis: i64, node: u16, sequence: u16) -> i64 {
    (millis.max(0) << 16) | (i64::from(node) << SEQUENCE_BITS) | i64::from(sequence)
}

impl Generator {
    fn next(&mut self, millis: i64, clock: i64) -> i64 {
        // An id never claims a moment after the clock: a row stamped ahead (a
        // job run for a moment to come) must not carry every later id with it,
        // or ids of the past would sort before ids made earlier.
        let millis = millis.min(clock);
        if millis + PRESENT.num_milliseconds() >= clock {
            // Now (or a moment ago): strictly increasing, never repeated. A moment
            // just behind the newest id gets the newest id's millisecond; a full
            // millisecond borrows the next one.
            if millis > self.last_millis {
                self.last_millis = millis;
                self.sequence = 0;
            } else if self.sequence == MAX_SEQUENCE {
                self.last_millis += 1;
                self.sequence = 0;
            } else {
                self.sequence += 1;
            }
            compose(self.last_millis, self.node, self.sequence)
        } else {
            // The past: its own millisecond, so that the id sorts where the post
            // was written, with a counter that only repeats after 4,096 others.
            let sequence = self.past;
            self.past = (self.past + 1) & MAX_SEQUENCE;
            compose(millis, self.node, sequence)
        }
    }
}

/// A new id for a row created at `at`.
pub fn new_id(at: DateTime<Utc>) -> i64 {
    generator().next(at.timestamp_millis(), Utc::now().timestamp_millis())
}

/// The smallest id a row created at `at` can have: the lower bound for "since then".
pub fn first_id_at(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis().max(0) << 16
}

/// The node number this process puts in its ids.
pub fn node() -> u16 {
    generator().node
}

/// The node number of the process that made `id`.
pub fn node_of(id: i64) -> u16 {
    u16::try_from((id >> SEQUENCE_BITS) & i64::from(MAX_NODES - 1)).unwrap_or(0)
}

/// Makes this process put `node` in the ids it makes from now on.
pub(crate) fn set_node(node: u16) {
    generator().node = node & (MAX_NODES - 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(node: u16) -> Generator {
        Generator {
            node,
            last_millis: 0,
            sequence: 0,
            past: 0,
        }
    }

    #[test]
    fn later_rows_get_larger_ids() {
        let clock = 1_800_000_000_000;
        let mut ids = fresh(0);
        let a = ids.next(clock, clock);
        let b = ids.next(clock + 1, clock + 1);
        assert!(b > a);
        let at = DateTime::from_timestamp_millis(clock).unwrap_or_default();
        assert!(first_id_at(at) <= a);
        assert!(a < first_id_at(at + TimeDelta::milliseconds(1)));
    }

    #[test]
    fn ids_of_one_millisecond_differ_and_grow_past_the_sequence() {
        let clock = 1_800_000_000_000;
        let mut ids = fresh(3);
        let made: Vec<i64> = (0..10_000).map(|_| ids.next(clock, clock)).collect();
        assert!(
            made.windows(2).all(|pair| pair[0] < pair[1]),
            "strictly increasing"
        );
        assert!(made.iter().all(|&id| node_of(id) == 3));
        // More than a millisecond's sequence borrows the next milliseconds.
        assert_eq!(made[0] >> 16, clock);
        assert_eq!(made[9_999] >> 16, clock + 2);
    }

    #[test]
    fn a_moment_just_behind_the_newest_id_still_gets_a_larger_one() {
        let clock = 1_800_000_000_000;
        let mut ids = fresh(0);
        let newer = ids.next(clock, clock);
        let older_moment = ids.next(clock - 5, clock);
        assert!(older_moment > newer);
    }

    #[test]
    fn a_moment_to_come_does_not_carry_later_ids_ahead() {
        let clock = 1_800_000_000_000;
        let mut ids = fresh(0);
        let ahead = ids.next(clock + 30 * 86_400_000, clock);
        assert_eq!(ahead >> 16, clock);
        let present = ids.next(clock + 20_000, clock + 20_000);
        assert_eq!(present >> 16, clock + 20_000);
        let past = ids.next(clock + 5_000, clock + 20_000);
        assert!(past > ahead && past < present);
    }

    #[test]
    fn two_nodes_never_make_the_same_id() {
        let clock = 1_800_000_000_000;
        let (mut a, mut b) = (fresh(1), fresh(2));
        let mut seen = std::collections::HashSet::new();
        for i in 0..5_000 {
            let millis = clock + i / 7;
            assert!(seen.insert(a.next(millis, millis)));
            assert!(seen.insert(b.next(millis, millis)));
            // Past moments too.
            assert!(seen.insert(a.next(millis - 86_400_000, millis)));
            assert!(seen.insert(b.next(millis - 86_400_000, millis)));
        }
    }

    #[test]
    fn past_moments_keep_their_millisecond() {
        let clock = 1_800_000_000_000;
        let mut ids = fresh(5);
        let past = clock - 3_600_000;
        let a = ids.next(past, clock);
        let b = ids.next(past, clock);
        assert_ne!(a, b);
        assert_eq!(a >> 16, past);
        assert_eq!(b >> 16, past);
        assert_eq!(node_of(a), 5);
    }
}
