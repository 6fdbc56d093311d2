//! Time-ordered 64-bit ids, as Mastodon's: milliseconds since the Unix epoch in the
//! high bits, a per-process sequence in the low 16. Sorting by id sorts by time,
//! on both databases, and ids compare the same as numbers or as strings of equal length.

use std::sync::atomic::{AtomicU64, Ordering};

static SEQUENCE: AtomicU64 = AtomicU64::new(0);

pub fn new_id() -> i64 {
    new_id_at(chrono::Utc::now().timestamp_millis())
}

pub fn new_id_at(millis: i64) -> i64 {
    // A random start keeps two processes (several nodes on one PostgreSQL) apart
    // within the same millisecond in practice; the sequence keeps one process unique.
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = *START.get_or_init(rand::random::<u64>);
    let seq = (start.wrapping_add(SEQUENCE.fetch_add(1, Ordering::Relaxed))) & 0xffff;
    ((millis.max(0) as u64) << 16 | seq) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_unique() {
        let a = new_id_at(1_000);
        let b = new_id_at(1_001);
        assert!(b > a);
        let mut many: Vec<i64> = (0..1000).map(|_| new_id()).collect();
        many.sort();
        many.dedup();
        assert_eq!(many.len(), 1000);
    }
}
