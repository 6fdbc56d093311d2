//! Events on the wire, both ways: an `Event` with `startTime`, `endTime`, a
//! `Place`, as Mobilizon and Gancio write them. Its `summary` is the date and
//! place in words, which Mastodon shows under the title (it ignores the rest),
//! so it is not read back as a content warning.

use crate::{
    db::events::{Counts, Event},
    federation::protocol::{
        event::{EventFields, Place, place_text},
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
            .map(place_text)
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
        location: (!e.location.is_empty()).then(|| {
            serde_json::to_value(Place {
                kind: "Place".into(),
                name: e.location.clone(),
                address: None,
            })
            .unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::federation::protocol::post::ApPost;

    /// An event as Mobilizon writes one (its converter's fields; the address
    /// as a `PostalAddress`), read into ours.
    #[test]
    fn mobilizon_events_are_read() {
        let post: ApPost = serde_json::from_value(json!({
            "type": "Event",
            "id": "https://mobilizon.example/events/7f1c",
            "attributedTo": "https://mobilizon.example/@orga",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "name": "Repair café",
            "content": "<p>Bring your toaster</p>",
            "startTime": "2030-03-14T17:00:00+01:00",
            "endTime": "2030-03-14T20:00:00+01:00",
            "timezone": "Europe/Paris",
            "location": {"type": "Place", "name": "",
                         "address": {"type": "PostalAddress", "streetAddress": "1 rue de la Paix",
                                     "addressLocality": "Lyon", "addressCountry": "France"}},
            "maximumAttendeeCapacity": 30,
            "participantCount": 12,
            "ical:status": "CONFIRMED",
            "joinMode": "free",
            "anonymousParticipationEnabled": false,
            "category": "WORKSHOP"
        }))
        .unwrap();
        let e = super::from_ap(&post).unwrap();
        assert_eq!(e.starts_at.to_string(), "2030-03-14 16:00:00");
        assert_eq!(e.ends_at.unwrap().to_string(), "2030-03-14 19:00:00");
        assert_eq!(e.time_zone, "Europe/Paris");
        assert_eq!(e.location, "1 rue de la Paix, Lyon, France");
        assert_eq!((e.capacity, e.remote_going), (Some(30), Some(12)));
        assert!(e.cancelled_at.is_none());
        // Unknown zones, odd places and a cancellation.
        let post: ApPost = serde_json::from_value(json!({
            "type": "Event", "id": "https://g.example/e/1", "attributedTo": "https://g.example/u/a",
            "startTime": "2030-01-01T10:00:00Z", "timezone": "Mars/Olympus",
            "location": "somewhere", "ical:status": "CANCELLED"
        }))
        .unwrap();
        let e = super::from_ap(&post).unwrap();
        assert_eq!(
            (e.time_zone.as_str(), e.location.as_str()),
            ("UTC", "somewhere")
        );
        assert!(e.cancelled_at.is_some());
        // A Note is no event; an Event without a start neither.
        let note: ApPost = serde_json::from_value(json!({
            "type": "Note", "id": "https://g.example/n/1", "attributedTo": "https://g.example/u/a",
            "startTime": "2030-01-01T10:00:00Z"
        }))
        .unwrap();
        assert!(super::from_ap(&note).is_none());
    }
}
