//! Client JSON shapes (Mastodon entities) and the converters that build them.

pub mod account;
pub mod app;
pub mod instance;
pub mod media;
pub mod relationship;
pub mod report;
pub mod status;
pub mod tag;

/// Mastodon's timestamp format: RFC 3339 in UTC with milliseconds.
pub fn timestamp(t: chrono::NaiveDateTime) -> String {
    t.and_utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
