//! Time-ordered 64-bit ids, as Mastodon's: milliseconds since the Unix epoch in the
//! high 48 bits, then 6 bits naming this process and a 10-bit sequence. Within one
//! process ids strictly increase (the delivery queue relies on it for causal
//! order); sorting by id sorts by time on both databases.

use std::sync::{
    OnceLock,
    atomic::{AtomicI64, Ordering},
};

static LAST: AtomicI64 = AtomicI64::new(0);

/// 6 random bits per process keep several nodes on one database apart.
fn node_bits() -> i64 {
    static NODE: OnceLock<i64> = OnceLock::new();
    *NODE.get_or_init(|| i64::from(rand::random::<u8>() & 0x3f) << 10)
}

pub fn new_id() -> i64 {
    new_id_at(chrono::Utc::now().timestamp_millis())
}

pub fn new_id_at(millis: i64) -> i64 {
    let candidate = (millis.max(0) << 16) | node_bits();
    let mut last = LAST.load(Ordering::Relaxed);
    loop {
        // Never smaller than the last id, even within one millisecond or if the
        // clock steps back.
        let next = candidate.max(last + 1);
        match LAST.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_strictly_increase_and_follow_time() {
        let a = new_id_at(1_000);
        let b = new_id_at(1_001);
        assert!(b > a);
        let many: Vec<i64> = (0..100_000).map(|_| new_id()).collect();
        assert!(many.windows(2).all(|w| w[1] > w[0]), "strictly increasing");
        let later = new_id_at(chrono::Utc::now().timestamp_millis() + 10_000);
        assert!(later > *many.last().expect("ids"));
    }
}
