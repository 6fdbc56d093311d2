//! An event as the pages show it: its date and place on every card, and on its
//! own page the answers in aggregate (exact only for who manages it) with the
//! reader's buttons.

use crate::{
    db::events::Event,
    service::{
        agenda::{self, listing::EventView},
        now,
    },
};

/// The line under an event's title.
pub struct EventLine {
    pub when: String,
    pub online_url: Option<String>,
    pub cancelled: bool,
}

impl EventLine {
    pub fn of(e: &Event) -> Self {
        Self {
            when: agenda::when_and_where(e),
            online_url: e.online_url.clone(),
            cancelled: e.cancelled_at.is_some(),
        }
    }
}

/// The answer box of an event's page.
pub struct Participation {
    pub id: i64,
    /// Counts as this reader may see them: "fewer than 5" below 5 for others.
    pub going: Option<i64>,
    pub maybe: Option<i64>,
    pub waitlisted: Option<i64>,
    pub capacity: Option<i64>,
    pub full: bool,
    /// The reader's answer: going, maybe, declined, or "".
    pub mine: String,
    /// Its words' key (`event-answer-going`…).
    pub mine_key: String,
    pub my_waitlisted: bool,
    pub manages: bool,
    pub cancelled: bool,
    pub over: bool,
    /// Only another server counts this event's answers.
    pub remote: bool,
}

/// The answer buttons: (value, words' key).
pub const ANSWERS: [(&str, &str); 3] = [
    ("going", "event-answer-going"),
    ("maybe", "event-answer-maybe"),
    ("declined", "event-answer-declined"),
];

/// The month view's column heads, Monday first.
pub const DAYS: [&str; 7] = [
    "day-mon", "day-tue", "day-wed", "day-thu", "day-fri", "day-sat", "day-sun",
];

impl Participation {
    pub fn of(v: &EventView) -> Self {
        let (going, maybe, waitlisted) = v.shown();
        Self {
            id: v.status.id,
            going,
            maybe,
            waitlisted,
            capacity: v.event.capacity,
            full: v.full(),
            mine: v.own.as_ref().map(|a| a.answer.clone()).unwrap_or_default(),
            mine_key: v
                .own
                .as_ref()
                .map(|a| format!("event-answer-{}", a.answer))
                .unwrap_or_default(),
            my_waitlisted: v.own.as_ref().is_some_and(|a| a.waitlisted),
            manages: v.manages && v.status.local,
            cancelled: v.event.cancelled_at.is_some(),
            over: agenda::is_over(&v.event, now()),
            remote: !v.status.local,
        }
    }
}
