//! What makes an `Event` an event on the wire: its date, place and capacity, as
//! Mobilizon writes them (`startTime`, `endTime`, a `Place`, `timezone`,
//! `ical:status`, `participantCount`), flattened into the post object.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::post::lenient;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EventFields {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub start_time: Option<DateTime<Utc>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub location: Option<Value>,
    /// The organiser's time zone (IANA name).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub timezone: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub maximum_attendee_capacity: Option<i64>,
    /// Participants with a place (sent only from 5 on: smaller figures could
    /// tell who answered).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub participant_count: Option<i64>,
    /// `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    #[serde(
        rename = "ical:status",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub ical_status: Option<String>,
    /// How people join: `free` (Mobilizon's term) for ours.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub join_mode: Option<String>,
    /// Passerelle: the online meeting link, and whether the dates are whole days.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub online_url: Option<url::Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub all_day: Option<bool>,
}

/// Where an event takes place.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Place {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// A `PostalAddress` or text: read for its text only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Value>,
}

/// The place of an event's `location` as one line: a `Place` (or a list of
/// them, the first), or plain text.
pub fn place_text(location: &Value) -> String {
    match location {
        Value::String(s) => s.trim().to_string(),
        Value::Array(items) => items.first().map(place_text).unwrap_or_default(),
        other => serde_json::from_value::<Place>(other.clone())
            .map(|p| p.text())
            .unwrap_or_default(),
    }
}

impl Place {
    /// The place as one line: its name, else its address's.
    pub fn text(&self) -> String {
        if !self.name.trim().is_empty() {
            return self.name.trim().to_string();
        }
        match &self.address {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(Value::Object(a)) => ["streetAddress", "addressLocality", "addressCountry"]
                .iter()
                .filter_map(|k| a.get(*k).and_then(Value::as_str))
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    }
}
