//! The JSON-LD `@context` of everything we publish.
//!
//! Beyond ActivityStreams it carries the security vocabulary (so JSON-LD-aware peers
//! can read `publicKey`) and defines extension terms inline: referencing a context
//! document that peers cannot fetch offline would break strict verifiers.

use serde_json::{Value, json};

pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "sensitive": "as:sensitive",
            "Hashtag": "as:Hashtag",
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "suspended": "toot:suspended",
            "votersCount": "toot:votersCount",
            "blurhash": "toot:blurhash",
            "focalPoint": { "@container": "@list", "@id": "toot:focalPoint" },
            "featured": { "@id": "toot:featured", "@type": "@id" },
            "lemmy": "https://join-lemmy.org/ns#",
            "postingRestrictedToMods": "lemmy:postingRestrictedToMods",
            "moderators": { "@id": "lemmy:moderators", "@type": "@id" },
            "passerelle": "https://passerelle.dev/ns#",
            "visibility": "passerelle:visibility",
            "schema": "http://schema.org#",
            "mz": "https://joinmobilizon.org/ns#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "participantCount": "mz:participantCount",
            "joinMode": "mz:joinMode",
            "timezone": "mz:timezone",
            "maximumAttendeeCapacity": "schema:maximumAttendeeCapacity",
            "onlineUrl": "passerelle:onlineUrl",
            "allDay": "passerelle:allDay",
            "libraryFolder": "passerelle:libraryFolder",
            "documentVersions": { "@id": "passerelle:documentVersions", "@container": "@list" },
            "versionNumber": "passerelle:versionNumber",
            "fileSize": "passerelle:fileSize",
            "restoredFrom": "passerelle:restoredFrom",
            "survey": { "@id": "passerelle:survey", "@type": "@json" },
            "surveyAnswer": { "@id": "passerelle:surveyAnswer", "@type": "@json" },
            "PropertyValue": "schema:PropertyValue",
            "value": "schema:value"
        }
    ])
}

/// Puts the context in front of a serialised object.
pub fn with_context(mut object: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.insert("@context".into(), context());
    }
    object
}
