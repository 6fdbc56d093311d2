//! The agenda: an event is a status (title, description, community, likes and
//! comments as for any thread) with a date, a place and answers. Creating and
//! editing one goes through `service::statuses` with a `NewEvent`, so the
//! visibility and federation rules are those of every post.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::{
    db::{self, actors::Actor, events::Event},
    error::{AppError, AppResult, invalid_field},
    service::{events, now, statuses::visible},
    state::AppState,
};

pub mod answers;
pub mod calendar;
pub mod listing;
pub mod reminders;

pub use answers::{answer, answer_remote};

/// Longest place name kept.
pub const MAX_LOCATION: usize = 300;
/// Most places an event may offer.
pub const MAX_CAPACITY: i64 = 100_000;

/// An event's date, place and capacity, as a person (or an app) gives them.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    /// RFC 3339 (`2026-12-10T09:00:00Z`), or a local date and time
    /// (`2026-12-10T10:00`) read in `time_zone`; a date alone for all-day events.
    pub starts_at: String,
    pub ends_at: Option<String>,
    /// IANA name; the instance's time zone when absent.
    pub time_zone: Option<String>,
    pub all_day: bool,
    pub location: String,
    pub online_url: Option<String>,
    pub capacity: Option<i64>,
}

impl NewEvent {
    /// The event row of status `status_id`, checked.
    pub fn row(&self, status_id: i64, default_zone: &str) -> AppResult<Event> {
        let zone_name = self
            .time_zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .unwrap_or(default_zone);
        let zone: Tz = zone_name
            .parse()
            .map_err(|_| invalid_field("time_zone", "is not a known time zone"))?;
        let (starts_at, ends_at) = if self.all_day {
            let start = parse_date(&self.starts_at, "starts_at")?;
            let end = match self.ends_at.as_deref().filter(|e| !e.trim().is_empty()) {
                Some(e) => parse_date(e, "ends_at")?,
                None => start,
            };
            (start.and_time(NaiveTime::MIN), end.and_time(NaiveTime::MIN))
        } else {
            let start = parse_time(&self.starts_at, zone, "starts_at")?;
            let end = match self.ends_at.as_deref().filter(|e| !e.trim().is_empty()) {
                Some(e) => parse_time(e, zone, "ends_at")?,
                None => start + Duration::hours(1),
            };
            (start, end)
        };
        if ends_at < starts_at {
            return Err(invalid_field("ends_at", "must not be before the start"));
        }
        let location = self.location.trim();
        if location.chars().count() > MAX_LOCATION {
            return Err(invalid_field(
                "location",
                format!("is too long (maximum is {MAX_LOCATION} characters)"),
            ));
        }
        let online_url = match self.online_url.as_deref().map(str::trim) {
            Some(u) if !u.is_empty() => Some(check_link(u)?),
            _ => None,
        };
        if let Some(c) = self.capacity
            && !(1..=MAX_CAPACITY).contains(&c)
        {
            return Err(invalid_field(
                "capacity",
                format!("must be between 1 and {MAX_CAPACITY}"),
            ));
        }
        Ok(Event {
            status_id,
            starts_at,
            ends_at: Some(ends_at),
            time_zone: zone.name().to_string(),
            all_day: self.all_day,
            location: location.to_string(),
            online_url,
            capacity: self.capacity,
            cancelled_at: None,
            sequence: 0,
            remote_going: None,
        })
    }
}

fn parse_date(s: &str, field: &str) -> AppResult<NaiveDate> {
    let s = s.trim();
    let date = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| invalid_field(field, "must be a date such as 2026-12-10"))
}

/// A UTC instant from RFC 3339, or from a local time read in `zone` (in a
/// daylight-saving gap the later reading, in an overlap the earlier).
pub(crate) fn parse_time(s: &str, zone: Tz, field: &str) -> AppResult<NaiveDateTime> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.naive_utc());
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| invalid_field(field, "must be a date and time such as 2026-12-10T10:00"))?;
    let at = zone
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .ok_or_else(|| invalid_field(field, "does not exist in this time zone"))?;
    Ok(at.naive_utc())
}

/// An online meeting link: http(s) only.
fn check_link(u: &str) -> AppResult<String> {
    match url::Url::parse(u) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url.to_string()),
        _ => Err(invalid_field("online_url", "must be an http(s) link")),
    }
}

/// Whether an event is over at `now` (all-day events last their whole last day).
pub fn is_over(e: &Event, now: NaiveDateTime) -> bool {
    let end = e.ends_at.unwrap_or(e.starts_at);
    if e.all_day {
        end + Duration::days(1) <= now
    } else {
        end <= now
    }
}

/// The start and end in the event's time zone (all-day: the dates as given).
pub fn local_times(e: &Event) -> (NaiveDateTime, NaiveDateTime) {
    let end = e.ends_at.unwrap_or(e.starts_at);
    if e.all_day {
        return (e.starts_at, end);
    }
    let zone: Tz = e.time_zone.parse().unwrap_or(Tz::UTC);
    let local = |t: NaiveDateTime| zone.from_utc_datetime(&t).naive_local();
    (local(e.starts_at), local(end))
}

/// "Thu 10 Dec 2026, 10:00–12:00 (Europe/Paris) · Room B": how an event's date
/// reads where only text goes (Mastodon apps, other servers' summaries).
pub fn when_and_where(e: &Event) -> String {
    let (start, end) = local_times(e);
    let mut s = if e.all_day {
        if end.date() == start.date() {
            start.format("%a %-d %b %Y").to_string()
        } else {
            format!(
                "{} – {}",
                start.format("%a %-d %b %Y"),
                end.format("%a %-d %b %Y")
            )
        }
    } else if end.date() == start.date() {
        format!(
            "{}–{} ({})",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format("%H:%M"),
            e.time_zone
        )
    } else {
        format!(
            "{} – {} ({})",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format("%a %-d %b %Y, %H:%M"),
            e.time_zone
        )
    };
    if !e.location.is_empty() {
        s.push_str(" · ");
        s.push_str(&e.location);
    }
    if e.cancelled_at.is_some() {
        s = format!("CANCELLED: {s}");
    }
    s
}

/// A count shown to people other than the organiser: withheld below 5, so
/// that nobody's answer can be inferred from it.
pub const SMALLEST_SHOWN: i64 = 5;

pub fn shown_count(n: i64) -> Option<i64> {
    (n >= SMALLEST_SHOWN).then_some(n)
}

/// The organiser (or a moderator of its community) cancels a local event
/// (`cancelled`), or reinstates it. Calendars and other servers hear it as
/// an update (`STATUS:CANCELLED`, `ical:status`); answers are kept.
pub async fn cancel(
    state: &AppState,
    by: &Actor,
    status_id: i64,
    cancelled: bool,
) -> AppResult<Event> {
    let s = visible(state, status_id, Some(by)).await?;
    let by = by.clone();
    let event = state
        .db
        .write(move |c| {
            let event = db::events::by_status(c, s.id)?
                .ok_or_else(|| AppError::unprocessable("This is not an event"))?;
            if !s.local {
                return Err(AppError::unprocessable(
                    "Another server's event is managed there",
                ));
            }
            if s.actor_id != by.id {
                match s.community_id {
                    Some(community) => {
                        crate::service::communities::require_moderator(c, community, by.id)?
                    }
                    None => return Err(AppError::forbidden("Only the organiser can do this")),
                }
            }
            if event.cancelled_at.is_some() != cancelled {
                db::events::set_cancelled(c, s.id, cancelled.then(now))?;
                events::store(c, &[events::Event::StatusUpdated { status_id: s.id }])?;
            }
            db::events::by_status(c, s.id)?.ok_or_else(AppError::not_found)
        })
        .await?;
    state.wake_delivery();
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(start: &str, end: Option<&str>, zone: &str) -> NewEvent {
        NewEvent {
            starts_at: start.into(),
            ends_at: end.map(String::from),
            time_zone: Some(zone.into()),
            ..Default::default()
        }
    }

    #[test]
    fn local_times_are_read_in_the_event_zone() {
        let e = new("2026-12-10T10:00", Some("2026-12-10T12:00"), "Europe/Paris")
            .row(1, "UTC")
            .unwrap();
        assert_eq!(e.starts_at.to_string(), "2026-12-10 09:00:00");
        assert_eq!(e.ends_at.unwrap().to_string(), "2026-12-10 11:00:00");
        assert_eq!(
            when_and_where(&e),
            "Thu 10 Dec 2026, 10:00–12:00 (Europe/Paris)"
        );
        // Summer time: two hours ahead of UTC.
        let e = new("2026-07-01T10:00", None, "Europe/Paris")
            .row(1, "UTC")
            .unwrap();
        assert_eq!(e.starts_at.to_string(), "2026-07-01 08:00:00");
        assert_eq!(e.ends_at.unwrap().to_string(), "2026-07-01 09:00:00");
    }

    #[test]
    fn bad_input_names_its_field() {
        let err = new("tomorrow", None, "UTC").row(1, "UTC").unwrap_err();
        assert!(err.to_string().contains("starts_at"), "{err}");
        let err = new("2026-12-10T10:00", Some("2026-12-10T09:00"), "UTC")
            .row(1, "UTC")
            .unwrap_err();
        assert!(err.to_string().contains("ends_at"), "{err}");
        let err = new("2026-12-10T10:00", None, "Mars/Olympus")
            .row(1, "UTC")
            .unwrap_err();
        assert!(err.to_string().contains("time_zone"), "{err}");
        let mut n = new("2026-12-10T10:00", None, "UTC");
        n.online_url = Some("javascript:alert(1)".into());
        assert!(n.row(1, "UTC").is_err());
        n.online_url = None;
        n.capacity = Some(0);
        assert!(n.row(1, "UTC").is_err());
    }

    #[test]
    fn all_day_events_keep_their_dates() {
        let mut n = new("2026-12-24", Some("2026-12-26"), "Europe/Paris");
        n.all_day = true;
        let e = n.row(1, "UTC").unwrap();
        assert_eq!(e.starts_at.to_string(), "2026-12-24 00:00:00");
        assert_eq!(when_and_where(&e), "Thu 24 Dec 2026 – Sat 26 Dec 2026");
        let day_after = e.ends_at.unwrap() + Duration::days(1);
        assert!(!is_over(&e, e.ends_at.unwrap()));
        assert!(is_over(&e, day_after));
    }

    #[test]
    fn small_counts_are_withheld() {
        assert_eq!(shown_count(4), None);
        assert_eq!(shown_count(5), Some(5));
    }
}
