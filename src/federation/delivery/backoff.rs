//! When to try a failed delivery again.

use std::time::Duration;

/// Exponential backoff with ±20 % jitter, at least what `Retry-After` asks,
/// never more than `max`.
pub fn next_delay(
    attempts: i32,
    base: Duration,
    max: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    let exp = base.saturating_mul(1u32 << attempts.clamp(0, 20).saturating_sub(1));
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    let delay = exp.mul_f64(jitter).max(retry_after.unwrap_or_default());
    delay.min(max)
}

/// A delay as a database timestamp offset (saturating: never a panic).
pub fn as_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(secs) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value.trim()).ok()?;
    (when.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        let (base, max) = (Duration::from_secs(10), Duration::from_secs(100));
        let first = next_delay(1, base, max, None);
        assert!(first >= Duration::from_secs(8) && first <= Duration::from_secs(12));
        let third = next_delay(3, base, max, None);
        assert!(third >= Duration::from_secs(32) && third <= Duration::from_secs(48));
        assert_eq!(next_delay(30, base, max, None), max);
        assert!(next_delay(1, base, max, Some(Duration::from_secs(60))) >= Duration::from_secs(60));
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("soon"), None);
        let later = (chrono::Utc::now() + chrono::Duration::seconds(90)).to_rfc2822();
        assert!(parse_retry_after(&later).is_some_and(|d| d.as_secs() > 60));
    }
}
