//! Events on the wire, both ways: an `Event` with `startTime`, `endTime`, a
//! `Place`, as Mobilizon and Gancio write them. Its `summary` is the date and
//! place in words, which Mastodon shows under the title (it ignores the rest),
//! so it is not read back as a content warning.

use crate::{
    db::events::{Counts, Event},
    federation::protocol::{
        event::{EventFields, Place},
        post::ApPost,
    },
    service::agenda,
};

/// The event of a remote `Event`, with the participants its server reports.
/// Its status is set when the post is stored (`RemotePost::event_for`).
pub fn from_ap(post: &ApPost) -> Option<Event> {
    if post.kind != "Event" {
        return None;
    }
    let f = &post.event;
    let starts_at = f.start_time?.naive_utc();
    let ends_at = post
        .end_time
        .map(|t| t.naive_utc())
        .filter(|e| *e >= starts_at);
    let time_zone = f
        .timezone
        .as_deref()
        .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
        .unwrap_or("UTC")
        .to_string();
    let cancelled = f
        .ical_status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED"));
    Some(Event {
        status_id: 0,
        starts_at,
        ends_at,
        time_zone,
        all_day: f.all_day.unwrap_or(false),
        location: f
            .location
            .as_ref()
            .map(Place::text)
            .unwrap_or_default()
            .chars()
            .take(agenda::MAX_LOCATION)
            .collect(),
        online_url: f
            .online_url
            .as_ref()
            .and_then(|u| crate::federation::protocol::web_url(u.as_str())),
        capacity: f.maximum_attendee_capacity.filter(|c| *c > 0),
        cancelled_at: cancelled.then(crate::service::now),
        sequence: 0,
        remote_going: Some(f.participant_count.unwrap_or(0).max(0)),
    })
}

/// Makes `post` an `Event` carrying ours.
pub fn to_ap(post: &mut ApPost, e: &Event, counts: &Counts) {
    post.kind = "Event".into();
    post.summary = Some(agenda::when_and_where(e));
    post.end_time = e.ends_at.map(|t| t.and_utc());
    post.event = EventFields {
        start_time: Some(e.starts_at.and_utc()),
        location: (!e.location.is_empty()).then(|| Place {
            kind: "Place".into(),
            name: e.location.clone(),
            address: None,
        }),
        timezone: Some(e.time_zone.clone()),
        maximum_attendee_capacity: e.capacity,
        participant_count: agenda::shown_count(counts.going),
        ical_status: Some(
            if e.cancelled_at.is_some() {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
            .into(),
        ),
        join_mode: Some("free".into()),
        online_url: e
            .online_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok()),
        all_day: e.all_day.then_some(true),
    };
}
