//! Per-account login throttling: after `login_failures` failed password checks
//! for one account within `login_window_secs`, further attempts are refused
//! with 429 for a lockout that doubles with each further failure, from
//! `login_lockout_secs` up to `login_lockout_max_secs`. Attempts during a
//! lockout are refused without being counted, so an attacker cannot extend it;
//! once it ends one attempt is allowed, and a right password clears the record.
//!
//! The record lives in this node's memory: with several nodes behind a load
//! balancer each node counts on its own (an attacker gets the budget once per
//! node). Unknown names are throttled like existing ones, so the 429 does not
//! tell which names exist.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use moka::sync::Cache;

use crate::{config::LimitsConfig, error::AppError};

/// Accounts (and unknown names) remembered at once; quiet ones are forgotten.
const CAPACITY: u64 = 100_000;

#[derive(Default)]
struct Record {
    /// Attempts in the current window, counted when they start (so concurrent
    /// guesses cannot slip in before the first failure is known).
    attempts: u32,
    window_start: Option<Instant>,
    /// Lockouts so far: each doubles the next.
    strikes: u32,
    locked_until: Option<Instant>,
}

pub struct LoginThrottle {
    records: Cache<String, Arc<Mutex<Record>>>,
    max_failures: u32,
    window: Duration,
    lockout: Duration,
    lockout_max: Duration,
}

impl LoginThrottle {
    pub fn from_config(c: &LimitsConfig) -> Self {
        let window = Duration::from_secs(c.login_window_secs);
        let lockout_max = Duration::from_secs(c.login_lockout_max_secs);
        Self {
            records: Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_idle(window.max(lockout_max).max(Duration::from_secs(1)))
                .build(),
            max_failures: c.login_failures,
            window,
            lockout: Duration::from_secs(c.login_lockout_secs),
            lockout_max,
        }
    }

    /// Counts an attempt for `key`, or refuses it (429 with `Retry-After`).
    pub fn begin(&self, key: &str) -> Result<(), AppError> {
        self.check_at(key, Instant::now()).map_err(refused)
    }

    /// Err(wait) while `key` is locked out.
    fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        if self.max_failures == 0 {
            return Ok(());
        }
        let record = self.records.get_with(key.to_string(), Default::default);
        let mut r = record.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = r.locked_until {
            if now < until {
                return Err(until - now);
            }
            r.locked_until = None;
        }
        if r.window_start
            .is_none_or(|s| now.saturating_duration_since(s) > self.window)
        {
            r.window_start = Some(now);
            r.attempts = 0;
        }
        r.attempts += 1;
        if r.attempts > self.max_failures {
            let wait = self
                .lockout
                .saturating_mul(1 << r.strikes.min(16))
                .min(self.lockout_max);
            r.strikes += 1;
            r.locked_until = Some(now + wait);
            // After the lockout, one attempt before the next (longer) one.
            r.attempts = self.max_failures - 1;
            r.window_start = Some(now);
            return Err(wait);
        }
        Ok(())
    }

    /// A right password forgets the account's failures.
    pub fn succeeded(&self, key: &str) {
        self.records.invalidate(key);
    }
}

fn refused(wait: Duration) -> AppError {
    AppError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many failed login attempts for this account; try again later",
    )
    .with_retry_after(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::from_config(&LimitsConfig {
            login_failures: 3,
            login_window_secs: 900,
            login_lockout_secs: 60,
            login_lockout_max_secs: 200,
            ..Default::default()
        })
    }

    #[test]
    fn lockouts_grow_to_the_cap_and_are_not_extended_by_attempts() {
        let t = throttle();
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        for _ in 0..3 {
            assert!(t.check_at("user:1", t0).is_ok());
        }
        assert_eq!(t.check_at("user:1", t0), Err(Duration::from_secs(60)));
        assert_eq!(t.check_at("user:1", at(30)), Err(Duration::from_secs(30)));
        assert!(
            t.check_at("user:2", at(30)).is_ok(),
            "other accounts are free"
        );
        // Once over, one attempt; a failure then locks for twice as long.
        assert!(t.check_at("user:1", at(60)).is_ok());
        assert_eq!(t.check_at("user:1", at(60)), Err(Duration::from_secs(120)));
        assert!(t.check_at("user:1", at(180)).is_ok());
        assert_eq!(t.check_at("user:1", at(180)), Err(Duration::from_secs(200)));
        // A right password clears the record.
        t.succeeded("user:1");
        for _ in 0..3 {
            assert!(t.check_at("user:1", at(400)).is_ok());
        }
    }

    #[test]
    fn failures_outside_the_window_are_forgotten() {
        let t = throttle();
        let t0 = Instant::now();
        for s in [0, 1, 2, 903, 904, 905] {
            assert!(t.check_at("k", t0 + Duration::from_secs(s)).is_ok(), "{s}");
        }
    }
}
